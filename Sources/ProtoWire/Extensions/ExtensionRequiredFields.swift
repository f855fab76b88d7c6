#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Required fields inside extensions, checked when the caller names the extensions it knows.
//
// Extensions travel in the extended message's unknown fields as bytes, so a message's own
// `firstMissingRequiredField()` cannot see into them: without a registry they are checked when
// read (`get`). Given an `ExtensionRegistry` (`init(serializedBytes:extensions:)`,
// `isInitialized(extensions:)`, `serializedBytes(extensions:)`), the check walks the whole tree:
// each message's own required fields, then every registered message-valued extension it holds,
// read from its bytes and walked in turn, then every sub-message (singular, repeated, map value,
// oneof member, group). Paths name an extension as `[full.name]`, as `get` does:
// `items[2].[pkg.ext].id`, `[pkg.exts][1].child.id`.
//
// Only a non-empty registry starts the walk; every other call is the check it was before.

/// What the walk found: the path of a required field unset, or of a registered extension whose
/// bytes do not decode (`code` is then the decoding error's, `path.fieldNumber` the field it named).
struct RequiredFieldFinding {
    var field: MissingRequiredField
    var code: WireDecodingError.Code

    init(_ field: MissingRequiredField, _ code: WireDecodingError.Code = .missingRequiredField) {
        self.field = field
        self.code = code
    }

    func inside(_ name: String) -> Self { Self(field.inside(name), code) }
    func inside(_ name: String, index: Int) -> Self { Self(field.inside(name, index: index), code) }
    func inside<K>(_ name: String, key: K) -> Self { Self(field.inside(name, key: key), code) }

    /// The error decoding throws for it, at `offset` (the end of the input).
    func error(offset: Int) -> WireDecodingError {
        var e = WireDecodingError(code, fieldNumber: field.fieldNumber, offset: offset)
        e.path = field.path
        return e
    }
}

/// An extension whose value is, or is a list of, messages: what the walk reads to look inside.
protocol MessageValuedExtension {
    /// Whether the value is, or is a list of, messages.
    var holdsMessages: Bool { get }
    /// The messages held in `unknownFields` for this extension, each with the path that names it
    /// (`[full.name]`, or `[full.name]` and an index); empty when there are none. With `strict`,
    /// bytes that do not decode throw; otherwise they are passed over.
    func heldMessages(in unknownFields: UnsafeRawBufferPointer, strict: Bool) throws(WireDecodingError) -> [(message: any ProtoMessage, index: Int?)]
}

extension Extension: MessageValuedExtension {
    var holdsMessages: Bool { messages != nil }

    func heldMessages(in unknownFields: UnsafeRawBufferPointer, strict: Bool) throws(WireDecodingError) -> [(message: any ProtoMessage, index: Int?)] {
        guard let messages else { return [] }
        let value: Value?
        if strict { value = try read(unknownFields) } else { value = try? read(unknownFields) }
        guard let value else { return [] }
        let held = messages(value)
        return isRepeated ? held.enumerated().map { ($1, $0) } : held.map { ($0, nil) }
    }
}

extension ExtensionRegistry {
    /// The first required field unset in the registered extensions of `messageName` held in
    /// `unknownFields`, in field-number order, or the first that does not decode (`strict`).
    func firstUnset(in unknownFields: [UInt8], of messageName: String, strict: Bool) -> RequiredFieldFinding? {
        let extensions = messageValued(of: messageName)
        if extensions.isEmpty { return nil }
        return unknownFields.withUnsafeBytes { bytes -> RequiredFieldFinding? in
            for e in extensions {
                guard let holder = e as? any MessageValuedExtension else { continue }
                let name = "[" + e.fullName + "]"
                let held: [(message: any ProtoMessage, index: Int?)]
                do throws(WireDecodingError) {
                    held = try holder.heldMessages(in: bytes, strict: strict)
                } catch {
                    return RequiredFieldFinding(MissingRequiredField(name, e.fieldNumber), error.code)
                }
                for (message, index) in held {
                    guard let found = message.firstUnsetRequiredField(extensions: self, strict: strict) else { continue }
                    return index.map { found.inside(name, index: $0) } ?? found.inside(name)
                }
            }
            return nil
        }
    }
}

