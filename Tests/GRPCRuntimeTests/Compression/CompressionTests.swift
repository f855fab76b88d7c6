import Foundation
import NIOCore
import Testing
import TestSupport

@testable import GRPCRuntime

@Suite("Message compression")
struct CompressionTests {
    // MARK: - Algorithm names

    @Test("CompressionAlgorithm(name:) knows gRPC's lowercase names and nothing else")
    func algorithmNames() {
        #expect(CompressionAlgorithm(name: "identity") == .identity)
        #expect(CompressionAlgorithm(name: "gzip") == .gzip)
        #expect(CompressionAlgorithm(name: "deflate") == .deflate)
        for algorithm in CompressionAlgorithm.allCases {
            #expect(CompressionAlgorithm(name: algorithm.name) == algorithm)
            #expect(algorithm.description == algorithm.name)
        }
        #expect(CompressionAlgorithm.allCases.map(\.name) == ["identity", "gzip", "deflate"])
        #expect(Set(CompressionAlgorithm.allCases).count == 3)
        for unknown in ["", "snappy", "br", "zstd", "GZIP", "Gzip", " gzip", "gzip ", "x-gzip", "gzip,deflate"] {
            #expect(CompressionAlgorithm(name: unknown) == nil, "\(unknown)")
        }
    }

    // MARK: - Round trips

    @Test(
        "compress then decompress gives the input back",
        arguments: [CompressionAlgorithm.gzip, .deflate, .identity], Sample.allCases
    )
    func roundTrip(algorithm: CompressionAlgorithm, sample: Sample) throws {
        let input = sample.bytes
        var compressor = MessageCompressor(algorithm: algorithm)
        let compressed = try compressor.compressedBytes(input)
        switch algorithm {
        case .gzip:
            #expect(compressed.starts(with: [0x1f, 0x8b, 0x08]))  // gzip magic, deflate method
        case .deflate:
            #expect(compressed.count >= 2 && compressed[0] == 0x78)  // zlib, deflate with a 32 KiB window
            #expect((Int(compressed[0]) << 8 | Int(compressed[1])) % 31 == 0)  // zlib header check bits
        default:
            #expect(compressed == input)
        }
        if algorithm != .identity && sample.isCompressible {
            #expect(compressed.count < input.count / 20, "\(compressed.count) bytes for \(input.count)")
        }
        if algorithm != .identity && sample == .random1MiB {
            #expect(compressed.count < input.count + 1024)  // incompressible data barely grows
        }
        #expect(try compressor.decompressedBytes(compressed, limit: input.count) == input)
        // A separate compressor (a separate peer) reads it too.
        var other = MessageCompressor(algorithm: algorithm)
        #expect(try other.decompressedBytes(compressed, limit: .max) == input)
    }

    @Test("output is appended after what the buffer already holds", arguments: CompressionAlgorithm.allCases)
    func appendsToOutput(algorithm: CompressionAlgorithm) throws {
        let message = Array("hello, hello, hello compression".utf8)
        var compressor = MessageCompressor(algorithm: algorithm)

        var framed = ByteBuffer()
        framed.writeBytes([0x01, 0xAA, 0xBB, 0xCC, 0xDD])  // as a gRPC frame header would be
        try message.withUnsafeBytes { try compressor.compress($0, into: &framed) }
        #expect(Array(framed.readableBytesView.prefix(5)) == [0x01, 0xAA, 0xBB, 0xCC, 0xDD])
        let compressed = Array(framed.readableBytesView.dropFirst(5))
        #expect(compressed == (try compressor.compressedBytes(message)))

        var decoded = ByteBuffer()
        decoded.writeBytes([9, 9])
        try compressed.withUnsafeBytes { try compressor.decompress($0, into: &decoded, limit: message.count) }
        #expect(Array(decoded.readableBytesView) == [9, 9] + message)
    }

