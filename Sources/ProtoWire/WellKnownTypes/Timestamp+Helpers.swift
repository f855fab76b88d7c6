// Hand-written conveniences for google.protobuf.Timestamp, and the error type
// the Timestamp and Duration conversions throw. Not generated: edit freely.

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// MARK: - Conversion error

/// Thrown when a value cannot be stored in a well-known message type, for
/// example a `Date` that is not finite or a span of time whose whole seconds
/// do not fit in an `Int64`.
///
/// Conversions throw only when the value cannot be *represented* at all.
/// Whether a message lies inside the range its `.proto` documents is a separate
/// question, answered by `isValid` on `Google_Protobuf_Timestamp` and
/// `Google_Protobuf_Duration`.
public struct WellKnownTypeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An extensible set of codes, compared with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short human-readable explanation of the code.
        public let description: String

        @usableFromInline init(_ description: String) { self.description = description }

        /// The input was NaN or infinite.
        public static let notFinite = Code("value is not finite")
        /// The input is finite but its whole seconds do not fit in an `Int64`.
        public static let outOfRange = Code("value does not fit in the message's fields")
    }

    /// What went wrong.
    public var code: Code
    /// The fully qualified name of the message being built, such as `google.protobuf.Timestamp`.
    public var messageName: String

    /// Creates an error with the given code for the named message type.
    public init(_ code: Code, messageName: String) {
        self.code = code
        self.messageName = messageName
    }

    /// The code's description followed by the message name.
    public var description: String { "\(code) for \(messageName)" }
}

// MARK: - Shared arithmetic

/// Arithmetic shared by the Timestamp and Duration helpers. Every operation
/// reports overflow instead of trapping.
enum WellKnownTime {
    static let nanosPerSecond: Int64 = 1_000_000_000

    /// Seconds from 1970-01-01T00:00:00Z back to Foundation's reference date, 2001-01-01T00:00:00Z.
    static let referenceDateOffset: Int64 = 978_307_200

    /// `Int64(value)` for a double that has already been rounded to a whole number,
    /// or nil when it lies outside `Int64`'s range.
    static func int64(exactly value: Double) -> Int64? {
        // 2^63 is exactly representable; every double below it (and at or above -2^63) fits.
        guard value >= -9_223_372_036_854_775_808.0, value < 9_223_372_036_854_775_808.0 else { return nil }
        return Int64(value)
    }

    /// Splits a finite number of seconds into whole seconds rounded toward minus infinity and
    /// a nanosecond count in [0, 1e9), rounding the fraction to the nearest nanosecond with ties
    /// going up (later in time). Returns nil if the whole seconds do not fit in an `Int64`.
    static func splitFloor(_ seconds: Double) -> (seconds: Int64, nanos: Int32)? {
        let whole = seconds.rounded(.down)
        // Exact except for -1 < seconds < 0, where it can be off by one ulp (< 1e-16 s).
        let fraction = seconds - whole
        let nanos = (fraction * 1e9).rounded(.toNearestOrAwayFromZero)  // in [0, 1e9]
        guard var s = int64(exactly: whole) else { return nil }
        var n = Int64(nanos)
        if n >= nanosPerSecond {
            let (carried, overflow) = s.addingReportingOverflow(1)
            if overflow { return nil }
            s = carried
            n -= nanosPerSecond
        }
        return (s, Int32(n))
    }

    /// Brings `nanos` into [0, 1e9) by moving whole seconds into `seconds`. Nil on overflow.
    static func floorNormalize(seconds: Int64, nanos: Int64) -> (seconds: Int64, nanos: Int32)? {
        var carry = nanos / nanosPerSecond
        var rest = nanos % nanosPerSecond
        if rest < 0 {
            carry -= 1
            rest += nanosPerSecond
        }
        let (s, overflow) = seconds.addingReportingOverflow(carry)
        if overflow { return nil }
        return (s, Int32(rest))
    }
}

// MARK: - Timestamp

extension Google_Protobuf_Timestamp {
    /// `seconds` of the earliest valid timestamp, 0001-01-01T00:00:00Z.
    public static let minValidSeconds: Int64 = -62_135_596_800

    /// `seconds` of the latest valid timestamp, 9999-12-31T23:59:59Z
    /// (the latest valid instant is this plus 999,999,999 nanoseconds).
    public static let maxValidSeconds: Int64 = 253_402_300_799

