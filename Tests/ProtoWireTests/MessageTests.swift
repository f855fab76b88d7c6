import Foundation
import ProtoWire
import Testing
import TestSupport

/// What decoding `a`'s encoding followed by `b`'s must give, worked out field by field.
private func expectedMerge(_ a: TestAllKinds, _ b: TestAllKinds) -> TestAllKinds {
    var r = a
    if b.int32 != 0 { r.int32 = b.int32 }
    if b.sint64 != 0 { r.sint64 = b.sint64 }
    if b.fixed32 != 0 { r.fixed32 = b.fixed32 }
    if b.double.bitPattern != 0 { r.double = b.double }
    if b.float.bitPattern != 0 { r.float = b.float }
    if b.bool { r.bool = true }
    if !b.string.isEmpty { r.string = b.string }
    if !b.bytes.isEmpty { r.bytes = b.bytes }
    if let s = b.optionalString { r.optionalString = s }
    if b.color.rawValue != 0 { r.color = b.color }
    if let s = b.size { r.size = s }
    r.int64s += b.int64s
    r.strings += b.strings
    r.stringToInt64.merge(b.stringToInt64) { _, new in new }
    r.int32ToNested.merge(b.int32ToNested) { _, new in new }  // map values are replaced, not merged
    if let bn = b.nested {
        var n = a.nested ?? TestNested()
        if bn.a != 0 { n.a = bn.a }
        if !bn.b.isEmpty { n.b = bn.b }
        n.c += bn.c
        n.unknownFields.bytes += bn.unknownFields.bytes
        r.nested = n
    }
    r.sizes += b.sizes
    r.fixed32s += b.fixed32s
    r.sfixed64s += b.sfixed64s
    r.nestedList += b.nestedList
    if b.far != 0 { r.far = b.far }
    r.unknownFields.bytes += b.unknownFields.bytes
    return r
}

@Suite("Messages")
struct MessageTests {
    @Test("a message with every field set has the expected bytes")
    func knownMessageBytes() throws {
        var m = TestAllKinds()
        m.int32 = 150
        m.sint64 = -1
        m.fixed32 = 0xDEAD_BEEF
        m.double = 1.0
        m.float = -2.0
        m.bool = true
        m.string = "testing"
        m.bytes = Data([0, 0xFF])
        m.optionalString = "é"
        m.color = .green
        m.size = .huge
        m.int64s = [3, 270, 86942]
        m.strings = ["a", ""]
        m.stringToInt64 = ["k": 1]
        m.int32ToNested = [-1: TestNested.with { $0.a = 1 }]
        m.nested = TestNested.with { $0.b = "n"; $0.c = [-1, 1] }
        m.sizes = [.small, .tiny]
        m.fixed32s = [1, 2]
        m.sfixed64s = [-1]
        m.nestedList = [TestNested(), TestNested.with { $0.a = 2 }]
        m.far = 1
        let expected = hex("""
            08 96 01
            10 01
            1d ef be ad de
            21 00 00 00 00 00 00 f0 3f
            2d 00 00 00 c0
            30 01
            3a 07 74 65 73 74 69 6e 67
            42 02 00 ff
            4a 02 c3 a9
            50 02
            58 e8 07
            62 06 03 8e 02 9e a7 05
            6a 01 61
            6a 00
            72 05 0a 01 6b 10 01
            7a 0f 08 ff ff ff ff ff ff ff ff ff 01 12 02 08 01
            82 01 07 12 01 6e 1a 02 01 02
            8a 01 0b 01 ff ff ff ff ff ff ff ff ff 01
            92 01 08 01 00 00 00 02 00 00 00
            9a 01 08 ff ff ff ff ff ff ff ff
            a2 01 00
            a2 01 02 08 02
            f8 ff ff ff 0f 01
            """)
        #expect(m.encodedSize() == expected.count)
        #expect(m.serializedBytes() == expected)
        #expect(m.serializedData() == Data(expected))
        let back = try TestAllKinds(serializedBytes: expected)
        #expect(back == m)
        #expect(try TestAllKinds(serializedData: Data(expected)) == m)
        #expect(try expected.withUnsafeBytes { buffer throws(WireDecodingError) in try TestAllKinds(unsafeBytes: buffer) } == m)
    }

