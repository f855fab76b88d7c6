/// An extension whatever message it extends and whatever its value: what the text format needs to
/// print and read it as `[full.name]`.
public protocol AnyExtension: Sendable {
    /// The extension's field number in the message it extends.
    var fieldNumber: Int { get }
    /// The fully qualified name, such as `google.api.http`.
    var fullName: String { get }
    /// The fully qualified name of the message it extends.
    var extendedMessageName: String { get }
    /// Prints the extension's value found in `unknownFields` (a message's unknown-field bytes);
    /// false, with nothing printed, when there is none or it does not decode.
    func printText(from unknownFields: UnsafeRawBufferPointer, to encoder: inout TextFormatEncoder) -> Bool
    /// Reads one value from the text format and returns its field's wire bytes.
    func parseText(from decoder: inout TextFormatDecoder) throws(TextFormatDecodingError) -> [UInt8]
    /// Writes `,"[full.name]":` and the value found in `unknownFields` (`comma` says whether a
    /// member came before); false, with nothing written, when there is none or it does not decode.
    func writeJSON(from unknownFields: UnsafeRawBufferPointer, comma: Bool, to encoder: inout ProtoJSONEncoder) throws(JSONEncodingError) -> Bool
    /// Reads a JSON value and returns its field's wire bytes.
    func parseJSON(from decoder: inout ProtoJSONDecoder) throws(JSONDecodingError) -> [UInt8]
}

extension Extension: AnyExtension {
    public var extendedMessageName: String { Extended.protoMessageName }

    public func printText(from unknownFields: UnsafeRawBufferPointer, to encoder: inout TextFormatEncoder) -> Bool {
        guard let value = try? read(unknownFields) else { return false }
        writeText(value, &encoder)
        return true
    }

    public func parseText(from decoder: inout TextFormatDecoder) throws(TextFormatDecodingError) -> [UInt8] {
        try readText(&decoder)
    }

    public func writeJSON(from unknownFields: UnsafeRawBufferPointer, comma: Bool, to encoder: inout ProtoJSONEncoder) throws(JSONEncodingError) -> Bool {
        guard let value = try? read(unknownFields) else { return false }
        if comma { encoder.out.append(UInt8(ascii: ",")) }
        encoder.out.append(JSONKey.encoded("[" + fullName + "]"))
        do {
            try writeJSON(value, &encoder)
        } catch {
            throw error.inside(.member("[" + fullName + "]"))
        }
        return true
    }

    public func parseJSON(from decoder: inout ProtoJSONDecoder) throws(JSONDecodingError) -> [UInt8] {
        do {
            return try readJSON(&decoder)
        } catch {
            throw error.inside(.member("[" + fullName + "]"))
        }
    }
}

/// The extensions JSON and the text format know by name: written as `"[full.name]": value` and
/// `[full.name]: value` (in the text format, instead of by number), and read back. Binary decoding
/// needs no registry: extensions stay in the unknown fields until read, and `get` checks the
/// required fields of a message it reads. Given one (`init(serializedBytes:extensions:)`),
/// decoding also checks the required fields of the messages held in the registered extensions, at
/// any depth, as `isInitialized(extensions:)` and `serializedBytes(extensions:)` do.
///
///     let registry = ExtensionRegistry([Google_Api_Extensions_http, Google_Api_Extensions_methodSignature])
///     options.textFormatString(options: TextFormatEncodingOptions(extensions: registry))
public struct ExtensionRegistry: Sendable {
    /// By extended message, then field number.
    private var byMessage: [String: [Int: any AnyExtension]] = [:]
    /// By extended message, the extensions whose values are messages, in field-number order: what
    /// the required-field check reads.
    private var messageValuedByMessage: [String: [any AnyExtension]] = [:]

    /// An empty registry.
    public init() {}

    /// A registry of `extensions`.
    public init(_ extensions: [any AnyExtension]) {
        for e in extensions { register(e) }
    }

    /// Adds `extension`, replacing one of the same message and number.
    public mutating func register(_ extension: any AnyExtension) {
        let name = `extension`.extendedMessageName
        byMessage[name, default: [:]][`extension`.fieldNumber] = `extension`
        let messageValued = extensions(of: name).filter { ($0 as? any MessageValuedExtension)?.holdsMessages == true }
        messageValuedByMessage[name] = messageValued.isEmpty ? nil : messageValued
    }

    /// The extensions of `messageName` whose values are messages, in field-number order.
    func messageValued(of messageName: String) -> [any AnyExtension] {
        messageValuedByMessage[messageName] ?? []
    }

    /// True when no extension is registered.
    public var isEmpty: Bool { byMessage.isEmpty }

    /// The extensions of message `messageName`, in field-number order.
    public func extensions(of messageName: String) -> [any AnyExtension] {
        (byMessage[messageName] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
    }

    /// The extension of `messageName` called `fullName`.
    public func `extension`(named fullName: String, of messageName: String) -> (any AnyExtension)? {
        byMessage[messageName]?.values.first { $0.fullName == fullName }
    }
}

extension TextFormatEncoder {
    /// `[full.name]` and the value, on a line of its own.
    mutating func writeExtensionField<C: FieldCodec>(_ codec: C.Type, _ fullName: String, _ value: C.Value) {
        writeIndent()
        out.append(UInt8(ascii: "["))
        out.append(fullName)
        out.append(UInt8(ascii: "]"))
        C.writeText(value, to: &self)
        out.append(UInt8(ascii: "\n"))
    }

    /// The unknown fields of the message being printed: registered extensions by name, the rest
    /// by number. Returns the bytes left to print by number.
    mutating func writeRegisteredExtensions(_ fields: UnknownFields) -> [UInt8] {
        let extensions = options.extensions.extensions(of: schema.messageName)
        if extensions.isEmpty { return fields.bytes }
        var rest = fields.bytes
        fields.bytes.withUnsafeBytes { bytes in
            var printed: [Range<Int>] = []
            for e in extensions where e.printText(from: bytes, to: &self) {
                printed += ExtensionBytes.ranges(of: e.fieldNumber, in: bytes)
            }
            for range in printed.sorted(by: { $0.lowerBound > $1.lowerBound }) { rest.removeSubrange(range) }
        }
        return rest
    }
}

extension ProtoJSONEncoder {
    /// The registered extensions held in `fields`, as members of the object being written.
    mutating func writeRegisteredExtensions(_ fields: UnknownFields) throws(JSONEncodingError) {
        let extensions = options.extensions.extensions(of: schema.messageName)
        if extensions.isEmpty { return }
        var failure: JSONEncodingError?
        fields.bytes.withUnsafeBytes { bytes in
            for e in extensions {
                do throws(JSONEncodingError) {
                    if try e.writeJSON(from: bytes, comma: needsComma, to: &self) { needsComma = true }
                } catch {
                    failure = error
                    return
                }
            }
        }
        if let failure { throw failure }
    }
}
