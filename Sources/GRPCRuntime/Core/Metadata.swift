/// gRPC metadata: an ordered list of key-value pairs sent as HTTP/2 headers or trailers.
///
/// Keys are lowercase. Keys ending in `-bin` carry binary values (base64 on the
/// wire); all others carry printable ASCII strings. A key may appear more than once.
public struct Metadata: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public enum Value: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        case string(String)
        case binary([UInt8])

        public init(stringLiteral value: String) { self = .string(value) }

        public var description: String {
            switch self {
            case .string(let s): return s
            case .binary(let b): return "<\(b.count) bytes>"
            }
        }
    }

    public struct Entry: Hashable, Sendable {
        public var key: String
        public var value: Value
    }

    private var entries: [Entry] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, Value)...) {
        for (k, v) in elements { entries.append(Entry(key: Self.normalized(k), value: v)) }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    /// Adds a string value. The key is lowercased.
    public mutating func add(_ key: String, _ value: String) {
        entries.append(Entry(key: Self.normalized(key), value: .string(value)))
    }

    /// Adds a binary value; the key should end in `-bin`.
    public mutating func add(_ key: String, binary value: [UInt8]) {
        entries.append(Entry(key: Self.normalized(key), value: .binary(value)))
    }

    mutating func add(_ entry: Entry) { entries.append(entry) }

    /// `key` in lowercase, as keys are kept (header names are ASCII); a key already in lowercase
    /// (the usual case) as it is, without making a new string.
    private static func normalized(_ key: String) -> String {
        key.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } ? key.lowercased() : key
    }

    /// Removes every value for `key`.
    public mutating func removeAll(_ key: String) {
        let key = Self.normalized(key)
        entries.removeAll { $0.key == key }
    }

    /// The string values for `key`, in order.
    public subscript(stringValues key: String) -> [String] {
        let key = Self.normalized(key)
        return entries.compactMap { $0.key == key ? (($0.value).stringValue) : nil }
    }

    /// The binary values for `key`, in order.
    public subscript(binaryValues key: String) -> [[UInt8]] {
        let key = Self.normalized(key)
        return entries.compactMap {
            guard $0.key == key, case .binary(let b) = $0.value else { return nil }
            return b
        }
    }

    /// The first string value for `key`.
    public func first(_ key: String) -> String? {
        let key = Self.normalized(key)
        for entry in entries where entry.key == key {
            if case .string(let value) = entry.value { return value }
        }
        return nil
    }

    public static func + (a: Metadata, b: Metadata) -> Metadata {
        var out = a
        out.entries += b.entries
        return out
    }
}

extension Metadata.Value {
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