extension ProtoMessage {
    /// The first required field unset, here, below, or inside a registered extension held here
    /// or below: its path from this message (`items[2].[pkg.ext].id`). Extension bytes that do
    /// not decode are passed over. Without a registry, as `firstMissingRequiredField()`.
    public func firstMissingRequiredField(extensions: ExtensionRegistry) -> MissingRequiredField? {
        if extensions.isEmpty { return Self.hasRequiredFields ? firstMissingRequiredField() : nil }
        return firstUnsetRequiredField(extensions: extensions, strict: false)?.field
    }

    /// Whether every required field is set, in this message, below it, and inside every
    /// registered extension held here or below.
    public func isInitialized(extensions: ExtensionRegistry) -> Bool {
        firstMissingRequiredField(extensions: extensions) == nil
    }

    /// Throws `WireEncodingError` for the first required field unset, looking inside registered
    /// extensions too (`checkInitialized()` sees only the message's own fields).
    public func checkInitialized(extensions: ExtensionRegistry) throws(WireEncodingError) {
        if let missing = firstMissingRequiredField(extensions: extensions) { throw WireEncodingError(missing: missing) }
    }

    /// The message's wire bytes, refusing (unless `partial`) a message that lacks a required
    /// field, inside the registered extensions it holds too.
    /// - Throws: `WireEncodingError` naming the path of the first required field unset.
    public func serializedBytes(extensions: ExtensionRegistry, partial: Bool = false) throws(WireEncodingError) -> [UInt8] {
        if !partial { try checkInitialized(extensions: extensions) }
        return writtenBytes()
    }

    /// The message's wire bytes as `Data`, refused as `serializedBytes(extensions:partial:)`
    /// refuses them.
    public func serializedData(extensions: ExtensionRegistry, partial: Bool = false) throws(WireEncodingError) -> Data {
        if !partial { try checkInitialized(extensions: extensions) }
        return writtenData()
    }

    /// The walk: own required fields, registered extensions held here, then every sub-message.
    func firstUnsetRequiredField(extensions registry: ExtensionRegistry, strict: Bool) -> RequiredFieldFinding? {
        if Self.hasRequiredFields, let missing = firstMissingRequiredField() { return RequiredFieldFinding(missing) }
        let unknown = unknownFields.bytes
        if !unknown.isEmpty, let found = registry.firstUnset(in: unknown, of: Self.protoMessageName, strict: strict) {
            return found
        }
        var visitor = RequiredInExtensionsVisitor(schema: Self.messageSchema, registry: registry, strict: strict)
        do { try visitFields(&visitor) } catch {}  // thrown only to stop at the first finding
        return visitor.found
    }

    /// Throws `.missingRequiredField` (or the error of a registered extension's bytes) for the
    /// first required field unset, looking inside the extensions `registry` knows; at `offset`.
    @usableFromInline
    func checkRequiredFields(offset: Int, extensions registry: ExtensionRegistry) throws(WireDecodingError) {
        if registry.isEmpty { return try checkRequiredFields(offset: offset) }
        if let found = firstUnsetRequiredField(extensions: registry, strict: true) { throw found.error(offset: offset) }
    }

    /// Decodes a message from its wire bytes, checking the required fields of the messages held
    /// in the extensions `extensions` registers, at any depth, as well as the message's own
    /// (extensions not registered stay bytes, checked when read with `get`).
    /// - Throws: `WireDecodingError`; `.missingRequiredField` naming the path of the first
    ///   required field unset (`items[2].[pkg.ext].id`) unless `partial`.
    @inlinable
    public init(serializedBytes bytes: [UInt8], extensions: ExtensionRegistry, partial: Bool = false) throws(WireDecodingError) {
        self.init()
        try merge(serializedBytes: bytes, extensions: extensions, partial: partial)
    }

    /// Decodes a message from its wire bytes, as `init(serializedBytes:extensions:partial:)`.
    @inlinable
    public init(serializedData data: Data, extensions: ExtensionRegistry, partial: Bool = false) throws(WireDecodingError) {
        self.init()
        try merge(serializedData: data, extensions: extensions, partial: partial)
    }