    @Test("one compressor compresses and decompresses many messages in turn", arguments: [CompressionAlgorithm.gzip, .deflate])
    func reuseAcrossMessages(algorithm: CompressionAlgorithm) throws {
        var sender = MessageCompressor(algorithm: algorithm)
        var receiver = MessageCompressor(algorithm: algorithm)
        var random = SplitMix64(seed: 42)
        var previous: [UInt8] = []
        for index in 0..<300 {
            let size = index % 50 == 0 ? 200_000 : Int(random.next() % 5_000)
            let message: [UInt8] =
                index % 3 == 0
                ? random.bytes(size)
                : Array(repeating: UInt8(truncatingIfNeeded: index), count: size)
            let compressed = try sender.compressedBytes(message)
            #expect(try receiver.decompressedBytes(compressed, limit: size) == message, "message \(index)")
            // Each message is a stream of its own: the same compressor reads what it wrote, and the
            // previous message compressed again comes out the same (no state carried over).
            #expect(try sender.decompressedBytes(compressed, limit: size) == message, "message \(index)")
            if index > 0 {
                var fresh = MessageCompressor(algorithm: algorithm)
                #expect(try sender.compressedBytes(previous) == (try fresh.compressedBytes(previous)))
            }
            previous = message
        }
    }

    // MARK: - Interoperability with Python's gzip and zlib

    @Test("Python decodes what we compress", arguments: [CompressionAlgorithm.gzip, .deflate])
    func pythonReadsOurs(algorithm: CompressionAlgorithm) async throws {
        var compressor = MessageCompressor(algorithm: algorithm)
        let decode = algorithm == .gzip ? "gzip.decompress(data)" : "zlib.decompress(data)"
        let samples = Sample.allCases
        let jobs = try samples.map { (input: try compressor.compressedBytes($0.bytes), expression: decode) }
        let decoded = try await Python.transform(jobs)
        for (sample, bytes) in zip(samples, decoded) {
            #expect(bytes == sample.bytes, "\(sample)")
        }
    }

    @Test("we decode what Python compresses", arguments: [CompressionAlgorithm.gzip, .deflate])
    func weReadPython(algorithm: CompressionAlgorithm) async throws {
        var compressor = MessageCompressor(algorithm: algorithm)
        let cases = Sample.allCases.flatMap { sample in [1, 6, 9].map { level in (sample, level) } }
        let compressed = try await Python.transform(
            cases.map { sample, level in
                let encode =
                    algorithm == .gzip
                    ? "gzip.compress(data, compresslevel=\(level))" : "zlib.compress(data, \(level))"
                return (input: sample.bytes, expression: encode)
            }
        )
        for ((sample, level), bytes) in zip(cases, compressed) {
            let decoded = try compressor.decompressedBytes(bytes, limit: sample.bytes.count)
            #expect(decoded == sample.bytes, "\(sample) level \(level)")
        }
    }