    @Test("the empty message encodes to nothing and decodes from nothing")
    func emptyMessage() throws {
        let m = TestAllKinds()
        #expect(m.encodedSize() == 0)
        #expect(m.serializedBytes() == [])
        #expect(m.serializedData().isEmpty)
        #expect(try TestAllKinds(serializedBytes: []) == m)
        #expect(try TestAllKinds(serializedData: Data()) == m)
        // Present but empty sub-messages are still written.
        var withEmptyChild = TestAllKinds()
        withEmptyChild.nested = TestNested()
        #expect(withEmptyChild.serializedBytes() == hex("82 01 00"))
        #expect(try TestAllKinds(serializedBytes: hex("82 01 00")).nested == TestNested())
    }

    @Test("encodedSize() equals the bytes written, for thousands of random messages")
    func encodedSizeMatches() throws {
        var rng = SplitMix64(seed: 0xE2C0DE)
        var totalBytes = 0
        for i in 0..<3000 {
            let m = rng.message(fill: i % 3 == 0 ? 90 : 50)
            let size = m.encodedSize()
            // Write into a buffer with guard bytes on both sides to catch any stray write.
            var buffer = [UInt8](repeating: 0xA5, count: size + 32)
            let written = buffer.withUnsafeMutableBytes { raw in
                let start = raw.baseAddress! + 16
                return m.encode(at: start) - start
            }
            #expect(written == size)
            #expect(buffer[..<16].allSatisfy { $0 == 0xA5 } && buffer[(16 + size)...].allSatisfy { $0 == 0xA5 })
            let bytes = m.serializedBytes()
            #expect(bytes.count == size)
            #expect(Array(buffer[16..<(16 + size)]) == bytes)
            #expect(m.serializedData() == Data(bytes))
            // The top-level fields found by an independent scanner account for every byte.
            #expect(scanFields(bytes).end == size)
            try expectStableRoundTrip(m)
            totalBytes += size
        }
        #expect(totalBytes > 100_000)
    }

    @Test("packed and unpacked repeated fields are both accepted, in any mix")
    func packedAndUnpacked() throws {
        let packed = hex("62 06 03 8e 02 9e a7 05")
        let unpacked = hex("60 03 60 8e 02 60 9e a7 05")
        #expect(try TestAllKinds(serializedBytes: packed).int64s == [3, 270, 86942])
        #expect(try TestAllKinds(serializedBytes: unpacked).int64s == [3, 270, 86942])
        #expect(try TestAllKinds(serializedBytes: packed + unpacked + packed).int64s == [3, 270, 86942, 3, 270, 86942, 3, 270, 86942])
        #expect(try TestAllKinds(serializedBytes: hex("60 01") + hex("62 00") + hex("60 02")).int64s == [1, 2])

        // fixed32 and sfixed64
        let f32Packed = hex("92 01 08 01 00 00 00 ff ff ff ff")
        let f32Unpacked = hex("95 01 01 00 00 00 95 01 ff ff ff ff")
        #expect(try TestAllKinds(serializedBytes: f32Packed).fixed32s == [1, .max])
        #expect(try TestAllKinds(serializedBytes: f32Unpacked).fixed32s == [1, .max])
        #expect(try TestAllKinds(serializedBytes: f32Unpacked + f32Packed).fixed32s == [1, .max, 1, .max])
        let s64 = Raw.fixed64(UInt64(bitPattern: -5))
        #expect(try TestAllKinds(serializedBytes: hex("9a 01 08") + s64 + hex("99 01") + s64).sfixed64s == [-5, -5])

        // sint32 inside a sub-message
        #expect(try TestNested(serializedBytes: hex("1a 03 01 02 03")).c == [-1, 1, -2])
        #expect(try TestNested(serializedBytes: hex("18 01 18 02 1a 01 03")).c == [-1, 1, -2])

        // closed enums, packed and not
        #expect(try TestAllKinds(serializedBytes: hex("8a 01 02 01 02 88 01 03")).sizes == [.small, .medium, .large])

        // Our own output is packed, and equal values give equal bytes however they were read.
        let m = try TestAllKinds(serializedBytes: unpacked)
        #expect(m.serializedBytes() == packed)
    }

    @Test("a packed run of one-byte and ten-byte varints reads back exactly")
    func packedVarintWidths() throws {
        var m = TestAllKinds()
        m.int64s = [0, -1, 1, .min, .max, 127, 128]
        let bytes = m.serializedBytes()
        let bodyLength: UInt8 = 1 + 10 + 1 + 10 + 9 + 1 + 2
        #expect(Array(bytes.prefix(2)) == [0x62, bodyLength])
        #expect(try TestAllKinds(serializedBytes: bytes).int64s == m.int64s)
    }

