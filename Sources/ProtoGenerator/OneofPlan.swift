// A `oneof`: a Swift enum with one case per member, held in an Optional property.

struct OneofPlan: Sendable {
    var index: Int
    var descriptor: OneofDescriptor
    var members: [FieldPlan]
    /// The property name, such as `kind`.
    var property: String
    /// The nested enum's name, such as `Kind`, or `Kind_` when a field is already called that.
    var typeName: String

    init(index: Int, descriptor: OneofDescriptor, members: [FieldPlan], avoiding fieldNames: Set<String>) {
        self.index = index
        self.descriptor = descriptor
        self.members = members
        property = Naming.property(descriptor.name)
        var type = Naming.typeName(Naming.upperCamel(descriptor.name), suffix: "Oneof")
        if fieldNames.contains(type) { type += "_" }
        typeName = type
    }

    /// The context of one member, as a case of the enum and as a field to size, write and read.
    func memberContext(_ m: FieldPlan) -> TemplateContext {
        var c = m.value.context(tagSize: tagSize(m.number))
        c["codec"] = .text(m.value.codec)
        c["name"] = .text(m.name)
        c["number"] = .text(String(m.number))
        c["doc"] = .text(Doc.comment(m.descriptor.comments))
        c["boxed"] = .flag(m.boxed)
        c["property"] = .text(property)
        c["tag"] = .text(rawTag(m.number, m.value.wireType))
        return c
    }

    /// Everything the message templates read of the oneof.
    func context(separated: Bool) -> TemplateContext {
        let doc = Doc.comment(descriptor.comments)
        return [
            "doc": .text(doc),
            "separated": .flag(separated && !doc.isEmpty),
            "property": .text(property),
            "typeName": .text(typeName),
            "cases": .list(members.map(memberContext)),
            "defaultedMembers": .list(members.compactMap { m in
                m.memberDefault.map { literal in
                    ["name": .text(m.name), "bareName": .text(m.bareName), "valueType": .text(m.value.swiftType), "defaultLiteral": .text(literal)]
                }
            }),
        ]
    }
}
