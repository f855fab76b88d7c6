import CZlib
import NIOCore

/// Compresses and decompresses whole gRPC messages, each one on its own (a message is a complete
/// gzip or zlib stream, as the gRPC protocol's compressed flag means).
///
/// Keep one per gRPC stream: the zlib streams are made on first use and reset, not remade, for
/// each following message. Every call is complete in itself (reset, whole message, done), so a
/// copy of a compressor can be used in turn with the original; it must not be used from two
/// places at once, hence no `Sendable`.
struct MessageCompressor {
    let algorithm: CompressionAlgorithm

    private var deflater: ZStream?
    private var inflater: ZStream?

    init(algorithm: CompressionAlgorithm) {
        self.algorithm = algorithm
    }

    /// zlib's window bits for the algorithm: a 32 KiB window, plus 16 for the gzip wrapper.
    private var windowBits: Int32 {
        switch self.algorithm.kind {
        case .gzip: MAX_WBITS + 16
        case .deflate, .identity: MAX_WBITS
        }
    }

    /// Compresses `input` as one message and appends the result to `output`.
    ///
    /// On error `output` is left as it was.
    mutating func compress(_ input: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws(CompressionError) {
        if self.algorithm.kind == .identity {
            output.writeBytes(input)
            return
        }

        let zstream: ZStream
        if let deflater = self.deflater {
            try deflater.reset()
            zstream = deflater
        } else {
            zstream = try ZStream.deflater(windowBits: self.windowBits)
            self.deflater = zstream
        }
        defer { zstream.clearBuffers() }

        let start = output.writerIndex
        do throws(CompressionError) {
            try Self.deflateAll(input, zstream, into: &output)
        } catch {
            output.moveWriterIndex(to: start)
            throw error
        }
    }

    /// Decompresses `input`, one whole message, and appends the result to `output`.
    ///
    /// Throws `.limitExceeded` as soon as the message would be more than `limit` bytes: at most
    /// `limit` bytes are ever inflated, so `output` grows to no more than `limit` extra bytes
    /// (rounded up to a power of two by `ByteBuffer`), whatever the input claims. Throws `.corrupt`
    /// for invalid, truncated or trailing data. On error `output` is left as it was (its capacity
    /// may have grown).
    mutating func decompress(
        _ input: UnsafeRawBufferPointer,
        into output: inout ByteBuffer,
        limit: Int
    ) throws(CompressionError) {
        let limit = max(limit, 0)
        if self.algorithm.kind == .identity {
            guard input.count <= limit else {
                throw .limitExceeded("message of \(input.count) bytes is larger than the limit of \(limit) bytes")
            }
            output.writeBytes(input)
            return
        }

        let zstream: ZStream
        if let inflater = self.inflater {
            try inflater.reset()
            zstream = inflater
        } else {
            zstream = try ZStream.inflater(windowBits: self.windowBits)
            self.inflater = zstream
        }
        defer { zstream.clearBuffers() }

        let start = output.writerIndex
        do throws(CompressionError) {
            try self.inflateAll(input, zstream, into: &output, limit: limit)
        } catch {
            output.moveWriterIndex(to: start)
            throw error
        }
    }

    // MARK: - Deflating

    private static let minimumOutputStep = 64 * 1024

    private static func deflateAll(
        _ input: UnsafeRawBufferPointer,
        _ zstream: ZStream,
        into output: inout ByteBuffer
    ) throws(CompressionError) {
        let strm = zstream.stream
        var feeder = InputFeeder(input)
        feeder.refill(strm)

        // From a freshly reset stream, one call with Z_FINISH and `bound` bytes of room always
        // finishes: small messages are compressed in a single call. Larger ones start with 64 KiB
        // and double, so incompressible data doesn't reserve much more than it needs and
        // compressible data doesn't reserve its uncompressed size.
        let bound = Int(clamping: deflateBound(strm, uLong(clamping: input.count)))
        var step = min(bound, Self.minimumOutputStep)
        var produced = 0

        while true {
            feeder.refill(strm)
            let flush = feeder.isExhausted ? Z_FINISH : Z_NO_FLUSH
            let availableInputBefore = strm.pointee.avail_in
            var rc = Z_OK
            let written = output.writeWithUnsafeMutableBytes(minimumWritableBytes: step) { buffer in
                let room = min(buffer.count, Int(UInt32.max))
                strm.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                strm.pointee.avail_out = UInt32(room)
                rc = CZlib.deflate(strm, flush)
                return room - Int(strm.pointee.avail_out)
            }
            produced += written

            switch rc {
            case Z_STREAM_END:
                return
            case Z_OK, Z_BUF_ERROR:
                // Z_BUF_ERROR means no progress was possible; with room to write and input to
                // read that never happens, so guard against looping forever.
                if rc == Z_BUF_ERROR && written == 0 && strm.pointee.avail_in == availableInputBefore {
                    throw .internal("deflate made no progress: \(zstream.describe(rc))")
                }
                step = max(produced, Self.minimumOutputStep)
            default:
                throw .internal("deflate failed: \(zstream.describe(rc))")
            }
        }
    }

    // MARK: - Inflating

    /// deflate cannot expand data by more than about 1032:1, so a size hint larger than that is a lie.
    private static let maximumDeflateRatio = 1032
    private static let minimumInflateStep = 16 * 1024

    private func inflateAll(
        _ input: UnsafeRawBufferPointer,
        _ zstream: ZStream,
        into output: inout ByteBuffer,
        limit: Int
    ) throws(CompressionError) {
        let strm = zstream.stream
        var feeder = InputFeeder(input)
        var produced = 0
        var step = min(limit, self.firstInflateStep(input))
        var probe: UInt8 = 0

        while true {
            feeder.refill(strm)
            let allowance = limit - produced
            var rc = Z_OK

            if allowance == 0 {
                // The message has exactly `limit` bytes so far. Ask for one byte more into a scratch
                // byte: if zlib produces it, the message is too large; if it reaches the end of the
                // stream instead, it fits exactly.
                rc = withUnsafeMutablePointer(to: &probe) { byte in
                    strm.pointee.next_out = byte
                    strm.pointee.avail_out = 1
                    return CZlib.inflate(strm, Z_NO_FLUSH)
                }
                if strm.pointee.avail_out == 0 {
                    throw .limitExceeded("decompressed message is larger than the limit of \(limit) bytes")
                }
            } else {
                let written = output.writeWithUnsafeMutableBytes(minimumWritableBytes: min(step, allowance)) {
                    buffer in
                    // Never let zlib write past the limit, however much room the buffer has.
                    let room = min(buffer.count, allowance, Int(UInt32.max))
                    strm.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    strm.pointee.avail_out = UInt32(room)
                    rc = CZlib.inflate(strm, Z_NO_FLUSH)
                    return room - Int(strm.pointee.avail_out)
                }
                produced += written
                step = max(produced, Self.minimumInflateStep)
            }

            switch rc {
            case Z_OK:
                continue
            case Z_STREAM_END:
                let trailing = strm.pointee.avail_in > 0 || !feeder.isExhausted
                guard trailing else { return }
                if self.algorithm.kind == .gzip {
                    // RFC 1952: a gzip file may hold several members one after the other, and
                    // their contents are concatenated (gzip, Python and Go read them so).
                    try zstream.reset()
                    continue
                }
                throw .corrupt("data after the end of the \(self.algorithm) stream")
            case Z_BUF_ERROR:
                // There was room for output, so zlib needs input that isn't there.
                throw .corrupt("\(self.algorithm) stream is truncated")
            case Z_DATA_ERROR:
                throw .corrupt("invalid \(self.algorithm) data: \(zstream.describe(rc))")
            case Z_NEED_DICT:
                throw .corrupt("\(self.algorithm) stream needs a preset dictionary, which gRPC does not use")
            case Z_MEM_ERROR:
                throw .internal("inflate ran out of memory")
            default:
                throw .internal("inflate failed: \(zstream.describe(rc))")
            }
        }
    }

    /// How much room to give zlib first. A gzip stream ends with its uncompressed size (modulo
    /// 2^32), which is used when it is plausible; otherwise a guess that's doubled as needed.
    private func firstInflateStep(_ input: UnsafeRawBufferPointer) -> Int {
        let guess = max(input.count.multipliedReportingOverflow(by: 4).partialValue, Self.minimumInflateStep)
        guard self.algorithm.kind == .gzip, input.count >= 18 else { return guess }
        let end = input.count
        let size =
            Int(input[end - 4]) | Int(input[end - 3]) << 8 | Int(input[end - 2]) << 16 | Int(input[end - 1]) << 24
        let (maximum, overflow) = input.count.multipliedReportingOverflow(by: Self.maximumDeflateRatio)
        guard size > 0, overflow || size <= maximum else { return guess }
        return size
    }
}

/// A compressor belongs to one stream and is used from one place at a time.
@available(*, unavailable)
extension MessageCompressor: Sendable {}

/// Hands zlib the input in pieces of at most 4 GiB - 1 bytes, since `avail_in` is 32 bits.
private struct InputFeeder {
    private var next: UnsafeRawPointer?
    private var remaining: Int

    init(_ input: UnsafeRawBufferPointer) {
        self.next = input.baseAddress
        self.remaining = input.count
    }

    /// Whether all the input has been handed to zlib (it may not have consumed it all yet).
    var isExhausted: Bool { self.remaining == 0 }

    mutating func refill(_ strm: UnsafeMutablePointer<z_stream>) {
        guard strm.pointee.avail_in == 0, self.remaining > 0, let next = self.next else { return }
        let count = min(self.remaining, Int(UInt32.max))
        strm.pointee.next_in = UnsafeMutablePointer(mutating: next.assumingMemoryBound(to: Bytef.self))
        strm.pointee.avail_in = UInt32(count)
        self.next = next + count
        self.remaining -= count
    }
}
