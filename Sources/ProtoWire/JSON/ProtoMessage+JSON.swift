// The protobuf JSON mapping for every message: `jsonString()`, `jsonUTF8Bytes()` and the
// initializers that read JSON. Messages reach the writer and reader through their field hook
// (`messageSchema`, `visitFields(_:)`, `decodeField(_:from:)`); see ProtoMessage.

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ProtoMessage {
    /// The message in the protobuf JSON mapping, as UTF-8.
    ///
    /// - Throws: `JSONEncodingError` for what JSON cannot express: a Timestamp or Duration out
    ///   of range, a FieldMask path that does not round-trip, a Value holding NaN, an `Any` of a
    ///   type that is not registered.
    public func jsonUTF8Bytes(options: JSONEncodingOptions = JSONEncodingOptions()) throws(JSONEncodingError) -> [UInt8] {
        var encoder = ProtoJSONEncoder(options: options, capacity: 256)
        defer { encoder.out.free() }
        try encoder.writeMessage(self)
        return encoder.out.makeArray()
    }

    /// The message in the protobuf JSON mapping.
    ///
    /// - Throws: `JSONEncodingError`, as `jsonUTF8Bytes(options:)`.
    public func jsonString(options: JSONEncodingOptions = JSONEncodingOptions()) throws(JSONEncodingError) -> String {
        var encoder = ProtoJSONEncoder(options: options, capacity: 256)
        defer { encoder.out.free() }
        try encoder.writeMessage(self)
        return encoder.out.makeString()
    }

    /// The message in the protobuf JSON mapping, as UTF-8 `Data`.
    public func jsonUTF8Data(options: JSONEncodingOptions = JSONEncodingOptions()) throws(JSONEncodingError) -> Data {
        Data(try jsonUTF8Bytes(options: options))
    }

    /// Reads a message from the protobuf JSON mapping.
    ///
    /// Fields are accepted by their JSON name or their `.proto` name; 64-bit integers as
    /// numbers or strings; bytes as standard or URL-safe base64; enums by name or number;
    /// `null` as "not set".
    ///
    /// - Throws: `JSONDecodingError` naming the path and byte offset of the first problem
    ///   (`$.items[2].id: expected a number, at byte 341`). Never traps on bad input; objects and
    ///   arrays may nest at most 100 deep.
    public init(jsonUTF8Bytes bytes: UnsafeRawBufferPointer, options: JSONDecodingOptions = JSONDecodingOptions()) throws(JSONDecodingError) {
        self.init()
        var decoder = ProtoJSONDecoder(bytes, options: options)
        try decoder.decodeDocument(into: &self)
    }

    /// Reads a message from JSON held in bytes; see `init(jsonUTF8Bytes:options:)`.
    public init(jsonUTF8Bytes bytes: [UInt8], options: JSONDecodingOptions = JSONDecodingOptions()) throws(JSONDecodingError) {
        self.init()
        var failure: JSONDecodingError?
        var message = Self()
        bytes.withUnsafeBytes { buffer in
            failure = Self.decode(buffer, into: &message, options)
        }
        if let failure { throw failure }
        self = message
    }

    /// Reads a message from JSON held in `Data`; see `init(jsonUTF8Bytes:options:)`.
    public init(jsonUTF8Data data: Data, options: JSONDecodingOptions = JSONDecodingOptions()) throws(JSONDecodingError) {
        self.init()
        var failure: JSONDecodingError?
        var message = Self()
        data.withUnsafeBytes { buffer in
            failure = Self.decode(buffer, into: &message, options)
        }
        if let failure { throw failure }
        self = message
    }

    /// Reads a message from a JSON string; see `init(jsonUTF8Bytes:options:)`.
    public init(jsonString: String, options: JSONDecodingOptions = JSONDecodingOptions()) throws(JSONDecodingError) {
        self.init()
        var text = jsonString
        var failure: JSONDecodingError?
        var message = Self()
        text.withUTF8 { utf8 in
            failure = Self.decode(UnsafeRawBufferPointer(utf8), into: &message, options)
        }
        if let failure { throw failure }
        self = message
    }

    /// Decodes `buffer` into `message`; the error, or nil. (The initializers above pass errors
    /// out of their buffer closures this way: a generic `Result` would cost a metadata lookup
    /// per call.)
    private static func decode(_ buffer: UnsafeRawBufferPointer, into message: inout Self, _ options: JSONDecodingOptions) -> JSONDecodingError? {
        var decoder = ProtoJSONDecoder(buffer, options: options)
        do throws(JSONDecodingError) {
            try decoder.decodeDocument(into: &message)
            return nil
        } catch {
            return error
        }
    }
}