    @Test("concatenated encodings merge: last scalar wins, repeated append, messages merge, maps by key")
    func mergeSemantics() throws {
        var a = TestAllKinds()
        a.int32 = 1
        a.string = "first"
        a.optionalString = "a"
        a.size = .medium
        a.int64s = [1, 2]
        a.strings = ["x"]
        a.stringToInt64 = ["keep": 1, "replace": 2]
        a.int32ToNested = [1: TestNested.with { $0.a = 1; $0.b = "old" }, 2: TestNested.with { $0.a = 2 }]
        a.nested = TestNested.with { $0.a = 10; $0.b = "kept"; $0.c = [1] }
        a.unknownFields = UnknownFields(bytes: Raw.varintField(100, 1))

        var b = TestAllKinds()
        b.int32 = 2
        b.optionalString = "b"
        b.int64s = [3]
        b.strings = ["y", "z"]
        b.stringToInt64 = ["replace": 20, "new": 30]
        b.int32ToNested = [1: TestNested.with { $0.a = 100 }]
        b.nested = TestNested.with { $0.a = 20; $0.c = [2, 3] }
        b.unknownFields = UnknownFields(bytes: Raw.varintField(100, 2))

        let joined = a.serializedBytes() + b.serializedBytes()
        let m = try TestAllKinds(serializedBytes: joined)
        #expect(m.int32 == 2)
        #expect(m.string == "first")  // b left it at the default, so it was not written
        #expect(m.optionalString == "b")
        #expect(m.size == .medium)
        #expect(m.int64s == [1, 2, 3])
        #expect(m.strings == ["x", "y", "z"])
        #expect(m.stringToInt64 == ["keep": 1, "replace": 20, "new": 30])
        #expect(m.int32ToNested == [1: TestNested.with { $0.a = 100 }, 2: TestNested.with { $0.a = 2 }])
        #expect(m.nested == TestNested.with { $0.a = 20; $0.b = "kept"; $0.c = [1, 2, 3] })
        #expect(m.unknownFields.bytes == Raw.varintField(100, 1) + Raw.varintField(100, 2))
        #expect(m == expectedMerge(a, b))

        // merge(serializedBytes:) on a decoded message is the same as decoding the concatenation.
        var step = try TestAllKinds(serializedBytes: a.serializedBytes())
        try step.merge(serializedBytes: b.serializedBytes())
        #expect(step == m)
        var stepData = a
        try stepData.merge(serializedData: b.serializedData())
        #expect(stepData == m)
    }

    @Test("merging random pairs matches the field-by-field rules")
    func randomMerges() throws {
        var rng = SplitMix64(seed: 77)
        for _ in 0..<1000 {
            let a = rng.message()
            let b = rng.message()
            let expected = expectedMerge(a, b)
            let got = try TestAllKinds(serializedBytes: a.serializedBytes() + b.serializedBytes())
            #expect(got.serializedBytes() == expected.serializedBytes())
            if !expected.containsNaN {
                #expect(got == expected)
            }
        }
    }

    @Test("a scalar repeated many times in one input keeps the last value")
    func lastScalarWins() throws {
        var bytes: [UInt8] = []
        for v in 1...50 { bytes += Raw.varintField(1, UInt64(v)) + Raw.string(7, "s\(v)") }
        let m = try TestAllKinds(serializedBytes: bytes)
        #expect(m.int32 == 50)
        #expect(m.string == "s50")
        // The same inside a sub-message split over several occurrences.
        let n1 = Raw.lengthDelimited(16, Raw.varintField(1, 5) + Raw.string(2, "x"))
        let n2 = Raw.lengthDelimited(16, Raw.varintField(1, 6))
        let merged = try TestAllKinds(serializedBytes: n1 + n2)
        #expect(merged.nested?.a == 6)
        #expect(merged.nested?.b == "x")
    }

