#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A field value of a ``DynamicMessage``.
public indirect enum DynamicValue: Sendable, Hashable {
    case int32(Int32)
    case int64(Int64)
    case uint32(UInt32)
    case uint64(UInt64)
    case float(Float)
    case double(Double)
    case bool(Bool)
    case string(String)
    case bytes([UInt8])
    /// An enum value by number.
    case `enum`(Int32)
    case message(DynamicMessage)
    /// The values of a repeated field.
    case list([DynamicValue])
    /// The entries of a map field, by key.
    case map([DynamicValue: DynamicValue])
}

/// The error when a value does not fit the field it is set on.
public struct DynamicMessageError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A message of any type, read and written through its ``ProtoMessageDescriptor`` alone: decoded
/// from and encoded to the binary format, printed in the text format and JSON, built field by
/// field. Fields the descriptor does not name are kept as unknown fields and written back as they
/// came.
public struct DynamicMessage: Sendable, Hashable {
    /// The message's type.
    public let descriptor: ProtoMessageDescriptor
    /// Field values by number; a field without presence set to its default is written as unset.
    public private(set) var values: [Int: DynamicValue] = [:]
    /// Fields the descriptor does not name, as their wire bytes.
    public var unknownFields = UnknownFields()

    /// An empty message of type `descriptor`.
    public init(descriptor: ProtoMessageDescriptor) { self.descriptor = descriptor }

    /// Decodes the binary format.
    /// - Throws: `WireDecodingError` naming the field and offset of the first problem.
    public init(descriptor: ProtoMessageDescriptor, serializedBytes bytes: [UInt8]) throws(WireDecodingError) {
        self.init(descriptor: descriptor)
        var reader = DescriptorBytes(bytes)
        try decode(&reader, depth: 0, group: nil)
    }

