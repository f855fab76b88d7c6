// Bad input for the JSON reader and the text-format parser: every truncation of valid
// documents and thousands of random mutations of them. Each must either decode (and then
// re-encode to something that decodes to the same message) or throw the format's typed error
// with a position inside the input. A trap fails the whole run.

import Foundation
import ProtoWire
import Testing
import TestSupport

/// One or two random edits of a text document: bytes flipped, replaced by structural characters,
/// inserted, deleted, duplicated, or numbers and nestings that stress the limits spliced in.
private func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
    var bytes = input
    let specials = Array("{}[]\":,\\-+.0123456789eEnultrfaxX#'<>;\n \u{7F}".utf8) + [0x00, 0xC0, 0xFF, 0xE2, 0x80]
    let splices = ["1e999999", "-0", "18446744073709551616", "\"\\uD800\"", "\\u00", "null", "[[[[[[", "{{{{", "\"@type\"", "NaN",
                   "\"Infinity\"", "0x7FFFFFFFFFFFFFFFF", "9223372036854775808", "1.5e-400", "'\\U0010FFFF'", "[type.googleapis.com/x]"]
    for _ in 0..<(rng.chance(70) ? 1 : 2) {
        switch rng.int(0..<8) {
        case 0 where !bytes.isEmpty:
            let i = rng.int(0..<bytes.count)
            bytes[i] ^= 1 << UInt8(rng.int(0..<8))
        case 1 where !bytes.isEmpty:
            bytes[rng.int(0..<bytes.count)] = rng.pick(specials)
        case 2:
            bytes.insert(rng.pick(specials), at: rng.int(0...bytes.count))
        case 3 where !bytes.isEmpty:
            let i = rng.int(0..<bytes.count)
            bytes.removeSubrange(i..<min(bytes.count, i + rng.int(1...6)))
        case 4 where !bytes.isEmpty:
            bytes.removeLast(rng.int(1...bytes.count))
        case 5 where !bytes.isEmpty:
            let i = rng.int(0..<bytes.count)
            let slice = Array(bytes[i..<min(bytes.count, i + rng.int(1...12))])
            bytes.insert(contentsOf: slice, at: rng.int(0...bytes.count))
        case 6:
            bytes.insert(contentsOf: Array(rng.pick(splices).utf8), at: rng.int(0...bytes.count))
        default:
            bytes.insert(contentsOf: rng.bytes(rng.int(1...3)), at: rng.int(0...bytes.count))
        }
    }
    return bytes
}

private struct Tally {
    var tried = 0
    var failed = 0
    var codes: [String: Int] = [:]
}

private func exerciseJSON(_ input: [UInt8], _ tally: inout Tally) {
    tally.tried += 1
    let options = JSONDecodingOptions(ignoreUnknownFields: tally.tried % 3 == 0, typeRegistry: formatTestRegistry)
    let first: FormatAllTypes
    do throws(JSONDecodingError) {
        first = try FormatAllTypes(jsonUTF8Bytes: input, options: options)
    } catch {
        tally.failed += 1
        tally.codes[error.code.description, default: 0] += 1
        #expect(error.offset >= 0 && error.offset <= input.count, "offset \(error.offset) outside \(input.count) bytes: \(error)")
        #expect(error.path.hasPrefix("$") && !error.message.isEmpty)
        return
    }
    // What was accepted writes and reads back the same.
    do {
        let again = try first.jsonUTF8Bytes(options: JSONEncodingOptions(typeRegistry: formatTestRegistry))
        let second = try FormatAllTypes(jsonUTF8Bytes: again, options: JSONDecodingOptions(typeRegistry: formatTestRegistry))
        #expect(second.serializedBytes() == first.serializedBytes(), "unstable: \(String(decoding: input, as: UTF8.self))")
    } catch {
        Issue.record("accepted input did not survive a second pass: \(error)\n\(String(decoding: input, as: UTF8.self))")
    }
}