    @Test("map entries: missing key or value take defaults, order inside an entry is free, last key wins")
    func mapEntries() throws {
        // value before key, and an unknown field in the entry that is dropped
        let swapped = Raw.lengthDelimited(14, Raw.varintField(2, 9) + Raw.varintField(3, 1) + Raw.string(1, "k"))
        #expect(try TestAllKinds(serializedBytes: swapped).stringToInt64 == ["k": 9])
        // no key
        #expect(try TestAllKinds(serializedBytes: Raw.lengthDelimited(14, Raw.varintField(2, 4))).stringToInt64 == ["": 4])
        // no value
        #expect(try TestAllKinds(serializedBytes: Raw.lengthDelimited(14, Raw.string(1, "v"))).stringToInt64 == ["v": 0])
        // empty entry
        #expect(try TestAllKinds(serializedBytes: Raw.lengthDelimited(14, [])).stringToInt64 == ["": 0])
        #expect(try TestAllKinds(serializedBytes: Raw.lengthDelimited(15, [])).int32ToNested == [0: TestNested()])
        // key twice inside one entry: the last one counts
        let twice = Raw.lengthDelimited(14, Raw.string(1, "a") + Raw.string(1, "b") + Raw.varintField(2, 1))
        #expect(try TestAllKinds(serializedBytes: twice).stringToInt64 == ["b": 1])
        // the same key in many entries
        var many: [UInt8] = []
        for v in 0..<20 { many += Raw.lengthDelimited(14, Raw.string(1, "same") + Raw.varintField(2, UInt64(v))) }
        #expect(try TestAllKinds(serializedBytes: many).stringToInt64 == ["same": 19])
        // a message value
        let nested = Raw.lengthDelimited(15, Raw.varintField(1, 3) + Raw.lengthDelimited(2, Raw.varintField(1, 8)))
        #expect(try TestAllKinds(serializedBytes: nested).int32ToNested == [3: TestNested.with { $0.a = 8 }])
    }

    @Test("map entries are written sorted by key, so equal maps give equal bytes")
    func deterministicMaps() throws {
        let keys = ["b", "a", "c", "", "aa", "é", "Z", "😀", "ab", "\u{7F}", "\u{80}"]
        var rng = SplitMix64(seed: 3)
        var reference: [UInt8]? = nil
        for _ in 0..<50 {
            var m = TestAllKinds()
            var shuffled = keys
            shuffled.shuffle(using: &rng)
            // Different insertion orders and capacities give different dictionary layouts.
            m.stringToInt64.reserveCapacity(rng.int(0...64))
            for k in shuffled { m.stringToInt64[k] = Int64(k.utf8.count * 10) }
            let bytes = m.serializedBytes()
            if let reference { #expect(bytes == reference) } else { reference = bytes }
        }
        // The order is the keys' byte order (these keys are all in normal form, where that equals String order).
        let decodedKeys = scanFields(reference!).fields.map { f -> String in
            let entry = Array(reference![(f.start + f.tagLength + f.lengthLength)..<f.end])
            let key = scanFields(entry).fields.first!
            return String(decoding: entry[(key.start + key.tagLength + key.lengthLength)..<key.end], as: UTF8.self)
        }
        #expect(decodedKeys == keys.sorted())
        #expect(decodedKeys.map { Array($0.utf8) } == keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })

        // Larger maps (radix passes on the keys' bytes, eight at a time, ties by whole keys):
        // random keys from a small alphabet, so that many share prefixes of every length.
        let alphabet: [String] = ["a", "b", "-", "é", "😀", "\u{7F}", "\u{80}", "Z", "\u{0}"]
        for size in [2, 24, 25, 26, 100, 300] {
            var big = TestAllKinds()
            while big.stringToInt64.count < size {
                let length = rng.int(0...12)
                let key = (0..<length).map { _ in alphabet[rng.int(0..<alphabet.count)] }.joined()
                big.stringToInt64[key] = Int64(big.stringToInt64.count)
            }
            let bytes = big.serializedBytes()
            let order = scanFields(bytes).fields.map { f -> [UInt8] in
                let entry = Array(bytes[(f.start + f.tagLength + f.lengthLength)..<f.end])
                guard let key = scanFields(entry).fields.first, key.fieldNumber == 1 else { return [] }
                return Array(entry[(key.start + key.tagLength + key.lengthLength)..<key.end])
            }
            #expect(order == big.stringToInt64.keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) },
                    "\(size) keys")
            #expect(try TestAllKinds(serializedBytes: bytes) == big)
        }

        // Integer keys sort numerically, negatives first.
        var ints = TestAllKinds()
        for k: Int32 in [5, -1, .max, 0, .min, 300, -300] { ints.int32ToNested[k] = TestNested.with { $0.a = k } }
        let bytes = ints.serializedBytes()
        let order = try scanFields(bytes).fields.map { f -> Int32 in
            let entry = Array(bytes[(f.start + f.tagLength + f.lengthLength)..<f.end])
            let key = scanFields(entry).fields.first!
            #expect(key.fieldNumber == 1)
            return try decodeField(ProtoInt32.self, Array(entry[key.start..<key.end])).1
        }
        #expect(order == [.min, -300, -1, 0, 5, 300, .max])
        #expect(Bool.mapKeyPrecedes(false, true) && !Bool.mapKeyPrecedes(true, false) && !Bool.mapKeyPrecedes(true, true))
    }

