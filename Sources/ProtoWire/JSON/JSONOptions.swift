/// How a message is written as JSON.
public struct JSONEncodingOptions: Sendable {
    /// Write fields without presence even when they hold their default (`0`, `""`, `[]`, `{}`).
    /// Fields with presence (`optional`, messages, oneof members) are written only when set,
    /// as the JSON mapping prescribes.
    public var alwaysPrintFieldsWithoutPresence = false
    /// Use each field's `.proto` name (`page_number`) instead of its JSON name (`pageNumber`).
    public var preserveProtoFieldNames = false
    /// Write enum values as numbers instead of names.
    public var enumsAsIntegers = false
    /// Types for `google.protobuf.Any`, looked up before the well-known and the shared ones.
    public var typeRegistry = TypeRegistry()
    /// Extensions written as `"[pkg.ext]": value`; other unknown fields are left out of JSON.
    public var extensions = ExtensionRegistry()

    public init(
        alwaysPrintFieldsWithoutPresence: Bool = false, preserveProtoFieldNames: Bool = false,
        enumsAsIntegers: Bool = false, typeRegistry: TypeRegistry = TypeRegistry(),
        extensions: ExtensionRegistry = ExtensionRegistry()
    ) {
        self.extensions = extensions
        self.alwaysPrintFieldsWithoutPresence = alwaysPrintFieldsWithoutPresence
        self.preserveProtoFieldNames = preserveProtoFieldNames
        self.enumsAsIntegers = enumsAsIntegers
        self.typeRegistry = typeRegistry
    }
}

/// How JSON is read into a message.
public struct JSONDecodingOptions: Sendable {
    /// Skip members that are not fields of the message, and enum names the enum does not
    /// declare (the field is left unset, the list element or map entry dropped), instead of
    /// failing.
    public var ignoreUnknownFields = false
    /// Types for `google.protobuf.Any`, looked up before the well-known and the shared ones.
    public var typeRegistry = TypeRegistry()
    /// Extensions read from `"[pkg.ext]": value` members into the message's unknown fields.
    public var extensions = ExtensionRegistry()

    public init(ignoreUnknownFields: Bool = false, typeRegistry: TypeRegistry = TypeRegistry(), extensions: ExtensionRegistry = ExtensionRegistry()) {
        self.extensions = extensions
        self.ignoreUnknownFields = ignoreUnknownFields
        self.typeRegistry = typeRegistry
    }
}