    @Test("a gzip stream of several members decodes to their concatenation, as Python's does")
    func gzipMembers() async throws {
        let first = Array("first member, ".utf8)
        let second = SplitMix64.bytes(seed: 7, count: 100_000)
        let both = first + second
        let compressed = try await Python.transform(
            both,
            "gzip.compress(data[:\(first.count)]) + gzip.compress(data[\(first.count):])"
        )
        var compressor = MessageCompressor(algorithm: .gzip)
        #expect(try compressor.decompressedBytes(compressed, limit: both.count) == both)
        // The limit counts all members together.
        let error = #expect(throws: CompressionError.self) {
            _ = try compressor.decompressedBytes(compressed, limit: both.count - 1)
        }
        #expect(error?.code == .limitExceeded)
    }

    // MARK: - Limits

    @Test("a zip bomb stops at the limit without inflating everything", arguments: [CompressionAlgorithm.gzip, .deflate])
    func zipBomb(algorithm: CompressionAlgorithm) async throws {
        let zeros = [UInt8](repeating: 0, count: 10 * 1024 * 1024)
        var compressor = MessageCompressor(algorithm: algorithm)
        let bomb = try compressor.compressedBytes(zeros)
        #expect(bomb.count < 20 * 1024)

        let limit = 4 * 1024 * 1024
        var output = ByteBuffer()
        let error = #expect(throws: CompressionError.self) {
            try bomb.withUnsafeBytes { try compressor.decompress($0, into: &output, limit: limit) }
        }
        #expect(error?.code == .limitExceeded)
        #expect(output.readableBytes == 0)  // nothing half-written is left behind
        #expect(output.capacity <= limit + 64 * 1024, "capacity \(output.capacity)")

        // The same with bytes already in the buffer: only those stay.
        var framed = ByteBuffer(bytes: [1, 2, 3])
        #expect(throws: CompressionError.self) {
            try bomb.withUnsafeBytes { try compressor.decompress($0, into: &framed, limit: limit) }
        }
        #expect(Array(framed.readableBytesView) == [1, 2, 3])

        // Python's gzip bomb is stopped the same way.
        if algorithm == .gzip {
            let pythonBomb = try await Python.transform([], "gzip.compress(bytes(10 * 1024 * 1024), compresslevel=9)")
            var output = ByteBuffer()
            let error = #expect(throws: CompressionError.self) {
                try pythonBomb.withUnsafeBytes { try compressor.decompress($0, into: &output, limit: limit) }
            }
            #expect(error?.code == .limitExceeded)
            #expect(output.capacity <= limit + 64 * 1024, "capacity \(output.capacity)")
        }

        // And the compressor is still good afterwards.
        #expect(try compressor.decompressedBytes(bomb, limit: zeros.count) == zeros)
    }

    @Test("a message of exactly the limit passes, one byte more does not", arguments: CompressionAlgorithm.allCases)
    func limitBoundary(algorithm: CompressionAlgorithm) throws {
        var compressor = MessageCompressor(algorithm: algorithm)
        for size in [0, 1, 1000, 16 * 1024, 65_536, 100_003] {
            let message = SplitMix64.bytes(seed: UInt64(size), count: size)
            let compressed = try compressor.compressedBytes(message)
            #expect(try compressor.decompressedBytes(compressed, limit: size) == message, "size \(size)")
            if size > 0 {
                let error = #expect(throws: CompressionError.self, "size \(size)") {
                    _ = try compressor.decompressedBytes(compressed, limit: size - 1)
                }
                #expect(error?.code == .limitExceeded)
                let none = #expect(throws: CompressionError.self, "size \(size)") {
                    _ = try compressor.decompressedBytes(compressed, limit: 0)
                }
                #expect(none?.code == .limitExceeded)
            }
        }
    }

    @Test("a lying gzip size trailer neither overruns the limit nor breaks decoding")
    func lyingSizeTrailer() throws {
        var compressor = MessageCompressor(algorithm: .gzip)
        let message = Array(repeating: UInt8(ascii: "a"), count: 50_000)
        var compressed = try compressor.compressedBytes(message)
        // Claim 4 GiB - 1 bytes: the size is only a hint, the CRC and real size still decide.
        compressed.replaceSubrange((compressed.count - 4)..., with: [0xff, 0xff, 0xff, 0xff])
        var output = ByteBuffer()
        let error = #expect(throws: CompressionError.self) {
            try compressed.withUnsafeBytes { try compressor.decompress($0, into: &output, limit: 1 << 20) }
        }
        #expect(error?.code == .corrupt)  // the trailer's size doesn't match
        #expect(output.capacity <= (1 << 20) + 64 * 1024)
    }

    // MARK: - Bad input

    @Test("garbage is corrupt, never a crash", arguments: [CompressionAlgorithm.gzip, .deflate])
    func garbage(algorithm: CompressionAlgorithm) throws {
        var compressor = MessageCompressor(algorithm: algorithm)
        var random = SplitMix64(seed: 99)
        var inputs: [[UInt8]] = [[], [0], [0x1f], [0x1f, 0x8b], [0x78], [0x78, 0x9c], Array("not compressed".utf8)]
        for size in [1, 2, 3, 10, 100, 1000, 10_000] {
            for _ in 0..<20 { inputs.append(random.bytes(size)) }
        }
        for input in inputs {
            let error = #expect(throws: CompressionError.self, "\(input.prefix(16))") {
                _ = try compressor.decompressedBytes(input, limit: 1 << 20)
            }
            #expect(error?.code == .corrupt, "\(input.prefix(16)): \(String(describing: error))")
        }
        // The other format is corrupt too.
        var other = MessageCompressor(algorithm: algorithm == .gzip ? .deflate : .gzip)
        let foreign = try other.compressedBytes(Array("some message".utf8))
        let error = #expect(throws: CompressionError.self) {
            _ = try compressor.decompressedBytes(foreign, limit: 1 << 20)
        }
        #expect(error?.code == .corrupt)
        // And the compressor still works after all that.
        let message = random.bytes(5000)
        #expect(try compressor.decompressedBytes(try compressor.compressedBytes(message), limit: 5000) == message)
    }

    @Test("every truncation of a valid message is corrupt", arguments: [CompressionAlgorithm.gzip, .deflate])
    func truncated(algorithm: CompressionAlgorithm) throws {
        var compressor = MessageCompressor(algorithm: algorithm)
        for message in [[], Array("a short gRPC message".utf8), SplitMix64.bytes(seed: 3, count: 3000)] {
            let compressed = try compressor.compressedBytes(message)
            for length in 0..<compressed.count {
                var output = ByteBuffer()
                let error = #expect(throws: CompressionError.self, "\(length) of \(compressed.count) bytes") {
                    try compressed[..<length].withUnsafeBytes { try compressor.decompress($0, into: &output, limit: 1 << 20) }
                }
                #expect(error?.code == .corrupt, "\(length) of \(compressed.count): \(String(describing: error))")
                #expect(output.readableBytes == 0)
            }
        }
    }

    @Test("a changed byte is caught (or harmless), never a crash", arguments: [CompressionAlgorithm.gzip, .deflate])
    func flippedBytes(algorithm: CompressionAlgorithm) throws {
        var compressor = MessageCompressor(algorithm: algorithm)
        let message = Array(String(repeating: "the quick brown fox jumps over the lazy dog ", count: 40).utf8)
        let compressed = try compressor.compressedBytes(message)
        var caught = 0
        for index in compressed.indices {
            for mask: UInt8 in [0x01, 0x80, 0xff] {
                var damaged = compressed
                damaged[index] ^= mask
                do {
                    let decoded = try compressor.decompressedBytes(damaged, limit: 1 << 20)
                    // Only bytes that don't carry data (gzip's time stamp, OS, extra flags) may change.
                    #expect(decoded == message, "byte \(index) ^ \(mask) decoded to something else")
                } catch let error as CompressionError {
                    #expect(error.code == .corrupt || error.code == .limitExceeded, "byte \(index): \(error)")
                    caught += 1
                }
            }
        }
        #expect(caught > compressed.count * 2)
        // The checksum and length at the end are always checked.
        let trailer = algorithm == .gzip ? 8 : 4
        for index in (compressed.count - trailer)..<compressed.count {
            var damaged = compressed
            damaged[index] ^= 0x10
            let error = #expect(throws: CompressionError.self, "trailer byte \(index)") {
                _ = try compressor.decompressedBytes(damaged, limit: 1 << 20)
            }
            #expect(error?.code == .corrupt)
        }
    }

    @Test("data after the end of a stream is corrupt", arguments: [CompressionAlgorithm.gzip, .deflate])
    func trailingData(algorithm: CompressionAlgorithm) throws {
        var compressor = MessageCompressor(algorithm: algorithm)
        let message = Array("message".utf8)
        let compressed = try compressor.compressedBytes(message)
        for suffix: [UInt8] in [[0], [0x1f, 0x8b], Array("junk".utf8)] {
            let error = #expect(throws: CompressionError.self, "\(suffix)") {
                _ = try compressor.decompressedBytes(compressed + suffix, limit: 1 << 20)
            }
            #expect(error?.code == .corrupt)
        }
        // Two whole zlib streams are not one message either (two gzip members are, see gzipMembers).
        if algorithm == .deflate {
            let error = #expect(throws: CompressionError.self) {
                _ = try compressor.decompressedBytes(compressed + compressed, limit: 1 << 20)
            }
            #expect(error?.code == .corrupt)
        }
    }

    @Test("a zlib stream asking for a preset dictionary is corrupt")
    func presetDictionary() async throws {
        let compressed = try await Python.transform(
            Array("hello hello hello".utf8),
            "(lambda c: c.compress(data) + c.flush())(zlib.compressobj(zdict=b'hello'))"
        )
        #expect(compressed.count > 2 && compressed[1] & 0x20 != 0)  // FDICT set
        var compressor = MessageCompressor(algorithm: .deflate)
        let error = #expect(throws: CompressionError.self) {
            _ = try compressor.decompressedBytes(compressed, limit: 1 << 20)
        }
        #expect(error?.code == .corrupt)
    }

    @Test("identity passes bytes through and still applies the limit")
    func identity() throws {
        var compressor = MessageCompressor(algorithm: .identity)
        let message = SplitMix64.bytes(seed: 5, count: 1000)
        #expect(try compressor.compressedBytes(message) == message)
        #expect(try compressor.decompressedBytes(message, limit: 1000) == message)
        let error = #expect(throws: CompressionError.self) {
            _ = try compressor.decompressedBytes(message, limit: 999)
        }
        #expect(error?.code == .limitExceeded)
    }
}

