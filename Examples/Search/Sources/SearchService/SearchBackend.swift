/// Where the search service finds places: the embedded index, or PostgreSQL with PostGIS.
public protocol SearchBackend: Sendable {
    /// Names of the places whose polygon contains the point (the boundary excluded, as PostGIS's
    /// `ST_Contains`), whose name contains `query` (case-insensitive; every place when empty),
    /// ordered by name (by Unicode code points, equal names in load order), from `offset`, at
    /// most `limit`.
    func search(latitude: Double, longitude: Double, query: String, offset: Int, limit: Int) async throws -> [String]

    /// How many places there are.
    func placeCount() async throws -> Int

    /// Throws when the backend cannot answer; the health check calls it.
    func ping() async throws
}

extension SearchBackend {
    public func ping() async throws { _ = try await placeCount() }
}
