/// Options given as `--swift-grpc_opt=Key=Value,Key=Value`, parsed once: keys and values are
/// matched without regard to case, and an unknown key or value is an error naming what is known.
public struct GeneratorOptions: Sendable, Hashable {
    /// The access level of everything generated.
    public enum Visibility: String, Sendable, Hashable, CaseIterable {
        case `public`, package, `internal`
    }

    /// How output files are named from `.proto` paths.
    public enum FileNaming: String, Sendable, Hashable, CaseIterable {
        /// `a/b/c.proto` → `a/b/c.pb.swift`.
        case fullPath = "FullPath"
        /// `a/b/c.proto` → `a_b_c.pb.swift`.
        case pathToUnderscores = "PathToUnderscores"
        /// `a/b/c.proto` → `c.pb.swift`.
        case dropPath = "DropPath"
    }

    /// The option names, as documented.
    enum Key: String, CaseIterable {
        case visibility = "Visibility", fileNaming = "FileNaming", messages = "Messages", services = "Services"
        case importRuntime = "ImportRuntime", importGRPCRuntime = "ImportGRPCRuntime"
        case protoPathModuleMappings = "ProtoPathModuleMappings"
        case reflection = "Reflection"
    }

    public var visibility = Visibility.public
    public var fileNaming = FileNaming.fullPath
    /// Whether to write message types (`.pb.swift`).
    public var messages = true
    /// Whether to write service code (`.grpc.swift`) for files that declare services.
    public var services = true
    /// Whether generated files `import ProtoWire`; false when generating into the runtime itself.
    public var importRuntime = true
    /// Whether service files `import GRPCRuntime`; false when generating into the RPC runtime itself.
    public var importGRPCRuntime = true
    /// The module-mappings file (`ProtoPathModuleMappings=FILE`): which modules hold the types of
    /// imported `.proto` files. The plugin reads it and hands it over in the request.
    public var moduleMappingsPath: String?
    /// Whether each `.pb.swift` embeds its file's serialized descriptor (a
    /// `SerializedFileDescriptor`), which server reflection serves, and each service names it.
    public var reflection = true

    public init() {}

    public init(parameter: String) throws(GeneratorError) {
        for pair in parameter.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingBlanks() }
            let name = parts[0]
            let value = parts.count > 1 ? parts[1] : ""
            guard let key = Key.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                let known = Key.allCases.map(\.rawValue).joined(separator: ", ")
                throw GeneratorError(file: "", element: name, message: "unknown option (known: \(known))")
            }
            switch key {
            case .visibility: visibility = try Self.choice(value, key)
            case .fileNaming: fileNaming = try Self.choice(value, key)
            case .messages: messages = try Self.flag(value, key)
            case .services: services = try Self.flag(value, key)
            case .importRuntime: importRuntime = try Self.flag(value, key)
            case .importGRPCRuntime: importGRPCRuntime = try Self.flag(value, key)
            case .reflection: reflection = try Self.flag(value, key)
            case .protoPathModuleMappings:
                guard !value.isEmpty else { throw GeneratorError(file: "", element: key.rawValue, message: "needs a file path") }
                moduleMappingsPath = value
            }
        }
    }

    private static func choice<T: RawRepresentable & CaseIterable>(_ value: String, _ key: Key) throws(GeneratorError) -> T
    where T.RawValue == String {
        if let v = T.allCases.first(where: { $0.rawValue.lowercased() == value.lowercased() }) { return v }
        let names = T.allCases.map(\.rawValue)
        let list = names.dropLast().joined(separator: ", ") + " or " + names.last!
        throw GeneratorError(file: "", element: key.rawValue, message: "must be \(list), not '\(value)'")
    }

    private static func flag(_ value: String, _ key: Key) throws(GeneratorError) -> Bool {
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default: throw GeneratorError(file: "", element: key.rawValue, message: "must be true or false, not '\(value)'")
        }
    }

    /// The access modifier that starts every generated declaration: `public `, `package ` or nothing.
    var accessPrefix: String { visibility == .internal ? "" : visibility.rawValue + " " }
}
