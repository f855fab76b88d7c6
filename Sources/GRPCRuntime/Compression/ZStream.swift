import CZlib

/// One zlib stream, deflating or inflating, on the heap.
///
/// zlib's internal state points back at its `z_stream`, so the struct must never move: it lives in
/// memory this class allocates, and `deinit` ends the stream and frees it. Between messages the
/// stream is reset (``reset()``), which keeps zlib's allocations (about 256 KiB for deflate, 40 KiB
/// for inflate) instead of making them again for every message.
final class ZStream {
    enum Direction {
        case deflate
        case inflate
    }

    let direction: Direction
    let stream: UnsafeMutablePointer<z_stream>

    private init(direction: Direction, stream: UnsafeMutablePointer<z_stream>) {
        self.direction = direction
        self.stream = stream
    }

    /// A compressing stream. `windowBits` 15 writes the zlib format, 15 + 16 the gzip format.
    static func deflater(windowBits: Int32, level: Int32 = Z_DEFAULT_COMPRESSION) throws(CompressionError) -> ZStream {
        let stream = Self.allocateStream()
        let rc = deflateInit2_(
            stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)
        )
        guard rc == Z_OK else {
            let message = Self.describe(rc, stream)
            Self.freeStream(stream)
            throw .internal("deflateInit2 failed: \(message)")
        }
        return ZStream(direction: .deflate, stream: stream)
    }

    /// A decompressing stream. `windowBits` 15 reads the zlib format, 15 + 16 the gzip format.
    static func inflater(windowBits: Int32) throws(CompressionError) -> ZStream {
        let stream = Self.allocateStream()
        let rc = inflateInit2_(stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            let message = Self.describe(rc, stream)
            Self.freeStream(stream)
            throw .internal("inflateInit2 failed: \(message)")
        }
        return ZStream(direction: .inflate, stream: stream)
    }

    /// Makes the stream ready for a new message, keeping its memory.
    func reset() throws(CompressionError) {
        let rc: Int32
        switch self.direction {
        case .deflate: rc = deflateReset(self.stream)
        case .inflate: rc = inflateReset(self.stream)
        }
        guard rc == Z_OK else {
            throw .internal("resetting the \(self.direction) stream failed: \(self.describe(rc))")
        }
    }

    /// Drops the pointers into the caller's buffers once a call is over.
    func clearBuffers() {
        self.stream.pointee.next_in = nil
        self.stream.pointee.avail_in = 0
        self.stream.pointee.next_out = nil
        self.stream.pointee.avail_out = 0
    }

    /// zlib's message for the last error, or the name of the return code.
    func describe(_ rc: Int32) -> String {
        Self.describe(rc, self.stream)
    }

    deinit {
        switch self.direction {
        case .deflate: _ = deflateEnd(self.stream)
        case .inflate: _ = inflateEnd(self.stream)
        }
        Self.freeStream(self.stream)
    }

    private static func allocateStream() -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        // All zero: no custom allocator (zalloc, zfree, opaque are Z_NULL), no buffers yet.
        stream.initialize(to: z_stream())
        return stream
    }

    private static func freeStream(_ stream: UnsafeMutablePointer<z_stream>) {
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    private static func describe(_ rc: Int32, _ stream: UnsafeMutablePointer<z_stream>) -> String {
        let name: String
        switch rc {
        case Z_OK: name = "Z_OK"
        case Z_STREAM_END: name = "Z_STREAM_END"
        case Z_NEED_DICT: name = "Z_NEED_DICT"
        case Z_ERRNO: name = "Z_ERRNO"
        case Z_STREAM_ERROR: name = "Z_STREAM_ERROR"
        case Z_DATA_ERROR: name = "Z_DATA_ERROR"
        case Z_MEM_ERROR: name = "Z_MEM_ERROR"
        case Z_BUF_ERROR: name = "Z_BUF_ERROR"
        case Z_VERSION_ERROR: name = "Z_VERSION_ERROR"
        default: name = "zlib error \(rc)"
        }
        if let message = stream.pointee.msg {
            return "\(String(cString: message)) (\(name))"
        }
        return name
    }
}

/// A stream is used by one gRPC stream at a time, never from two places at once.
@available(*, unavailable)
extension ZStream: Sendable {}
