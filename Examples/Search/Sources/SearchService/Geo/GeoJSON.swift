#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads named places from a GeoJSON (RFC 7946) FeatureCollection.
///
/// Accepted: a top-level object with `"type": "FeatureCollection"` and a `features` array; each
/// feature an object with `"type": "Feature"`, a `properties` object whose `name` is a string that
/// is not empty or only whitespace (kept as written), and a `geometry` of type `Polygon` or
/// `MultiPolygon`. Every ring needs at least 4 positions, the last equal to the first; a position
/// is 2 or more numbers (longitude, latitude, then an optional altitude that is ignored) with the
/// latitude within ±90 and the longitude within ±180. Other members (`id`, `bbox`, other
/// properties, foreign members) are ignored. A MultiPolygon with no polygons or a Polygon with no
/// rings is rejected: it would name a place that contains nothing.
///
/// All or nothing: the first bad feature throws and no place is returned.
public enum GeoJSON {
    public static func places(from data: Data) throws(GeoJSONError) -> [Place] {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw GeoJSONError(.notJSON)
        }
        guard case .object(let collection) = root,
              case .string("FeatureCollection")? = collection["type"],
              case .array(let features)? = collection["features"]
        else { throw GeoJSONError(.notFeatureCollection) }

        var places: [Place] = []
        places.reserveCapacity(features.count)
        for (index, feature) in features.enumerated() {
            places.append(try place(from: feature, index: index))
        }
        return places
    }

    private static func place(from feature: JSONValue, index: Int) throws(GeoJSONError) -> Place {
        guard case .object(let object) = feature, case .string("Feature")? = object["type"] else {
            throw GeoJSONError(.notAFeature, featureIndex: index)
        }
        // The name first, so that every later error can carry it.
        guard case .object(let properties)? = object["properties"], let nameValue = properties["name"],
              nameValue != .null
        else { throw GeoJSONError(.missingName, featureIndex: index) }
        guard case .string(let name) = nameValue else {
            throw GeoJSONError(.nameNotAString, featureIndex: index)
        }
        guard name.contains(where: { !$0.isWhitespace }) else {
            throw GeoJSONError(.emptyName, featureIndex: index)
        }

        func fail(_ reason: GeoJSONError.Reason) -> GeoJSONError {
            GeoJSONError(reason, featureIndex: index, featureName: name)
        }

        guard let geometryValue = object["geometry"], geometryValue != .null else {
            throw fail(.missingGeometry)
        }
        guard case .object(let geometry) = geometryValue, case .string(let type)? = geometry["type"] else {
            throw fail(.malformedGeometry("geometry is not an object with a string \"type\""))
        }
        guard type == "Polygon" || type == "MultiPolygon" else { throw fail(.unsupportedGeometry(type)) }
        guard case .array(let coordinates)? = geometry["coordinates"] else {
            throw fail(.malformedGeometry("\(type) has no \"coordinates\" array"))
        }

        var polygons: [Polygon] = []
        do throws(GeoJSONError.Reason) {
            if type == "Polygon" {
                polygons = [try polygon(from: coordinates, polygonIndex: 0)]
            } else {
                guard !coordinates.isEmpty else { throw .emptyGeometry }
                for (i, element) in coordinates.enumerated() {
                    guard case .array(let rings) = element else {
                        throw .malformedGeometry("polygon \(i) is not an array of rings")
                    }
                    polygons.append(try polygon(from: rings, polygonIndex: i))
                }
            }
        } catch {
            throw fail(error)
        }
        return Place(name: name, polygons: polygons)
    }

    private static func polygon(from rings: [JSONValue], polygonIndex: Int) throws(GeoJSONError.Reason) -> Polygon {
        guard !rings.isEmpty else { throw .emptyGeometry }
        var parsed: [[Point]] = []
        parsed.reserveCapacity(rings.count)
        for (r, ringValue) in rings.enumerated() {
            guard case .array(let positions) = ringValue else {
                throw .malformedGeometry("ring \(r) of polygon \(polygonIndex) is not an array of positions")
            }
            var ring: [Point] = []
            ring.reserveCapacity(positions.count)
            for (p, positionValue) in positions.enumerated() {
                ring.append(try point(from: positionValue, polygon: polygonIndex, ring: r, position: p))
            }
            guard ring.count >= 4 else {
                throw .ringTooShort(polygon: polygonIndex, ring: r, positions: ring.count)
            }
            guard ring.first == ring.last else { throw .ringNotClosed(polygon: polygonIndex, ring: r) }
            parsed.append(ring)
        }
        return Polygon(outer: parsed[0], holes: Array(parsed.dropFirst()))
    }

    private static func point(
        from value: JSONValue, polygon: Int, ring: Int, position: Int
    ) throws(GeoJSONError.Reason) -> Point {
        guard case .array(let elements) = value, elements.count >= 2 else {
            throw .malformedGeometry(
                "position \(position) of ring \(ring) of polygon \(polygon) is not an array of at least 2 numbers"
            )
        }
        var numbers: [Double] = []
        numbers.reserveCapacity(2)
        for element in elements {
            guard case .number(let n) = element else {
                throw .nonNumericCoordinate(polygon: polygon, ring: ring, position: position)
            }
            numbers.append(n)
        }
        let point = Point(latitude: numbers[1], longitude: numbers[0])
        guard point.isValid else {
            throw .coordinateOutOfRange(
                polygon: polygon, ring: ring, position: position,
                longitude: point.longitude, latitude: point.latitude
            )
        }
        return point
    }
}

