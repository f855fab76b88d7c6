import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler writing one JSON object per line: `time`, `level`, `label`, `message`
/// and the metadata as string fields (keys sorted), for log pipelines that read structured lines.
///
/// The line is built as bytes in one buffer, with no intermediate strings or dictionaries, and
/// by default handed to a `LineWriter` that writes it from a thread of its own: a call that logs
/// never waits for standard output.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let label: String
    let sink: Sink

    enum Sink: Sendable {
        case lines(LineWriter)
        case strings(@Sendable (String) -> Void)
    }

    /// Lines go to `writer` (by default the process's standard output, buffered).
    public init(label: String, level: Logger.Level = .info, writer: LineWriter = .standardOutput) {
        self.label = label
        self.logLevel = level
        self.sink = .lines(writer)
    }

    /// Each line, without its newline, goes to `write`.
    public init(label: String, level: Logger.Level = .info, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.logLevel = level
        self.sink = .strings(write)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line.append(UInt8(ascii: "{"))
        Self.append(key: "time", to: &line)
        Self.appendTimestamp(to: &line)
        Self.append(key: "level", to: &line)
        Self.appendQuoted(event.level.rawValue, to: &line)
        Self.append(key: "label", to: &line)
        Self.appendQuoted(label, to: &line)
        Self.append(key: "message", to: &line)
        Self.appendQuoted(event.message.description, to: &line)
        // The event's metadata wins over the handler's; keys in order. Each field is looked up
        // once (the handler's only against the event's, when both have fields).
        let own = event.metadata ?? [:]
        var fields: [(key: String, value: Logger.MetadataValue)] = []
        fields.reserveCapacity(metadata.count + own.count)
        for field in own { fields.append(field) }
        for field in metadata where own.isEmpty || own[field.key] == nil { fields.append(field) }
        fields.sort { $0.key < $1.key }
        for field in fields {
            Self.append(key: field.key, to: &line)
            Self.appendValue(field.value, to: &line)
        }
        line.append(UInt8(ascii: "}"))
        switch sink {
        case .lines(let writer):
            line.append(UInt8(ascii: "\n"))
            writer.write(line)
        case .strings(let write):
            write(String(decoding: line, as: UTF8.self))
        }
    }

    /// `,"key":` (no comma before the first field).
    private static func append(key: String, to line: inout [UInt8]) {
        if line.count > 1 { line.append(UInt8(ascii: ",")) }
        appendQuoted(key, to: &line)
        line.append(UInt8(ascii: ":"))
    }

    private static func appendValue(_ value: Logger.MetadataValue, to line: inout [UInt8]) {
        switch value {
        case .string(let text): appendQuoted(text, to: &line)
        case .stringConvertible(let item): appendQuoted(item.description, to: &line)
        default: appendQuoted(value.description, to: &line)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `text` as a JSON string literal.
    static func appendQuoted(_ text: String, to line: inout [UInt8]) {
        line.append(UInt8(ascii: "\""))
        // Most values need no escape: their bytes are copied whole.
        let copied = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            line.append(contentsOf: bytes)
            return true
        }
        if copied == true {
            line.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                line.append(UInt8(ascii: "\\"))
                line.append(byte)
            case UInt8(ascii: "\n"):
                line.append(UInt8(ascii: "\\"))
                line.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"):
                line.append(UInt8(ascii: "\\"))
                line.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"):
                line.append(UInt8(ascii: "\\"))
                line.append(UInt8(ascii: "t"))
            case 0..<0x20:
                line.append(contentsOf: "\\u00".utf8)
                line.append(hexDigits[Int(byte >> 4)])
                line.append(hexDigits[Int(byte & 0xF)])
            default:
                line.append(byte)
            }
        }
        line.append(UInt8(ascii: "\""))
    }

    /// The current time in UTC as `"2026-12-04T21:23:16.123Z"`. The part up to the seconds is
    /// formatted once a second and kept (`SecondStamp`); each line adds its milliseconds.
    static func appendTimestamp(to line: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        line.append(UInt8(ascii: "\""))
        secondStamp.append(second: now.tv_sec, to: &line)
        appendDigits(Int(now.tv_nsec) / 1_000_000, 3, to: &line)
        line.append(UInt8(ascii: "Z"))
        line.append(UInt8(ascii: "\""))
    }

    private static let secondStamp = SecondStamp()

    /// `2026-12-04T21:23:16.` for the second last asked for, kept until the next second.
    private final class SecondStamp: @unchecked Sendable {
        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        // Guarded by `mutex`.
        private var second = -1
        private var stamp: [UInt8] = []

        init() { pthread_mutex_init(mutex, nil) }

        func append(second now: Int, to line: inout [UInt8]) {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            if now != second {
                var seconds = now
                var parts = tm()
                gmtime_r(&seconds, &parts)
                stamp.removeAll(keepingCapacity: true)
                JSONLogHandler.appendDigits(Int(parts.tm_year) + 1900, 4, to: &stamp)
                stamp.append(UInt8(ascii: "-"))
                JSONLogHandler.appendDigits(Int(parts.tm_mon) + 1, 2, to: &stamp)
                stamp.append(UInt8(ascii: "-"))
                JSONLogHandler.appendDigits(Int(parts.tm_mday), 2, to: &stamp)
                stamp.append(UInt8(ascii: "T"))
                JSONLogHandler.appendDigits(Int(parts.tm_hour), 2, to: &stamp)
                stamp.append(UInt8(ascii: ":"))
                JSONLogHandler.appendDigits(Int(parts.tm_min), 2, to: &stamp)
                stamp.append(UInt8(ascii: ":"))
                JSONLogHandler.appendDigits(Int(parts.tm_sec), 2, to: &stamp)
                stamp.append(UInt8(ascii: "."))
                second = now
            }
            line.append(contentsOf: stamp)
        }
    }

    fileprivate static func appendDigits(_ value: Int, _ count: Int, to line: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            line.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
