// Hand-written conveniences for the wrapper messages in google/protobuf/wrappers.proto:
// an unlabeled initializer and literal syntax for each. Not generated: edit freely.
//
//     let limit: Google_Protobuf_Int32Value = 50
//     let name = Google_Protobuf_StringValue("demo")

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// MARK: - DoubleValue

extension Google_Protobuf_DoubleValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// Wraps `value`.
    public init(_ value: Double) {
        self.init(value: value)
    }

    /// Wraps a floating-point literal.
    public init(floatLiteral value: Double) {
        self.init(value: value)
    }

    /// Wraps an integer literal, converted to the nearest `Double`.
    public init(integerLiteral value: Int64) {
        self.init(value: Double(value))
    }
}

// MARK: - FloatValue

extension Google_Protobuf_FloatValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// Wraps `value`.
    public init(_ value: Float) {
        self.init(value: value)
    }

    /// Wraps a floating-point literal.
    public init(floatLiteral value: Float) {
        self.init(value: value)
    }

    /// Wraps an integer literal, converted to the nearest `Float`.
    public init(integerLiteral value: Int64) {
        self.init(value: Float(value))
    }
}

// MARK: - Int64Value

extension Google_Protobuf_Int64Value: ExpressibleByIntegerLiteral {
    /// Wraps `value`.
    public init(_ value: Int64) {
        self.init(value: value)
    }

    /// Wraps an integer literal; one that does not fit in `Int64` is a compile-time error.
    public init(integerLiteral value: Int64) {
        self.init(value: value)
    }
}

// MARK: - UInt64Value

extension Google_Protobuf_UInt64Value: ExpressibleByIntegerLiteral {
    /// Wraps `value`.
    public init(_ value: UInt64) {
        self.init(value: value)
    }

    /// Wraps an integer literal; one that does not fit in `UInt64` is a compile-time error.
    public init(integerLiteral value: UInt64) {
        self.init(value: value)
    }
}

// MARK: - Int32Value

extension Google_Protobuf_Int32Value: ExpressibleByIntegerLiteral {
    /// Wraps `value`.
    public init(_ value: Int32) {
        self.init(value: value)
    }

    /// Wraps an integer literal; one that does not fit in `Int32` is a compile-time error.
    public init(integerLiteral value: Int32) {
        self.init(value: value)
    }
}

// MARK: - UInt32Value

extension Google_Protobuf_UInt32Value: ExpressibleByIntegerLiteral {
    /// Wraps `value`.
    public init(_ value: UInt32) {
        self.init(value: value)
    }

    /// Wraps an integer literal; one that does not fit in `UInt32` is a compile-time error.
    public init(integerLiteral value: UInt32) {
        self.init(value: value)
    }
}

// MARK: - BoolValue

extension Google_Protobuf_BoolValue: ExpressibleByBooleanLiteral {
    /// Wraps `value`.
    public init(_ value: Bool) {
        self.init(value: value)
    }

    /// Wraps `true` or `false`.
    public init(booleanLiteral value: Bool) {
        self.init(value: value)
    }
}

// MARK: - StringValue

extension Google_Protobuf_StringValue: ExpressibleByStringLiteral {
    /// Wraps `value`.
    public init(_ value: String) {
        self.init(value: value)
    }

    /// Wraps a string literal.
    public init(stringLiteral value: String) {
        self.init(value: value)
    }
}

// MARK: - BytesValue

extension Google_Protobuf_BytesValue: ExpressibleByArrayLiteral {
    /// Wraps `value`.
    public init(_ value: Data) {
        self.init(value: value)
    }

    /// Wraps the bytes of an array literal: `[0xCA, 0xFE]`.
    public init(arrayLiteral elements: UInt8...) {
        self.init(value: Data(elements))
    }
}
