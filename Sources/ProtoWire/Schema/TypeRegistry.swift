/// Message types by full name, for `google.protobuf.Any`.
///
/// An `Any` holds a type URL and wire bytes. Writing it as JSON (`{"@type": …, fields…}`) or in
/// the text format's expanded form (`[type.googleapis.com/pkg.Msg] { … }`), and reading those
/// forms back, needs the Swift type the URL names. The runtime looks in, in order:
/// the registry passed in the options, the well-known types, and the process-wide
/// `TypeRegistry.shared`, into which applications (and generated code's registration lists)
/// put their types at startup.
///
/// Registering a type also registers every message type reachable through its fields, so
/// registering a request type is enough for the messages nested in it.
public struct TypeRegistry: Sendable {
    /// Nil until a type is registered: an empty registry (every options value has one) costs
    /// nothing to make.
    private var types: [String: any ProtoMessage.Type]?

    /// An empty registry: the well-known and the shared types only.
    public init() {}

    /// A registry holding `types` and the types reachable through their fields.
    public init(_ types: [any ProtoMessage.Type]) {
        for t in types { register(t) }
    }

    /// Adds `type` and every message type reachable through its fields. A name registered
    /// already keeps its first type.
    public mutating func register(_ type: any ProtoMessage.Type) {
        var pending: [any ProtoMessage.Type] = [type]
        var types = self.types ?? [:]
        defer { self.types = types }
        while let next = pending.popLast() {
            let name = next.protoMessageName
            if types[name] != nil { continue }
            types[name] = next
            for field in next.messageSchema.fields {
                if let nested = field.type.messageType { pending.append(nested) }
            }
        }
    }

    /// The types this registry holds itself (not the well-known or shared ones), by name.
    public var registeredNames: [String] { (types ?? [:]).keys.sorted() }

    /// The type with full name `name` (`pkg.Msg`), from this registry, the well-known types, or
    /// the shared registry; nil when none has it.
    public func messageType(named name: String) -> (any ProtoMessage.Type)? {
        if let t = types?[name] { return t }
        if let t = TypeRegistry.wellKnownTypes[name] { return t }
        return TypeRegistry.sharedTypes.withLock { $0.types?[name] }
    }

    /// The type a type URL names: the part after its last `/` is the full name
    /// (`type.googleapis.com/pkg.Msg` → `pkg.Msg`).
    public func messageType(forTypeURL url: String) -> (any ProtoMessage.Type)? {
        messageType(named: TypeRegistry.typeName(fromURL: url))
    }

    /// The full message name in a type URL: everything after the last `/`, or the whole URL.
    static func typeName(fromURL url: String) -> String {
        guard let slash = url.utf8.lastIndex(of: UInt8(ascii: "/")) else { return url }
        return String(url[url.utf8.index(after: slash)...])
    }

    private static let sharedTypes = Locked(TypeRegistry())

    /// A copy of the process-wide registry.
    public static var shared: TypeRegistry { sharedTypes.withLock { $0 } }

    /// Adds `types` (and the types reachable through their fields) to the process-wide registry,
    /// which every JSON and text-format operation consults for `Any`.
    public static func registerShared(_ types: [any ProtoMessage.Type]) {
        sharedTypes.withLock { registry in
            for t in types { registry.register(t) }
        }
    }

    /// The well-known message types, always known.
    static let wellKnownTypes: [String: any ProtoMessage.Type] = {
        let all: [any ProtoMessage.Type] = [
            Google_Protobuf_Any.self, Google_Protobuf_Api.self, Google_Protobuf_Method.self, Google_Protobuf_Mixin.self,
            Google_Protobuf_Duration.self, Google_Protobuf_Empty.self, Google_Protobuf_FieldMask.self,
            Google_Protobuf_SourceContext.self, Google_Protobuf_Struct.self, Google_Protobuf_Value.self,
            Google_Protobuf_ListValue.self, Google_Protobuf_Timestamp.self, Google_Protobuf_Type.self,
            Google_Protobuf_Field.self, Google_Protobuf_Enum.self, Google_Protobuf_EnumValue.self,
            Google_Protobuf_Option.self, Google_Protobuf_DoubleValue.self, Google_Protobuf_FloatValue.self,
            Google_Protobuf_Int64Value.self, Google_Protobuf_UInt64Value.self, Google_Protobuf_Int32Value.self,
            Google_Protobuf_UInt32Value.self, Google_Protobuf_BoolValue.self, Google_Protobuf_StringValue.self,
            Google_Protobuf_BytesValue.self,
        ]
        return Dictionary(all.map { ($0.protoMessageName, $0) }, uniquingKeysWith: { first, _ in first })
    }()
}
