import ProtoWire
import Testing
import TestSupport

/// Every value at which a varint gains a byte, with the size on each side.
private let varintBoundaries: [(value: UInt64, size: Int)] = {
    var cases: [(UInt64, Int)] = [(0, 1), (1, 1)]
    for bytes in 1...9 {
        let firstTooBig = UInt64(1) << UInt64(7 * bytes)
        cases.append((firstTooBig - 1, bytes))
        cases.append((firstTooBig, bytes + 1))
    }
    cases.append((UInt64(1) << 63, 10))
    cases.append((UInt64.max - 1, 10))
    cases.append((UInt64.max, 10))
    return cases
}()

/// Writes `value` with `WireWriter.writeVarint` and returns the bytes.
private func writeVarint(_ value: UInt64) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 16)
    let n = out.withUnsafeMutableBytes { buffer in
        var w = WireWriter(start: buffer.baseAddress!)
        w.writeVarint(value)
        return w.position - buffer.baseAddress!
    }
    return Array(out[..<n])
}

/// Reads one varint with `WireReader.readVarint`, returning it and the bytes consumed.
private func readVarint(_ bytes: [UInt8]) throws(WireDecodingError) -> (UInt64, Int) {
    var result: Result<(UInt64, Int), WireDecodingError>!
    bytes.withUnsafeBytes { buffer in
        var r = WireReader(buffer)
        do throws(WireDecodingError) {
            let v = try r.readVarint()
            result = .success((v, r.offset))
        } catch {
            result = .failure(error)
        }
    }
    return try result.get()
}

@Suite("Varints")
struct VarintTests {
    @Test("size at every length boundary", arguments: varintBoundaries.map { [$0.value, UInt64($0.size)] })
    func sizeAtBoundary(pair: [UInt64]) throws {
        let (value, size) = (pair[0], Int(pair[1]))
        #expect(Varint.size(value) == size)
        let written = writeVarint(value)
        #expect(written.count == size)
        #expect(written == Raw.varint(value))
        // Every byte but the last has its continuation bit set.
        #expect(written.dropLast().allSatisfy { $0 & 0x80 != 0 })
        #expect(written.last! & 0x80 == 0)
        // Read it back both from a tight buffer (careful path) and with slack after it (fast path).
        let (tight, tightUsed) = try readVarint(written)
        #expect(tight == value)
        #expect(tightUsed == size)
        let (loose, looseUsed) = try readVarint(written + [UInt8](repeating: 0xFF, count: 12))
        #expect(loose == value)
        #expect(looseUsed == size)
    }

    @Test("size overloads for Int32, UInt32 and Int")
    func sizeOverloads() {
        #expect(Varint.size(Int32(0)) == 1)
        #expect(Varint.size(Int32(127)) == 1)
        #expect(Varint.size(Int32(128)) == 2)
        #expect(Varint.size(Int32.max) == 5)
        #expect(Varint.size(UInt32.max) == 5)
        #expect(Varint.size(UInt32(1 << 28) - 1) == 4)
        #expect(Varint.size(UInt32(1 << 28)) == 5)
        #expect(Varint.size(Int(300)) == 2)
        #expect(Varint.size(Int(-1)) == 10)
        for shift in 0..<64 {
            let v = UInt64(1) << UInt64(shift)
            #expect(Varint.size(v) == Raw.varint(v).count, "2^\(shift)")
            #expect(Varint.size(v - 1) == Raw.varint(v - 1).count, "2^\(shift) - 1")
        }
    }

    @Test("negative int32 values take ten bytes", arguments: [Int32(-1), -2, -128, -129, Int32.min, Int32.min + 1])
    func negativeInt32(value: Int32) throws {
        #expect(Varint.size(value) == 10)
        #expect(ProtoInt32.size(of: value) == 10)
        let bytes = encodeField(ProtoInt32.self, 1, value)
        #expect(bytes.count == 11)
        // Sign-extended to 64 bits, exactly as an int64 of the same value.
        #expect(bytes == Raw.varintField(1, UInt64(bitPattern: Int64(value))))
        let (_, decoded, atEnd) = try decodeField(ProtoInt32.self, bytes)
        #expect(decoded == value)
        #expect(atEnd)
    }

