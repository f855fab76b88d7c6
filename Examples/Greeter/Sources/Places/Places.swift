import Geometry

// Places holds the types generated from places.proto; their `geometry.Point` fields are
// Geometry's `Geometry_Point`, which the generated code imports through the module mapping.
extension Places_Place {
    /// A place at a latitude and longitude.
    public init(name: String, latitude: Double, longitude: Double) {
        self.init(name: name, location: Geometry_Point(latitude: latitude, longitude: longitude))
    }
}
