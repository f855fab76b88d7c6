import Foundation
import ProtoWire
import Testing

/// Guards against inputs that make decoding super-linear. Times are compared with a
/// linear baseline measured in the same run, with a generous factor, so a slow or busy
/// machine does not fail them; a quadratic regression overshoots them by far.
@Suite("Complexity")
struct ComplexityTests {
    @Test("many one-element packed runs of one field decode in linear time")
    func manySmallPackedRuns() throws {
        // 1.6 million runs of one fixed32 each: 11 MB. Reserving exactly `count + run` per run
        // made this copy the growing array every time, about 8 s even in release builds.
        let runs = 1_600_000
        var bytes: [UInt8] = []
        bytes.reserveCapacity(runs * 7)
        for i in 0..<runs {
            bytes.append(contentsOf: [0x92, 0x01, 0x04, UInt8(truncatingIfNeeded: i), UInt8(truncatingIfNeeded: i >> 8), 0, 0])
        }
        // The baseline: as many elements, unpacked, which appends one at a time.
        var unpacked: [UInt8] = []
        unpacked.reserveCapacity(runs * 6)
        for i in 0..<runs {
            unpacked.append(contentsOf: [0x95, 0x01, UInt8(truncatingIfNeeded: i), UInt8(truncatingIfNeeded: i >> 8), 0, 0])
        }
        var decoded = TestAllKinds()
        var baseline = TestAllKinds()
        let clock = ContinuousClock()
        let elapsed = try clock.measure { decoded = try TestAllKinds(serializedBytes: bytes) }
        let baselineElapsed = try clock.measure { baseline = try TestAllKinds(serializedBytes: unpacked) }
        print("\(runs) packed runs: \(elapsed); \(runs) unpacked elements: \(baselineElapsed)")
        #expect(decoded.fixed32s.count == runs)
        #expect(decoded.fixed32s[1000] == 1000)
        #expect(decoded.fixed32s == baseline.fixed32s)
        #expect(elapsed < baselineElapsed * 5 + .milliseconds(200), "packed runs took \(elapsed), unpacked \(baselineElapsed)")

        // The same for sfixed64 runs mixed with unpacked elements.
        let packedTag: [UInt8] = [0x9A, 0x01, 0x08]
        let unpackedTag: [UInt8] = [0x99, 0x01]
        var mixed: [UInt8] = []
        mixed.reserveCapacity(200_000 * 11)
        for i in 0..<200_000 {
            mixed.append(contentsOf: i % 2 == 0 ? packedTag : unpackedTag)
            mixed.append(contentsOf: [UInt8(truncatingIfNeeded: i), UInt8(truncatingIfNeeded: i >> 8), UInt8(truncatingIfNeeded: i >> 16), 0, 0, 0, 0, 0])
        }
        let m = try TestAllKinds(serializedBytes: mixed)
        #expect(m.sfixed64s.count == 200_000)
        #expect(m.sfixed64s.last == 199_999)
    }
}
