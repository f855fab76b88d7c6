// Hand-written conveniences for google.protobuf.Duration: conversion to and from
// Swift.Duration and seconds as a Double, validation, normalization and ordering.
// Not generated: edit freely.

extension Google_Protobuf_Duration {
    /// The largest magnitude of `seconds` that `duration.proto` allows, about 10,000 years
    /// (60 × 60 × 24 × 365.25 × 10,000).
    public static let maxValidSeconds: Int64 = 315_576_000_000

    /// Creates a protobuf duration from a Swift duration, rounding attoseconds to the
    /// nearest nanosecond with ties away from zero (so negating the input negates the
    /// result). `nanos` takes the sign of the whole span, as `duration.proto` requires:
    /// -1.5 s gives `seconds == -1, nanos == -500_000_000`.
    ///
    /// - Throws: `WellKnownTypeError` with code `.outOfRange` when the whole seconds,
    ///   after rounding, would not fit in an `Int64` (a magnitude of about 2.9 × 10¹¹
    ///   years). A duration beyond the ±10,000 years `duration.proto` allows converts
    ///   without error; check `isValid` if that matters.
    @available(macOS 13, iOS 16, tvOS 16, watchOS 9, *)
    public init(_ duration: Swift.Duration) throws(WellKnownTypeError) {
        // Anything strictly inside ±(Int64.max s + 999,999,999.5 ns) rounds to fields that fit;
        // checking first keeps `components` (which traps beyond Int64 seconds) safe.
        let limit = Swift.Duration(secondsComponent: .max, attosecondsComponent: 999_999_999_500_000_000)
        guard (.zero - limit) < duration, duration < limit else {
            throw WellKnownTypeError(.outOfRange, messageName: Self.protoMessageName)
        }
        // Both components carry the sign of the whole duration (truncating division).
        let components = duration.components
        var seconds = components.seconds
        let attoseconds = components.attoseconds
        let attosPerNano: Int64 = 1_000_000_000
        var nanos = attoseconds / attosPerNano
        let remainder = attoseconds % attosPerNano
        if remainder >= attosPerNano / 2 {
            nanos += 1
        } else if remainder <= -attosPerNano / 2 {
            nanos -= 1
        }
        if nanos == WellKnownTime.nanosPerSecond {
            seconds += 1  // cannot overflow: ruled out by the limit above
            nanos = 0
        } else if nanos == -WellKnownTime.nanosPerSecond {
            seconds -= 1
            nanos = 0
        }
        self.init(seconds: seconds, nanos: Int32(nanos))
    }

    /// The same span as a `Swift.Duration`, exactly. Fields whose signs disagree are
    /// still added up (`seconds + nanos / 1e9`), so this never fails.
    @available(macOS 13, iOS 16, tvOS 16, watchOS 9, *)
    public var swiftDuration: Swift.Duration {
        Swift.Duration(secondsComponent: seconds, attosecondsComponent: Int64(nanos) * 1_000_000_000)
    }

    /// Creates a duration from a number of seconds, rounded to the nearest nanosecond with
    /// ties away from zero. `nanos` takes the sign of `timeInterval`:
    /// `-1.5` gives `seconds == -1, nanos == -500_000_000`.
    ///
    /// - Throws: `WellKnownTypeError` with code `.notFinite` for NaN or an infinity, or
    ///   `.outOfRange` when the whole seconds do not fit in an `Int64`.
    public init(timeInterval: Double) throws(WellKnownTypeError) {
        guard timeInterval.isFinite else { throw WellKnownTypeError(.notFinite, messageName: Self.protoMessageName) }
        let whole = timeInterval.rounded(.towardZero)
        let fraction = timeInterval - whole  // exact: same sign, |fraction| < 1
        guard var seconds = WellKnownTime.int64(exactly: whole) else {
            throw WellKnownTypeError(.outOfRange, messageName: Self.protoMessageName)
        }
        var nanos = Int64((fraction * 1e9).rounded(.toNearestOrAwayFromZero))  // in [-1e9, 1e9]
        if nanos == WellKnownTime.nanosPerSecond || nanos == -WellKnownTime.nanosPerSecond {
            let (carried, overflow) = seconds.addingReportingOverflow(nanos / WellKnownTime.nanosPerSecond)
            if overflow { throw WellKnownTypeError(.outOfRange, messageName: Self.protoMessageName) }
            seconds = carried
            nanos = 0
        }
        self.init(seconds: seconds, nanos: Int32(nanos))
    }

    /// The span in seconds as a `Double`, `seconds + nanos / 1e9`.
    public var timeInterval: Double {
        Double(seconds) + Double(nanos) / 1e9
    }

    /// Whether this duration follows the rules in `duration.proto`: `seconds` within
    /// ±315,576,000,000, `nanos` within ±999,999,999, and a non-zero `nanos` of the
    /// same sign as a non-zero `seconds`.
    public var isValid: Bool {
        guard (-Self.maxValidSeconds...Self.maxValidSeconds).contains(seconds),
              (-999_999_999...999_999_999).contains(nanos)
        else { return false }
        return !(seconds > 0 && nanos < 0) && !(seconds < 0 && nanos > 0)
    }

    /// The same span with whole seconds moved out of `nanos` and both fields given the
    /// sign of the whole span: `(seconds: 1, nanos: -1_500_000_000)` becomes
    /// `(seconds: 0, nanos: -500_000_000)`. Unknown fields are kept.
    ///
    /// - Throws: `WellKnownTypeError` with code `.outOfRange` if `seconds` overflows.
    public func normalized() throws(WellKnownTypeError) -> Google_Protobuf_Duration {
        let perSecond = WellKnownTime.nanosPerSecond
        let (carried, overflow) = seconds.addingReportingOverflow(Int64(nanos) / perSecond)
        if overflow { throw WellKnownTypeError(.outOfRange, messageName: Self.protoMessageName) }
        var s = carried
        var n = Int64(nanos) % perSecond  // same sign as nanos, |n| < 1e9
        if s > 0 && n < 0 {
            s -= 1  // s > 0, cannot overflow
            n += perSecond
        } else if s < 0 && n > 0 {
            s += 1  // s < 0, cannot overflow
            n -= perSecond
        }
        var result = self
        result.seconds = s
        result.nanos = Int32(n)
        return result
    }
}

extension Google_Protobuf_Duration: Comparable {
    /// Orders by `seconds`, then `nanos`: shortest (most negative) first for durations
    /// whose fields share a sign, which `isValid` and `normalized()` guarantee.
    ///
    /// Unknown fields take no part, so two durations that differ only in unknown fields
    /// are neither `<` nor `==` each other.
    public static func < (lhs: Google_Protobuf_Duration, rhs: Google_Protobuf_Duration) -> Bool {
        (lhs.seconds, lhs.nanos) < (rhs.seconds, rhs.nanos)
    }
}

@available(macOS 13, iOS 16, tvOS 16, watchOS 9, *)
extension Swift.Duration {
    /// Creates a Swift duration equal to a protobuf duration, exactly; see
    /// `Google_Protobuf_Duration.swiftDuration`.
    public init(_ protobuf: Google_Protobuf_Duration) {
        self = protobuf.swiftDuration
    }
}
