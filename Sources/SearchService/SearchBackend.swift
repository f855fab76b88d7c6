/// Where the search service finds places: the embedded index, or PostgreSQL with PostGIS.
public protocol SearchBackend: Sendable {
    /// Names of the places whose polygon contains the point, whose name contains `query`
    /// (case-insensitive; every place when empty), in a stable order, from `offset`, at most `limit`.
    func search(latitude: Double, longitude: Double, query: String, offset: Int, limit: Int) async throws -> [String]

    /// How many places there are.
    func placeCount() async throws -> Int
}
