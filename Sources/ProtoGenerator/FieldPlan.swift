// One field of a generated message, planned from its descriptor and its resolved features:
// the Swift property, and the shape (cardinality and kind of value) that picks the lines the
// templates write to size, encode and decode it.

struct FieldPlan: Sendable {
    /// What a field holds, once its features are resolved.
    enum Cardinality: Sendable, Hashable {
        /// Written unless it holds its default.
        case implicit
        /// A Swift `Optional`, written whenever set.
        case explicit
        /// Repeated, one tag per element.
        case expanded
        /// Repeated, one length-delimited run.
        case packed
        /// A `map<K, V>`.
        case map(key: ValueKind, value: ValueKind)
        /// A member of the message's `index`-th oneof.
        case oneofMember(index: Int)
    }

    var descriptor: FieldDescriptor
    /// The property name as written in code, escaped (`pageNumber`, `` `class` ``, `self_`).
    var name: String
    /// The property name without backticks, for derived names (`_child`).
    var bareName: String
    var cardinality: Cardinality
    var value: ValueKind
    /// The field's resolved features, which decided `cardinality` and `value`.
    var features: ResolvedFeatures
    /// Kept in a `ProtoBox` because the field's type contains the message itself.
    var boxed = false
    /// The Swift literal of the declared `[default = …]`, for a field with explicit presence:
    /// the property then reads as it while unset, and `hasX` tells whether it is set.
    var declaredDefault: String?
    /// The Swift literal of the declared `[default = …]` of a oneof member: a property named as
    /// the member then reads as the member's value while it is the one set, as the default
    /// otherwise.
    var memberDefault: String?

    /// The stored property the coding methods read and write: the property itself, or for a
    /// field with a declared default the `Optional` behind it.
    var storage: String { declaredDefault == nil ? name : "_" + bareName }

    var number: Int { descriptor.number }

    /// Plans field `f` of message `protoName` (fully qualified, with a leading dot).
    init(_ f: FieldDescriptor, message protoName: String, file: FileDescriptor, symbols: SymbolTable) throws(GeneratorError) {
        let element = "\(protoName.dropFirst()).\(f.name)"
        let message = symbols.messages[protoName]!
        var scope = message.features
        if let index = f.oneofIndex, message.descriptor.oneofs.indices.contains(index) {
            scope = scope.overridden(by: message.descriptor.oneofs[index].features)
        }
        features = scope.field(f)
        descriptor = f
        name = Naming.property(f.name)
        bareName = name.filter { $0 != "`" }
        value = try Self.valueKind(f, element: element, file: file, symbols: symbols, features: features)
        cardinality = .implicit

        if f.label == .repeated {
            if f.type == .message, let entry = symbols.messages[f.typeName]?.descriptor, entry.isMapEntry {
                guard let k = entry.fields.first(where: { $0.number == 1 }),
                      let v = entry.fields.first(where: { $0.number == 2 })
                else {
                    throw GeneratorError(file: file.name, element: element, message: "map entry without key or value")
                }
                // A map's key and value take the map field's features.
                let key = try Self.valueKind(k, element: element, file: file, symbols: symbols, features: features.field(k))
                let mapValue = try Self.valueKind(v, element: element, file: file, symbols: symbols, features: features.field(v))
                cardinality = .map(key: key, value: mapValue)
                return
            }
            cardinality = value.packable && features.repeatedEncoding == .packed ? .packed : .expanded
            return
        }
        if let index = f.oneofIndex, !f.proto3Optional {
            cardinality = .oneofMember(index: index)
        } else if f.type == .message || f.type == .group || features.presence != .implicit {
            cardinality = .explicit
        } else {
            cardinality = .implicit
        }
        if f.type != .message, f.type != .group, let text = f.defaultValue {
            guard let literal = Self.defaultLiteral(text, type: f.type, enumSymbol: symbols.enums[f.typeName]) else {
                throw GeneratorError(file: file.name, element: element, message: "default value \"\(text)\" is not a value of the field's type")
            }
            switch cardinality {
            case .explicit: declaredDefault = literal
            // A oneof member keeps its value in the oneof's enum; its accessor reads as the default.
            case .oneofMember: memberDefault = literal
            default: break
            }
        }
        if f.type == .message || f.type == .group {
            boxed = symbols.inlineReaches(from: f.typeName, to: protoName)
        }
    }

