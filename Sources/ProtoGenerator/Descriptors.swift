// The generator's input: a neutral copy of the parts of `descriptor.proto` it reads, and
// nothing else. The plugin fills these from a CodeGeneratorRequest; tests build them directly.
// Nothing here knows about the wire format.

/// Everything protoc hands the plugin for one run.
public struct GeneratorRequest: Sendable, Hashable {
    /// Every file in the request, dependencies first.
    public var files: [FileDescriptor]
    /// The names of the files to write Swift for.
    public var filesToGenerate: [String]
    /// The text after `--swift-grpc_opt=` (`key=value` pairs separated by commas).
    public var parameter: String
    /// The modules that hold imported files' types, read from the file that the
    /// `ProtoPathModuleMappings` option names.
    public var moduleMappings: ModuleMappings

    public init(files: [FileDescriptor], filesToGenerate: [String], parameter: String = "", moduleMappings: ModuleMappings = ModuleMappings()) {
        self.moduleMappings = moduleMappings
        self.files = files
        self.filesToGenerate = filesToGenerate
        self.parameter = parameter
    }
}

/// Leading and trailing comments from the `.proto`, as protoc reports them.
public struct Comments: Sendable, Hashable {
    public var leading: String
    public var trailing: String

    public init(leading: String = "", trailing: String = "") {
        self.leading = leading
        self.trailing = trailing
    }
}

/// A `.proto` file.
public struct FileDescriptor: Sendable, Hashable {
    /// The path protoc knows the file by, such as `google/protobuf/timestamp.proto`.
    public var name: String
    public var package: String
    /// `proto2`, `proto3` or `editions`.
    public var syntax: String
    /// The edition of an `editions` file, such as `2023`; empty otherwise.
    public var edition: String
    public var messages: [MessageDescriptor]
    public var enums: [EnumDescriptor]
    public var services: [ServiceDescriptor]
    /// Top-level `extend` fields.
    public var extensions: [FieldDescriptor]
    /// The `swift_prefix` file option, if set.
    public var swiftPrefix: String?
    /// The files this one imports, by name.
    public var dependencies: [String]
    /// The imports that are `import public`: their types are visible to whoever imports this file.
    public var publicDependencies: [String]
    /// The features the file sets (`option features.… = …;`).
    public var features: FeatureSet
    /// The custom options set on the file.
    public var options: CustomOptions
    /// The file's `FileDescriptorProto` as encoded bytes, without `source_code_info`: what
    /// generated code embeds for reflection. Empty leaves the descriptor out of generated code.
    public var serializedDescriptor: [UInt8] = []

    public init(
        name: String, package: String = "", syntax: String = "proto3", edition: String = "",
        messages: [MessageDescriptor] = [], enums: [EnumDescriptor] = [],
        services: [ServiceDescriptor] = [], extensions: [FieldDescriptor] = [], swiftPrefix: String? = nil,
        dependencies: [String] = [], publicDependencies: [String] = [], features: FeatureSet = FeatureSet(),
        options: CustomOptions = CustomOptions()
    ) {
        self.options = options
        self.dependencies = dependencies
        self.publicDependencies = publicDependencies
        self.name = name
        self.package = package
        self.syntax = syntax
        self.edition = edition
        self.messages = messages
        self.enums = enums
        self.services = services
        self.extensions = extensions
        self.swiftPrefix = swiftPrefix
        self.features = features
    }
}

/// A `message`.
public struct MessageDescriptor: Sendable, Hashable {
    public var name: String
    public var fields: [FieldDescriptor]
    /// Oneofs in declaration order; `FieldDescriptor.oneofIndex` points here.
    public var oneofs: [OneofDescriptor]
    public var messages: [MessageDescriptor]
    public var enums: [EnumDescriptor]
    /// `extend` fields declared inside this message.
    public var extensions: [FieldDescriptor]
    /// The field numbers `extensions … to …` reserves for other files' `extend` fields.
    public var extensionRanges: [Range<Int>]
    /// True for the synthetic entry type protoc makes for a `map<K, V>` field.
    public var isMapEntry: Bool
    /// True for a MessageSet (`option message_set_wire_format = true;`): no fields, its
    /// extensions written as items of group 1.
    public var isMessageSet: Bool
    public var comments: Comments
    /// The features the message sets for its fields and nested types.
    public var features: FeatureSet
    /// The custom options set on the message.
    public var options: CustomOptions

    public init(
        name: String, fields: [FieldDescriptor] = [], oneofs: [OneofDescriptor] = [],
        messages: [MessageDescriptor] = [], enums: [EnumDescriptor] = [], extensions: [FieldDescriptor] = [],
        isMapEntry: Bool = false, comments: Comments = Comments(), features: FeatureSet = FeatureSet(),
        extensionRanges: [Range<Int>] = [], options: CustomOptions = CustomOptions(), isMessageSet: Bool = false
    ) {
        self.isMessageSet = isMessageSet
        self.extensionRanges = extensionRanges
        self.options = options
        self.name = name
        self.fields = fields
        self.oneofs = oneofs
        self.messages = messages
        self.enums = enums
        self.extensions = extensions
        self.isMapEntry = isMapEntry
        self.comments = comments
        self.features = features
    }
}

