#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A protobuf message: a value type that encodes to and decodes from the binary wire format.
///
/// Generated types implement the four requirements; everything a user calls
/// (`serializedBytes()`, `init(serializedBytes:)`, `merge(serializedBytes:)`,
/// `with(_:)`) comes from the extension below.
public protocol ProtoMessage: Sendable, Hashable, CustomDebugStringConvertible {
    /// The fully qualified name from the `.proto`, such as `google.protobuf.Timestamp`.
    static var protoMessageName: String { get }

    /// A message with every field at its default.
    init()

    /// Fields read from the wire that this type does not know; written back on encode.
    var unknownFields: UnknownFields { get set }

    /// The exact number of bytes `encode(to:)` writes.
    func encodedSize() -> Int

    /// Writes the message's fields; `writer` has room for `encodedSize()` bytes.
    func encode(to writer: inout WireWriter)

    /// Reads fields up to the end of the reader's current message, merging them into `self`:
    /// singular fields are replaced, repeated fields appended, sub-messages merged.
    mutating func merge(from reader: inout WireReader) throws(WireDecodingError)
}

extension ProtoMessage {
    /// Decodes a message from its wire bytes.
    /// - Throws: `WireDecodingError` naming the field and byte offset of the first problem.
    @inlinable
    public init(serializedBytes bytes: [UInt8]) throws(WireDecodingError) {
        self.init()
        try merge(serializedBytes: bytes)
    }

    /// Decodes a message from its wire bytes.
    @inlinable
    public init(serializedData data: Data) throws(WireDecodingError) {
        self.init()
        try merge(serializedData: data)
    }

    /// Decodes a message from bytes that stay valid for the call.
    @inlinable
    public init(unsafeBytes buffer: UnsafeRawBufferPointer) throws(WireDecodingError) {
        self.init()
        try merge(unsafeBytes: buffer)
    }

    /// Merges fields from wire bytes into this message.
    @inlinable
    public mutating func merge(serializedBytes bytes: [UInt8]) throws(WireDecodingError) {
        var failure: WireDecodingError?
        bytes.withUnsafeBytes { buffer in
            do throws(WireDecodingError) { try merge(unsafeBytes: buffer) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    @inlinable
    public mutating func merge(serializedData data: Data) throws(WireDecodingError) {
        var failure: WireDecodingError?
        data.withUnsafeBytes { buffer in
            do throws(WireDecodingError) { try merge(unsafeBytes: buffer) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    @inlinable
    public mutating func merge(unsafeBytes buffer: UnsafeRawBufferPointer) throws(WireDecodingError) {
        var reader = WireReader(buffer)
        try merge(from: &reader)
    }

    /// The message's wire bytes. Map entries are written in key order, so the output is deterministic.
    @inlinable
    public func serializedBytes() -> [UInt8] {
        let size = encodedSize()
        if size == 0 { return [] }
        // `append(contentsOf:)` is specialised for `UInt8` here, where
        // `Array(unsafeUninitializedCapacity:)` calls the standard library's unspecialised
        // buffer initializer, which looks up `_ContiguousArrayStorage<UInt8>`'s metadata on
        // every call (~280 instructions, a fifth of encoding a small message).
        var bytes: [UInt8] = []
        bytes.append(contentsOf: ByteCount(count: size))
        bytes.withUnsafeMutableBytes { buffer in
            var writer = WireWriter(start: buffer.baseAddress!)
            encode(to: &writer)
        }
        return bytes
    }

    /// The message's wire bytes as `Data`.
    @inlinable
    public func serializedData() -> Data {
        let size = encodedSize()
        var data = Data(count: size)
        if size > 0 {
            data.withUnsafeMutableBytes { buffer in
                var writer = WireWriter(start: buffer.baseAddress!)
                encode(to: &writer)
            }
        }
        return data
    }

    /// Writes the message at `start`, which must have room for `encodedSize()` bytes,
    /// and returns the address just past the last byte written.
    @inlinable
    public func encode(at start: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        var writer = WireWriter(start: start)
        encode(to: &writer)
        return writer.position
    }

    /// Builds a message by mutating a default one: `Point.with { $0.x = 1 }`.
    @inlinable
    public static func with(_ populate: (inout Self) throws -> Void) rethrows -> Self {
        var message = Self()
        try populate(&message)
        return message
    }
}

/// `count` bytes for `Array.append(contentsOf:)` to add without writing them: the caller
/// overwrites every one of them before anything reads them (`UInt8` is trivial).
@usableFromInline
struct ByteCount: Sequence {
    @usableFromInline let count: Int

    @inlinable
    init(count: Int) { self.count = count }

    @usableFromInline
    struct Iterator: IteratorProtocol {
        @inlinable init() {}
        @inlinable mutating func next() -> UInt8? { nil }
    }

    @inlinable
    func makeIterator() -> Iterator { Iterator() }

    @inlinable
    var underestimatedCount: Int { count }

    @inlinable
    func _copyContents(
        initializing buffer: UnsafeMutableBufferPointer<UInt8>
    ) -> (Iterator, UnsafeMutableBufferPointer<UInt8>.Index) {
        // `append(contentsOf:)` has reserved `underestimatedCount` bytes.
        precondition(buffer.count >= count, "ByteCount: buffer smaller than its count")
        return (Iterator(), count)
    }
}