// MARK: - Support

extension CompressionTests {
    /// The inputs every round trip and interop test uses.
    enum Sample: CaseIterable, Sendable, CustomTestStringConvertible {
        case empty
        case oneByte
        case small
        case random70KiB
        case random1MiB
        case text1MiB
        case zeros1MiB

        var bytes: [UInt8] { Self.cache[self]! }

        var isCompressible: Bool { self == .text1MiB || self == .zeros1MiB }

        var testDescription: String { "\(self)" }

        private static let cache: [Sample: [UInt8]] = {
            var result: [Sample: [UInt8]] = [:]
            for sample in Sample.allCases {
                switch sample {
                case .empty: result[sample] = []
                case .oneByte: result[sample] = [0x2a]
                case .small: result[sample] = Array("{\"query\":\"grpc compression\",\"page\":3}".utf8)
                case .random70KiB: result[sample] = SplitMix64.bytes(seed: 1, count: 70 * 1024)
                case .random1MiB: result[sample] = SplitMix64.bytes(seed: 2, count: 1 << 20)
                case .text1MiB:
                    let line = Array("name: \"service\" method: \"Search\" status: OK latency_ms: 12\n".utf8)
                    var text: [UInt8] = []
                    while text.count < 1 << 20 { text += line }
                    result[sample] = Array(text.prefix(1 << 20))
                case .zeros1MiB: result[sample] = [UInt8](repeating: 0, count: 1 << 20)
                }
            }
            return result
        }()
    }
}

