/// Why a message could not be compressed or decompressed.
struct CompressionError: Error, Hashable, Sendable, CustomStringConvertible {
    enum Code: Hashable, Sendable {
        /// Decompressing would produce more bytes than the allowed limit (the message is too large,
        /// or a "zip bomb"). Decompression stops as soon as the limit is passed.
        case limitExceeded
        /// The compressed bytes are not valid for the algorithm: bad header or data, a checksum
        /// mismatch, data after the end of the stream, or the stream ends before it is complete.
        case corrupt
        /// zlib failed for a reason that is not the data's fault (out of memory, misuse).
        case `internal`
    }

    var code: Code
    var message: String

    init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    static func limitExceeded(_ message: String) -> Self { Self(code: .limitExceeded, message: message) }
    static func corrupt(_ message: String) -> Self { Self(code: .corrupt, message: message) }
    static func `internal`(_ message: String) -> Self { Self(code: .internal, message: message) }

    var description: String { "\(self.code): \(self.message)" }
}
