// `extend` fields: one `ProtoWire.Extension` value each, at file scope
// (`Google_Api_Extensions_http`) or in an `Extensions` namespace of the message that declares
// them (`Outer.Extensions.count`), and the `ExtensibleMessage` conformance of every message that
// declares extension ranges. The context of `extensions.mustache`.

struct ExtensionPlan {
    let field: FieldDescriptor
    /// The fully qualified proto name, without a leading dot: `google.api.http`.
    let fullName: String
    /// The Swift expression that makes the `Extension` value.
    let declaration: String

    /// Plans `f`, declared in `scope` (the package, or a message's full name, with a leading dot
    /// unless empty) whose features are `features`.
    init(_ f: FieldDescriptor, scope: String, features scopeFeatures: ResolvedFeatures, file: FileDescriptor, symbols: SymbolTable) throws(GeneratorError) {
        field = f
        let qualified = scope.isEmpty ? f.name : "\(scope.dropFirst()).\(f.name)"
        fullName = qualified
        guard let extendee = symbols.messages[f.extendee] else {
            throw GeneratorError(file: file.name, element: qualified, message: "extends unknown message \(f.extendee)")
        }
        let features = scopeFeatures.field(f)
        if extendee.descriptor.isMessageSet, f.label == .repeated || f.type != .message {
            throw GeneratorError(
                file: file.name, element: qualified,
                message: "extends MessageSet \(f.extendee.dropFirst()): its extensions must be singular messages")
        }
        let value = try FieldPlan.valueKind(f, element: qualified, file: file, symbols: symbols, features: features)
        let closed = value.enumType == .closed
        let head = "ProtoWire.Extension<\(extendee.swiftName), "
        let args = "\(f.number), \"\(qualified)\""
        if value.wireType == 3 {
            // proto2's groups and editions' delimited messages: between start- and end-group tags.
            let type = value.swiftType
            declaration = f.label == .repeated
                ? head + "[\(type)]>(\(args), repeatedGroup: \(type).self)"
                : head + "\(type)>(\(args), group: \(type).self)"
        } else if f.label == .repeated {
            let packed = value.packable && features.repeatedEncoding == .packed
            let codec = closed ? "repeatedClosedEnum: \(value.swiftType).self" : "repeated: \(value.codec).self"
            declaration = head + "[\(value.swiftType)]>(\(args), \(codec)\(packed ? ", packed: true" : ""))"
        } else if value.isMessage {
            declaration = head + "\(value.swiftType)>(\(args), message: \(value.swiftType).self)"
        } else if closed {
            declaration = head + "\(value.swiftType)>(\(args), closedEnum: \(value.swiftType).self)"
        } else {
            declaration = head + "\(value.swiftType)>(\(args), codec: \(value.codec).self)"
        }
    }

    func context(name: String) -> TemplateContext {
        var doc = Doc.comment(field.comments)
        let note = "/// Extension `\(fullName)`, field \(field.number) of `\(field.extendee.dropFirst())`."
        doc = doc.isEmpty ? note : doc + "\n///\n" + note
        return ["name": .text(name), "declaration": .text(declaration), "doc": .text(doc)]
    }

    /// The context of `extensions.mustache` for `file`.
    static func fileContext(_ file: FileDescriptor, symbols: SymbolTable) throws(GeneratorError) -> TemplateContext {
        let scope = file.package.isEmpty ? "" : "." + file.package
        let prefix = Naming.typePrefix(package: file.package, swiftPrefix: file.swiftPrefix)
        let fileFeatures = ResolvedFeatures.of(file)
        var fileScope: [TemplateContext] = []
        for f in file.extensions {
            let plan = try ExtensionPlan(f, scope: scope, features: fileFeatures, file: file, symbols: symbols)
            fileScope.append(plan.context(name: prefix + "Extensions_" + f.name))
        }
        var byMessage: [TemplateContext] = []
        var extensible: [TemplateContext] = []
        func walk(_ m: MessageDescriptor, protoName: String) throws(GeneratorError) {
            let symbol = symbols.messages[protoName]!
            if !m.extensionRanges.isEmpty { extensible.append(["type": .text(symbol.swiftName)]) }
            if !m.extensions.isEmpty {
                var contexts: [TemplateContext] = []
                for f in m.extensions {
                    let plan = try ExtensionPlan(f, scope: protoName, features: symbol.features, file: file, symbols: symbols)
                    contexts.append(plan.context(name: Naming.member(f.name)))
                }
                byMessage.append([
                    "scope": .text(symbol.swiftName), "protoName": .text(String(protoName.dropFirst())),
                    "extensions": .list(contexts),
                ])
            }
            for nested in m.messages where !nested.isMapEntry {
                try walk(nested, protoName: protoName + "." + nested.name)
            }
        }
        for m in file.messages { try walk(m, protoName: scope + "." + m.name) }
        return [
            "extensibleMessages": .list(extensible),
            "fileExtensions": .list(fileScope),
            "scopedExtensions": .list(byMessage),
        ]
    }
}