/// A `oneof`.
public struct OneofDescriptor: Sendable, Hashable {
    public var name: String
    public var comments: Comments
    /// The features the oneof sets for its members.
    public var features: FeatureSet

    public init(name: String, comments: Comments = Comments(), features: FeatureSet = FeatureSet()) {
        self.name = name
        self.comments = comments
        self.features = features
    }
}

/// A field of a message.
public struct FieldDescriptor: Sendable, Hashable {
    public enum Label: Sendable, Hashable { case optional, required, repeated }

    /// The field types of `FieldDescriptorProto.Type`.
    public enum FieldType: Int, Sendable, Hashable {
        case double = 1, float, int64, uint64, int32, fixed64, fixed32, bool, string, group, message, bytes
        case uint32, `enum`, sfixed32, sfixed64, sint32, sint64
    }

    public var name: String
    public var number: Int
    public var label: Label
    public var type: FieldType
    /// The fully qualified type of a message or enum field, such as `.pkg.Outer.Inner`.
    public var typeName: String
    public var oneofIndex: Int?
    /// A proto3 `optional` field; its oneof is synthetic.
    public var proto3Optional: Bool
    /// The `packed` option when written out.
    public var packed: Bool?
    /// The JSON name protoc computed or `json_name` set; nil when the request leaves it out.
    public var jsonName: String?
    /// The declared `[default = …]` as protoc writes it: numbers in decimal, `inf`, `-inf` and
    /// `nan`, `true` and `false`, an enum value's name, a string's text as is and bytes C-escaped.
    public var defaultValue: String?
    public var comments: Comments
    /// The features the field sets itself (`[features.… = …]`).
    public var features: FeatureSet
    /// For an `extend` field, the fully qualified message it extends, such as
    /// `.google.protobuf.MethodOptions`; empty for a message's own field.
    public var extendee: String
    /// The custom options set on the field.
    public var options: CustomOptions

    public init(
        name: String, number: Int, label: Label = .optional, type: FieldType, typeName: String = "",
        oneofIndex: Int? = nil, proto3Optional: Bool = false, packed: Bool? = nil, jsonName: String? = nil,
        defaultValue: String? = nil, comments: Comments = Comments(), features: FeatureSet = FeatureSet(),
        extendee: String = "", options: CustomOptions = CustomOptions()
    ) {
        self.extendee = extendee
        self.options = options
        self.jsonName = jsonName
        self.defaultValue = defaultValue
        self.name = name
        self.number = number
        self.label = label
        self.type = type
        self.typeName = typeName
        self.oneofIndex = oneofIndex
        self.proto3Optional = proto3Optional
        self.packed = packed
        self.comments = comments
        self.features = features
    }
}

/// An `enum`.
public struct EnumDescriptor: Sendable, Hashable {
    /// One declared value.
    public struct Value: Sendable, Hashable {
        public var name: String
        public var number: Int32
        public var comments: Comments

        public init(name: String, number: Int32, comments: Comments = Comments()) {
            self.name = name
            self.number = number
            self.comments = comments
        }
    }

    public var name: String
    public var values: [Value]
    public var comments: Comments
    /// The features the enum sets (`enum_type`, open or closed).
    public var features: FeatureSet
    /// The custom options set on the enum.
    public var options: CustomOptions

    public init(
        name: String, values: [Value], comments: Comments = Comments(), features: FeatureSet = FeatureSet(),
        options: CustomOptions = CustomOptions()
    ) {
        self.options = options
        self.name = name
        self.values = values
        self.comments = comments
        self.features = features
    }
}

/// A `service`.
public struct ServiceDescriptor: Sendable, Hashable {
    /// One `rpc`.
    public struct Method: Sendable, Hashable {
        public var name: String
        /// The fully qualified request type, such as `.pkg.Request`.
        public var inputType: String
        public var outputType: String
        public var clientStreaming: Bool
        public var serverStreaming: Bool
        public var comments: Comments
        /// The custom options set on the method, such as `google.api.http`.
        public var options: CustomOptions

        public init(
            name: String, inputType: String, outputType: String,
            clientStreaming: Bool = false, serverStreaming: Bool = false, comments: Comments = Comments(),
            options: CustomOptions = CustomOptions()
        ) {
            self.options = options
            self.name = name
            self.inputType = inputType
            self.outputType = outputType
            self.clientStreaming = clientStreaming
            self.serverStreaming = serverStreaming
            self.comments = comments
        }
    }

    public var name: String
    public var methods: [Method]
    public var comments: Comments
    /// The custom options set on the service.
    public var options: CustomOptions

    public init(name: String, methods: [Method] = [], comments: Comments = Comments(), options: CustomOptions = CustomOptions()) {
        self.options = options
        self.name = name
        self.methods = methods
        self.comments = comments
    }
}
