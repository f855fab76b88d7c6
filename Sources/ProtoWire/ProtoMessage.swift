#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A protobuf message: a value type that encodes to and decodes from the binary wire format,
/// the JSON mapping and the text format.
///
/// Generated types implement the requirements; everything a user calls
/// (`serializedBytes()`, `init(serializedBytes:)`, `merge(serializedBytes:)`, `jsonString()`,
/// `init(jsonString:)`, `textFormatString()`, `description`, `with(_:)`) comes from extensions,
/// save that a type that can hold a required field implements a throwing `serializedBytes()` and
/// `serializedData()` of its own.
///
/// The binary format has requirements of its own (`encodedSize()`, `encode(to:)`,
/// `merge(from:)`), specialised per field for speed. Everything else goes through one hook of
/// three parts, so that generated code carries a table and two switches rather than a
/// serializer per format:
///
/// - `messageSchema`: the field table (numbers, `.proto` and JSON names, types, oneofs);
/// - `visitFields(_:)`: calls a `FieldVisitor` once per field, in number order, naming each
///   field's codec, number and value, the same calls as `encode(to:)` makes on its writer;
/// - `decodeField(_:from:)`: a switch on the field number that reads one field's value from a
///   `FieldDecoder` and stores it.
///
/// For example, for `message Point { int32 x = 1; repeated string tags = 2; }`:
///
///     public static let messageSchema = MessageSchema(for: Self.self, fields: [
///         .implicit(1, "x", .int32),
///         .repeated(2, "tags", .string),
///     ])
///
///     public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
///         try visitor.implicit(ProtoInt32.self, 1, self.x)
///         try visitor.repeated(ProtoString.self, 2, self.tags)
///         try visitor.unknown(self.unknownFields)
///     }
///
///     public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
///         switch number {
///         case 1: self.x = try decoder.read(ProtoInt32.self)
///         case 2: try decoder.readRepeated(ProtoString.self, into: &self.tags)
///         default: break
///         }
///     }
///
/// Types generated before the hook existed get defaults (see `OpaqueMessages.swift`): their
/// fields are unknown to the runtime, so JSON refuses them and the text format shows them by
/// number.
public protocol ProtoMessage: Sendable, Hashable, CustomDebugStringConvertible, CustomStringConvertible {
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

    /// The type's field table, built once.
    static var messageSchema: MessageSchema { get }

    /// Calls `visitor` once for each field in field-number order, then with the unknown fields.
    /// Implicit-presence fields, repeated fields and maps are visited whatever they hold;
    /// optional fields, message fields and oneof members only when set. Throws what the visitor
    /// throws.
    func visitFields<V: FieldVisitor>(_ visitor: inout V) throws

    /// Reads the field numbered `number` from `decoder` and stores it: singular fields are
    /// replaced, repeated fields and maps appended to. Called only with numbers in
    /// `messageSchema`. Throws what the decoder throws.
    mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws

    /// Whether a message of this type can hold a required field, itself or in a message below it.
    /// Defaults to false (see `RequiredFields.swift`); decoding and encoding check only when true.
    static var hasRequiredFields: Bool { get }

    /// The first required field not set, in this message or a message below it; nil when every
    /// one is set. Defaults to nil.
    func firstMissingRequiredField() -> MissingRequiredField?

    /// The message's wire bytes. Map entries are written in key order, so the output is
    /// deterministic.
    ///
    /// A type with no required field anywhere below it gets a default that cannot fail, so a
    /// call on such a type needs no `try` and costs nothing more; a type that can hold one
    /// implements this by refusing a message that lacks one (`serializedBytes(partial: true)`
    /// writes it anyway). Generic code (`some ProtoMessage`) calls this requirement, so it checks
    /// too.
    /// - Throws: `WireEncodingError` naming the path of the first required field unset.
    func serializedBytes() throws(WireEncodingError) -> [UInt8]

    /// The message's wire bytes as `Data`, refused as `serializedBytes()` refuses them.
    func serializedData() throws(WireEncodingError) -> Data
}

extension ProtoMessage {
    /// Decodes a message from its wire bytes.
    /// - Throws: `WireDecodingError` naming the field and byte offset of the first problem, or
    ///   `.missingRequiredField` with its path if a required field is not set
    ///   (`init(serializedBytes:partial:)` accepts that).
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

    /// Decodes a message whose `bytes` fields share `data`'s storage instead of copying out of
    /// it: each is a slice of `data`, so its indices are `data`'s (as any slice's are, starting at
    /// its offset in `data`, not at 0), and it keeps all of `data` alive. For large `bytes`
    /// fields (files, images) this saves a copy; a small value may keep a large input alive.
    @inlinable
    public init(sharingBytesOf data: Data) throws(WireDecodingError) {
        self.init()
        try merge(sharingBytesOf: data)
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

    /// Merges fields from `data`; the `bytes` fields read share its storage
    /// (see `init(sharingBytesOf:)`).
    @inlinable
    public mutating func merge(sharingBytesOf data: Data) throws(WireDecodingError) {
        var failure: WireDecodingError?
        withUnsafePointer(to: data) { shared in
            shared.pointee.withUnsafeBytes { buffer in
                do throws(WireDecodingError) {
                    var reader = WireReader(buffer, sharing: shared)
                    try mergeWhole(&reader, count: buffer.count)
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
    }

    @inlinable
    public mutating func merge(unsafeBytes buffer: UnsafeRawBufferPointer) throws(WireDecodingError) {
        var reader = WireReader(buffer)
        try mergeWhole(&reader, count: buffer.count)
    }

    /// Merges all of `reader`'s input, `count` bytes, then checks the required fields.
    @inlinable
    mutating func mergeWhole(_ reader: inout WireReader, count: Int) throws(WireDecodingError) {
        try merge(from: &reader)
        try checkRequiredFields(offset: count)
    }

    /// The message's wire bytes. Map entries are written in key order, so the output is deterministic.
    ///
    /// The default for types that cannot hold a required field: it cannot fail. (Generated types
    /// that can hold one implement a `serializedBytes()` that throws.)
    @inlinable
    public func serializedBytes() -> [UInt8] { writtenBytes() }

    /// The message's wire bytes as `Data`; the default for types that cannot hold a required field.
    @inlinable
    public func serializedData() -> Data { writtenData() }

    /// The message's wire bytes, whatever required fields it lacks.
    @inlinable
    func writtenBytes() -> [UInt8] {
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

    /// The message's wire bytes as `Data`, whatever required fields it lacks.
    @inlinable
    func writtenData() -> Data {
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
