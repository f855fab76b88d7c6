// Planar geometry on (longitude, latitude) degrees: points, polygons with holes, named places and
// bounding boxes. Pure value types, no I/O.
//
// Coordinates are treated as a flat plane with x = longitude and y = latitude. That is what
// GeoJSON (RFC 7946 §3.1.1) asks of consumers for polygons that do not cross the antimeridian;
// polygons that do (an edge from 179° to -179°) are read literally, i.e. as going the long way
// round, and are not supported.

/// A position in degrees. GeoJSON writes it as `[longitude, latitude]`; Swift code names both.
public struct Point: Sendable, Hashable, CustomStringConvertible {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Both coordinates finite, latitude in [-90, 90] and longitude in [-180, 180].
    public var isValid: Bool {
        latitude.isFinite && longitude.isFinite && abs(latitude) <= 90 && abs(longitude) <= 180
    }

    public var description: String { "(\(latitude), \(longitude))" }
}

/// An axis-aligned box in degrees, bounds included. `BoundingBox.empty` contains nothing and is
/// the identity of `union`.
public struct BoundingBox: Sendable, Hashable {
    public var minLatitude: Double
    public var maxLatitude: Double
    public var minLongitude: Double
    public var maxLongitude: Double

    public init(minLatitude: Double, maxLatitude: Double, minLongitude: Double, maxLongitude: Double) {
        self.minLatitude = minLatitude
        self.maxLatitude = maxLatitude
        self.minLongitude = minLongitude
        self.maxLongitude = maxLongitude
    }

    public static let empty = BoundingBox(
        minLatitude: .infinity, maxLatitude: -.infinity, minLongitude: .infinity, maxLongitude: -.infinity
    )

    /// The smallest box holding every point (`empty` for none).
    public init<S: Sequence<Point>>(_ points: S) {
        self = .empty
        for p in points { extend(p) }
    }

    public var isEmpty: Bool { !(minLatitude <= maxLatitude && minLongitude <= maxLongitude) }

    public var width: Double { isEmpty ? 0 : maxLongitude - minLongitude }
    public var height: Double { isEmpty ? 0 : maxLatitude - minLatitude }

    /// Bounds included; `false` for NaN coordinates.
    @inline(__always)
    public func contains(_ p: Point) -> Bool {
        p.latitude >= minLatitude && p.latitude <= maxLatitude
            && p.longitude >= minLongitude && p.longitude <= maxLongitude
    }

    /// Touching boxes intersect.
    public func intersects(_ other: BoundingBox) -> Bool {
        !isEmpty && !other.isEmpty
            && minLatitude <= other.maxLatitude && other.minLatitude <= maxLatitude
            && minLongitude <= other.maxLongitude && other.minLongitude <= maxLongitude
    }

    /// Grown by `margin` degrees on every side (`empty` stays empty).
    @inline(__always)
    public func expanded(by margin: Double) -> BoundingBox {
        BoundingBox(
            minLatitude: minLatitude - margin, maxLatitude: maxLatitude + margin,
            minLongitude: minLongitude - margin, maxLongitude: maxLongitude + margin
        )
    }

    public mutating func extend(_ p: Point) {
        minLatitude = min(minLatitude, p.latitude)
        maxLatitude = max(maxLatitude, p.latitude)
        minLongitude = min(minLongitude, p.longitude)
        maxLongitude = max(maxLongitude, p.longitude)
    }

    public func union(_ other: BoundingBox) -> BoundingBox {
        BoundingBox(
            minLatitude: min(minLatitude, other.minLatitude), maxLatitude: max(maxLatitude, other.maxLatitude),
            minLongitude: min(minLongitude, other.minLongitude), maxLongitude: max(maxLongitude, other.maxLongitude)
        )
    }
}

