/// A message type's field table: every field's number, `.proto` name, JSON name, type and
/// cardinality, and its oneofs.
///
/// Generated code builds one per message type, once, as a `static let`, from a field table in
/// text (see `init(for:fields:messages:enums:oneofs:)`), which compiles to far less code than
/// the equivalent array of `FieldSchema` values that hand-written code may use instead:
///
///     public static let messageSchema = MessageSchema(for: Self.self, oneofs: ["choice"], fields: [
///         .implicit(1, "query", .string),
///         .repeated(3, "tags", .string),
///         .optional(5, "origin", .message(Point.self)),
///         .oneof(0, 6, "name", .string),
///     ])
///
/// The JSON writer and reader, the text format and `description` work from the schema together
/// with the message's `visitFields(_:)` and `decodeField(_:from:)`; descriptors built at run time
/// start from it too. The lookups those need (field by number, by `.proto` name, by JSON name, the
/// JSON keys already escaped) are built here, once, so that each encode or decode only reads them.
public final class MessageSchema: @unchecked Sendable {
    /// The fully qualified name from the `.proto`, such as `google.protobuf.Timestamp`.
    public let messageName: String
    /// The Swift type the schema describes.
    public let messageType: any ProtoMessage.Type
    /// The fields in field-number order.
    public let fields: [FieldSchema]
    /// The names of the message's oneofs; `FieldSchema.oneofIndex` indexes this list.
    public let oneofs: [String]
    /// `fields.count` and `oneofs.count`, kept apart for the readers' loops.
    let fieldCount: Int
    let oneofCount: Int

    /// Set for the well-known types whose JSON form is not an object of their fields.
    let wellKnown: WellKnownType?
    /// True for a type generated before schemas existed: its fields are not known.
    let isOpaque: Bool
    /// Field index + 1 by field number, for numbers below `denseCount`; numbers at or above it
    /// are found by binary search in `numbers`.
    private let denseIndex: UnsafeMutablePointer<UInt16>
    private let denseCount: Int
    /// `fields[i].number`, in order.
    let numbers: UnsafeMutablePointer<Int>
    /// `fields[i].oneofIndex ?? -1`.
    let oneofOf: UnsafeMutablePointer<Int>
    /// JSON names and `.proto` names → field index, for the JSON reader.
    let jsonNames: NameTable
    /// `.proto` names (a group's type name too) → field index, for the text format.
    let textNames: NameTable
    /// Each field's `"jsonName":` and `"proto_name":`, ready to copy into JSON output.
    let jsonKeys: KeyBytes
    let protoKeys: KeyBytes
    /// Each field's JSON name unescaped, to check a key against the field expected next.
    let jsonNameBytes: KeyBytes
    /// Each field's name in the text format: the `.proto` name, a group's type name.
    let textNamesByIndex: [String]
    /// Whether JSON `null` is a value of the field (`google.protobuf.Value`, `NullValue`)
    /// rather than "the field is absent".
    let acceptsJSONNull: UnsafeMutablePointer<Bool>