extension MessageCompressor {
    fileprivate mutating func compressedBytes(_ input: [UInt8]) throws -> [UInt8] {
        var output = ByteBuffer()
        try input.withUnsafeBytes { try self.compress($0, into: &output) }
        return Array(output.readableBytesView)
    }

    fileprivate mutating func decompressedBytes(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        var output = ByteBuffer()
        try input.withUnsafeBytes { try self.decompress($0, into: &output, limit: limit) }
        return Array(output.readableBytesView)
    }
}

/// Python's `gzip` and `zlib` modules, the reference the bytes are checked against.
private enum Python {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `python3` with `data` bound to `input` and returns the bytes `expression` evaluates to.
    static func transform(_ input: [UInt8], _ expression: String) async throws -> [UInt8] {
        try await self.transform([(input, expression)])[0]
    }

    /// Evaluates each expression on its input in one `python3` process (starting one per job
    /// would cost more than the work). Inputs and outputs go through files, so no pipe fills up.
    static func transform(_ jobs: [(input: [UInt8], expression: String)]) async throws -> [[UInt8]] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("grpc-compression-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var script = "import gzip, sys, zlib\n"
        var outputs: [URL] = []
        for (index, job) in jobs.enumerated() {
            let input = directory.appendingPathComponent("in\(index)")
            let output = directory.appendingPathComponent("out\(index)")
            try Data(job.input).write(to: input)
            outputs.append(output)
            script += "data = open('\(input.path)', 'rb').read()\n"
            script += "open('\(output.path)', 'wb').write(\(job.expression))\n"
        }

        // TestSupport's runner waits on the exit without spinning (Process.waitUntilExit does, on Linux).
        let run = try await ChildProcess.run(["python3", "-c", script])
        guard run.status == 0 else {
            throw Failure(description: "python3 exited with \(run.status) running\n\(script)\n" + run.stderr)
        }
        return try outputs.map { [UInt8](try Data(contentsOf: $0)) }
    }
}
