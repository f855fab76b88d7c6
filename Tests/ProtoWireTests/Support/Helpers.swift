// Test-side tools: a seeded PRNG, an independent little wire builder (so the
// expected bytes in tests do not come from the code under test), and helpers
// for expecting decode errors.

import Foundation
import ProtoWire
import Testing
import TestSupport

// MARK: Hex

/// Bytes from hex such as `"08 96 01"`; spaces are ignored.
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }
    precondition(digits.count % 2 == 0, "odd number of hex digits in \(text)")
    var out: [UInt8] = []
    var i = digits.startIndex
    while i < digits.endIndex {
        let j = digits.index(i, offsetBy: 2)
        out.append(UInt8(digits[i..<j], radix: 16)!)
        i = j
    }
    return out
}

/// `"08 96 01"` for bytes, for messages.
func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        .joined(separator: " ")
}

// MARK: Raw wire builder

/// Builds wire bytes by hand, independently of `WireWriter`.
enum Raw {
    static func varint(_ value: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        var v = value
        repeat {
            var b = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }

    /// A tag with any field number and any of the eight wire-type values.
    static func tag(_ field: UInt64, _ wireType: UInt8) -> [UInt8] { varint(field << 3 | UInt64(wireType & 7)) }

    static func fixed32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } }
    static func fixed64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } }

    static func varintField(_ field: UInt64, _ v: UInt64) -> [UInt8] { tag(field, 0) + varint(v) }
    static func fixed64Field(_ field: UInt64, _ v: UInt64) -> [UInt8] { tag(field, 1) + fixed64(v) }
    static func fixed32Field(_ field: UInt64, _ v: UInt32) -> [UInt8] { tag(field, 5) + fixed32(v) }
    static func lengthDelimited(_ field: UInt64, _ payload: [UInt8]) -> [UInt8] {
        tag(field, 2) + varint(UInt64(payload.count)) + payload
    }
    static func string(_ field: UInt64, _ s: String) -> [UInt8] { lengthDelimited(field, Array(s.utf8)) }
    static func group(_ field: UInt64, _ body: [UInt8]) -> [UInt8] { tag(field, 3) + body + tag(field, 4) }
}

// MARK: Decoding helpers

/// The error decoding `bytes` as `M` throws, or nil when it decodes.
func decodeError<M: ProtoMessage>(_ bytes: [UInt8], as _: M.Type = TestAllKinds.self) -> WireDecodingError? {
    do throws(WireDecodingError) {
        _ = try M(serializedBytes: bytes)
        return nil
    } catch {
        return error
    }
}

/// Expects decoding `bytes` to throw `code`, and when given, to name `field` and `offset`.
/// Returns true when everything matched.
@discardableResult
func expectDecodeError<M: ProtoMessage>(
    _ bytes: [UInt8],
    as type: M.Type = TestAllKinds.self,
    code: WireDecodingError.Code,
    field: Int? = nil,
    offset: Int? = nil,
    _ note: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) -> Bool {
    guard let error = decodeError(bytes, as: type) else {
        Issue.record("expected \(code) but [\(hexString(bytes))] decoded. \(note)", sourceLocation: sourceLocation)
        return false
    }
    var ok = true
    if error.code != code {
        Issue.record("expected \(code), got \(error) for [\(hexString(bytes))]. \(note)", sourceLocation: sourceLocation)
        ok = false
    }
    if let field, error.fieldNumber != field {
        Issue.record("expected field \(field), got \(error) for [\(hexString(bytes))]. \(note)", sourceLocation: sourceLocation)
        ok = false
    }
    if let offset, error.offset != offset {
        Issue.record("expected offset \(offset), got \(error) for [\(hexString(bytes))]. \(note)", sourceLocation: sourceLocation)
        ok = false
    }
    return ok
}

/// Encodes one field with codec `C` (a tag, then `C.write`), checking that `C.size(of:)` agrees.
func encodeField<C: FieldCodec>(
    _: C.Type, _ field: Int, _ value: C.Value, sourceLocation: SourceLocation = #_sourceLocation
) -> [UInt8] {
    let size = WireSize.tag(field) + C.size(of: value)
    var out = [UInt8](repeating: 0xEE, count: size + 16)  // guard bytes after the field
    let written = out.withUnsafeMutableBytes { buffer in
        var w = WireWriter(start: buffer.baseAddress!)
        w.writeTag(field, C.wireType)
        C.write(value, to: &w)
        return w.position - buffer.baseAddress!
    }
    #expect(written == size, "the codec's size disagrees with the bytes written", sourceLocation: sourceLocation)
    #expect(out[size...].allSatisfy { $0 == 0xEE }, "wrote past the computed size", sourceLocation: sourceLocation)
    return Array(out[..<written])
}

/// Reads a single field written by `encodeField` back: its tag, then `C.read`.
func decodeField<C: FieldCodec>(_: C.Type, _ bytes: [UInt8]) throws(WireDecodingError) -> (FieldTag, C.Value, atEnd: Bool) {
    var result: Result<(FieldTag, C.Value, Bool), WireDecodingError>!
    bytes.withUnsafeBytes { buffer in
        var r = WireReader(buffer)
        do throws(WireDecodingError) {
            guard let tag = try r.nextTag() else {
                throw WireDecodingError(.truncated, fieldNumber: 0, offset: 0)
            }
            let v = try C.read(from: &r)
            result = .success((tag, v, r.isAtEnd))
        } catch {
            result = .failure(error)
        }
    }
    return try result.get()
}

/// Decodes, re-encodes and decodes again; both decodes must agree and the second
/// encoding must equal the first (encoding is deterministic).
func expectStableRoundTrip(
    _ message: TestAllKinds, sourceLocation: SourceLocation = #_sourceLocation
) throws(WireDecodingError) {
    let first = message.serializedBytes()
    let decoded = try TestAllKinds(serializedBytes: first)
    let second = decoded.serializedBytes()
    #expect(second == first, "re-encoding changed the bytes", sourceLocation: sourceLocation)
    if !message.containsNaN {
        #expect(decoded == message, sourceLocation: sourceLocation)
    }
}