    /// Builds the schema of `type` from its fields, in any order (they are sorted by number).
    /// `messageName` defaults to `type.protoMessageName`.
    public init<M: ProtoMessage>(for type: M.Type, oneofs: [String] = [], fields: [FieldSchema]) {
        self.messageName = M.protoMessageName
        self.messageType = type
        self.oneofs = oneofs
        let sorted = fields.sorted { $0.number < $1.number }
        self.fields = sorted
        self.fieldCount = sorted.count
        self.oneofCount = oneofs.count
        self.wellKnown = WellKnownType(type)
        self.isOpaque = false
        self.numbers = .copy(sorted.map(\.number))
        self.oneofOf = .copy(sorted.map { $0.oneofIndex ?? -1 })
        // Dense for the numbers up to 4 × count + 64 (all of them, usually), when the field
        // count fits the 16-bit entries.
        let denseLimit = sorted.count < Int(UInt16.max) ? 4 * sorted.count + 64 : 0
        var dense = [UInt16](repeating: 0, count: denseLimit)
        for (i, f) in sorted.enumerated() where f.number >= 0 && f.number < denseLimit { dense[f.number] = UInt16(i + 1) }
        self.denseIndex = .copy(dense)
        self.denseCount = denseLimit
        var json: [(name: String, value: Int)] = []
        var text: [(name: String, value: Int)] = []
        var textNamesByIndex: [String] = []
        for (i, f) in sorted.enumerated() {
            json.append((f.jsonName, i))
            let textName: String
            if case .group(let groupType) = f.type {
                // Groups are written with their type's name (`Data`, not `data`).
                let full = groupType.protoMessageName
                textName = full.split(separator: ".").last.map(String.init) ?? f.name
            } else {
                textName = f.name
            }
            textNamesByIndex.append(textName)
            text.append((textName, i))
        }
        for (i, f) in sorted.enumerated() {
            json.append((f.name, i))
            if textNamesByIndex[i] != f.name { text.append((f.name, i)) }
        }
        self.jsonNames = NameTable(json)
        self.textNames = NameTable(text)
        self.textNamesByIndex = textNamesByIndex
        self.jsonKeys = KeyBytes(sorted.map { JSONKey.encoded($0.jsonName) })
        self.protoKeys = KeyBytes(sorted.map { JSONKey.encoded($0.name) })
        self.jsonNameBytes = KeyBytes(sorted.map { Array($0.jsonName.utf8) })
        self.acceptsJSONNull = .copy(sorted.map { field in
            if field.isRepeated || field.isMap { return false }
            switch field.type {
            case .message(let t): return ObjectIdentifier(t) == ObjectIdentifier(Google_Protobuf_Value.self)
            case .enum(let t): return ObjectIdentifier(t) == ObjectIdentifier(Google_Protobuf_NullValue.self)
            default: return false
            }
        })
    }

    deinit {
        denseIndex.deallocate()
        numbers.deallocate()
        oneofOf.deallocate()
        acceptsJSONNull.deallocate()
        jsonKeys.deallocate()
        protoKeys.deallocate()
        jsonNameBytes.deallocate()
    }

    /// The schema of a type whose fields are unknown (generated before schemas existed).
    private init(opaque type: any ProtoMessage.Type) {
        self.messageName = type.protoMessageName
        self.messageType = type
        self.fields = []
        self.oneofs = []
        self.fieldCount = 0
        self.oneofCount = 0
        self.wellKnown = nil
        self.isOpaque = true
        self.denseIndex = .copy([])
        self.denseCount = 0
        self.numbers = .copy([])
        self.oneofOf = .copy([])
        self.jsonNames = NameTable([])
        self.textNames = NameTable([])
        self.jsonKeys = KeyBytes([])
        self.protoKeys = KeyBytes([])
        self.jsonNameBytes = KeyBytes([])
        self.textNamesByIndex = []
        self.acceptsJSONNull = .copy([])
    }

    private static let opaqueSchemas = Locked<[ObjectIdentifier: MessageSchema]>([:])

    /// The shared opaque schema of `type`, made on first use.
    static func opaque(for type: any ProtoMessage.Type) -> MessageSchema {
        opaqueSchemas.withLock { cache in
            if let s = cache[ObjectIdentifier(type)] { return s }
            let s = MessageSchema(opaque: type)
            cache[ObjectIdentifier(type)] = s
            return s
        }
    }

    /// Whether the type's fields are known: false for a type generated before schemas existed,
    /// whose messages can be written only as unknown fields.
    public var hasFields: Bool { !isOpaque }

    /// The index in `fields` of the field numbered `number`, or nil.
    @inline(__always)
    func index(ofNumber number: Int) -> Int? {
        lookup.index(ofNumber: number)
    }

    /// The number-to-index table as a value of raw pointers, for writers to keep while they
    /// write a message (reading it through the schema would retain the schema per field).
    var lookup: FieldLookup {
        FieldLookup(denseIndex: denseIndex, denseCount: denseCount, numbers: numbers, count: fields.count)
    }

    /// The field numbered `number`, or nil.
    public func field(number: Int) -> FieldSchema? {
        index(ofNumber: number).map { fields[$0] }
    }

    /// The field with this `.proto` name, or nil.
    public func field(named name: String) -> FieldSchema? {
        textNames.lookup(name).map { fields[$0] }
    }

    /// The field with this JSON name (or, as JSON parsers accept, this `.proto` name), or nil.
    public func field(jsonName name: String) -> FieldSchema? {
        jsonNames.lookup(name).map { fields[$0] }
    }
}

