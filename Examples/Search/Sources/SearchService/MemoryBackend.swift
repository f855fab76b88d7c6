/// The embedded backend: places held in memory in a spatial index, loaded from GeoJSON.
/// Needs nothing installed, so the demo runs anywhere.
public struct MemoryBackend: SearchBackend {
    let index: PlaceIndex

    public init(places: [Place]) {
        index = PlaceIndex(places)
    }

    public func search(latitude: Double, longitude: Double, query: String, offset: Int, limit: Int) async throws -> [String] {
        let names = index.places(containing: Point(latitude: latitude, longitude: longitude))
        let needle = query.lowercased()
        let matching = needle.isEmpty ? names : names.filter { $0.lowercased().contains(needle) }
        return Array(matching.dropFirst(offset).prefix(limit))
    }

    public func placeCount() async throws -> Int { index.count }
}