private func exerciseText(_ input: [UInt8], _ tally: inout Tally) {
    tally.tried += 1
    let text = String(decoding: input, as: UTF8.self)
    let options = TextFormatDecodingOptions(typeRegistry: formatTestRegistry)
    let first: FormatAllTypes
    do throws(TextFormatDecodingError) {
        first = try FormatAllTypes(textFormatString: text, options: options)
    } catch {
        tally.failed += 1
        tally.codes[error.code.description, default: 0] += 1
        let size = text.utf8.count
        #expect(error.offset >= 0 && error.offset <= size, "offset \(error.offset) outside \(size) bytes: \(error)")
        #expect(error.line >= 1 && error.column >= 1 && !error.message.isEmpty)
        return
    }
    do {
        let printed = first.textFormatString(options: TextFormatEncodingOptions(typeRegistry: formatTestRegistry))
        let second = try FormatAllTypes(textFormatString: printed, options: options)
        #expect(second.serializedBytes() == first.serializedBytes(), "unstable: \(text)")
    } catch {
        Issue.record("accepted input did not survive a second pass: \(error)\n\(text)")
    }
}

@Suite("Malformed JSON and text-format input")
struct FormatMalformedInputTests {
    static func seeds() -> [FormatAllTypes] {
        var rng = SplitMix64(seed: 0xBAD_5EED)
        var messages = (0..<40).map { _ in rng.formatAllTypes(finite: true) }
        messages.append(FormatAllTypes.with {
            $0.optionalAny = Google_Protobuf_Any(packing: FormatAllTypes.with { $0.optionalInt32 = 1; $0.repeatedString = ["a"] })
            $0.optionalStruct = ["k": [1, "two", nil, ["deep": [true]]]]
            $0.optionalTimestamp = Google_Protobuf_Timestamp(seconds: 1, nanos: 5)
            $0.optionalDuration = Google_Protobuf_Duration(seconds: -2, nanos: -1)
            $0.optionalFieldMask = Google_Protobuf_FieldMask(paths: ["a_b.c"])
            $0.mapBoolBool = [true: false]
            $0.repeatedBytes = [Data([0xFF, 0, 1])]
            $0.optionalString = "\"\\\u{1}é😁"
        })
        return messages
    }

    @Test("every truncation of some and 10,000 mutations of valid JSON: decoded or a typed error")
    func mutatedJSON() throws {
        let docs = try Self.seeds().map { try $0.jsonUTF8Bytes(options: JSONEncodingOptions(typeRegistry: formatTestRegistry)) }
        var tally = Tally()
        for doc in docs.prefix(3) {
            for n in 0..<doc.count { exerciseJSON(Array(doc[..<n]), &tally) }
        }
        var rng = SplitMix64(seed: 0x4A53_4F4E_4655_5A5A)
        for _ in 0..<10_000 { exerciseJSON(mutate(rng.pick(docs), &rng), &tally) }
        print("JSON: \(tally.tried) inputs, \(tally.failed) refused: \(tally.codes.sorted { $0.key < $1.key })")
        #expect(tally.failed > tally.tried / 2, "most mutations should be refused")
        #expect(tally.codes.count >= 8, "the mutations should reach many kinds of error")
    }

    @Test("every truncation of some and 10,000 mutations of valid text: parsed or a typed error")
    func mutatedText() {
        let printing = TextFormatEncodingOptions(typeRegistry: formatTestRegistry)
        let docs = Self.seeds().map { Array($0.textFormatString(options: printing).utf8) }
        var tally = Tally()
        for doc in docs.prefix(3) {
            for n in 0..<doc.count { exerciseText(Array(doc[..<n]), &tally) }
        }
        var rng = SplitMix64(seed: 0x5445_5854_4655_5A5A)
        for _ in 0..<10_000 { exerciseText(mutate(rng.pick(docs), &rng), &tally) }
        print("text: \(tally.tried) inputs, \(tally.failed) refused: \(tally.codes.sorted { $0.key < $1.key })")
        #expect(tally.failed > tally.tried / 3)
        #expect(tally.codes.count >= 7)
    }

    @Test("random bytes are refused without trapping")
    func randomBytes() {
        var rng = SplitMix64(seed: 42)
        var json = Tally(), text = Tally()
        for _ in 0..<3000 {
            let bytes = rng.bytes(rng.int(0...64))
            exerciseJSON(bytes, &json)
            exerciseText(bytes, &text)
        }
        #expect(json.failed > 2900)
        #expect(text.failed > 2500)
    }
}
