import Foundation
import GeneratedFixtures
import ProtoWire
import Testing

/// proto2 `required` with the generated `fixtures.required` types: decoding a message that lacks
/// one (at any depth) throws `.missingRequiredField` naming its path, encoding one is refused
/// unless partial, and types with no required field below them carry no check.
@Suite struct RequiredFieldTests {
    typealias Outer = Fixtures_Required_Outer
    typealias Item = Fixtures_Required_Item

    /// An initialized message: every required field set, here and below.
    func complete() -> Outer {
        var m = Outer()
        m.id = 1
        m.name = "n"
        return m
    }

    func item(_ id: Int32?) -> Item {
        var i = Item()
        i.id = id
        return i
    }

    /// Encodes `m` partially, decodes it strictly, and returns the error decoding threw.
    func decodingError(_ m: Outer) -> WireDecodingError? {
        let bytes = try! m.serializedBytes(partial: true)
        do {
            _ = try Outer(serializedBytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func anInitializedMessageRoundTrips() throws {
        var m = complete()
        m.items = [item(1), item(2)]
        m.itemByName = ["a": item(3)]
        m.choice = .chosen(item(4))
        var extra = Outer.Extra()
        extra.name = "x"
        m.extra = extra
        #expect(m.isInitialized)
        #expect(m.firstMissingRequiredField() == nil)
        let bytes = try m.serializedBytes()
        #expect(try Outer(serializedBytes: bytes) == m)
    }

    @Test func aMissingFieldInTheRootIsNamed() {
        var m = complete()
        m.id = nil
        let bytes = try! m.serializedBytes(partial: true)
        let error = decodingError(m)
        #expect(error == {
            var e = WireDecodingError(.missingRequiredField, fieldNumber: 1, offset: bytes.count)
            e.path = "id"
            return e
        }())
        #expect(error?.description == "required field not set id (field 1) at byte \(bytes.count)")
    }

    @Test func aRequiredFieldWithADefaultIsMissingWhileUnset() {
        var m = complete()
        m.clearName()
        #expect(m.name == "unnamed")  // reads as its default...
        #expect(!m.isInitialized)  // ...but is not set
        #expect(decodingError(m)?.path == "name")
    }

    /// A message missing the required field at `path`, everything else set.
    func missing(at path: String) -> Outer {
        var m = complete()
        switch path {
        case "item.id": m.item = Item()
        case "items[2].id": m.items = [item(1), item(2), Item()]
        case "item_by_name[\"k\"].id": m.itemByName = ["k": Item()]
        case "item_by_number[7].id": m.itemByNumber = [7: Item()]
        case "chosen.id": m.choice = .chosen(Item())
        case "extra.name": m.extra = Outer.Extra()
        default:  // item.child.child.id
            var inner = item(2)
            inner.child = Item()
            var outer = item(1)
            outer.child = inner
            m.item = outer
        }
        return m
    }

    @Test(arguments: ["item.id", "items[2].id", "item_by_name[\"k\"].id", "item_by_number[7].id", "chosen.id",
                      "extra.name", "item.child.child.id"])
    func aMissingFieldBelowIsNamedByItsPath(path: String) throws {
        let m = missing(at: path)
        #expect(!m.isInitialized)
        #expect(m.firstMissingRequiredField()?.path == path)
        let error = decodingError(m)
        #expect(error?.code == .missingRequiredField)
        #expect(error?.path == path)
        // Refused on encoding too, naming the same field.
        #expect(throws: WireEncodingError.self) { _ = try m.serializedBytes() }
        do {
            _ = try m.serializedBytes()
        } catch {
            #expect(error.missing.path == path)
        }
    }

    @Test func partialDecodingAndEncodingAcceptAnUninitializedMessage() throws {
        var m = complete()
        m.items = [Item()]
        let bytes = try m.serializedBytes(partial: true)
        let decoded = try Outer(serializedBytes: bytes, partial: true)
        #expect(decoded == m)
        #expect(!decoded.isInitialized)
        // Merging more bytes partially leaves the check to the caller.
        var merged = decoded
        try merged.merge(serializedBytes: try Outer.with { $0.items = [] }.serializedBytes(partial: true), partial: true)
        #expect(!merged.isInitialized)
    }

    /// Encodes `message` the way code that knows only `ProtoMessage` does.
    func encodedGenerically<M: ProtoMessage>(_ message: M) throws(WireEncodingError) -> [UInt8] {
        try message.serializedBytes()
    }

    @Test(arguments: ["id", "items[2].id", "item_by_number[7].id", "chosen.id", "extra.name", "item.child.child.id"])
    func genericAndExistentialEncodingRefuseAnUninitializedMessageToo(path: String) throws {
        let m = path == "id" ? Outer.with { $0.name = "n" } : missing(at: path)
        #expect(throws: WireEncodingError(missing: m.firstMissingRequiredField()!)) { try encodedGenerically(m) }
        #expect(m.firstMissingRequiredField()?.path == path)
        let existential: any ProtoMessage = m
        #expect(throws: WireEncodingError.self) { try existential.serializedBytes() }
        #expect(throws: WireEncodingError.self) { try existential.serializedData() }
        #expect(throws: WireEncodingError.self) { try m.serializedData() }
        // Asked for, partial bytes are written as they are.
        #expect(try Data(m.serializedBytes(partial: true)) == m.serializedData(partial: true))
        #expect(try Outer(serializedBytes: m.serializedBytes(partial: true), partial: true) == m)
        // An initialized message goes through every path, to the same bytes.
        let complete = complete()
        #expect(try encodedGenerically(complete) == complete.serializedBytes())
        #expect(try (complete as any ProtoMessage).serializedData() == Data(complete.serializedBytes()))
        // A type that cannot hold a required field: the same requirement, which cannot fail.
        #expect(try encodedGenerically(Fixtures_Required_Plain(x: 1)) == [0x08, 0x01])
    }

    @Test func aMessageInAnExtensionThatLacksARequiredFieldIsNamedFromTheExtension() throws {
        var m = complete()
        m.set(Fixtures_Required_Extensions_extra_item, to: Item())
        m.set(Fixtures_Required_Extensions_extra_items, to: [item(1), item(2), Item()])
        // Extensions travel as the bytes they are: the message decodes...
        let bytes = try m.serializedBytes()
        let decoded = try Outer(serializedBytes: bytes)
        // ...and reading one checks the message it holds, naming the path from the extension.
        for (message, end) in [(m, m.unknownFields.bytes.count), (decoded, decoded.unknownFields.bytes.count)] {
            #expect(throws: {
                var e = WireDecodingError(.missingRequiredField, fieldNumber: 1, offset: end)
                e.path = "[fixtures.required.extra_item].id"
                return e
            }()) { try message.get(Fixtures_Required_Extensions_extra_item) }
            do {
                _ = try message.get(Fixtures_Required_Extensions_extra_items)
                Issue.record("an element lacking its required field was read")
            } catch {
                #expect(error.code == .missingRequiredField)
                #expect(error.path == "[fixtures.required.extra_items][2].id")
            }
            // Read partially, the messages come as they are.
            #expect(try message.get(Fixtures_Required_Extensions_extra_item, partial: true) == Item())
            #expect(try message.get(Fixtures_Required_Extensions_extra_items, partial: true) == [item(1), item(2), Item()])
        }
        // Complete, they read without a fuss.
        m.set(Fixtures_Required_Extensions_extra_item, to: item(9))
        m.set(Fixtures_Required_Extensions_extra_items, to: [item(1)])
        #expect(try m.get(Fixtures_Required_Extensions_extra_item) == item(9))
        #expect(try m.get(Fixtures_Required_Extensions_extra_items) == [item(1)])
    }

    // MARK: Decoding given an ExtensionRegistry looks inside the extensions it registers

    typealias Holder = Fixtures_Required_Holder
    let registry = ExtensionRegistry([Fixtures_Required_Extensions_extra_item, Fixtures_Required_Extensions_extra_items])

    /// A complete Outer whose `extra_item` lacks its `id`.
    func outerWithBrokenExtension() -> Outer {
        var m = complete()
        m.set(Fixtures_Required_Extensions_extra_item, to: Item())
        return m
    }

    /// A complete Outer holding complete extensions.
    func outerWithCompleteExtensions() -> Outer {
        var m = complete()
        m.set(Fixtures_Required_Extensions_extra_item, to: item(7))
        m.set(Fixtures_Required_Extensions_extra_items, to: [item(8), item(9)])
        return m
    }

    /// A Holder whose only required field unset is at `path`, inside an extension.
    func holderMissingInExtension(at path: String) -> Holder {
        var h = Holder()
        h.outer = outerWithCompleteExtensions()
        switch path {
        case "outer.[fixtures.required.extra_item].id":
            h.outer = outerWithBrokenExtension()
        case "outers[2].[fixtures.required.extra_item].id":
            h.outers = [complete(), outerWithCompleteExtensions(), outerWithBrokenExtension()]
        case "outer_by_name[\"k\"].[fixtures.required.extra_item].id":
            h.outerByName = ["j": outerWithCompleteExtensions(), "k": outerWithBrokenExtension()]
        default:  // outer.[fixtures.required.extra_items][1].child.id
            var m = complete()
            var broken = item(2)
            broken.child = Item()
            m.set(Fixtures_Required_Extensions_extra_items, to: [item(1), broken])
            h.outer = m
        }
        return h
    }

    /// The error each decoding entry point given the registry throws for `bytes` (all the same).
    func registryDecodingError<M: ProtoMessage>(_: M.Type, _ bytes: [UInt8]) -> WireDecodingError? {
        var errors: [WireDecodingError?] = []
        func record(_ body: () throws(WireDecodingError) -> Void) {
            do { try body(); errors.append(nil) } catch { errors.append(error) }
        }
        record { () throws(WireDecodingError) in _ = try M(serializedBytes: bytes, extensions: registry) }
        record { () throws(WireDecodingError) in _ = try M(serializedData: Data(bytes), extensions: registry) }
        bytes.withUnsafeBytes { buffer in
            record { () throws(WireDecodingError) in _ = try M(unsafeBytes: buffer, extensions: registry) }
        }
        record { () throws(WireDecodingError) in var m = M(); try m.merge(serializedBytes: bytes, extensions: registry) }
        record { () throws(WireDecodingError) in var m = M(); try m.merge(serializedData: Data(bytes), extensions: registry) }
        #expect(Set(errors).count == 1)
        return errors[0]
    }

    @Test(arguments: ["outer.[fixtures.required.extra_item].id", "outers[2].[fixtures.required.extra_item].id",
                      "outer_by_name[\"k\"].[fixtures.required.extra_item].id",
                      "outer.[fixtures.required.extra_items][1].child.id"])
    func decodingWithARegistryNamesAFieldMissingInAnExtensionBelow(path: String) throws {
        let h = holderMissingInExtension(at: path)
        let bytes = try h.serializedBytes()  // the extended messages' own fields are all set
        // Without a registry the extensions stay bytes: the message decodes as before.
        #expect(try Holder(serializedBytes: bytes) == h)
        #expect(try Holder(serializedBytes: bytes, extensions: ExtensionRegistry()) == h)
        #expect(h.isInitialized)
        // With one, the message held in the extension is checked, named by its full path.
        let error = registryDecodingError(Holder.self, bytes)
        #expect(error == {
            var e = WireDecodingError(.missingRequiredField, fieldNumber: 1, offset: bytes.count)
            e.path = path
            return e
        }())
        // Partial decoding accepts it; isInitialized and encoding given the registry refuse it.
        #expect(try Holder(serializedBytes: bytes, extensions: registry, partial: true) == h)
        #expect(!h.isInitialized(extensions: registry))
        #expect(h.firstMissingRequiredField(extensions: registry) == MissingRequiredField(path, 1))
        #expect(throws: WireEncodingError(missing: MissingRequiredField(path, 1))) { try h.serializedBytes(extensions: registry) }
        #expect(throws: WireEncodingError(missing: MissingRequiredField(path, 1))) { try h.serializedData(extensions: registry) }
        #expect(try h.serializedBytes(extensions: registry, partial: true) == bytes)
    }

    @Test func decodingWithARegistryNamesAFieldMissingInATopLevelExtension() throws {
        var m = outerWithBrokenExtension()
        var bytes = try m.serializedBytes()
        #expect(try Outer(serializedBytes: bytes) == m)
        var error = registryDecodingError(Outer.self, bytes)
        #expect(error?.code == .missingRequiredField)
        #expect(error?.path == "[fixtures.required.extra_item].id")
        #expect(error?.offset == bytes.count)
        // A repeated extension names the element.
        m = complete()
        m.set(Fixtures_Required_Extensions_extra_items, to: [item(1), Item()])
        bytes = try m.serializedBytes()
        error = registryDecodingError(Outer.self, bytes)
        #expect(error?.path == "[fixtures.required.extra_items][1].id")
        // The message's own fields come first.
        m.id = nil
        bytes = try m.serializedBytes(partial: true)
        #expect(registryDecodingError(Outer.self, bytes)?.path == "id")
    }

    @Test func aMessageWhoseExtensionsAreCompleteDecodesWithTheRegistry() throws {
        var h = Holder()
        h.outer = outerWithCompleteExtensions()
        h.outers = [complete(), outerWithCompleteExtensions()]
        h.outerByName = ["a": outerWithCompleteExtensions()]
        let bytes = try h.serializedBytes(extensions: registry)
        #expect(registryDecodingError(Holder.self, bytes) == nil)
        let decoded = try Holder(serializedBytes: bytes, extensions: registry)
        #expect(decoded == h)
        #expect(decoded.isInitialized(extensions: registry))
        #expect(try decoded.outers[1].get(Fixtures_Required_Extensions_extra_items) == [item(8), item(9)])
        // Types with no extension, and no required field, decode with the registry as without.
        let plain = Fixtures_Required_Plain(x: 1, next: Fixtures_Required_Plain(x: 2))
        #expect(try Fixtures_Required_Plain(serializedBytes: plain.serializedBytes(), extensions: registry) == plain)
        #expect(plain.isInitialized(extensions: registry))
    }

    @Test func aRegisteredExtensionWhoseBytesDoNotDecodeIsAnErrorWithTheRegistry() throws {
        // Field 100 (`extra_item`), length-delimited, holding a tag with no value.
        let bytes = try complete().serializedBytes() + [0xA2, 0x06, 0x01, 0x08]
        let m = try Outer(serializedBytes: bytes)  // kept as bytes without a registry
        #expect(m.unknownFields.bytes == [0xA2, 0x06, 0x01, 0x08])
        let error = registryDecodingError(Outer.self, bytes)
        #expect(error?.code == .truncated)
        #expect(error?.path == "[fixtures.required.extra_item]")
        #expect(error?.fieldNumber == 100)
        #expect(error?.offset == bytes.count)
        // Checking an existing message passes such bytes over, as encoding writes them back.
        #expect(m.isInitialized(extensions: registry))
        #expect(try m.serializedBytes(extensions: registry) == bytes)
    }

    @Test func typesWithNoRequiredFieldBelowCarryNoCheck() {
        #expect(Outer.hasRequiredFields)
        #expect(Item.hasRequiredFields)
        #expect(!Fixtures_Required_Plain.hasRequiredFields)
        #expect(!Fixtures_Scalars.hasRequiredFields)
        #expect(!Fixtures_Proto2_Proto2.hasRequiredFields)
        #expect(Fixtures_Scalars().isInitialized)
    }
}