    /// Decodes a message from bytes that stay valid for the call, as
    /// `init(serializedBytes:extensions:partial:)`.
    @inlinable
    public init(unsafeBytes buffer: UnsafeRawBufferPointer, extensions: ExtensionRegistry, partial: Bool = false) throws(WireDecodingError) {
        self.init()
        try merge(unsafeBytes: buffer, extensions: extensions, partial: partial)
    }

    /// Merges fields from wire bytes into this message; without `partial`, the result must have
    /// every required field set, inside the registered extensions it holds too.
    @inlinable
    public mutating func merge(serializedBytes bytes: [UInt8], extensions: ExtensionRegistry, partial: Bool = false) throws(WireDecodingError) {
        var failure: WireDecodingError?
        bytes.withUnsafeBytes { buffer in
            do throws(WireDecodingError) {
                try merge(unsafeBytes: buffer, extensions: extensions, partial: partial)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Merges fields from wire bytes into this message, as `merge(serializedBytes:extensions:partial:)`.
    @inlinable
    public mutating func merge(serializedData data: Data, extensions: ExtensionRegistry, partial: Bool = false) throws(WireDecodingError) {
        var failure: WireDecodingError?
        data.withUnsafeBytes { buffer in
            do throws(WireDecodingError) {
                try merge(unsafeBytes: buffer, extensions: extensions, partial: partial)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Merges fields from bytes that stay valid for the call, as
    /// `merge(serializedBytes:extensions:partial:)`.
    @inlinable
    public mutating func merge(unsafeBytes buffer: UnsafeRawBufferPointer, extensions: ExtensionRegistry, partial: Bool = false) throws(WireDecodingError) {
        var reader = WireReader(buffer)
        try merge(from: &reader)
        if !partial { try checkRequiredFields(offset: buffer.count, extensions: extensions) }
    }
}

/// Walks one message's fields for the check: each message value (singular, list element, map
/// value) is walked in turn, and the first finding stops the walk.
struct RequiredInExtensionsVisitor: FieldVisitor {
    let schema: MessageSchema
    let registry: ExtensionRegistry
    let strict: Bool
    var found: RequiredFieldFinding?
    private var name = ""
    private var index = 0

    init(schema: MessageSchema, registry: ExtensionRegistry, strict: Bool) {
        self.schema = schema
        self.registry = registry
        self.strict = strict
    }

    private struct Stop: Error {}

    private func fieldName(_ number: Int) -> String { schema.field(number: number)?.name ?? String(number) }

    private func walk<V>(_ value: V) -> RequiredFieldFinding? {
        guard let message = value as? any ProtoMessage else { return nil }
        return message.firstUnsetRequiredField(extensions: registry, strict: strict)
    }

    mutating func implicit<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value) throws {
        try field(codec, number, value)
    }

    mutating func field<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value) throws {
        guard C.Value.self is any ProtoMessage.Type, let f = walk(value) else { return }
        found = f.inside(fieldName(number))
        throw Stop()
    }

    mutating func beginList<C: FieldCodec>(_ codec: C.Type, _ number: Int, count: Int) throws -> Bool {
        guard count > 0, C.Value.self is any ProtoMessage.Type else { return false }
        name = fieldName(number)
        index = 0
        return true
    }

    mutating func listElement<C: FieldCodec>(_ codec: C.Type, _ value: C.Value) throws {
        if let f = walk(value) {
            found = f.inside(name, index: index)
            throw Stop()
        }
        index += 1
    }

    mutating func endList<C: FieldCodec>(_ codec: C.Type) throws {}

    mutating func beginMap<K: FieldCodec, V: FieldCodec>(_ key: K.Type, _ value: V.Type, _ number: Int, count: Int) throws -> Bool {
        guard count > 0, V.Value.self is any ProtoMessage.Type else { return false }
        name = fieldName(number)
        return true
    }

    mutating func mapEntry<K: FieldCodec, V: FieldCodec>(_ key: K.Type, _ value: V.Type, _ k: K.Value, _ v: V.Value) throws {
        if let f = walk(v) {
            found = f.inside(name, key: k)
            throw Stop()
        }
    }

    mutating func endMap<K: FieldCodec, V: FieldCodec>(_ key: K.Type, _ value: V.Type) throws {}

    mutating func unknown(_ fields: UnknownFields) throws {}
}