    public static func == (a: DynamicMessage, b: DynamicMessage) -> Bool {
        a.descriptor === b.descriptor && a.values == b.values && a.unknownFields == b.unknownFields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(descriptor))
        hasher.combine(values)
    }

    // MARK: Field access

    /// The value of field `name`, nil when it is unset.
    public subscript(name: String) -> DynamicValue? {
        descriptor.field(named: name).flatMap { values[$0.number] }
    }

    /// The value of field `number`, nil when it is unset.
    public subscript(number number: Int) -> DynamicValue? { values[number] }

    /// Sets field `name` to `value`, checking that the value is of the field's kind; setting a
    /// oneof member clears the others.
    /// - Throws: `DynamicMessageError` when the message has no such field or the value does not fit it.
    public mutating func set(_ name: String, to value: DynamicValue) throws(DynamicMessageError) {
        guard let field = descriptor.field(named: name) else { throw DynamicMessageError("\(descriptor.fullName) has no field \(name)") }
        try Self.check(value, for: field)
        if let oneof = field.oneofIndex {
            for n in descriptor.oneofs[oneof].fieldNumbers { values[n] = nil }
        }
        values[field.number] = value
    }

    /// Clears field `name`.
    public mutating func clear(_ name: String) {
        if let field = descriptor.field(named: name) { values[field.number] = nil }
    }

    private static func check(_ value: DynamicValue, for field: ProtoFieldDescriptor) throws(DynamicMessageError) {
        if field.isMap {
            guard case .map(let entries) = value, let entry = field.messageType else { throw mismatch(field, value) }
            for (k, v) in entries {
                try checkSingle(k, entry.fields[0])
                try checkSingle(v, entry.fields[1])
            }
        } else if field.isRepeated {
            guard case .list(let list) = value else { throw mismatch(field, value) }
            for v in list { try checkSingle(v, field) }
        } else {
            try checkSingle(value, field)
        }
    }

    private static func checkSingle(_ value: DynamicValue, _ field: ProtoFieldDescriptor) throws(DynamicMessageError) {
        let fits: Bool
        switch (field.type, value) {
        case (.int32, .int32), (.sint32, .int32), (.sfixed32, .int32): fits = true
        case (.int64, .int64), (.sint64, .int64), (.sfixed64, .int64): fits = true
        case (.uint32, .uint32), (.fixed32, .uint32): fits = true
        case (.uint64, .uint64), (.fixed64, .uint64): fits = true
        case (.float, .float), (.double, .double), (.bool, .bool), (.string, .string), (.bytes, .bytes), (.enum, .enum): fits = true
        case (.message, .message(let m)), (.group, .message(let m)): fits = m.descriptor === field.messageType
        default: fits = false
        }
        if !fits { throw mismatch(field, value) }
    }

    private static func mismatch(_ field: ProtoFieldDescriptor, _ value: DynamicValue) -> DynamicMessageError {
        DynamicMessageError("field \(field.name) (\(field.type)) cannot hold \(value)")
    }

    // MARK: Binary decoding

    private mutating func decode(_ reader: inout DescriptorBytes, depth: Int, group: Int?) throws(WireDecodingError) {
        guard depth <= WireReader.recursionLimit else {
            throw WireDecodingError(.recursionLimitExceeded, fieldNumber: group ?? 0, offset: reader.offset)
        }
        while true {
            let start = reader.offset
            guard let (number, wireType) = try reader.tag() else {
                if let group { throw WireDecodingError(.unterminatedGroup, fieldNumber: group, offset: reader.offset) }
                return
            }
            if wireType == .endGroup {
                guard number == group else { throw WireDecodingError(.unmatchedEndGroup, fieldNumber: number, offset: reader.offset) }
                return
            }
            guard let field = descriptor.field(number: number), try read(field, wireType, &reader, depth: depth) else {
                try reader.skip(number, wireType, depth: depth)
                unknownFields.bytes += reader.bytes[start..<reader.offset]
                continue
            }
        }
    }

    /// Reads one value of `field`; false (nothing read) when the wire type is not the field's.
    private mutating func read(_ field: ProtoFieldDescriptor, _ wireType: WireType, _ reader: inout DescriptorBytes, depth: Int) throws(WireDecodingError) -> Bool {
        let start = reader.offset
        if field.isMap {
            guard wireType == .lengthDelimited, let entryType = field.messageType else { return false }
            let range = try reader.lengthDelimited(field: field.number)
            var entry = DynamicMessage(descriptor: entryType)
            var inner = DescriptorBytes(reader.bytes, from: range.lowerBound, to: range.upperBound)
            try entry.decode(&inner, depth: depth + 1, group: nil)
            let key = entry.values[1] ?? Self.defaultValue(entryType.fields[0])
            let value = entry.values[2] ?? Self.defaultValue(entryType.fields[1])
            var map: [DynamicValue: DynamicValue] = [:]
            if case .map(let m) = values[field.number] { map = m }
            map[key] = value
            values[field.number] = .map(map)
            return true
        }
        if field.isRepeated {
            var list: [DynamicValue] = []
            if case .list(let l) = values[field.number] { list = l }
            defer { values[field.number] = .list(list) }
            if wireType == .lengthDelimited && field.type.isPackable {
                let range = try reader.lengthDelimited(field: field.number)
                var inner = DescriptorBytes(reader.bytes, from: range.lowerBound, to: range.upperBound)
                let wt = field.type.wireType
                while !inner.isAtEnd {
                    let v = try Self.scalar(field, wt, &inner)
                    if case .enum(let n) = v, let e = field.enumType, e.isClosed, e.name(of: n) == nil {
                        // A closed enum keeps a number it does not name among the unknown fields.
                        var w = DynamicWriter()
                        w.tag(field.number, .varint)
                        w.varint(UInt64(bitPattern: Int64(n)))
                        unknownFields.bytes += w.bytes
                        continue
                    }
                    list.append(v)
                }
                return true
            }
            guard wireType == field.type.wireType else { return false }
            let v = try single(field, &reader, depth: depth)
            if case .enum(let n) = v, let e = field.enumType, e.isClosed, e.name(of: n) == nil {
                unknownFields.bytes += Self.tagBytes(field.number, wireType) + reader.bytes[start..<reader.offset]
                return true
            }
            list.append(v)
            return true
        }
        guard wireType == field.type.wireType else { return false }
        var v = try single(field, &reader, depth: depth)
        if case .enum(let n) = v, let e = field.enumType, e.isClosed, e.name(of: n) == nil {
            unknownFields.bytes += Self.tagBytes(field.number, wireType) + reader.bytes[start..<reader.offset]
            return true
        }
        if case .message(let new) = v, case .message(var old) = values[field.number] {
            // A message field seen twice merges.
            old.merge(new)
            v = .message(old)
        }
        if let oneof = field.oneofIndex {
            for n in descriptor.oneofs[oneof].fieldNumbers where n != field.number { values[n] = nil }
        }
        values[field.number] = v
        return true
    }

    private static func tagBytes(_ number: Int, _ wireType: WireType) -> [UInt8] {
        var w = DynamicWriter()
        w.tag(number, wireType)
        return w.bytes
    }

    /// Merges `other` into this message, as the binary format merges a message seen twice.
    mutating func merge(_ other: DynamicMessage) {
        for (n, v) in other.values {
            switch (values[n], v) {
            case (.list(let a), .list(let b)): values[n] = .list(a + b)
            case (.map(let a), .map(let b)): values[n] = .map(a.merging(b) { $1 })
            case (.message(var a), .message(let b)):
                a.merge(b)
                values[n] = .message(a)
            default:
                if let field = descriptor.field(number: n), let oneof = field.oneofIndex {
                    for m in descriptor.oneofs[oneof].fieldNumbers { values[m] = nil }
                }
                values[n] = v
            }
        }
        unknownFields.bytes += other.unknownFields.bytes
    }

    private func single(_ field: ProtoFieldDescriptor, _ reader: inout DescriptorBytes, depth: Int) throws(WireDecodingError) -> DynamicValue {
        switch field.type {
        case .message:
            let range = try reader.lengthDelimited(field: field.number)
            var m = DynamicMessage(descriptor: field.messageType!)
            var inner = DescriptorBytes(reader.bytes, from: range.lowerBound, to: range.upperBound)
            try m.decode(&inner, depth: depth + 1, group: nil)
            return .message(m)
        case .group:
            var m = DynamicMessage(descriptor: field.messageType!)
            try m.decode(&reader, depth: depth + 1, group: field.number)
            return .message(m)
        default:
            return try Self.scalar(field, field.type.wireType, &reader)
        }
    }

    private static func scalar(_ field: ProtoFieldDescriptor, _ wireType: WireType, _ reader: inout DescriptorBytes) throws(WireDecodingError) -> DynamicValue {
        let n = field.number
        switch field.type {
        case .int32: return .int32(Int32(truncatingIfNeeded: try reader.varint(field: n)))
        case .int64: return .int64(Int64(bitPattern: try reader.varint(field: n)))
        case .uint32: return .uint32(UInt32(truncatingIfNeeded: try reader.varint(field: n)))
        case .uint64: return .uint64(try reader.varint(field: n))
        case .sint32:
            let v = UInt32(truncatingIfNeeded: try reader.varint(field: n))
            return .int32(Int32(bitPattern: (v >> 1) ^ (0 &- (v & 1))))
        case .sint64:
            let v = try reader.varint(field: n)
            return .int64(Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1))))
        case .bool: return .bool(try reader.varint(field: n) != 0)
        case .enum: return .enum(Int32(truncatingIfNeeded: try reader.varint(field: n)))
        case .fixed32: return .uint32(try reader.fixed32(field: n))
        case .sfixed32: return .int32(Int32(bitPattern: try reader.fixed32(field: n)))
        case .float: return .float(Float(bitPattern: try reader.fixed32(field: n)))
        case .fixed64: return .uint64(try reader.fixed64(field: n))
        case .sfixed64: return .int64(Int64(bitPattern: try reader.fixed64(field: n)))
        case .double: return .double(Double(bitPattern: try reader.fixed64(field: n)))
        case .string:
            let range = try reader.lengthDelimited(field: n)
            guard let s = String(validating: reader.bytes[range], as: UTF8.self) else {
                throw WireDecodingError(.invalidUTF8, fieldNumber: n, offset: range.lowerBound)
            }
            return .string(s)
        case .bytes:
            return .bytes(Array(reader.bytes[try reader.lengthDelimited(field: n)]))
        case .message, .group:
            throw WireDecodingError(.invalidTag, fieldNumber: n, offset: reader.offset)
        }
    }

    /// The value an unset field reads as: zero, empty, the first enum value, or the declared default.
    public static func defaultValue(_ field: ProtoFieldDescriptor) -> DynamicValue {
        let d = field.defaultValue
        switch field.type {
        case .int32, .sint32, .sfixed32: return .int32(d.flatMap { Int32($0) } ?? 0)
        case .int64, .sint64, .sfixed64: return .int64(d.flatMap { Int64($0) } ?? 0)
        case .uint32, .fixed32: return .uint32(d.flatMap { UInt32($0) } ?? 0)
        case .uint64, .fixed64: return .uint64(d.flatMap { UInt64($0) } ?? 0)
        case .float: return .float(d.flatMap { Float($0) } ?? 0)
        case .double: return .double(d.flatMap { Double($0) } ?? 0)
        case .bool: return .bool(d == "true")
        case .string: return .string(d ?? "")
        case .bytes: return .bytes(d.map { Array($0.utf8) } ?? [])
        case .enum:
            if let d, let n = field.enumType?.number(named: d) { return .enum(n) }
            return .enum(field.enumType?.values.first?.number ?? 0)
        case .message, .group: return .message(DynamicMessage(descriptor: field.messageType!))
        }
    }

    /// True when `value` is what a field without presence leaves unwritten.
    static func isZero(_ value: DynamicValue) -> Bool {
        switch value {
        case .int32(let v): return v == 0
        case .int64(let v): return v == 0
        case .uint32(let v): return v == 0
        case .uint64(let v): return v == 0
        case .float(let v): return v.bitPattern == 0
        case .double(let v): return v.bitPattern == 0
        case .bool(let v): return !v
        case .string(let v): return v.isEmpty
        case .bytes(let v): return v.isEmpty
        case .enum(let v): return v == 0
        case .list(let v): return v.isEmpty
        case .map(let v): return v.isEmpty
        case .message: return false
        }
    }

    /// The set fields in number order, as every format writes them; implicit-presence fields at
    /// their zero value and empty lists left out.
    var presentFields: [(ProtoFieldDescriptor, DynamicValue)] {
        descriptor.fields.compactMap { f in
            guard let v = values[f.number] else { return nil }
            if !f.hasPresence && Self.isZero(v) { return nil }
            return (f, v)
        }
    }

    // MARK: Binary encoding

    /// The message in the binary format: fields in number order, map entries in key order,
    /// unknown fields last — the bytes generated code writes for the same message.
    public func serializedBytes() -> [UInt8] {
        var w = DynamicWriter()
        write(to: &w)
        return w.bytes
    }

    private func write(to w: inout DynamicWriter) {
        for (field, value) in presentFields {
            switch value {
            case .list(let list):
                if field.isPacked {
                    var inner = DynamicWriter()
                    for v in list { inner.scalar(field.type, v) }
                    w.tag(field.number, .lengthDelimited)
                    w.lengthPrefixed(inner.bytes)
                } else {
                    for v in list { w.value(field, v) }
                }
            case .map(let map):
                let entry = field.messageType!
                for k in map.keys.sorted(by: DynamicValue.mapKeyPrecedes) {
                    var inner = DynamicWriter()
                    inner.value(entry.fields[0], k)
                    inner.value(entry.fields[1], map[k]!)
                    w.tag(field.number, .lengthDelimited)
                    w.lengthPrefixed(inner.bytes)
                }
            default:
                w.value(field, value)
            }
        }
        w.bytes += unknownFields.bytes
    }
}