    @Test("minus one as int32 is ff ff ff ff ff ff ff ff ff 01")
    func minusOneBytes() {
        #expect(encodeField(ProtoInt32.self, 1, -1) == hex("08 ff ff ff ff ff ff ff ff ff 01"))
        #expect(encodeField(EnumCodec<Color>.self, 1, .infrared) == hex("08 fb ff ff ff ff ff ff ff ff 01"))
    }

    @Test("an int32 written as a truncated 5-byte varint by old encoders still decodes")
    func int32FromFiveBytes() throws {
        // Some encoders write negative int32s as 32-bit varints; the value is the low 32 bits.
        let (_, v, _) = try decodeField(ProtoInt32.self, hex("08 ff ff ff ff 0f"))
        #expect(v == -1)
        let (_, u, _) = try decodeField(ProtoUInt32.self, hex("08 ff ff ff ff ff ff ff ff ff 01"))
        #expect(u == UInt32.max)
    }

    @Test("ZigZag maps small magnitudes to small numbers")
    func zigZagTable() {
        let table32: [(Int32, UInt32)] = [
            (0, 0), (-1, 1), (1, 2), (-2, 3), (2, 4), (63, 126), (-64, 127),
            (Int32.max, 0xFFFF_FFFE), (Int32.min, 0xFFFF_FFFF),
        ]
        for (v, z) in table32 {
            #expect(Varint.zigZag(v) == z, "\(v)")
            #expect(Varint.unZigZag(z) == v, "\(z)")
        }
        let table64: [(Int64, UInt64)] = [
            (0, 0), (-1, 1), (1, 2), (-2, 3), (Int64(Int32.max), 0xFFFF_FFFE), (Int64(Int32.min), 0xFFFF_FFFF),
            (Int64.max, UInt64.max - 1), (Int64.min, UInt64.max),
        ]
        for (v, z) in table64 {
            #expect(Varint.zigZag(v) == z, "\(v)")
            #expect(Varint.unZigZag(z) == v, "\(z)")
        }
    }

    @Test("ZigZag round trips at the extremes and across random values")
    func zigZagRoundTrip() {
        var rng = SplitMix64(seed: 0x5A5A)
        var values64: [Int64] = [.min, .min + 1, -1, 0, 1, .max - 1, .max]
        var values32: [Int32] = [.min, .min + 1, -1, 0, 1, .max - 1, .max]
        for _ in 0..<2000 {
            values64.append(rng.int64())
            values32.append(rng.int32())
        }
        for v in values64 {
            #expect(Varint.unZigZag(Varint.zigZag(v)) == v)
        }
        for v in values32 {
            #expect(Varint.unZigZag(Varint.zigZag(v)) == v)
        }
        // Every UInt32 pattern in a sample maps back too: ZigZag is a bijection.
        for _ in 0..<2000 {
            let z = UInt32(truncatingIfNeeded: rng.next())
            #expect(Varint.zigZag(Varint.unZigZag(z)) == z)
        }
    }

    @Test("the reader accepts a non-canonical, zero-padded varint of up to ten bytes")
    func paddedVarints() throws {
        #expect(try readVarint(hex("80 00")) == (0, 2))
        #expect(try readVarint(hex("81 80 80 80 80 80 80 80 80 00")) == (1, 10))
        // The tenth byte only contributes its lowest bit.
        #expect(try readVarint(hex("ff ff ff ff ff ff ff ff ff 01")) == (UInt64.max, 10))
    }

    @Test("an eleven-byte varint is malformed, a cut one truncated")
    func badVarints() {
        for slack in [0, 1, 20] {
            let eleven = [UInt8](repeating: 0x80, count: 10) + [0x00] + [UInt8](repeating: 0, count: slack)
            #expect(throws: WireDecodingError(.malformedVarint, fieldNumber: 0, offset: 0)) {
                try readVarint(eleven)
            }
        }
        for n in 0..<10 {
            let cut = [UInt8](repeating: 0x80, count: n)
            #expect(throws: WireDecodingError(.truncated, fieldNumber: 0, offset: 0), "\(n) bytes") {
                try readVarint(cut)
            }
        }
    }
}
