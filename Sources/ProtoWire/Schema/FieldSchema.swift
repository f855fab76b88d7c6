/// The type of a field's values, as the `.proto` declares it.
///
/// Enum and message types are named by their Swift metatype, so a schema can reach the
/// schemas of the types it refers to (`E.enumSchema`, `M.messageSchema`).
public enum FieldType: Sendable {
    case double, float, int64, uint64, int32, fixed64, fixed32, bool, string, bytes
    case uint32, sfixed32, sfixed64, sint32, sint64
    case `enum`(any ProtoEnum.Type)
    case message(any ProtoMessage.Type)
    /// A proto2 group: a message delimited by start- and end-group tags.
    case group(any ProtoMessage.Type)

    /// The message type of a message or group field, nil for every other type.
    public var messageType: (any ProtoMessage.Type)? {
        switch self {
        case .message(let type), .group(let type): type
        default: nil
        }
    }

    /// The enum type of an enum field, nil for every other type.
    public var enumType: (any ProtoEnum.Type)? {
        if case .enum(let type) = self { return type }
        return nil
    }
}

/// How many values a field holds and how its presence is tracked.
public enum FieldCardinality: Sendable {
    /// A singular field without presence (proto3's default): the zero value is not written.
    case implicit
    /// A singular field with explicit presence (`optional`, proto2 fields, message fields).
    case optional
    /// A proto2 `required` field.
    case required
    /// A repeated field written one value per tag.
    case repeated
    /// A repeated field written as one length-delimited run.
    case packed
    /// A map field; the field's `type` is the map's value type.
    case map(key: FieldType)
}

/// One field of a message's schema: what the text formats, the JSON mapping and runtime
/// descriptors need to know about it beyond the Swift property that holds it.
public struct FieldSchema: Sendable {
    /// The field number, 1 ... 536,870,911.
    public let number: Int
    /// The name declared in the `.proto` (`page_number`); the text format's name for the field.
    public let name: String
    /// The JSON name: `json_name` when the `.proto` sets one, else the lowerCamelCase form of
    /// `name` as protoc derives it (`pageNumber`).
    public let jsonName: String
    /// The type of the values (for a map, of the map's values).
    public let type: FieldType
    public let cardinality: FieldCardinality
    /// The index of the oneof that holds the field in `MessageSchema.oneofs`, or nil.
    public let oneofIndex: Int?

    /// A field with any combination of properties; the static constructors below are shorter.
    public init(
        number: Int, name: String, jsonName: String? = nil, type: FieldType, cardinality: FieldCardinality,
        oneofIndex: Int? = nil
    ) {
        self.number = number
        self.name = name
        self.jsonName = jsonName ?? FieldSchema.jsonName(forProtoName: name)
        self.type = type
        self.cardinality = cardinality
        self.oneofIndex = oneofIndex
    }

    /// A singular field without presence.
    public static func implicit(_ number: Int, _ name: String, _ type: FieldType, json: String? = nil) -> FieldSchema {
        FieldSchema(number: number, name: name, jsonName: json, type: type, cardinality: .implicit)
    }

    /// A singular field with explicit presence.
    public static func optional(_ number: Int, _ name: String, _ type: FieldType, json: String? = nil) -> FieldSchema {
        FieldSchema(number: number, name: name, jsonName: json, type: type, cardinality: .optional)
    }

    /// A proto2 `required` field.
    public static func required(_ number: Int, _ name: String, _ type: FieldType, json: String? = nil) -> FieldSchema {
        FieldSchema(number: number, name: name, jsonName: json, type: type, cardinality: .required)
    }

    /// A repeated field written one value per tag.
    public static func repeated(_ number: Int, _ name: String, _ type: FieldType, json: String? = nil) -> FieldSchema {
        FieldSchema(number: number, name: name, jsonName: json, type: type, cardinality: .repeated)
    }

    /// A repeated field written as one packed run.
    public static func packed(_ number: Int, _ name: String, _ type: FieldType, json: String? = nil) -> FieldSchema {
        FieldSchema(number: number, name: name, jsonName: json, type: type, cardinality: .packed)
    }

    /// A map field from `key` to `value`.
    public static func map(
        _ number: Int, _ name: String, _ key: FieldType, _ value: FieldType, json: String? = nil
    ) -> FieldSchema {
        FieldSchema(number: number, name: name, jsonName: json, type: value, cardinality: .map(key: key))
    }

    /// A member of the oneof at `oneof` in `MessageSchema.oneofs`.
    public static func oneof(
        _ oneof: Int, _ number: Int, _ name: String, _ type: FieldType, json: String? = nil
    ) -> FieldSchema {
        FieldSchema(number: number, name: name, jsonName: json, type: type, cardinality: .optional, oneofIndex: oneof)
    }

    /// Whether the field holds a list of values.
    public var isRepeated: Bool {
        switch cardinality {
        case .repeated, .packed: true
        default: false
        }
    }

    /// Whether the field is a map.
    public var isMap: Bool {
        if case .map = cardinality { return true }
        return false
    }

    /// The JSON name protoc derives from a field name: underscores are dropped and the
    /// character after each is uppercased (`field_0_name6` → `field0Name6`, `_a` → `A`).
    public static func jsonName(forProtoName name: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        var capitalizeNext = false
        for byte in name.utf8 {
            if byte == UInt8(ascii: "_") {
                capitalizeNext = true
            } else if capitalizeNext {
                out.append(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte)
                capitalizeNext = false
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