extension DynamicValue {
    /// Map keys in the order the formats write them: numbers by value, `false` first, strings by UTF-8.
    static func mapKeyPrecedes(_ a: DynamicValue, _ b: DynamicValue) -> Bool {
        switch (a, b) {
        case (.int32(let x), .int32(let y)): return x < y
        case (.int64(let x), .int64(let y)): return x < y
        case (.uint32(let x), .uint32(let y)): return x < y
        case (.uint64(let x), .uint64(let y)): return x < y
        case (.bool(let x), .bool(let y)): return !x && y
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        default: return false
        }
    }
}

extension ProtoFieldType {
    /// The wire type of one value.
    var wireType: WireType {
        switch self {
        case .double, .fixed64, .sfixed64: return .fixed64
        case .float, .fixed32, .sfixed32: return .fixed32
        case .string, .bytes, .message: return .lengthDelimited
        case .group: return .startGroup
        default: return .varint
        }
    }
}

/// Appends the binary format to a byte array.
struct DynamicWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func tag(_ number: Int, _ wireType: WireType) {
        varint(UInt64(number) << 3 | UInt64(wireType.rawValue))
    }

    mutating func fixed32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
    mutating func fixed64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }

    mutating func lengthPrefixed(_ payload: [UInt8]) {
        varint(UInt64(payload.count))
        bytes += payload
    }

    /// A tagged value of `field`.
    mutating func value(_ field: ProtoFieldDescriptor, _ value: DynamicValue) {
        switch (field.type, value) {
        case (.message, .message(let m)):
            tag(field.number, .lengthDelimited)
            lengthPrefixed(m.serializedBytes())
        case (.group, .message(let m)):
            tag(field.number, .startGroup)
            bytes += m.serializedBytes()
            tag(field.number, .endGroup)
        default:
            tag(field.number, field.type.wireType)
            scalar(field.type, value)
        }
    }

    /// An untagged scalar.
    mutating func scalar(_ type: ProtoFieldType, _ value: DynamicValue) {
        switch value {
        case .int32(let v):
            switch type {
            case .sint32: varint(UInt64(UInt32(bitPattern: (v << 1) ^ (v >> 31))))
            case .sfixed32: fixed32(UInt32(bitPattern: v))
            default: varint(UInt64(bitPattern: Int64(v)))
            }
        case .int64(let v):
            switch type {
            case .sint64: varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
            case .sfixed64: fixed64(UInt64(bitPattern: v))
            default: varint(UInt64(bitPattern: v))
            }
        case .uint32(let v): if type == .fixed32 { fixed32(v) } else { varint(UInt64(v)) }
        case .uint64(let v): if type == .fixed64 { fixed64(v) } else { varint(v) }
        case .float(let v): fixed32(v.bitPattern)
        case .double(let v): fixed64(v.bitPattern)
        case .bool(let v): varint(v ? 1 : 0)
        case .enum(let v): varint(UInt64(bitPattern: Int64(v)))
        case .string(let s): lengthPrefixed(Array(s.utf8))
        case .bytes(let b): lengthPrefixed(b)
        case .message(let m): lengthPrefixed(m.serializedBytes())
        case .list, .map: break
        }
    }
}

/// A generated message whose file embeds its descriptor (the plugin's `Reflection` option, on by
/// default): its type is known at run time by ``protoDescriptor``, so tools that hold only
/// `any ProtoMessage.Type` can reach it with `as? any DescribedMessage.Type`.
public protocol DescribedMessage: ProtoMessage {
    /// The message's descriptor, from its file's embedded descriptor, decoded once per file.
    static var protoDescriptor: ProtoMessageDescriptor { get }
}

extension DynamicMessage {
    /// The dynamic twin of a generated message: the same fields, read from its bytes.
    public init<M: DescribedMessage>(_ message: M) throws(WireDecodingError) {
        try self.init(descriptor: M.protoDescriptor, serializedBytes: message.writtenBytes())
    }
}
