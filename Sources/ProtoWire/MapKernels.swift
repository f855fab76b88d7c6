#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Maps with `string` keys and scalar values, the kinds schemas use most (labels, counters,
// settings), sized, written and read by concrete code specialised here, once. Generated code
// calls these by name for such fields and the generic `WireSize.map`, `WireWriter.map` and
// `WireReader.readMapEntry` for every other map, so that no map makes the compiler specialise
// dictionary code in the module that declares it.

extension WireSize {
    /// A `map<string, string>` field.
    public static func mapStringString(_ field: Int, _ map: [String: String]) -> Int {
        self.map(ProtoString.self, ProtoString.self, field, map)
    }
}

extension WireWriter {
    /// A `map<string, string>` field, entries in key order.
    public mutating func writeMapStringString(_ field: Int, _ map: [String: String]) {
        self.map(ProtoString.self, ProtoString.self, field, map)
    }
}

extension WireReader {
    /// One entry of a `map<string, string>` field.
    public mutating func readMapEntryStringString(into map: inout [String: String]) throws(WireDecodingError) {
        try readMapEntry(ProtoString.self, ProtoString.self, into: &map)
    }
}

extension WireSize {
    /// A `map<string, int32>` field.
    public static func mapStringInt32(_ field: Int, _ map: [String: Int32]) -> Int {
        self.map(ProtoString.self, ProtoInt32.self, field, map)
    }
}

extension WireWriter {
    /// A `map<string, int32>` field, entries in key order.
    public mutating func writeMapStringInt32(_ field: Int, _ map: [String: Int32]) {
        self.map(ProtoString.self, ProtoInt32.self, field, map)
    }
}

extension WireReader {
    /// One entry of a `map<string, int32>` field.
    public mutating func readMapEntryStringInt32(into map: inout [String: Int32]) throws(WireDecodingError) {
        try readMapEntry(ProtoString.self, ProtoInt32.self, into: &map)
    }
}

extension WireSize {
    /// A `map<string, int64>` field.
    public static func mapStringInt64(_ field: Int, _ map: [String: Int64]) -> Int {
        self.map(ProtoString.self, ProtoInt64.self, field, map)
    }
}

extension WireWriter {
    /// A `map<string, int64>` field, entries in key order.
    public mutating func writeMapStringInt64(_ field: Int, _ map: [String: Int64]) {
        self.map(ProtoString.self, ProtoInt64.self, field, map)
    }
}

extension WireReader {
    /// One entry of a `map<string, int64>` field.
    public mutating func readMapEntryStringInt64(into map: inout [String: Int64]) throws(WireDecodingError) {
        try readMapEntry(ProtoString.self, ProtoInt64.self, into: &map)
    }
}

extension WireSize {
    /// A `map<string, uint32>` field.
    public static func mapStringUInt32(_ field: Int, _ map: [String: UInt32]) -> Int {
        self.map(ProtoString.self, ProtoUInt32.self, field, map)
    }
}

extension WireWriter {
    /// A `map<string, uint32>` field, entries in key order.
    public mutating func writeMapStringUInt32(_ field: Int, _ map: [String: UInt32]) {
        self.map(ProtoString.self, ProtoUInt32.self, field, map)
    }
}

extension WireReader {
    /// One entry of a `map<string, uint32>` field.
    public mutating func readMapEntryStringUInt32(into map: inout [String: UInt32]) throws(WireDecodingError) {
        try readMapEntry(ProtoString.self, ProtoUInt32.self, into: &map)
    }
}

extension WireSize {
    /// A `map<string, uint64>` field.
    public static func mapStringUInt64(_ field: Int, _ map: [String: UInt64]) -> Int {
        self.map(ProtoString.self, ProtoUInt64.self, field, map)
    }
}

extension WireWriter {
    /// A `map<string, uint64>` field, entries in key order.
    public mutating func writeMapStringUInt64(_ field: Int, _ map: [String: UInt64]) {
        self.map(ProtoString.self, ProtoUInt64.self, field, map)
    }
}

extension WireReader {
    /// One entry of a `map<string, uint64>` field.
    public mutating func readMapEntryStringUInt64(into map: inout [String: UInt64]) throws(WireDecodingError) {
        try readMapEntry(ProtoString.self, ProtoUInt64.self, into: &map)
    }
}

extension WireSize {
    /// A `map<string, bool>` field.
    public static func mapStringBool(_ field: Int, _ map: [String: Bool]) -> Int {
        self.map(ProtoString.self, ProtoBool.self, field, map)
    }
}

extension WireWriter {
    /// A `map<string, bool>` field, entries in key order.
    public mutating func writeMapStringBool(_ field: Int, _ map: [String: Bool]) {
        self.map(ProtoString.self, ProtoBool.self, field, map)
    }
}

extension WireReader {
    /// One entry of a `map<string, bool>` field.
    public mutating func readMapEntryStringBool(into map: inout [String: Bool]) throws(WireDecodingError) {
        try readMapEntry(ProtoString.self, ProtoBool.self, into: &map)
    }
}

extension WireSize {
    /// A `map<string, float>` field.
    public static func mapStringFloat(_ field: Int, _ map: [String: Float]) -> Int {
        self.map(ProtoString.self, ProtoFloat.self, field, map)
    }
}

extension WireWriter {
    /// A `map<string, float>` field, entries in key order.
    public mutating func writeMapStringFloat(_ field: Int, _ map: [String: Float]) {
        self.map(ProtoString.self, ProtoFloat.self, field, map)
    }
}

extension WireReader {
    /// One entry of a `map<string, float>` field.
    public mutating func readMapEntryStringFloat(into map: inout [String: Float]) throws(WireDecodingError) {
        try readMapEntry(ProtoString.self, ProtoFloat.self, into: &map)
    }
}

extension WireSize {
    /// A `map<string, double>` field.
    public static func mapStringDouble(_ field: Int, _ map: [String: Double]) -> Int {
        self.map(ProtoString.self, ProtoDouble.self, field, map)
    }
}

extension WireWriter {
    /// A `map<string, double>` field, entries in key order.
    public mutating func writeMapStringDouble(_ field: Int, _ map: [String: Double]) {
        self.map(ProtoString.self, ProtoDouble.self, field, map)
    }
}

extension WireReader {
    /// One entry of a `map<string, double>` field.
    public mutating func readMapEntryStringDouble(into map: inout [String: Double]) throws(WireDecodingError) {
        try readMapEntry(ProtoString.self, ProtoDouble.self, into: &map)
    }
}

extension WireSize {
    /// A `map<string, bytes>` field.
    public static func mapStringBytes(_ field: Int, _ map: [String: Data]) -> Int {
        self.map(ProtoString.self, ProtoBytes.self, field, map)
    }
}

extension WireWriter {
    /// A `map<string, bytes>` field, entries in key order.
    public mutating func writeMapStringBytes(_ field: Int, _ map: [String: Data]) {
        self.map(ProtoString.self, ProtoBytes.self, field, map)
    }
}

extension WireReader {
    /// One entry of a `map<string, bytes>` field.
    public mutating func readMapEntryStringBytes(into map: inout [String: Data]) throws(WireDecodingError) {
        try readMapEntry(ProtoString.self, ProtoBytes.self, into: &map)
    }
}
