// One field of a generated message: its Swift spelling and the lines of code
// that size, encode and decode it. Each kind of field is handled in one place here;
// the templates only place the lines.

struct FieldPlan: Sendable {
    var descriptor: FieldDescriptor
    /// The property name as written in code, escaped (`pageNumber`, `` `class` ``, `self_`).
    var name: String
    /// The property name without backticks, for derived names (`_child`).
    var bareName: String
    var cardinality: Cardinality
    /// The codec type for a single value, such as `ProtoString` or `MessageCodec<Foo>`.
    var codec: String
    /// The Swift type of a single value.
    var valueType: String
    /// Kept in a `ProtoBox` because the field's type contains the message itself.
    var boxed: Bool
    var closedEnum: Bool
    /// The default of a single value, such as `0`, `""`, `.unspecified`.
    var valueDefault: String
    /// For a map: the key's codec (`codec` is then the value's).
    var mapKeyCodec: String = ""

    var number: Int { descriptor.number }

    /// The declared type of the property.
    var propertyType: String {
        switch cardinality {
        case .singular(.implicit): return valueType
        case .singular(.explicit): return valueType + "?"
        case .repeated: return "[\(valueType)]"
        case .map: return valueType
        case .oneofMember: return valueType
        }
    }

    /// The property's initial value in the struct and its default in `init(…)`.
    var initialValue: String {
        switch cardinality {
        case .singular(.implicit): return valueDefault
        case .singular(.explicit): return "nil"
        case .repeated: return "[]"
        case .map: return "[:]"
        case .oneofMember: return "nil"
        }
    }

    // MARK: Declaration

    /// The property declaration; a documented one is set apart by a blank line.
    func declaration(access: String, doc: String) -> String {
        var lines: [String] = doc.isEmpty ? [] : ["", doc]
        if boxed {
            lines += [
                "\(access)var \(name): \(propertyType) {",
                "  get { _\(bareName)?.value }",
                "  set { _\(bareName) = newValue.map(ProtoBox.init) }",
                "}",
                "private var _\(bareName): ProtoBox<\(valueType)>?",
            ]
        } else if case .singular(.explicit) = cardinality {
            lines.append("\(access)var \(name): \(propertyType)")
        } else {
            lines.append("\(access)var \(name): \(propertyType) = \(initialValue)")
        }
        return lines.joined(separator: "\n")
    }

    // MARK: Size, encode, decode

    /// The `size &+= …` line for `encodedSize()`.
    var sizeLine: String {
        "size &+= WireSize.\(helper)(\(codecArguments), \(number), self.\(name))"
    }

    /// The `writer.…` line for `encode(to:)`.
    var encodeLine: String {
        "writer.\(helper)(\(codecArguments), \(number), self.\(name))"
    }

    /// The name of the WireSize/WireWriter helper for this field's cardinality.
    private var helper: String {
        switch cardinality {
        case .singular(.implicit): return "implicit"
        case .singular(.explicit): return "optional"
        case .repeated(.packed): return "packed"
        case .repeated(.expanded): return "repeated"
        case .map: return "map"
        case .oneofMember: return "field"
        }
    }

    private var codecArguments: String {
        if case .map = cardinality { return "\(mapKeyCodec).self, \(codec).self" }
        return "\(codec).self"
    }

    /// The `case N:` of `merge(from:)`, one or more lines.
    var decodeCase: String {
        let n = number
        switch cardinality {
        case .singular:
            if descriptor.type == .message {
                return "case \(n): try reader.readMessage(tag, into: &self.\(name))"
            }
            if closedEnum {
                return "case \(n): if let v = try reader.readClosedEnum(\(valueType).self, tag, unknown: &self.unknownFields) { self.\(name) = v }"
            }
            return "case \(n): self.\(name) = try reader.read(\(codec).self, tag)"
        case .repeated:
            if closedEnum {
                return "case \(n): try reader.readRepeatedClosedEnum(\(valueType).self, tag, into: &self.\(name), unknown: &self.unknownFields)"
            }
            return "case \(n): try reader.readRepeated(\(codec).self, tag, into: &self.\(name))"
        case .map:
            return "case \(n): try reader.readMapEntry(\(mapKeyCodec).self, \(codec).self, tag, into: &self.\(name))"
        case .oneofMember:
            fatalError("oneof members are decoded by OneofPlan")
        }
    }
}