/// A schema's number-to-index table: raw pointers into the schema's memory, valid while the
/// schema lives.
struct FieldLookup {
    let denseIndex: UnsafeMutablePointer<UInt16>
    let denseCount: Int
    let numbers: UnsafeMutablePointer<Int>
    let count: Int

    @inline(__always)
    func index(ofNumber number: Int) -> Int? {
        if number >= 0 && number < denseCount {
            let i = Int(denseIndex[number])
            return i == 0 ? nil : i - 1
        }
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if numbers[mid] < number { low = mid + 1 } else { high = mid }
        }
        return low < count && numbers[low] == number ? low : nil
    }
}

/// Byte strings stored back to back in memory its owner frees (`deallocate()`), read by index.
struct KeyBytes {
    private let bytes: UnsafeMutableRawPointer
    private let starts: UnsafeMutablePointer<Int>

    init(_ keys: [[UInt8]]) {
        var all: [UInt8] = []
        var starts = [0]
        for k in keys {
            all.append(contentsOf: k)
            starts.append(all.count)
        }
        let storage = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(all.count, 1), alignment: 1)
        all.withUnsafeBytes { if let b = $0.baseAddress { storage.copyMemory(from: b, byteCount: $0.count) } }
        self.bytes = storage
        self.starts = .copy(starts)
    }

    /// The bytes of entry `i`, valid while the owner lives.
    @inline(__always)
    subscript(i: Int) -> UnsafeRawBufferPointer {
        let from = starts[i]
        return UnsafeRawBufferPointer(start: bytes + from, count: starts[i + 1] &- from)
    }

    /// Calls `body` with the bytes of entry `i`.
    @inline(__always)
    func with<T>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try body(self[i])
    }

    func deallocate() {
        bytes.deallocate()
        starts.deallocate()
    }
}

extension UnsafeMutablePointer {
    /// New memory holding a copy of `values` (at least one element's worth, so never empty).
    static func copy(_ values: [Pointee]) -> UnsafeMutablePointer<Pointee> {
        let p = UnsafeMutablePointer<Pointee>.allocate(capacity: Swift.max(values.count, 1))
        values.withUnsafeBufferPointer { if let b = $0.baseAddress { p.initialize(from: b, count: $0.count) } }
        return p
    }
}

/// The well-known types with a JSON form of their own.
enum WellKnownType: Sendable {
    case any, timestamp, duration, fieldMask, `struct`, value, listValue
    case doubleValue, floatValue, int64Value, uint64Value, int32Value, uint32Value, boolValue, stringValue, bytesValue

    init?(_ type: any ProtoMessage.Type) {
        switch ObjectIdentifier(type) {
        case ObjectIdentifier(Google_Protobuf_Any.self): self = .any
        case ObjectIdentifier(Google_Protobuf_Timestamp.self): self = .timestamp
        case ObjectIdentifier(Google_Protobuf_Duration.self): self = .duration
        case ObjectIdentifier(Google_Protobuf_FieldMask.self): self = .fieldMask
        case ObjectIdentifier(Google_Protobuf_Struct.self): self = .struct
        case ObjectIdentifier(Google_Protobuf_Value.self): self = .value
        case ObjectIdentifier(Google_Protobuf_ListValue.self): self = .listValue
        case ObjectIdentifier(Google_Protobuf_DoubleValue.self): self = .doubleValue
        case ObjectIdentifier(Google_Protobuf_FloatValue.self): self = .floatValue
        case ObjectIdentifier(Google_Protobuf_Int64Value.self): self = .int64Value
        case ObjectIdentifier(Google_Protobuf_UInt64Value.self): self = .uint64Value
        case ObjectIdentifier(Google_Protobuf_Int32Value.self): self = .int32Value
        case ObjectIdentifier(Google_Protobuf_UInt32Value.self): self = .uint32Value
        case ObjectIdentifier(Google_Protobuf_BoolValue.self): self = .boolValue
        case ObjectIdentifier(Google_Protobuf_StringValue.self): self = .stringValue
        case ObjectIdentifier(Google_Protobuf_BytesValue.self): self = .bytesValue
        default: return nil
        }
    }
}
