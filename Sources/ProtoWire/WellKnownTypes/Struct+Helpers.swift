// Hand-written conveniences for google.protobuf.Struct, Value and ListValue:
// literal syntax, so JSON-like data reads as it would in JSON, and keyed access.
// Not generated: edit freely.
//
//     let config: Google_Protobuf_Struct = [
//         "name": "demo", "retries": 3, "verbose": false, "ratio": 0.5,
//         "tags": ["a", "b"], "limits": ["cpu": 2], "parent": nil,
//     ]

// MARK: - Struct

extension Google_Protobuf_Struct: ExpressibleByDictionaryLiteral {
    /// Creates a struct from a dictionary literal. If a key is repeated, the last
    /// value wins (no trap, unlike a `Dictionary` literal).
    public init(dictionaryLiteral elements: (String, Google_Protobuf_Value)...) {
        self.init(fields: Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// The value stored under `key`, or nil if there is none. Assigning nil removes
    /// the key; to store a protobuf null, assign `.null`.
    public subscript(key: String) -> Google_Protobuf_Value? {
        get { fields[key] }
        set { fields[key] = newValue }
    }
}

// MARK: - ListValue

extension Google_Protobuf_ListValue: ExpressibleByArrayLiteral {
    /// Creates a list from an array literal, keeping the order.
    public init(arrayLiteral elements: Google_Protobuf_Value...) {
        self.init(values: elements)
    }
}

// MARK: - Value

extension Google_Protobuf_Value {
    /// A value holding protobuf's `NullValue`: JSON `null`.
    public static var null: Google_Protobuf_Value {
        Google_Protobuf_Value(kind: .nullValue(.nullValue))
    }

    /// A value holding a number.
    public init(_ number: Double) {
        self.init(kind: .numberValue(number))
    }

    /// A value holding a string.
    public init(_ string: String) {
        self.init(kind: .stringValue(string))
    }

    /// A value holding a boolean.
    public init(_ bool: Bool) {
        self.init(kind: .boolValue(bool))
    }

    /// A value holding a struct (a JSON object).
    public init(_ object: Google_Protobuf_Struct) {
        self.init(kind: .structValue(object))
    }

    /// A value holding a list (a JSON array).
    public init(_ list: Google_Protobuf_ListValue) {
        self.init(kind: .listValue(list))
    }
}

extension Google_Protobuf_Value: ExpressibleByNilLiteral {
    /// `nil` in a literal is protobuf's null, the same as `.null`.
    public init(nilLiteral: ()) {
        self.init(kind: .nullValue(.nullValue))
    }
}

extension Google_Protobuf_Value: ExpressibleByFloatLiteral {
    /// A floating-point literal becomes a number value.
    public init(floatLiteral value: Double) {
        self.init(kind: .numberValue(value))
    }
}

extension Google_Protobuf_Value: ExpressibleByIntegerLiteral {
    /// An integer literal becomes a number value. Like every JSON number it is stored
    /// as a `Double`, so magnitudes above 2⁵³ are rounded to the nearest double.
    public init(integerLiteral value: Int64) {
        self.init(kind: .numberValue(Double(value)))
    }
}

extension Google_Protobuf_Value: ExpressibleByStringLiteral {
    /// A string literal becomes a string value.
    public init(stringLiteral value: String) {
        self.init(kind: .stringValue(value))
    }
}

extension Google_Protobuf_Value: ExpressibleByBooleanLiteral {
    /// `true` or `false` becomes a boolean value.
    public init(booleanLiteral value: Bool) {
        self.init(kind: .boolValue(value))
    }
}

extension Google_Protobuf_Value: ExpressibleByArrayLiteral {
    /// An array literal becomes a list value.
    public init(arrayLiteral elements: Google_Protobuf_Value...) {
        self.init(kind: .listValue(Google_Protobuf_ListValue(values: elements)))
    }
}

extension Google_Protobuf_Value: ExpressibleByDictionaryLiteral {
    /// A dictionary literal becomes a struct value. If a key is repeated, the last
    /// value wins.
    public init(dictionaryLiteral elements: (String, Google_Protobuf_Value)...) {
        self.init(kind: .structValue(Google_Protobuf_Struct(fields: Dictionary(elements, uniquingKeysWith: { _, last in last }))))
    }
}
