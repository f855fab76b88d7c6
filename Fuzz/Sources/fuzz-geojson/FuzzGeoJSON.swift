// The fuzz target: the search example's GeoJSON loading, then the place index built from
// what loads, queried at every vertex. GeoJSON.swift, Geometry.swift and PlaceIndex.swift are
// linked into this folder from Examples/Search/Sources/SearchService/Geo.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

func fuzzGeoJSON(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = Data(UnsafeRawBufferPointer(start: start, count: count))
    let places: [Place]
    do {
        places = try GeoJSON.places(from: data)
    } catch {
        _ = error.description
        return 0
    }
    let index = PlaceIndex(places)
    for place in places {
        for polygon in place.polygons {
            for point in polygon.outer.prefix(16) {
                _ = index.places(containing: point)
            }
        }
    }
    return 0
}
