/// Finds the places whose polygons contain a point, looking only at polygons near it.
///
/// A sparse uniform grid in degrees (a dictionary from cell to polygons, so a world-wide set
/// clustered around a few cities costs memory only where there are polygons). Each polygon is
/// registered in every cell its bounding box touches, bounds included, so a polygon crossing
/// cell boundaries is found from each of them (the box is widened by `Polygon.edgeTolerance`,
/// as `Polygon.contains` treats points that close to an edge as on it), and a query looks at the single cell holding the
/// point, then runs the exact `Polygon.contains` test on the polygons whose box holds the point.
///
/// The cell size is the median of the polygons' bounding-box sides (width or height, whichever is
/// larger), so a typical polygon covers about four cells. Polygons whose box would cover more
/// than `maximumCellsPerPolygon` cells (a country among city blocks) are kept in a short list
/// checked on every query instead.
///
/// Limits:
/// - Planar longitude/latitude, like `Polygon`: a polygon crossing the antimeridian (±180°) is
///   read as going the long way round and is not supported; split it into two polygons at 180°.
///   Nothing special happens near the poles either (cells just get narrower on the ground).
/// - Points that are not finite get no places.
/// - Places with the same name are all returned, each once.
public struct PlaceIndex: Sendable {
    public static let maximumCellsPerPolygon = 4096

    private struct Entry: Sendable {
        var place: Int32
        var polygon: Int32
    }

    private let places: [Place]
    /// For each place, its position when sorted by (name, insertion index).
    private let rank: [Int32]
    /// The place index for each rank.
    private let placeByRank: [Int32]
    private let cellSize: Double
    private let cells: [Int64: [Entry]]
    private let wide: [Entry]

    public var count: Int { places.count }

    public init(_ places: [Place]) {
        self.places = places
        let order = places.indices.sorted { a, b in
            places[a].name != places[b].name ? places[a].name < places[b].name : a < b
        }
        var rank = [Int32](repeating: 0, count: places.count)
        for (r, p) in order.enumerated() { rank[p] = Int32(r) }
        self.rank = rank
        self.placeByRank = order.map { Int32($0) }

        // Cell size: the median polygon extent, clamped to something sane.
        var extents: [Double] = []
        for place in places {
            for polygon in place.polygons where !polygon.boundingBox.isEmpty {
                extents.append(max(polygon.boundingBox.width, polygon.boundingBox.height))
            }
        }
        extents.sort()
        let median = extents.isEmpty ? 1 : extents[extents.count / 2]
        let cellSize = min(90, max(1e-4, median.isFinite ? median : 1))
        self.cellSize = cellSize

        var cells: [Int64: [Entry]] = [:]
        var wide: [Entry] = []
        for (p, place) in places.enumerated() {
            for (q, polygon) in place.polygons.enumerated() {
                let box = polygon.boundingBox.expanded(by: Polygon.edgeTolerance)
                guard !box.isEmpty, box.minLatitude.isFinite, box.maxLatitude.isFinite,
                      box.minLongitude.isFinite, box.maxLongitude.isFinite
                else { continue }
                let entry = Entry(place: Int32(p), polygon: Int32(q))
                let (x0, y0) = Self.cell(latitude: box.minLatitude, longitude: box.minLongitude, size: cellSize)
                let (x1, y1) = Self.cell(latitude: box.maxLatitude, longitude: box.maxLongitude, size: cellSize)
                let n = (x1 - x0 + 1) * (y1 - y0 + 1)
                if n > Self.maximumCellsPerPolygon {
                    wide.append(entry)
                    continue
                }
                for y in y0...y1 {
                    for x in x0...x1 {
                        cells[Self.key(x, y), default: []].append(entry)
                    }
                }
            }
        }
        self.cells = cells
        self.wide = wide
    }

    /// Names of the places containing `point` (see `Polygon.contains`: the boundary does not count),
    /// sorted by name, places with equal names in the order they were given.
    public func places(containing point: Point) -> [String] {
        placeIndices(containing: point).map { places[$0].name }
    }

    /// Indices into the array the index was built from, in the same order as `places(containing:)`.
    public func placeIndices(containing point: Point) -> [Int] {
        guard point.latitude.isFinite, point.longitude.isFinite else { return [] }
        let (x, y) = Self.cell(latitude: point.latitude, longitude: point.longitude, size: cellSize)
        var ranks: [Int32] = []
        func check(_ entries: [Entry]) {
            for entry in entries {
                let polygon = places[Int(entry.place)].polygons[Int(entry.polygon)]
                if polygon.contains(point) { ranks.append(rank[Int(entry.place)]) }
            }
        }
        if let entries = cells[Self.key(x, y)] { check(entries) }
        if !wide.isEmpty { check(wide) }
        guard !ranks.isEmpty else { return [] }
        ranks.sort()
        var result: [Int] = []
        result.reserveCapacity(ranks.count)
        var previous: Int32 = -1
        for r in ranks where r != previous {  // a place with several polygons here counts once
            result.append(Int(placeByRank[Int(r)]))
            previous = r
        }
        return result
    }

    /// Grid coordinates; clamped so that absurd coordinates cannot overflow (they only share
    /// edge cells, and the exact test still decides).
    @inline(__always)
    private static func cell(latitude: Double, longitude: Double, size: Double) -> (x: Int, y: Int) {
        let limit = Double(Int32.max / 2)
        let x = min(limit, max(-limit, ((longitude + 180) / size).rounded(.down)))
        let y = min(limit, max(-limit, ((latitude + 90) / size).rounded(.down)))
        return (Int(x), Int(y))
    }

    @inline(__always)
    private static func key(_ x: Int, _ y: Int) -> Int64 {
        (Int64(y) << 32) | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: x)))
    }
}
