// How each field codec's values look in the JSON mapping: 32-bit integers as numbers, 64-bit
// integers as strings (numbers accepted), floating point as numbers or "NaN"/"Infinity"/
// "-Infinity", bytes as base64, enums by name, messages as objects (or their well-known form).

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension FieldCodec {
    public static func readJSON(from d: inout ProtoJSONDecoder, into value: inout Value) throws(JSONDecodingError) {
        value = try readJSON(from: &d)
    }
}

extension ProtoInt32 {
    public static func writeJSON(_ v: Int32, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeInt(Int64(v)) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> Int32 { try d.readInt32() }
}

extension ProtoSInt32 {
    public static func writeJSON(_ v: Int32, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeInt(Int64(v)) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> Int32 { try d.readInt32() }
}

extension ProtoSFixed32 {
    public static func writeJSON(_ v: Int32, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeInt(Int64(v)) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> Int32 { try d.readInt32() }
}

extension ProtoUInt32 {
    public static func writeJSON(_ v: UInt32, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeUInt(UInt64(v)) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> UInt32 { try d.readUInt32() }
}

extension ProtoFixed32 {
    public static func writeJSON(_ v: UInt32, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeUInt(UInt64(v)) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> UInt32 { try d.readUInt32() }
}

extension ProtoInt64 {
    public static func writeJSON(_ v: Int64, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeQuotedInt(v) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> Int64 { try d.readInt64() }
}

extension ProtoSInt64 {
    public static func writeJSON(_ v: Int64, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeQuotedInt(v) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> Int64 { try d.readInt64() }
}

extension ProtoSFixed64 {
    public static func writeJSON(_ v: Int64, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeQuotedInt(v) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> Int64 { try d.readInt64() }
}

extension ProtoUInt64 {
    public static func writeJSON(_ v: UInt64, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeQuotedUInt(v) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> UInt64 { try d.readUInt64() }
}

extension ProtoFixed64 {
    public static func writeJSON(_ v: UInt64, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeQuotedUInt(v) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> UInt64 { try d.readUInt64() }
}

extension ProtoBool {
    public static func writeJSON(_ v: Bool, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeBool(v) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> Bool { try d.readBool() }
}

extension ProtoFloat {
    public static func writeJSON(_ v: Float, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeFloat(v) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> Float { try d.readFloat() }
}

extension ProtoDouble {
    public static func writeJSON(_ v: Double, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeDouble(v) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> Double { try d.readDouble() }
}

extension ProtoString {
    public static func writeJSON(_ v: String, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeString(v) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> String { try d.readString() }
}

extension ProtoUncheckedString {
    public static func writeJSON(_ v: String, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { e.writeString(v) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> String { try d.readString() }
}

extension ProtoBytes {
    public static func writeJSON(_ v: Data, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) {
        v.withUnsafeBytes { e.writeBytes($0) }
    }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> Data { try d.readBytes() }
}

extension MessageCodec {
    public static func writeJSON(_ v: M, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) { try e.writeMessage(v) }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> M {
        var m = M()
        try d.readMessage(&m)
        return m
    }
    public static func readJSON(from d: inout ProtoJSONDecoder, into value: inout M) throws(JSONDecodingError) {
        try d.readMessage(&value)
    }
}

/// Whether `E` is `google.protobuf.NullValue`, whose JSON form is `null`.
@inline(__always)
func isNullValue<E: ProtoEnum>(_: E.Type) -> Bool {
    ObjectIdentifier(E.self) == ObjectIdentifier(Google_Protobuf_NullValue.self)
}

extension EnumCodec {
    public static func writeJSON(_ v: E, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) {
        e.writeEnum(E.enumSchema, v.rawValue, isNullValue: isNullValue(E.self))
    }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> E {
        E(rawValue: try d.readEnum(E.enumSchema, isNullValue: isNullValue(E.self)))
    }
}

extension ClosedEnumCodec {
    public static func writeJSON(_ v: E, to e: inout ProtoJSONEncoder) throws(JSONEncodingError) {
        e.writeEnum(E.enumSchema, v.rawValue, isNullValue: false)
    }
    public static func readJSON(from d: inout ProtoJSONDecoder) throws(JSONDecodingError) -> E {
        let start = d.scanner.offset
        let number = try d.readEnum(E.enumSchema, isNullValue: false)
        guard let value = E(rawValue: number) else {
            if d.options.ignoreUnknownFields { throw JSONDecodingError(.skippedEnumValue, offset: start) }
            throw JSONDecodingError(.unknownEnumValue, message: "\(E.enumSchema.enumName) has no value \(number)", offset: start)
        }
        return value
    }
}