/// One polygon: an outer ring and any number of holes.
///
/// Rings are lists of points. The closing point (last == first, as GeoJSON requires) may be
/// present or not: the edge from the last point back to the first is always implied, so a
/// closed ring just adds one zero-length edge. Ring orientation (clockwise or not) is ignored.
///
/// `contains` semantics, those of PostGIS's `ST_Contains` (the polygon's interior only):
/// - a point strictly inside the outer ring and strictly outside every hole is inside;
/// - a point on the boundary — on an edge or vertex of the outer ring *or of a hole* — is not;
///   "on" means within `Polygon.edgeTolerance` degrees (about 0.1 mm) of the edge, so that points
///   computed on an edge (midpoints, interpolations) count as on it despite rounding;
/// - a point in a hole is outside; holes are expected to lie inside the outer ring and not to
///   overlap each other (GeoJSON's rule); if they do, the answer follows the rules above.
/// - the interior test is even-odd ray casting (a ray towards +longitude), so self-intersecting
///   rings give the even-odd answer.
public struct Polygon: Sendable, Hashable {
    public let outer: [Point]
    public let holes: [[Point]]
    /// The outer ring's bounding box (holes are inside it).
    public let boundingBox: BoundingBox

    /// Distance in degrees within which a point counts as on an edge.
    public static let edgeTolerance = 1e-9

    public init(outer: [Point], holes: [[Point]] = []) {
        self.outer = outer
        self.holes = holes
        self.boundingBox = BoundingBox(outer)
    }

    /// All rings, outer first.
    public var rings: [[Point]] { [outer] + holes }

    public func contains(_ point: Point) -> Bool {
        guard boundingBox.expanded(by: Polygon.edgeTolerance).contains(point) else { return false }
        guard Polygon.locate(point, in: outer) == .inside else { return false }
        return holes.allSatisfy { Polygon.locate(point, in: $0) == .outside }
    }

    enum Location { case inside, outside, boundary }

    /// Where `p` lies relative to one ring (implicitly closed).
    static func locate(_ p: Point, in ring: [Point]) -> Location {
        let n = ring.count
        guard n > 0 else { return .outside }
        let x = p.longitude, y = p.latitude
        let eps = edgeTolerance
        var inside = false
        var a = ring[n - 1]
        for b in ring {
            let ax = a.longitude, ay = a.latitude, bx = b.longitude, by = b.latitude
            // Boundary: only edges whose (tolerance-widened) box holds the point need the exact test.
            if x >= min(ax, bx) - eps, x <= max(ax, bx) + eps, y >= min(ay, by) - eps, y <= max(ay, by) + eps,
               distanceSquared(x, y, ax, ay, bx, by) <= eps * eps {
                return .boundary
            }
            // Even-odd crossing of the ray from p towards +x; half-open in y so a vertex on the
            // ray's line is counted once.
            if (ay > y) != (by > y) {
                let xCross = ax + (y - ay) / (by - ay) * (bx - ax)
                if x < xCross { inside.toggle() }
            }
            a = b
        }
        return inside ? .inside : .outside
    }

    /// Squared distance from (px, py) to the segment (ax, ay)–(bx, by).
    @inline(__always)
    static func distanceSquared(_ px: Double, _ py: Double, _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Double {
        let dx = bx - ax, dy = by - ay
        let lengthSquared = dx * dx + dy * dy
        var t = 0.0
        if lengthSquared > 0 {
            t = ((px - ax) * dx + (py - ay) * dy) / lengthSquared
            t = min(1, max(0, t))
        }
        let cx = ax + t * dx - px, cy = ay + t * dy - py
        return cx * cx + cy * cy
    }
}

/// A named area: one polygon, or several (a GeoJSON MultiPolygon). It contains a point if any
/// of its polygons does.
public struct Place: Sendable, Hashable {
    public var name: String
    public var polygons: [Polygon]

    public init(name: String, polygons: [Polygon]) {
        self.name = name
        self.polygons = polygons
    }

    public func contains(_ point: Point) -> Bool {
        polygons.contains { $0.contains(point) }
    }

    public var boundingBox: BoundingBox {
        polygons.reduce(.empty) { $0.union($1.boundingBox) }
    }
}
