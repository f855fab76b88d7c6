// A `oneof`: a Swift enum with one case per member, held in an Optional property.

struct OneofPlan: Sendable {
    var index: Int
    var descriptor: OneofDescriptor
    var members: [FieldPlan]
    /// The property name, such as `kind`.
    var property = ""
    /// The nested enum's name, such as `Kind`, or `Kind_` when a member is already called that.
    var typeName = ""

    static func named(_ oneofs: [OneofPlan], avoiding fieldNames: Set<String>) -> [OneofPlan] {
        oneofs.map { o in
            var o = o
            o.property = Naming.property(o.descriptor.name)
            var type = Naming.typeName(Naming.upperCamel(o.descriptor.name), suffix: "Oneof")
            if fieldNames.contains(type) { type += "_" }
            o.typeName = type
            return o
        }
    }

    func context(access: String) -> TemplateContext {
        let doc = Doc.comment(descriptor.comments)
        return [
            "declaration": .text((doc.isEmpty ? "" : "\n\(doc)\n") + "\(access)var \(property): \(typeName)?"),
            "doc": .text(doc),
            "property": .text(property),
            "typeName": .text(typeName),
            "cases": .list(members.map { m in
                [
                    "doc": .text(Doc.comment(m.descriptor.comments)),
                    "name": .text(m.name),
                    "type": .text(m.valueType),
                    "indirect": .text(m.boxed ? "indirect " : ""),
                ]
            }),
        ]
    }

    var sizeSwitch: String {
        var lines = ["switch self.\(property) {"]
        for m in members {
            lines.append("case .\(m.name)(let v)?: size &+= WireSize.field(\(m.codec).self, \(m.number), v)")
        }
        lines += ["case nil: break", "}"]
        return lines.joined(separator: "\n")
    }

    /// A `switch` writing whichever of `run` (members in field-number order) is set.
    func encodeSwitch(_ run: [FieldPlan]) -> [String] {
        var lines = ["switch self.\(property) {"]
        for m in run {
            lines.append("case .\(m.name)(let v)?: writer.field(\(m.codec).self, \(m.number), v)")
        }
        lines.append(run.count == members.count ? "case nil: break" : "default: break")
        lines.append("}")
        return lines
    }

    var decodeCases: [String] {
        members.map { m in
            let n = m.number
            if m.descriptor.type == .message {
                return """
                    case \(n):
                      var value = \(m.valueType)()
                      if case .\(m.name)(let existing)? = self.\(property) { value = existing }
                      try reader.readMessage(tag, into: &value)
                      self.\(property) = .\(m.name)(value)
                    """
            }
            if m.closedEnum {
                return "case \(n): if let v = try reader.readClosedEnum(\(m.valueType).self, tag, unknown: &self.unknownFields) { self.\(property) = .\(m.name)(v) }"
            }
            return "case \(n): self.\(property) = .\(m.name)(try reader.read(\(m.codec).self, tag))"
        }
    }
}