    @Test("keys that share their first bytes, or all of them but a few, are written in byte order")
    func mapKeysSharingPrefixes() throws {
        /// The keys of `bytes`' `string_to_int64` entries, in the order written.
        func writtenKeys(_ bytes: [UInt8]) -> [[UInt8]] {
            scanFields(bytes).fields.map { f -> [UInt8] in
                let entry = Array(bytes[(f.start + f.tagLength + f.lengthLength)..<f.end])
                guard let key = scanFields(entry).fields.first, key.fieldNumber == 1 else { return [] }
                return Array(entry[(key.start + key.tagLength + key.lengthLength)..<key.end])
            }
        }
        var rng = SplitMix64(seed: 0x4D41_5053)
        let long = String(repeating: "shared/", count: 50)  // 350 bytes: past the radix passes' 256
        let sets: [(String, [String])] = [
            ("counter_000 ... counter_099", (0..<100).map { "counter_" + String(String($0 + 1000).dropFirst()) }),
            ("10,000 keys sharing 8 bytes", (0..<10_000).map { "counter_\($0)" }),
            ("keys ending on and around eight-byte words, with NULs", [
                "counter_", "counter_\u{0}", "counter_\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}", "counter_a", "counter_\u{0}a",
                "counter_abcdefgh", "counter_abcdefg", "counter_abcdefghi", "counter_abcdefgh\u{0}", "counter", "counter_é",
                "counter_😀", "counter_\u{7F}", "counter_\u{80}", "", "c",
            ]),
            ("keys sharing 350 bytes", (0..<40).map { (_: Int) -> String in long + String(rng.int(0...1_000_000)) } + [long, long + "\u{0}"]),
            ("random keys sharing 0 to 40 bytes", (0..<500).map { (_: Int) -> String in
                String(repeating: "ab", count: rng.int(0...20)) + String(rng.int(0...999), radix: 36)
            }),
        ]
        for (name, keys) in sets {
            var m = TestAllKinds()
            var shuffled = keys
            shuffled.shuffle(using: &rng)
            for (i, k) in shuffled.enumerated() { m.stringToInt64[k] = Int64(i) }
            let bytes = m.serializedBytes()
            let expected = m.stringToInt64.keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
            #expect(writtenKeys(bytes) == expected, "\(name)")
            #expect(try TestAllKinds(serializedBytes: bytes) == m, "\(name)")
            // Another insertion order gives the same bytes.
            var again = TestAllKinds()
            for k in keys.reversed() { again.stringToInt64[k] = m.stringToInt64[k] }
            #expect(again.serializedBytes() == bytes, "\(name)")
        }
        #expect(String.mapOrderPrefix("counter_abcdefgh", depth: 1) == String.mapOrderPrefix("abcdefgh"))
        #expect(String.mapOrderPrefix("counter_", depth: 1) == nil)
        #expect(String.mapOrderPrefix("counter_x", depth: 1) == String.mapOrderPrefix("x"))
        #expect(Int64.mapOrderPrefix(5, depth: 1) == nil)
    }