/// Why a GeoJSON document was rejected, and where: the index of the feature in `features` and
/// its name when it had a usable one. Document-level reasons carry no feature.
public struct GeoJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// (An `Error` only so the parser can throw it internally; `GeoJSON.places` always throws `GeoJSONError`.)
    public enum Reason: Error, Sendable, Hashable {
        /// The bytes are not a JSON document.
        case notJSON
        /// The document is not an object with `"type": "FeatureCollection"` and a `features` array.
        case notFeatureCollection
        /// An element of `features` is not an object with `"type": "Feature"`.
        case notAFeature
        /// No `properties` object, or no `name` in it, or `name` is null.
        case missingName
        case nameNotAString
        /// `name` is empty or only whitespace.
        case emptyName
        /// `geometry` is absent or null.
        case missingGeometry
        /// A geometry type other than Polygon and MultiPolygon (the type as written).
        case unsupportedGeometry(String)
        /// A Polygon with no rings or a MultiPolygon with no polygons.
        case emptyGeometry
        /// Arrays nested the wrong way; the text says where.
        case malformedGeometry(String)
        /// A ring with fewer than 4 positions. `polygon` is 0 for a Polygon geometry.
        case ringTooShort(polygon: Int, ring: Int, positions: Int)
        /// A ring whose last position differs from its first.
        case ringNotClosed(polygon: Int, ring: Int)
        /// A position with an element that is not a number (a string, `null`, `true`, …).
        case nonNumericCoordinate(polygon: Int, ring: Int, position: Int)
        /// Latitude outside ±90 or longitude outside ±180.
        case coordinateOutOfRange(polygon: Int, ring: Int, position: Int, longitude: Double, latitude: Double)
    }

    public var reason: Reason
    /// The index in `features`, nil for document-level errors.
    public var featureIndex: Int?
    /// The feature's name, when the error is not about the name itself.
    public var featureName: String?

    public init(_ reason: Reason, featureIndex: Int? = nil, featureName: String? = nil) {
        self.reason = reason
        self.featureIndex = featureIndex
        self.featureName = featureName
    }

    public var description: String {
        var location = ""
        if let featureIndex {
            location = "feature \(featureIndex)"
            if let featureName { location += " (\"\(featureName)\")" }
            location += ": "
        }
        return location + reasonText
    }

    private var reasonText: String {
        func ringName(_ polygon: Int, _ ring: Int) -> String {
            "ring \(ring) of polygon \(polygon)"
        }
        switch reason {
        case .notJSON: return "not a JSON document"
        case .notFeatureCollection: return "not a GeoJSON FeatureCollection (an object with \"type\": \"FeatureCollection\" and a \"features\" array)"
        case .notAFeature: return "not a GeoJSON Feature (an object with \"type\": \"Feature\")"
        case .missingName: return "no \"name\" in \"properties\""
        case .nameNotAString: return "\"name\" is not a string"
        case .emptyName: return "\"name\" is empty"
        case .missingGeometry: return "no geometry"
        case .unsupportedGeometry(let type): return "unsupported geometry type \"\(type)\" (only Polygon and MultiPolygon)"
        case .emptyGeometry: return "the geometry has no polygons or rings"
        case .malformedGeometry(let text): return "malformed coordinates: \(text)"
        case .ringTooShort(let p, let r, let n): return "\(ringName(p, r)) has \(n) positions; a ring needs at least 4"
        case .ringNotClosed(let p, let r): return "\(ringName(p, r)) is not closed (its last position differs from its first)"
        case .nonNumericCoordinate(let p, let r, let i): return "position \(i) of \(ringName(p, r)) has a coordinate that is not a number"
        case .coordinateOutOfRange(let p, let r, let i, let lng, let lat):
            return "position \(i) of \(ringName(p, r)) is out of range: longitude \(lng), latitude \(lat) (longitude must be within ±180, latitude within ±90)"
        }
    }
}

/// Any JSON value, decoded without interpretation so that errors can name the feature they are in.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Numbers first: GeoJSON is mostly numbers. JSONDecoder does not turn `true` into a
        // number or a number into a Bool, so the order does not change the result.
        if container.decodeNil() {
            self = .null
        } else if let n = try? container.decode(Double.self) {
            self = .number(n)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else if let o = try? container.decode([String: JSONValue].self) {
            self = .object(o)
        } else {
            self = .bool(try container.decode(Bool.self))
        }
    }
}
