// Features: how fields behave on the wire and in Swift. Each descriptor may set some of them
// (`FeatureSet`, from its `features` option in an editions file); the generator resolves them
// per field, from the edition's defaults through the file, each enclosing message and the field
// itself (`ResolvedFeatures`). proto2 and proto3 files are editions with other defaults, their
// `required`, `packed`, group and proto3 `optional` spellings read as the features they stand
// for, so code generation reads only resolved features, never the file's `syntax`.

/// A field's presence: whether "not set" can be told from "set to the default".
public enum FieldPresence: Int, Sendable, Hashable {
    /// Tracked: a Swift `Optional`, written whenever set.
    case explicit = 1
    /// Left out when it holds the default; no way to tell "unset" from "default".
    case implicit = 2
    /// proto2 `required`: explicit, and a message without it is not initialized.
    case legacyRequired = 3
}

/// Whether an enum accepts numbers it does not declare.
public enum EnumType: Int, Sendable, Hashable {
    /// Every number is a value; undeclared ones are kept in the enum.
    case open = 1
    /// Undeclared numbers go to the message's unknown fields.
    case closed = 2
}

/// How a repeated scalar field is written.
public enum RepeatedEncoding: Int, Sendable, Hashable {
    /// One length-delimited run of values.
    case packed = 1
    /// One tag per value.
    case expanded = 2
}

/// Whether decoding checks that `string` fields hold UTF-8.
public enum UTF8Validation: Int, Sendable, Hashable {
    case verify = 2
    /// descriptor.proto's `NONE` (not named `none`, which an `Optional` would read as nil).
    case unverified = 3
}

/// How a message-typed field is framed.
public enum MessageEncoding: Int, Sendable, Hashable {
    /// A length, then the message.
    case lengthPrefixed = 1
    /// Between START_GROUP and END_GROUP tags, as proto2 groups.
    case delimited = 2
}

/// How strictly JSON names must be unique.
public enum JSONFormat: Int, Sendable, Hashable {
    case allow = 1
    case legacyBestEffort = 2
}

/// The features a descriptor sets itself; nil where it inherits.
public struct FeatureSet: Sendable, Hashable {
    public var fieldPresence: FieldPresence?
    public var enumType: EnumType?
    public var repeatedFieldEncoding: RepeatedEncoding?
    public var utf8Validation: UTF8Validation?
    public var messageEncoding: MessageEncoding?
    public var jsonFormat: JSONFormat?

    public init(
        fieldPresence: FieldPresence? = nil, enumType: EnumType? = nil, repeatedFieldEncoding: RepeatedEncoding? = nil,
        utf8Validation: UTF8Validation? = nil, messageEncoding: MessageEncoding? = nil, jsonFormat: JSONFormat? = nil
    ) {
        self.fieldPresence = fieldPresence
        self.enumType = enumType
        self.repeatedFieldEncoding = repeatedFieldEncoding
        self.utf8Validation = utf8Validation
        self.messageEncoding = messageEncoding
        self.jsonFormat = jsonFormat
    }
}

/// Every feature decided, for one element.
struct ResolvedFeatures: Sendable, Hashable {
    var presence: FieldPresence
    var enumType: EnumType
    var repeatedEncoding: RepeatedEncoding
    var utf8Validation: UTF8Validation
    var messageEncoding: MessageEncoding
    var jsonFormat: JSONFormat

    /// proto2's behaviour (protoc's `EDITION_LEGACY` defaults).
    static let proto2 = ResolvedFeatures(
        presence: .explicit, enumType: .closed, repeatedEncoding: .expanded, utf8Validation: .unverified,
        messageEncoding: .lengthPrefixed, jsonFormat: .legacyBestEffort
    )
    /// proto3's.
    static let proto3 = ResolvedFeatures(
        presence: .implicit, enumType: .open, repeatedEncoding: .packed, utf8Validation: .verify,
        messageEncoding: .lengthPrefixed, jsonFormat: .allow
    )
    /// Editions 2023 and 2024 (they differ only in features this generator does not read).
    static let edition2023 = ResolvedFeatures(
        presence: .explicit, enumType: .open, repeatedEncoding: .packed, utf8Validation: .verify,
        messageEncoding: .lengthPrefixed, jsonFormat: .allow
    )

    /// The editions this generator knows, as `edition = "…"` spells them.
    static let knownEditions: Set<String> = ["2023", "2024"]

    /// The file's features: its syntax's or edition's defaults under what the file sets.
    static func of(_ file: FileDescriptor) -> ResolvedFeatures {
        let base: ResolvedFeatures
        switch file.syntax {
        case "proto3": base = .proto3
        case "editions": base = .edition2023
        default: base = .proto2
        }
        return base.overridden(by: file.features)
    }

    /// These features with the ones `set` declares replacing them.
    func overridden(by set: FeatureSet) -> ResolvedFeatures {
        var r = self
        if let v = set.fieldPresence { r.presence = v }
        if let v = set.enumType { r.enumType = v }
        if let v = set.repeatedFieldEncoding { r.repeatedEncoding = v }
        if let v = set.utf8Validation { r.utf8Validation = v }
        if let v = set.messageEncoding { r.messageEncoding = v }
        if let v = set.jsonFormat { r.jsonFormat = v }
        return r
    }

    /// A field's features: these (its message's) under the field's own, with the proto2 and
    /// proto3 spellings (`required`, `[packed = …]`, `group`, proto3 `optional`) read as features.
    func field(_ f: FieldDescriptor) -> ResolvedFeatures {
        var r = overridden(by: f.features)
        if f.label == .required { r.presence = .legacyRequired }
        if f.proto3Optional { r.presence = .explicit }
        if let packed = f.packed { r.repeatedEncoding = packed ? .packed : .expanded }
        if f.type == .group { r.messageEncoding = .delimited }
        // Features that do not apply to a field's type are ignored, as protoc ignores them.
        if f.type != .message && f.type != .group { r.messageEncoding = .lengthPrefixed }
        return r
    }
}
