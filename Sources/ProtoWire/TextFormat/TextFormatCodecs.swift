// How each field codec's values look in the text format: integers in decimal, floating point
// in the shortest form (`inf`, `nan`), strings and bytes as C-escaped literals, enums by name,
// messages in braces.

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ProtoInt32 {
    public static func writeText(_ v: Int32, to e: inout TextFormatEncoder) { e.writeInt(Int64(v)) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> Int32 { try d.readInt32() }
}

extension ProtoSInt32 {
    public static func writeText(_ v: Int32, to e: inout TextFormatEncoder) { e.writeInt(Int64(v)) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> Int32 { try d.readInt32() }
}

extension ProtoSFixed32 {
    public static func writeText(_ v: Int32, to e: inout TextFormatEncoder) { e.writeInt(Int64(v)) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> Int32 { try d.readInt32() }
}

extension ProtoUInt32 {
    public static func writeText(_ v: UInt32, to e: inout TextFormatEncoder) { e.writeUInt(UInt64(v)) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> UInt32 { try d.readUInt32() }
}

extension ProtoFixed32 {
    public static func writeText(_ v: UInt32, to e: inout TextFormatEncoder) { e.writeUInt(UInt64(v)) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> UInt32 { try d.readUInt32() }
}

extension ProtoInt64 {
    public static func writeText(_ v: Int64, to e: inout TextFormatEncoder) { e.writeInt(v) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> Int64 { try d.readInt64() }
}

extension ProtoSInt64 {
    public static func writeText(_ v: Int64, to e: inout TextFormatEncoder) { e.writeInt(v) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> Int64 { try d.readInt64() }
}

extension ProtoSFixed64 {
    public static func writeText(_ v: Int64, to e: inout TextFormatEncoder) { e.writeInt(v) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> Int64 { try d.readInt64() }
}

extension ProtoUInt64 {
    public static func writeText(_ v: UInt64, to e: inout TextFormatEncoder) { e.writeUInt(v) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> UInt64 { try d.readUInt64() }
}

extension ProtoFixed64 {
    public static func writeText(_ v: UInt64, to e: inout TextFormatEncoder) { e.writeUInt(v) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> UInt64 { try d.readUInt64() }
}

extension ProtoBool {
    public static func writeText(_ v: Bool, to e: inout TextFormatEncoder) { e.writeBool(v) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> Bool { try d.readBool() }
}

extension ProtoFloat {
    public static func writeText(_ v: Float, to e: inout TextFormatEncoder) { e.writeFloat(v) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> Float { try d.readFloat() }
}

extension ProtoDouble {
    public static func writeText(_ v: Double, to e: inout TextFormatEncoder) { e.writeDouble(v) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> Double { try d.readDouble() }
}

extension ProtoString {
    public static func writeText(_ v: String, to e: inout TextFormatEncoder) { e.writeString(v) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> String { try d.readString() }
}

extension ProtoUncheckedString {
    public static func writeText(_ v: String, to e: inout TextFormatEncoder) { e.writeString(v) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> String {
        String(decoding: try d.readBytes(), as: UTF8.self)
    }
}

extension ProtoBytes {
    public static func writeText(_ v: Data, to e: inout TextFormatEncoder) { e.writeBytes(v) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> Data { try d.readBytes() }
}

extension MessageCodec {
    public static func writeText(_ v: M, to e: inout TextFormatEncoder) { e.writeMessage(v) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> M {
        var m = M()
        try d.readMessage(&m)
        return m
    }
}

extension EnumCodec {
    public static func writeText(_ v: E, to e: inout TextFormatEncoder) { e.writeEnum(E.enumSchema, v.rawValue) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> E {
        E(rawValue: try d.readEnum(E.enumSchema))
    }
}

extension ClosedEnumCodec {
    public static func writeText(_ v: E, to e: inout TextFormatEncoder) { e.writeEnum(E.enumSchema, v.rawValue) }
    public static func readText(from d: inout TextFormatDecoder) throws(TextFormatDecodingError) -> E {
        _ = d.scanner.peek()
        let start = d.scanner.cursor
        let number = try d.readEnum(E.enumSchema)
        guard let value = E(rawValue: number) else {
            throw d.scanner.error(.unknownEnumValue, "\(E.enumSchema.enumName) has no value \(number)", at: start)
        }
        return value
    }
}
