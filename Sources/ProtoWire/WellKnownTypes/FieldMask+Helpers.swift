// Hand-written conveniences for google.protobuf.FieldMask. Not generated: edit freely.

extension Google_Protobuf_FieldMask {
    /// Creates a mask from paths written out one by one: `FieldMask(paths: "name", "address.city")`.
    /// (An array still goes to the generated `init(paths:)`.)
    public init(paths: String...) {
        self.init(paths: paths)
    }

    /// Creates a mask with the given paths, in order.
    public init(_ paths: [String]) {
        self.init(paths: paths)
    }

    /// Whether `path` is covered by the mask: it is listed itself, or one of its
    /// ancestors is. A mask listing `"a.b"` covers `"a.b"` and `"a.b.c"`, but not `"a"`
    /// and not `"a.bc"`.
    public func contains(path: String) -> Bool {
        paths.contains { listed in
            path == listed || path.hasPrefix(listed + ".")
        }
    }
}
