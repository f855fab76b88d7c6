/// Why the build plugin cannot plan the generation, with what to do about it.
enum PluginError: Error, Equatable, CustomStringConvertible {
    /// `swift-grpc-config.json` is malformed; the message says where.
    case configuration(String)
    /// No `protoc` was found; `searched` says where the plugin looked.
    case protocNotFound(searched: String)
    /// `protoc` was named (by the configuration or `PROTOC_PATH`) but is not an executable.
    case protocNotExecutable(path: String, namedBy: String)
    /// A `.proto` imports a well-known type that neither protoc's include directory nor the
    /// import paths hold.
    case wellKnownTypeMissing(proto: String, imported: String, searched: [String])
    /// The target is not a Swift target.
    case notSwiftTarget(String)
    /// A `.proto` could not be read.
    case unreadable(path: String, reason: String)

    var description: String {
        switch self {
        case .configuration(let message):
            return "\(PluginConfiguration.fileName): \(message)"
        case .protocNotFound(let searched):
            return """
                protoc, the Protocol Buffers compiler, was not found (searched \(searched)). \
                Install it (Debian and Ubuntu: apt-get install protobuf-compiler; Fedora: dnf install protobuf-compiler; \
                macOS: brew install protobuf), or name it with the PROTOC_PATH environment variable or "protocPath" \
                in \(PluginConfiguration.fileName).
                """
        case .protocNotExecutable(let path, let namedBy):
            return "\(namedBy) names \(path), which is not an executable file; point it at protoc (Debian and Ubuntu: /usr/bin/protoc from protobuf-compiler)."
        case .wellKnownTypeMissing(let proto, let imported, let searched):
            return """
                \(proto) imports "\(imported)", which is in none of \(searched.joined(separator: ", ")). \
                Install the well-known types' .proto files (Debian and Ubuntu: apt-get install libprotobuf-dev; \
                they come with protoc from Homebrew and from the protobuf releases) or add their directory to \
                "importPaths" in \(PluginConfiguration.fileName).
                """
        case .notSwiftTarget(let name):
            return "SwiftGRPCPlugin generates Swift: target '\(name)' is not a Swift target."
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        }
    }
}
