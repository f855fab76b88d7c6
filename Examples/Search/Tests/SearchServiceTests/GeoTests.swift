import Foundation
import SearchService
import Testing
import SearchTestSupport

// MARK: - Helpers

private func p(_ latitude: Double, _ longitude: Double) -> Point {
    Point(latitude: latitude, longitude: longitude)
}

/// A closed ring from (longitude, latitude) pairs, GeoJSON order, closing point added.
private func ring(_ xy: [(Double, Double)]) -> [Point] {
    var points = xy.map { Point(latitude: $0.1, longitude: $0.0) }
    points.append(points[0])
    return points
}

private func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Point] {
    ring([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
}

/// The reference answer: every place, tested one by one, sorted by name then position.
private func linearScan(_ places: [Place], _ point: Point) -> [String] {
    places.enumerated()
        .filter { $0.element.contains(point) }
        .sorted { $0.element.name != $1.element.name ? $0.element.name < $1.element.name : $0.offset < $1.offset }
        .map(\.element.name)
}

private let fixtureURL = ChildProcess.repositoryRoot.appendingPathComponent("Examples/Search/Fixtures/places.geojson")

private func loadFixture() throws -> (data: Data, places: [Place]) {
    let data = try Data(contentsOf: fixtureURL)
    return (data, try GeoJSON.places(from: data))
}

// MARK: - Point in polygon

@Suite("Polygon.contains")
struct PolygonTests {
    let unit = Polygon(outer: square(0, 0, 10, 10))

    @Test func insideAndOutside() {
        #expect(unit.contains(p(5, 5)))
        #expect(unit.contains(p(0.001, 9.999)))
        #expect(!unit.contains(p(5, 10.001)))
        #expect(!unit.contains(p(-0.001, 5)))
        #expect(!unit.contains(p(50, 50)))
        #expect(!unit.contains(p(.nan, 5)))
    }

    @Test func edgesAndVerticesAreOutside() {
        for point in [p(0, 5), p(10, 5), p(5, 0), p(5, 10), p(0, 0), p(10, 10), p(0, 10), p(10, 0)] {
            #expect(!unit.contains(point), "\(point)")
        }
        // A diagonal edge, at points that are not exactly representable on it.
        let triangle = Polygon(outer: ring([(0, 0), (3, 0), (0, 7)]))
        for t in stride(from: 0.0, through: 1.0, by: 0.1) {
            let onHypotenuse = p(7 * t, 3 * (1 - t))
            #expect(!triangle.contains(onHypotenuse), "\(onHypotenuse)")
        }
        #expect(!triangle.contains(p(3.5 + 1e-6, 1.5 + 1e-6)))
        #expect(triangle.contains(p(3.5 - 1e-6, 1.5 - 1e-6)))
        // Within the tolerance inside a vertical edge: still the boundary, so outside.
        #expect(!unit.contains(p(5, 10 - Polygon.edgeTolerance / 2)))
        #expect(unit.contains(p(5, 10 - Polygon.edgeTolerance * 10)))
    }

    @Test func holes() {
        let donut = Polygon(outer: square(0, 0, 10, 10), holes: [square(3, 3, 7, 7), square(8, 8, 9, 9)])
        #expect(!donut.contains(p(5, 5)))       // in the first hole
        #expect(!donut.contains(p(8.5, 8.5)))   // in the second
        #expect(donut.contains(p(1, 1)))
        #expect(donut.contains(p(7.5, 7.5)))    // between the holes
        #expect(!donut.contains(p(3, 5)))       // on a hole's edge: the polygon's boundary
        #expect(!donut.contains(p(7, 7)))       // on a hole's vertex
        #expect(!donut.contains(p(11, 5)))
        #expect(donut.rings.count == 3)
    }

    @Test func concave() {
        // A U: two arms (x 0-2 and 8-10) joined at the bottom (y 0-2), open at the top.
        let u = Polygon(outer: ring([(0, 0), (10, 0), (10, 10), (8, 10), (8, 2), (2, 2), (2, 10), (0, 10)]))
        #expect(u.contains(p(5, 1)))     // in the base
        #expect(u.contains(p(9, 1)))     // in the right arm
        #expect(u.contains(p(9, 9)))
        #expect(!u.contains(p(5, 5)))    // in the notch: the ray crosses two edges
        #expect(!u.contains(p(9, 5)))    // lat 9, lng 5: in the notch too
        #expect(!u.contains(p(5, 2)))    // on the notch's floor
        #expect(!u.contains(p(5, 8)))    // on the notch's wall
        // A star, whose horizontal rays pass through vertices.
        let star = Polygon(outer: ring([(0, 10), (2, 2), (10, 0), (2, -2), (0, -10), (-2, -2), (-10, 0), (-2, 2)]))
        #expect(star.contains(p(0, 0)))
        #expect(star.contains(p(0, -5)))   // its ray (latitude 0) runs through the vertex (10, 0)
        #expect(!star.contains(p(5, 5)))
        #expect(!star.contains(p(2, -5)))  // latitude 2, level with two vertices, between arms
        #expect(star.contains(p(2, 1.5)))
        #expect(!star.contains(p(-5, 5)))
    }

    @Test func orientationAndClosingPointDoNotMatter() {
        let ccw = square(0, 0, 4, 4)
        let cw = Array(ccw.reversed())
        let open = Array(ccw.dropLast())
        var rng = SplitMix64(seed: 7)
        var inside = 0
        for _ in 0..<500 {
            let point = p(Double.random(in: -1...5, using: &rng), Double.random(in: -1...5, using: &rng))
            let expected = Polygon(outer: ccw).contains(point)
            if expected { inside += 1 }
            #expect(Polygon(outer: cw).contains(point) == expected)
            #expect(Polygon(outer: open).contains(point) == expected)
        }
        // The square covers 16 of the 36 square degrees sampled: both answers occur often.
        #expect((150...300).contains(inside), "\(inside) of 500 inside")
    }

    @Test func boundingBoxes() {
        let polygon = Polygon(outer: ring([(13.3, 52.5), (13.5, 52.4), (13.4, 52.6)]))
        #expect(polygon.boundingBox == BoundingBox(minLatitude: 52.4, maxLatitude: 52.6, minLongitude: 13.3, maxLongitude: 13.5))
        #expect(Polygon(outer: []).boundingBox.isEmpty)
        #expect(!Polygon(outer: []).contains(p(0, 0)))
        let place = Place(name: "x", polygons: [polygon, Polygon(outer: square(0, 0, 1, 1))])
        #expect(place.boundingBox == BoundingBox(minLatitude: 0, maxLatitude: 52.6, minLongitude: 0, maxLongitude: 13.5))
        #expect(BoundingBox.empty.union(polygon.boundingBox) == polygon.boundingBox)
        #expect(polygon.boundingBox.intersects(place.boundingBox))
        #expect(!polygon.boundingBox.intersects(BoundingBox([p(0, 0), p(1, 1)])))
        #expect(!BoundingBox.empty.intersects(place.boundingBox))
    }

    @Test func multiPolygonPlace() {
        let place = Place(name: "Islands", polygons: [Polygon(outer: square(0, 0, 1, 1)), Polygon(outer: square(5, 5, 6, 6))])
        #expect(place.contains(p(0.5, 0.5)))
        #expect(place.contains(p(5.5, 5.5)))
        #expect(!place.contains(p(6, 6)))  // a corner of the second
        #expect(!place.contains(p(3, 3)))
        #expect(!Place(name: "nothing", polygons: []).contains(p(0, 0)))
    }
}

// MARK: - GeoJSON

/// A FeatureCollection of the given feature texts.
private func collection(_ features: String...) -> Data {
    Data(#"{"type":"FeatureCollection","features":[\#(features.joined(separator: ","))]}"#.utf8)
}

private func feature(name: String? = "A", geometry: String) -> String {
    let properties = name.map { #"{"name":\#($0)}"# } ?? "{}"
    return #"{"type":"Feature","properties":\#(properties),"geometry":\#(geometry)}"#
}

private let goodSquare = #"[[0,0],[1,0],[1,1],[0,1],[0,0]]"#
private let good = feature(name: #""Good""#, geometry: #"{"type":"Polygon","coordinates":[\#(goodSquare)]}"#)

private func polygonGeometry(_ rings: String) -> String {
    #"{"type":"Polygon","coordinates":\#(rings)}"#
}

@Suite("GeoJSON")
struct GeoJSONTests {
    @Test func readsPolygonsMultiPolygonsAndHoles() throws {
        let data = collection(
            feature(name: #""Mitte Block 17""#, geometry: polygonGeometry(#"[[[13,52],[14,52],[14,53],[13,53],[13,52]],[[13.2,52.2],[13.2,52.4],[13.4,52.4],[13.2,52.2]]]"#)),
            feature(name: #""Sé Block 3""#, geometry: #"{"type":"MultiPolygon","coordinates":[[\#(goodSquare)],[[[5,5,100],[6,5,100],[6,6,100],[5,5,100]]]]}"#),
            #"{"type":"Feature","id":7,"bbox":[0,0,1,1],"properties":{"name":" padded ","pop":3},"geometry":{"type":"Polygon","coordinates":[\#(goodSquare)]},"extra":true}"#
        )
        let places = try GeoJSON.places(from: data)
        #expect(places.map(\.name) == ["Mitte Block 17", "Sé Block 3", " padded "])
        #expect(places[0].polygons.count == 1)
        #expect(places[0].polygons[0].holes.count == 1)
        #expect(places[0].polygons[0].outer.first == p(52, 13))  // [longitude, latitude]
        #expect(places[0].contains(p(52.9, 13.9)))
        #expect(!places[0].contains(p(52.3, 13.25)))              // in the hole
        #expect(places[1].polygons.count == 2)
        #expect(places[1].contains(p(5.2, 5.5)))
        #expect(try GeoJSON.places(from: collection()) == [])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var data: Data
        var expected: GeoJSONError
        var testDescription: String { label }
    }

    static let cases: [Case] = {
        /// `text` is a whole feature when `raw` or `name` is nil, else the geometry of a feature
        /// named "Bad"; `name` is the name the error should carry.
        func bad(_ label: String, _ text: String, _ reason: GeoJSONError.Reason, raw: Bool = false, name: String? = "Bad") -> Case {
            // The bad feature comes after two good ones so its index is checked.
            let text = raw || name == nil ? text : feature(name: #""Bad""#, geometry: text)
            return Case(label: label, data: collection(good, good, text, good),
                        expected: GeoJSONError(reason, featureIndex: 2, featureName: name))
        }
        return [
            Case(label: "not JSON", data: Data("{\"type\":".utf8), expected: GeoJSONError(.notJSON)),
            Case(label: "not JSON (binary)", data: Data([0xFF, 0xFE, 0x00]), expected: GeoJSONError(.notJSON)),
            Case(label: "empty", data: Data(), expected: GeoJSONError(.notJSON)),
            Case(label: "a Feature, not a collection", data: Data(good.utf8), expected: GeoJSONError(.notFeatureCollection)),
            Case(label: "an array", data: Data("[]".utf8), expected: GeoJSONError(.notFeatureCollection)),
            Case(label: "no features", data: Data(#"{"type":"FeatureCollection"}"#.utf8), expected: GeoJSONError(.notFeatureCollection)),
            Case(label: "features not an array", data: Data(#"{"type":"FeatureCollection","features":{}}"#.utf8), expected: GeoJSONError(.notFeatureCollection)),
            bad("not a feature", #"{"type":"Polygon","coordinates":[]}"#, .notAFeature, name: nil),
            bad("a number as feature", "3", .notAFeature, name: nil),
            bad("no name", feature(name: nil, geometry: polygonGeometry("[\(goodSquare)]")), .missingName, name: nil),
            bad("null name", feature(name: "null", geometry: polygonGeometry("[\(goodSquare)]")), .missingName, name: nil),
            bad("no properties", #"{"type":"Feature","geometry":\#(polygonGeometry("[\(goodSquare)]"))}"#, .missingName, name: nil),
            bad("numeric name", feature(name: "42", geometry: polygonGeometry("[\(goodSquare)]")), .nameNotAString, name: nil),
            bad("empty name", feature(name: #""""#, geometry: polygonGeometry("[\(goodSquare)]")), .emptyName, name: nil),
            bad("blank name", feature(name: #"" \t ""#, geometry: polygonGeometry("[\(goodSquare)]")), .emptyName, name: nil),
            bad("null geometry", "null", .missingGeometry),
            bad("no geometry", #"{"type":"Feature","properties":{"name":"Bad"}}"#, .missingGeometry, raw: true),
            bad("Point", #"{"type":"Point","coordinates":[1,2]}"#, .unsupportedGeometry("Point")),
            bad("LineString", #"{"type":"LineString","coordinates":[[1,2],[3,4]]}"#, .unsupportedGeometry("LineString")),
            bad("GeometryCollection", #"{"type":"GeometryCollection","geometries":[]}"#, .unsupportedGeometry("GeometryCollection")),
            bad("polygon without rings", polygonGeometry("[]"), .emptyGeometry),
            bad("empty multipolygon", #"{"type":"MultiPolygon","coordinates":[]}"#, .emptyGeometry),
            bad("no coordinates", #"{"type":"Polygon"}"#, .malformedGeometry("Polygon has no \"coordinates\" array")),
            bad("ring of 3", polygonGeometry("[[[0,0],[1,0],[0,0]]]"), .ringTooShort(polygon: 0, ring: 0, positions: 3)),
            bad("empty ring", polygonGeometry("[[]]"), .ringTooShort(polygon: 0, ring: 0, positions: 0)),
            bad("short hole", polygonGeometry("[\(goodSquare),[[0.1,0.1],[0.2,0.1],[0.1,0.1]]]"), .ringTooShort(polygon: 0, ring: 1, positions: 3)),
            bad("open ring", polygonGeometry("[[[0,0],[1,0],[1,1],[0,1]]]"), .ringNotClosed(polygon: 0, ring: 0)),
            bad("open ring in a multipolygon", #"{"type":"MultiPolygon","coordinates":[[\#(goodSquare)],[[[0,0],[1,0],[1,1],[0,1],[0,0.5]]]]}"#,
                .ringNotClosed(polygon: 1, ring: 0)),
            bad("latitude 91", polygonGeometry("[[[0,0],[1,0],[1,91],[0,0]]]"),
                .coordinateOutOfRange(polygon: 0, ring: 0, position: 2, longitude: 1, latitude: 91)),
            bad("longitude -180.5", polygonGeometry("[[[0,0],[-180.5,0],[1,1],[0,0]]]"),
                .coordinateOutOfRange(polygon: 0, ring: 0, position: 1, longitude: -180.5, latitude: 0)),
            bad("string coordinate", polygonGeometry(#"[[[0,0],["1",0],[1,1],[0,0]]]"#), .nonNumericCoordinate(polygon: 0, ring: 0, position: 1)),
            bad("null coordinate", polygonGeometry("[[[0,0],[1,null],[1,1],[0,0]]]"), .nonNumericCoordinate(polygon: 0, ring: 0, position: 1)),
            bad("boolean coordinate", polygonGeometry("[[[0,0],[1,0],[true,1],[0,0]]]"), .nonNumericCoordinate(polygon: 0, ring: 0, position: 2)),
            bad("array coordinate", polygonGeometry("[[[0,0],[1,0],[[1],1],[0,0]]]"), .nonNumericCoordinate(polygon: 0, ring: 0, position: 2)),
            bad("position of one number", polygonGeometry("[[[0,0],[1],[1,1],[0,0]]]"),
                .malformedGeometry("position 1 of ring 0 of polygon 0 is not an array of at least 2 numbers")),
        ]
    }()

    @Test(arguments: cases)
    func rejects(_ c: Case) {
        #expect(throws: c.expected) { try GeoJSON.places(from: c.data) }
    }

    @Test func descriptionsNameTheFeature() {
        let error = GeoJSONError(.ringNotClosed(polygon: 1, ring: 0), featureIndex: 4, featureName: "Mitte Block 17")
        #expect(error.description == #"feature 4 ("Mitte Block 17"): ring 0 of polygon 1 is not closed (its last position differs from its first)"#)
        #expect(GeoJSONError(.emptyName, featureIndex: 0).description == #"feature 0: "name" is empty"#)
        #expect(GeoJSONError(.notJSON).description == "not a JSON document")
        for c in Self.cases {
            if let index = c.expected.featureIndex {
                #expect(c.expected.description.hasPrefix("feature \(index)"))
            }
        }
    }

    @Test func sampleFileLoads() throws {
        let (data, places) = try loadFixture()
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let features = try #require(json?["features"] as? [Any])
        #expect(places.count == features.count)
        #expect((300...400).contains(places.count))
        #expect(data.count < 300_000)
        #expect(places.contains { $0.polygons.count > 1 })
        #expect(places.contains { $0.polygons.contains { !$0.holes.isEmpty } })
        #expect(Set(places.map(\.name)).count == places.count)
        #expect(PlaceIndex(places).count == places.count)
    }
}

// MARK: - PlaceIndex

@Suite("PlaceIndex")
struct PlaceIndexTests {
    @Test func ordersByNameThenInsertion() {
        let big = Polygon(outer: square(0, 0, 10, 10))
        let places = [
            Place(name: "b", polygons: [big]),
            Place(name: "a", polygons: [big]),
            Place(name: "c", polygons: [Polygon(outer: square(20, 20, 21, 21))]),
            Place(name: "a", polygons: [Polygon(outer: square(1, 1, 2, 2)), Polygon(outer: square(0, 0, 3, 3))]),
            Place(name: "A", polygons: [big]),
        ]
        let index = PlaceIndex(places)
        #expect(index.count == 5)
        #expect(index.places(containing: p(1.5, 1.5)) == ["A", "a", "a", "b"])  // the 4th place once
        #expect(index.placeIndices(containing: p(1.5, 1.5)) == [4, 1, 3, 0])
        #expect(index.places(containing: p(5, 5)) == ["A", "a", "b"])
        #expect(index.places(containing: p(20.5, 20.5)) == ["c"])
        #expect(index.places(containing: p(15, 15)) == [])
        #expect(index.places(containing: p(.nan, 1)) == [])
        #expect(index.places(containing: p(1, .infinity)) == [])
        #expect(PlaceIndex([]).places(containing: p(0, 0)) == [])
    }

    /// Many tiny squares make the cells tiny; a long strip and a huge polygon then cross many
    /// cells (the huge one more than `maximumCellsPerPolygon`).
    @Test func polygonsCrossingManyCells() {
        var places: [Place] = []
        for i in 0..<50 {
            let x = Double(i) * 0.01
            places.append(Place(name: "tiny \(i)", polygons: [Polygon(outer: square(x, 0, x + 0.001, 0.001))]))
        }
        places.append(Place(name: "strip", polygons: [Polygon(outer: ring([(0, 0.002), (0.5, 0.002), (0.5, 0.0035), (0.25, 0.003), (0, 0.0035)]))]))
        places.append(Place(name: "huge", polygons: [Polygon(outer: square(-50, -50, 50, 50))]))
        let index = PlaceIndex(places)
        for i in 1..<500 {
            let x = Double(i) * 0.001
            #expect(index.places(containing: p(0.0025, x)) == ["huge", "strip"])
            #expect(index.places(containing: p(0.002, x)) == ["huge"])  // the strip's lower edge
            #expect(index.places(containing: p(0.004, x)) == ["huge"])
        }
        #expect(index.places(containing: p(0.0005, 0.1355)) == ["huge"])
        #expect(index.places(containing: p(0.0005, 0.1205)) == ["huge", "tiny 12"])
        #expect(index.places(containing: p(-49.9, 49.9)) == ["huge"])
        #expect(index.places(containing: p(-50, 50)) == [])  // huge's corner
        #expect(index.places(containing: p(60, 0)) == [])
    }

    @Test func matchesALinearScanOnTheSample() throws {
        let places = try loadFixture().places
        let index = PlaceIndex(places)
        var rng = SplitMix64(seed: 0x5EED)
        var hits = 0, overlaps = 0
        for i in 0..<2_000 {
            let point: Point
            let place = places.randomElement(using: &rng)!
            let polygon = place.polygons.randomElement(using: &rng)!
            switch i % 4 {
            case 0, 1:  // somewhere around a random place
                let box = polygon.boundingBox.expanded(by: 0.003)
                point = p(Double.random(in: box.minLatitude...box.maxLatitude, using: &rng),
                          Double.random(in: box.minLongitude...box.maxLongitude, using: &rng))
            case 2:  // on a vertex or an edge
                let rings = polygon.rings.randomElement(using: &rng)!
                let k = Int.random(in: 0..<(rings.count - 1), using: &rng)
                let t = Bool.random(using: &rng) ? 0 : Double.random(in: 0...1, using: &rng)
                let a = rings[k], b = rings[k + 1]
                point = p(a.latitude + t * (b.latitude - a.latitude), a.longitude + t * (b.longitude - a.longitude))
            default:  // anywhere near the city
                let box = place.boundingBox.expanded(by: 0.1)
                point = p(Double.random(in: box.minLatitude...box.maxLatitude, using: &rng),
                          Double.random(in: box.minLongitude...box.maxLongitude, using: &rng))
            }
            let expected = linearScan(places, point)
            let got = index.places(containing: point)
            #expect(got == expected, "\(point)")
            if !expected.isEmpty { hits += 1 }
            if expected.count > 1 { overlaps += 1 }
        }
        // The comparison means something: many points hit, some several places at once. (The
        // 500 boundary points hit only where they lie inside another place.)
        #expect(hits > 400)
        #expect(overlaps > 10)
    }
}