    @Test("unknown fields are kept byte for byte and written after the known fields")
    func unknownFieldsPreserved() throws {
        let unknown1 = Raw.tag(100, 0) + hex("80 00")  // a zero-padded varint, kept as is
        let unknown2 = Raw.lengthDelimited(101, [1, 2, 3])
        let unknown3 = Raw.fixed32Field(102, 7) + Raw.fixed64Field(103, 8)
        let unknown4 = hex("c0 8c 80 80 00 05")  // field 200 varint 5, with a padded tag
        let unknown5 = Raw.varintField(UInt64(maximumFieldNumber - 1), .max)
        let input = unknown1 + Raw.varintField(1, 5) + unknown2 + Raw.string(7, "x") + unknown3 + unknown4
            + Raw.varintField(2, 1) + unknown5
        let m = try TestAllKinds(serializedBytes: input)
        #expect(m.int32 == 5)
        #expect(m.string == "x")
        #expect(m.sint64 == -1)
        #expect(m.unknownFields.bytes == unknown1 + unknown2 + unknown3 + unknown4 + unknown5)
        #expect(m.unknownFields.count == m.unknownFields.bytes.count)
        #expect(!m.unknownFields.isEmpty)

        let out = m.serializedBytes()
        #expect(out == Raw.varintField(1, 5) + Raw.varintField(2, 1) + Raw.string(7, "x") + m.unknownFields.bytes)
        let again = try TestAllKinds(serializedBytes: out)
        #expect(again == m)

        // A message that knows none of the fields keeps the whole input.
        let n = try TestNested(serializedBytes: unknown1 + unknown2 + unknown3)
        #expect(n.unknownFields.bytes == unknown1 + unknown2 + unknown3)
        #expect(n.serializedBytes() == unknown1 + unknown2 + unknown3)

        // Unknown fields of a sub-message stay in the sub-message.
        let sub = try TestAllKinds(serializedBytes: Raw.lengthDelimited(16, Raw.varintField(1, 1) + unknown2))
        #expect(sub.unknownFields.isEmpty)
        #expect(sub.nested?.unknownFields.bytes == unknown2)
    }

    @Test("groups in unknown fields are skipped whole, nested groups and lookalike bytes included")
    func unknownGroups() throws {
        // Inside the group: field numbers the message knows (which must not be applied), a
        // length-delimited payload containing end-group bytes, and a nested group.
        let tricky = Raw.lengthDelimited(7, Raw.tag(100, 4) + Raw.tag(1, 4))
        let inner = Raw.group(101, Raw.varintField(1, 99) + Raw.group(102, []))
        let group = Raw.group(100, Raw.varintField(1, 150) + Raw.string(7, "no") + tricky + inner + Raw.fixed32Field(3, 1)
                                + Raw.fixed64Field(4, 1))
        let input = group + Raw.varintField(1, 5) + Raw.group(200, []) + Raw.group(UInt64(maximumFieldNumber - 1), Raw.varintField(1, 1))
        let m = try TestAllKinds(serializedBytes: input)
        #expect(m.int32 == 5)
        #expect(m.string == "")
        #expect(m.fixed32 == 0)
        #expect(m.unknownFields.bytes == group + Raw.group(200, []) + Raw.group(UInt64(maximumFieldNumber - 1), Raw.varintField(1, 1)))
        #expect(try TestAllKinds(serializedBytes: m.serializedBytes()) == m)

        // 100 groups nested inside one another are within the limit.
        var deep: [UInt8] = Raw.varintField(1, 1)
        for level in 0..<WireReader.recursionLimit { deep = Raw.group(UInt64(50 + level), deep) }
        let d = try TestAllKinds(serializedBytes: deep)
        #expect(d.unknownFields.bytes == deep)
        #expect(d.int32 == 0)

        // A group inside a sub-message.
        let sub = try TestAllKinds(serializedBytes: Raw.lengthDelimited(16, group + Raw.varintField(1, 3)))
        #expect(sub.nested?.a == 3)
        #expect(sub.nested?.unknownFields.bytes == group)
    }