    /// The kind of one value of `f`'s type.
    static func valueKind(
        _ f: FieldDescriptor, element: String, file: FileDescriptor, symbols: SymbolTable, features: ResolvedFeatures
    ) throws(GeneratorError) -> ValueKind {
        if let scalar = ValueKind.scalar(f.type, utf8: features.utf8Validation) { return scalar }
        switch f.type {
        case .enum:
            guard let e = symbols.enums[f.typeName] else {
                throw GeneratorError(file: file.name, element: element, message: "unknown enum type \(f.typeName)")
            }
            return .enumValue(e)
        case .message, .group:
            guard let m = symbols.messages[f.typeName] else {
                throw GeneratorError(file: file.name, element: element, message: "unknown message type \(f.typeName)")
            }
            // proto2's groups and editions' delimited encoding are one wire format.
            let delimited = f.type == .group || features.messageEncoding == .delimited
            return delimited && !m.descriptor.isMapEntry ? .group(m) : .message(m)
        default:
            throw GeneratorError(file: file.name, element: element, message: "unknown field type")
        }
    }

    /// The declared type of the property.
    var propertyType: String {
        switch cardinality {
        case .implicit, .oneofMember: return value.swiftType
        case .explicit: return value.swiftType + "?"
        case .expanded, .packed: return "[\(value.swiftType)]"
        case .map(let k, let v): return "[\(k.swiftType): \(v.swiftType)]"
        }
    }

    /// The property's initial value in the struct and its default in `init(…)`.
    var initialValue: String {
        switch cardinality {
        case .implicit: return value.defaultValue
        case .explicit, .oneofMember: return "nil"
        case .expanded, .packed: return "[]"
        case .map: return "[:]"
        }
    }

    /// The value kinds of `map<string, V>` that ProtoWire sizes, writes and reads with concrete code.
    static let mapKernelValues: Set<String> = ["String", "Int32", "Int64", "UInt32", "UInt64", "Bool", "Float", "Double", "Bytes"]

    /// Everything the field templates (`field-declaration`, `field-size`, `field-encode`,
    /// `field-decode`) read; `separated` sets a documented property apart by a blank line.
    func context(separated: Bool) -> TemplateContext {
        var c = value.context(tagSize: tagSize(number))
        let repeated = cardinality == .expanded || cardinality == .packed
        var isMap = false
        c["mapKernel"] = .text("")
        c["closedEnumMap"] = .flag(false)
        if case .map(let k, let v) = cardinality {
            isMap = true
            c["keyCodec"] = .text(k.codec)
            c["valueCodec"] = .text(v.codec)
            // A closed enum's undeclared number sends the whole entry to the unknown fields.
            c["closedEnumMap"] = .flag(v.enumType == .closed)
            c["mapValueType"] = .text(v.swiftType)
            // ProtoWire's concrete entry points for string-keyed maps of scalars (MapKernels.swift).
            if k.codec == "ProtoWire.ProtoString", v.codec == "ProtoWire.Proto" + v.kind, Self.mapKernelValues.contains(v.kind) {
                c["mapKernel"] = .text("String" + v.kind)
            }
        }
        c["codec"] = .text(value.codec)
        c["name"] = .text(name)
        c["bareName"] = .text(bareName)
        c["storage"] = .text(storage)
        c["defaulted"] = .flag(declaredDefault != nil)
        if let declaredDefault {
            let capitalized = bareName.prefix(1).uppercased() + bareName.dropFirst()
            c["defaultLiteral"] = .text(declaredDefault)
            c["hasName"] = .text("has" + capitalized)
            c["clearName"] = .text("clear" + capitalized)
        }
        c["number"] = .text(String(number))
        c["type"] = .text(propertyType)
        c["initial"] = .text(initialValue)
        let doc = Doc.comment(descriptor.comments)
        c["doc"] = .text(doc)
        c["separated"] = .flag(separated && !doc.isEmpty)
        c["boxed"] = .flag(boxed)
        c["implicit"] = .flag(cardinality == .implicit)
        c["explicit"] = .flag(cardinality == .explicit)
        c["expanded"] = .flag(cardinality == .expanded)
        c["packed"] = .flag(cardinality == .packed)
        c["map"] = .flag(isMap)
        c["singular"] = .flag(cardinality == .implicit || cardinality == .explicit)
        c["repeated"] = .flag(repeated)
        c["packable"] = .flag(value.packable)
        c["tag"] = .text(rawTag(number, isMap ? 2 : value.wireType))
        c["packedTag"] = .text(rawTag(number, 2))
        return c
    }
}