    /// Creates a timestamp for the same instant as `date`, rounded to the nearest
    /// nanosecond. The result is normalized: `nanos` is in [0, 999,999,999] and counts
    /// forward in time, so one and a half seconds before the epoch is
    /// `seconds == -2, nanos == 500_000_000`.
    ///
    /// `Date` stores a `Double`, so dates far from 2001 carry less than nanosecond precision.
    ///
    /// - Throws: `WellKnownTypeError` with code `.notFinite` for a NaN or infinite date, or
    ///   `.outOfRange` when the seconds do not fit in an `Int64`. A date outside
    ///   0001…9999 converts without error; check `isValid` if that matters.
    public init(date: Date) throws(WellKnownTypeError) {
        let sinceReference = date.timeIntervalSinceReferenceDate
        guard sinceReference.isFinite else { throw WellKnownTypeError(.notFinite, messageName: Self.protoMessageName) }
        // Split relative to Foundation's own epoch first, then shift by a whole number of
        // seconds in integer arithmetic, so no precision is lost adding the 1970 offset.
        guard let split = WellKnownTime.splitFloor(sinceReference) else {
            throw WellKnownTypeError(.outOfRange, messageName: Self.protoMessageName)
        }
        let (seconds, overflow) = split.seconds.addingReportingOverflow(WellKnownTime.referenceDateOffset)
        if overflow { throw WellKnownTypeError(.outOfRange, messageName: Self.protoMessageName) }
        self.init(seconds: seconds, nanos: split.nanos)
    }

    /// Creates a timestamp from seconds since 1970-01-01T00:00:00Z, rounded to the nearest
    /// nanosecond and normalized so that `nanos` is in [0, 999,999,999]:
    /// `-1.5` gives `seconds == -2, nanos == 500_000_000`.
    ///
    /// - Throws: `WellKnownTypeError` with code `.notFinite` for NaN or an infinity, or
    ///   `.outOfRange` when the seconds do not fit in an `Int64`.
    public init(timeIntervalSince1970 interval: Double) throws(WellKnownTypeError) {
        guard interval.isFinite else { throw WellKnownTypeError(.notFinite, messageName: Self.protoMessageName) }
        guard let split = WellKnownTime.splitFloor(interval) else {
            throw WellKnownTypeError(.outOfRange, messageName: Self.protoMessageName)
        }
        self.init(seconds: split.seconds, nanos: split.nanos)
    }

    /// The current time, at the resolution `Date()` offers on this platform.
    public static func now() -> Google_Protobuf_Timestamp {
        // The current date is always finite and within range; the fallback is unreachable.
        (try? Google_Protobuf_Timestamp(date: Date())) ?? Google_Protobuf_Timestamp()
    }

    /// The same instant as a `Date`. Fields that are not normalized are still added up
    /// (`seconds + nanos / 1e9`), so this never fails.
    public var date: Date {
        let (shifted, overflow) = seconds.subtractingReportingOverflow(WellKnownTime.referenceDateOffset)
        let whole = overflow ? Double(seconds) - Double(WellKnownTime.referenceDateOffset) : Double(shifted)
        return Date(timeIntervalSinceReferenceDate: whole + Double(nanos) / 1e9)
    }

    /// Seconds since 1970-01-01T00:00:00Z as a `Double`, `seconds + nanos / 1e9`.
    public var timeIntervalSince1970: Double {
        Double(seconds) + Double(nanos) / 1e9
    }

    /// Whether this timestamp follows the rules in `timestamp.proto`: `nanos` in
    /// [0, 999,999,999] and the instant between 0001-01-01T00:00:00Z and
    /// 9999-12-31T23:59:59.999999999Z inclusive.
    public var isValid: Bool {
        (Self.minValidSeconds...Self.maxValidSeconds).contains(seconds)
            && (0..<Int32(WellKnownTime.nanosPerSecond)).contains(nanos)
    }

    /// The same instant with whole seconds moved out of `nanos`, leaving `nanos` in
    /// [0, 999,999,999]: `(seconds: 0, nanos: -500_000_000)` becomes
    /// `(seconds: -1, nanos: 500_000_000)`. Unknown fields are kept.
    ///
    /// - Throws: `WellKnownTypeError` with code `.outOfRange` if `seconds` overflows.
    public func normalized() throws(WellKnownTypeError) -> Google_Protobuf_Timestamp {
        guard let n = WellKnownTime.floorNormalize(seconds: seconds, nanos: Int64(nanos)) else {
            throw WellKnownTypeError(.outOfRange, messageName: Self.protoMessageName)
        }
        var result = self
        result.seconds = n.seconds
        result.nanos = n.nanos
        return result
    }
}

extension Google_Protobuf_Timestamp: Comparable {
    /// Orders by `seconds`, then `nanos`: chronological order for normalized timestamps.
    ///
    /// Unknown fields take no part, so two timestamps that differ only in unknown fields
    /// are neither `<` nor `==` each other.
    public static func < (lhs: Google_Protobuf_Timestamp, rhs: Google_Protobuf_Timestamp) -> Bool {
        (lhs.seconds, lhs.nanos) < (rhs.seconds, rhs.nanos)
    }
}
