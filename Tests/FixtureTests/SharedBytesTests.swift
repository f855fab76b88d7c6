import Foundation
import GeneratedFixtures
import ProtoWire
import Testing

/// `init(sharingBytesOf:)`: the `bytes` fields read are slices of the input, every other field
/// reads as it does from a copy, and errors are the same.
@Suite struct SharedBytesTests {
    /// 4 KiB of bytes that are not all the same.
    static let blob = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })

    /// Where `value`'s bytes are in memory, and where `data`'s bytes from `offset` on are.
    static func addresses(_ value: Data, _ data: Data, offset: Int) -> (UnsafeRawPointer?, UnsafeRawPointer?) {
        (value.withUnsafeBytes { $0.baseAddress }, data.withUnsafeBytes { $0.baseAddress.map { $0 + offset } })
    }

    @Test func singularRepeatedAndOptionalBytesAreSlicesOfTheInput() throws {
        var message = Fixtures_Scalars()
        message.fString = "text"
        message.fBytes = Self.blob
        message.rBytes = [Self.blob.prefix(100), Data(), Self.blob.suffix(2000)]
        message.oBytes = Self.blob.prefix(1)
        let data = message.serializedData()
        let shared = try Fixtures_Scalars(sharingBytesOf: data)
        #expect(shared == message)
        #expect(shared == (try Fixtures_Scalars(serializedData: data)))
        for value in [shared.fBytes, shared.rBytes[0], shared.rBytes[2], shared.oBytes!] {
            // A slice has its place in the input as its indices, and its bytes are the input's.
            let offset = value.startIndex - data.startIndex
            #expect(offset > 0)
            #expect(data[value.startIndex..<value.endIndex] == value)
            let (mine, input) = Self.addresses(value, data, offset: offset)
            #expect(mine == input)
        }
        // An empty value is an empty Data of its own.
        #expect(shared.rBytes[1].isEmpty)
    }

    @Test func bytesInMapsOneofsAndNestedMessagesAreSlicesToo() throws {
        var maps = Fixtures_Maps_Maps()
        maps.bytesValue = ["a": Self.blob, "b": Self.blob.prefix(10)]
        let mapData = maps.serializedData()
        let sharedMaps = try Fixtures_Maps_Maps(sharingBytesOf: mapData)
        #expect(sharedMaps == maps)
        let a = try #require(sharedMaps.bytesValue["a"])
        #expect(a.startIndex != mapData.startIndex)
        let (inMap, inInput) = Self.addresses(a, mapData, offset: a.startIndex - mapData.startIndex)
        #expect(inMap == inInput)

        var choice = Fixtures_Nested_Choice()
        choice.value = .blob(Self.blob)
        let choiceData = choice.serializedData()
        let sharedChoice = try Fixtures_Nested_Choice(sharingBytesOf: choiceData)
        #expect(sharedChoice == choice)
        guard case .blob(let blob)? = sharedChoice.value else {
            Issue.record("no blob in \(sharedChoice)")
            return
        }
        let (mine, input) = Self.addresses(blob, choiceData, offset: blob.startIndex - choiceData.startIndex)
        #expect(mine == input)
    }

    @Test func theInputChangedLaterLeavesTheValuesAlone() throws {
        var message = Fixtures_Scalars()
        message.fBytes = Self.blob
        var data = message.serializedData()
        let shared = try Fixtures_Scalars(sharingBytesOf: data)
        for i in data.indices { data[i] = 0 }
        #expect(shared.fBytes == Self.blob)
    }

    @Test func badInputGetsTheSameErrorAsFromACopy() throws {
        var message = Fixtures_Scalars()
        message.fBytes = Self.blob
        let data = message.serializedData().dropLast(10)
        let copied = #expect(throws: WireDecodingError.self) { try Fixtures_Scalars(serializedData: Data(data)) }
        let shared = #expect(throws: WireDecodingError.self) { try Fixtures_Scalars(sharingBytesOf: data) }
        #expect(copied != nil && copied == shared)
    }
}