    @Test("a closed enum's undeclared numbers go to unknownFields, in order, and come back out")
    func closedEnumUnknowns() throws {
        let m = try TestAllKinds(serializedBytes: hex("58 07"))
        #expect(m.size == nil)
        #expect(m.unknownFields.bytes == hex("58 07"))
        #expect(m.serializedBytes() == hex("58 07"))

        // A declared value is kept while an undeclared one later does not clear it.
        let kept = try TestAllKinds(serializedBytes: hex("58 02 58 07"))
        #expect(kept.size == .medium)
        #expect(kept.unknownFields.bytes == hex("58 07"))

        // Negative and padded undeclared numbers are kept verbatim, between other unknown fields.
        let input = Raw.varintField(100, 1) + hex("58 f9 ff ff ff ff ff ff ff ff 01") + Raw.varintField(101, 2) + hex("58 84 80 00")
        let n = try TestAllKinds(serializedBytes: input)
        #expect(n.size == nil)
        #expect(n.unknownFields.bytes == input)

        // Declared values, padded or ten bytes long, are read.
        #expect(try TestAllKinds(serializedBytes: hex("58 81 00")).size == .small)
        #expect(try TestAllKinds(serializedBytes: hex("58 ff ff ff ff ff ff ff ff ff 01")).size == .tiny)
        #expect(try TestAllKinds(serializedBytes: hex("58 e8 07")).size == .huge)

        // Repeated, unpacked: undeclared elements are kept with their own tags.
        let r = try TestAllKinds(serializedBytes: hex("88 01 01 88 01 09 88 01 02"))
        #expect(r.sizes == [.small, .medium])
        #expect(r.unknownFields.bytes == hex("88 01 09"))

        // Repeated, packed: undeclared elements become one varint field each.
        let p = try TestAllKinds(serializedBytes: hex("8a 01 05 01 07 02 09 03"))
        #expect(p.sizes == [.small, .medium, .large])
        #expect(p.unknownFields.bytes == hex("88 01 07 88 01 09"))
        let pOut = p.serializedBytes()
        #expect(pOut == hex("8a 01 03 01 02 03 88 01 07 88 01 09"))
        let pBack = try TestAllKinds(serializedBytes: pOut)
        #expect(pBack == p)
        // A negative undeclared number in a packed run is written back as ten bytes.
        let neg = try TestAllKinds(serializedBytes: hex("8a 01 0a fe ff ff ff ff ff ff ff ff 01"))
        #expect(neg.sizes.isEmpty)
        #expect(neg.unknownFields.bytes == hex("88 01 fe ff ff ff ff ff ff ff ff 01"))
    }

    @Test("readMessage into a non-optional message merges into it")
    func readMessageNonOptional() throws {
        // The form generated code uses for oneof members being merged: the tag was matched by the
        // caller, so the reader reads a length-delimited message whatever the tag says.
        func read(_ bytes: [UInt8], into message: inout TestNested) throws(WireDecodingError) {
            var failure: WireDecodingError?
            bytes.withUnsafeBytes { buffer in
                var reader = WireReader(buffer)
                do throws(WireDecodingError) {
                    while try reader.nextTag() != nil { try reader.readMessage(into: &message) }
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
        }
        var n = TestNested.with { $0.a = 1; $0.b = "kept"; $0.c = [1] }
        try read(Raw.lengthDelimited(7, Raw.varintField(1, 2) + Raw.lengthDelimited(3, [4])), into: &n)
        #expect(n == TestNested.with { $0.a = 2; $0.b = "kept"; $0.c = [1, 2] })
        #expect(throws: WireDecodingError(.truncated, fieldNumber: 1, offset: 3)) {
            try read(Raw.lengthDelimited(7, Raw.tag(1, 0)), into: &n)
        }
        #expect(throws: WireDecodingError(.lengthOutOfBounds, fieldNumber: 7, offset: 1)) {
            try read(Raw.tag(7, 2) + [5, 0], into: &n)
        }
    }

    @Test("nesting up to the recursion limit decodes")
    func nestingWithinLimit() throws {
        for levels in [0, 1, 50, WireReader.recursionLimit] {
            let m = TestRecursive.chain(levels: levels, value: 42)
            let bytes = m.serializedBytes()
            #expect(bytes.count == m.encodedSize())
            let back = try TestRecursive(serializedBytes: bytes)
            #expect(back.depth == levels)
            #expect(back == m)
        }
    }

    @Test("with(_:) builds a message and debugDescription shows what is set")
    func conveniences() {
        let m = TestAllKinds.with {
            $0.int32 = 3
            $0.string = "hi"
            $0.nested = TestNested.with { $0.a = 1 }
        }
        #expect(m.int32 == 3 && m.string == "hi" && m.nested?.a == 1)
        let text = m.debugDescription
        #expect(text.hasPrefix("test.TestAllKinds("))
        #expect(text.contains("int32: 3"))
        #expect(text.contains("string: \"hi\""))
        #expect(text.contains("nested: test.TestNested(a: 1)"))
        #expect(!text.contains("sint64"))
        #expect(TestAllKinds().debugDescription == "test.TestAllKinds()")
    }
}
