import Foundation
import ProtoWire
import Testing
import TestSupport

/// One or two random edits: flip bits, overwrite, insert, delete, truncate, duplicate,
/// splice in bad varints, or graft in a whole field from another valid encoding.
private func mutate(_ input: [UInt8], donor: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
    var bytes = input
    let edits = rng.chance(70) ? 1 : 2
    for _ in 0..<edits {
        switch rng.int(0..<9) {
        case 8 where !donor.isEmpty:  // graft a whole top-level field of another encoding between two fields
            let donorFields = scanFields(donor).fields
            let f = rng.pick(donorFields)
            let boundaries = [0] + scanFields(input).fields.map(\.end)
            let at = min(rng.pick(boundaries), bytes.count)
            bytes.insert(contentsOf: donor[f.start..<f.end], at: at)
        case 0 where !bytes.isEmpty:  // flip one bit
            let i = rng.int(0..<bytes.count)
            bytes[i] ^= 1 << UInt8(rng.int(0..<8))
        case 1 where !bytes.isEmpty:  // overwrite a byte, often with an interesting value
            let i = rng.int(0..<bytes.count)
            bytes[i] = rng.chance(50) ? rng.pick([0x00, 0x7F, 0x80, 0xFF, 0x0B, 0x0C, 0x0E, 0x0F, 0xC0, 0xED, 0xF4]) : rng.byte()
        case 2:  // insert random bytes
            let i = rng.int(0...bytes.count)
            bytes.insert(contentsOf: rng.bytes(rng.int(1...4)), at: i)
        case 3 where !bytes.isEmpty:  // delete a run
            let i = rng.int(0..<bytes.count)
            let n = min(rng.int(1...4), bytes.count - i)
            bytes.removeSubrange(i..<(i + n))
        case 4 where !bytes.isEmpty:  // truncate
            bytes.removeLast(rng.int(1...bytes.count))
        case 5 where !bytes.isEmpty:  // duplicate a slice somewhere else
            let i = rng.int(0..<bytes.count)
            let n = min(rng.int(1...8), bytes.count - i)
            let slice = Array(bytes[i..<(i + n)])
            bytes.insert(contentsOf: slice, at: rng.int(0...bytes.count))
        case 6 where !bytes.isEmpty:  // bump a byte by a small amount (lengths and tags)
            let i = rng.int(0..<bytes.count)
            bytes[i] = bytes[i] &+ UInt8(truncatingIfNeeded: rng.int(-2...2))
        default:  // splice in a varint that is too long or a big length
            let i = rng.int(0...bytes.count)
            bytes.insert(contentsOf: rng.chance(50) ? [UInt8](repeating: 0xFF, count: rng.int(9...11)) + [0x01] : Raw.varint(rng.next()), at: i)
        }
    }
    return bytes
}

private struct Tally {
    var tried = 0
    var threw = 0
    var codes: [String: Int] = [:]
}

/// Decodes `bytes` as `M`; on success re-encodes and decodes again and checks the
/// message is stable; on failure checks the error is in range. Never traps.
private func exercise<M: ProtoMessage>(
    _ bytes: [UInt8], as _: M.Type, tally: inout Tally, equal: (M, M) -> Bool
) {
    tally.tried += 1
    let first: M
    do throws(WireDecodingError) {
        first = try M(serializedBytes: bytes)
    } catch {
        tally.threw += 1
        tally.codes[error.code.description, default: 0] += 1
        #expect(error.offset >= 0 && error.offset <= bytes.count, "offset \(error.offset) outside [\(hexString(bytes))]")
        #expect(error.fieldNumber >= 0 && error.fieldNumber <= maximumFieldNumber)
        return
    }
    // Decoded whole, so initialized: encoding it cannot be refused.
    let encoded: [UInt8]
    do {
        encoded = try first.serializedBytes()
    } catch {
        Issue.record("a decoded message was refused on encoding: \(error), input [\(hexString(bytes))]")
        return
    }
    #expect(encoded.count == first.encodedSize())
    do throws(WireDecodingError) {
        let second = try M(serializedBytes: encoded)
        #expect(equal(first, second), "re-decoded message differs, input [\(hexString(bytes))]")
        #expect((try? second.serializedBytes()) == encoded, "encoding is not stable, input [\(hexString(bytes))]")
    } catch {
        Issue.record("our own encoding of a decoded message failed to decode: \(error), input [\(hexString(bytes))]")
    }
}

@Suite("Mutation")
struct MutationTests {
    @Test("thousands of randomly damaged encodings either decode stably or throw WireDecodingError")
    func randomMutations() {
        var rng = SplitMix64(seed: 0x00C0_FFEE)
        var corpus: [[UInt8]] = []
        for i in 0..<3000 { corpus.append(rng.message(fill: i % 2 == 0 ? 40 : 85).serializedBytes()) }
        for _ in 0..<300 { corpus.append(TestRecursive.chain(levels: rng.int(0...8), value: rng.int32()).serializedBytes()) }

        var all = Tally()
        var perType: [String: Tally] = [:]
        for original in corpus {
            for _ in 0..<4 {
                let bytes = mutate(original, donor: rng.pick(corpus), &rng)
                var t1 = perType["TestAllKinds", default: Tally()]
                exercise(bytes, as: TestAllKinds.self, tally: &t1) { a, b in
                    a.containsNaN ? a.serializedBytes() == b.serializedBytes() : a == b
                }
                perType["TestAllKinds"] = t1
                var t2 = perType["TestNested", default: Tally()]
                exercise(bytes, as: TestNested.self, tally: &t2) { $0 == $1 }
                perType["TestNested"] = t2
                var t3 = perType["TestRecursive", default: Tally()]
                exercise(bytes, as: TestRecursive.self, tally: &t3) { $0 == $1 }
                perType["TestRecursive"] = t3
            }
        }
        for (_, t) in perType {
            all.tried += t.tried
            all.threw += t.threw
            for (k, v) in t.codes { all.codes[k, default: 0] += v }
        }
        print("mutation test: \(corpus.count * 4) mutated inputs, \(all.tried) decodes tried, \(all.threw) threw, \(all.tried - all.threw) decoded")
        for (name, t) in perType.sorted(by: { $0.key < $1.key }) {
            print("  \(name): tried \(t.tried), threw \(t.threw)")
        }
        for (code, n) in all.codes.sorted(by: { $0.value > $1.value }) { print("  \(code): \(n)") }
        #expect(all.tried >= 12_000)
        // A healthy mix: plenty of both outcomes for the main message, and most error codes turn up.
        let main = perType["TestAllKinds"]!
        #expect(main.threw > main.tried / 5)
        #expect(main.tried - main.threw > main.tried / 5)
        #expect(all.codes.count >= 7)
    }

    @Test("random bytes never trap the decoder")
    func randomNoise() {
        var rng = SplitMix64(seed: 12345)
        var tally = Tally()
        for _ in 0..<5000 {
            let bytes = rng.bytes(rng.int(0...64))
            exercise(bytes, as: TestAllKinds.self, tally: &tally) { a, b in
                a.containsNaN ? a.serializedBytes() == b.serializedBytes() : a == b
            }
        }
        print("random noise: \(tally.tried) inputs, \(tally.threw) threw")
        #expect(tally.tried == 5000)
        #expect(tally.threw > 0)
    }
}
