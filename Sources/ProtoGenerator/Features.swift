// Field features, resolved per field from the file's defaults and the field's own
// declaration. Code generation reads only these, never the file's `syntax`, so
// proto2, proto3 and editions are the same machine with other defaults.

/// How a file's fields behave unless a field says otherwise.
struct FeatureDefaults: Sendable, Hashable {
    var presence: Presence
    var enumType: EnumType
    var repeatedEncoding: RepeatedEncoding
    var utf8Validation: UTF8Validation

    static let proto2 = FeatureDefaults(presence: .explicit, enumType: .closed, repeatedEncoding: .expanded, utf8Validation: .none)
    static let proto3 = FeatureDefaults(presence: .implicit, enumType: .open, repeatedEncoding: .packed, utf8Validation: .verify)

    static func of(_ file: FileDescriptor) -> FeatureDefaults {
        file.syntax == "proto3" ? .proto3 : .proto2
    }
}

enum Presence: Sendable, Hashable {
    /// Left out when it holds the default; no way to tell "unset" from "default".
    case implicit
    /// Tracked: a Swift `Optional`.
    case explicit
}

enum EnumType: Sendable, Hashable {
    /// Every number is a value; undeclared ones are kept in the enum.
    case open
    /// Undeclared numbers go to the message's unknown fields.
    case closed
}

enum RepeatedEncoding: Sendable, Hashable { case packed, expanded }

enum UTF8Validation: Sendable, Hashable { case verify, none }
