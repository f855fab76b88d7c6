#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// proto2's `required` fields (and editions' `field_presence = LEGACY_REQUIRED`): a message is
// initialized when every required field in it, and in every message below it, is set.
//
// The generator decides per message type whether anything below it can be required; only those
// types implement the check, so decoding and encoding a message with no required field anywhere
// below it pays nothing (`hasRequiredFields` is a constant `false`, folded away).
//
// Binary encoding refuses a message that lacks a required field (`serializedBytes()` is a
// requirement, so generic code checks too) unless asked for partial bytes; so do the gRPC
// runtime's senders. The JSON and text writers show what the message holds, as C++'s and
// Python's do, and `Google_Protobuf_Any(packing:)` packs it as it is.

/// The first required field found unset: its path from the message checked, such as
/// `outer.items[2].id`, and its field number.
public struct MissingRequiredField: Hashable, Sendable, CustomStringConvertible {
    /// Field names from the message checked down to the missing field, with the index of a
    /// repeated field's element or the key of a map's entry: `outer.items[2].id`, `byName["a"].id`.
    public var path: String
    /// The number of the missing field in its own message.
    public var fieldNumber: Int

    /// The field `name` (number `fieldNumber`) of the message checked.
    public init(_ name: String, _ fieldNumber: Int) {
        self.path = name
        self.fieldNumber = fieldNumber
    }

    /// The same field seen from the message holding `field`.
    public func inside(_ field: String) -> MissingRequiredField {
        var m = self
        m.path = field + "." + path
        return m
    }

    /// The same field seen from the message holding the repeated `field`, in element `index`.
    public func inside(_ field: String, index: Int) -> MissingRequiredField {
        var m = self
        m.path = "\(field)[\(index)].\(path)"
        return m
    }

    /// The same field seen from the message holding the map `field`, in the entry for `key`.
    public func inside<K>(_ field: String, key: K) -> MissingRequiredField {
        var m = self
        let shown = key is String ? "\"\(key)\"" : "\(key)"
        m.path = "\(field)[\(shown)].\(path)"
        return m
    }

    public var description: String { "required field \(path) (number \(fieldNumber)) is not set" }
}

extension ProtoMessage {
    /// False: generated types that can hold a required field, here or below, say true.
    @inlinable
    public static var hasRequiredFields: Bool { false }

    /// Nil: generated types that can hold a required field implement the check.
    @inlinable
    public func firstMissingRequiredField() -> MissingRequiredField? { nil }

    /// Whether every required field, in this message and every message below it, is set.
    /// Always true for a type with no required field anywhere below it.
    @inlinable
    public var isInitialized: Bool { !Self.hasRequiredFields || firstMissingRequiredField() == nil }

    /// Throws `.missingRequiredField` for the first required field unset, at `offset`.
    @inlinable
    func checkRequiredFields(offset: Int) throws(WireDecodingError) {
        if Self.hasRequiredFields, let missing = firstMissingRequiredField() {
            throw WireDecodingError(missing: missing, offset: offset)
        }
    }

    /// Decodes a message from its wire bytes; with `partial`, a message that lacks required
    /// fields is accepted as it is (`isInitialized` then says false).
    @inlinable
    public init(serializedBytes bytes: [UInt8], partial: Bool) throws(WireDecodingError) {
        self.init()
        try merge(serializedBytes: bytes, partial: partial)
    }

    /// Merges fields from wire bytes into this message; without `partial`, the result must have
    /// every required field set.
    @inlinable
    public mutating func merge(serializedBytes bytes: [UInt8], partial: Bool) throws(WireDecodingError) {
        // An empty registry checks the message's own required fields only.
        try merge(serializedBytes: bytes, extensions: ExtensionRegistry(), partial: partial)
    }

    /// The message's wire bytes, refusing a message that lacks a required field unless `partial`.
    /// - Throws: `WireEncodingError` naming the path of the first required field unset.
    @inlinable
    public func serializedBytes(partial: Bool) throws(WireEncodingError) -> [UInt8] {
        if !partial { try checkInitialized() }
        return writtenBytes()
    }

    /// The message's wire bytes as `Data`, refusing a message that lacks a required field unless
    /// `partial`.
    /// - Throws: `WireEncodingError` naming the path of the first required field unset.
    @inlinable
    public func serializedData(partial: Bool) throws(WireEncodingError) -> Data {
        if !partial { try checkInitialized() }
        return writtenData()
    }

    /// Throws `WireEncodingError` for the first required field unset, here or below; for a type
    /// that cannot hold one, does nothing. What every encoder that refuses uninitialized messages
    /// (`serializedBytes()`, the gRPC runtime's senders) calls before writing.
    @inlinable
    public func checkInitialized() throws(WireEncodingError) {
        if Self.hasRequiredFields, let missing = firstMissingRequiredField() {
            throw WireEncodingError(missing: missing)
        }
    }
}

/// Thrown when a message cannot be encoded: a required field is not set.
public struct WireEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The first required field found unset.
    public var missing: MissingRequiredField

    public init(missing: MissingRequiredField) { self.missing = missing }

    public var description: String { "cannot encode: \(missing)" }
}

extension WireDecodingError {
    /// A required field is unset once the message is read: its number and path, and the offset of
    /// the end of the input.
    public init(missing: MissingRequiredField, offset: Int) {
        self.init(.missingRequiredField, fieldNumber: missing.fieldNumber, offset: offset)
        path = missing.path
    }
}
