@testable import ProtoGenerator
import Testing

@Suite struct NamingTests {
    @Test(arguments: [
        ("page_number", "pageNumber"), ("n_things", "nThings"), ("http_url_2", "httpUrl2"), ("URL", "url"),
        ("HTTPServer", "httpServer"), ("Type", "type"), ("already_camelCase", "alreadyCamelCase"), ("x", "x"),
    ])
    func lowerCamel(input: String, expected: String) {
        #expect(Naming.lowerCamel(input) == expected)
    }

    @Test(arguments: [
        ("class", "`class`"), ("default", "`default`"), ("protocol", "`protocol`"), ("func", "`func`"),
        ("self", "self_"), ("Type", "type"), ("init", "init_"), ("unknown_fields", "unknownFields_"),
        ("encoded_size", "encodedSize_"), ("type", "type"), ("query", "query"),
    ])
    func propertyNames(input: String, expected: String) {
        #expect(Naming.property(input) == expected)
    }

    @Test func reservedTypeNamesGetASuffix() {
        for name in ["String", "Data", "Error", "Result", "Type", "Protocol"] {
            #expect(Naming.typeName(name, suffix: "Message") == name + "Message")
        }
        #expect(Naming.typeName("SearchRequest", suffix: "Message") == "SearchRequest")
    }

    @Test func enumCasesLoseTheEnumPrefix() {
        #expect(Naming.enumCase("COLOR_RED", enumName: "Color") == "red")
        #expect(Naming.enumCase("TRAFFIC_LIGHT_GREEN", enumName: "TrafficLight") == "green")
        #expect(Naming.enumCase("NULL_VALUE", enumName: "NullValue") == "nullValue")
        // Stripping would leave a leading digit: keep the prefix.
        #expect(Naming.enumCase("SIZE_2X", enumName: "Size") == "size2x")
        #expect(EnumPlan.caseName("DEFAULT", enumName: "Mode") == "`default`")
    }

    @Test func packagesBecomeTypePrefixes() {
        #expect(Naming.typePrefix(package: "google.protobuf", swiftPrefix: nil) == "Google_Protobuf_")
        #expect(Naming.typePrefix(package: "my_company.search_v1", swiftPrefix: nil) == "MyCompany_SearchV1_")
        #expect(Naming.typePrefix(package: "", swiftPrefix: nil) == "")
        #expect(Naming.typePrefix(package: "a.b", swiftPrefix: "AB") == "AB")
    }
}

@Suite struct TemplateTests {
    @Test func standaloneTagsOwnIndentation() throws {
        let t = try Template("struct A {\n  {{body}}\n}\n", name: "t")
        #expect(try t.render(["body": .text("let a = 1\nlet b = 2")]) == "struct A {\n  let a = 1\n  let b = 2\n}\n")
        // An empty standalone value removes its line.
        #expect(try t.render(["body": .text("")]) == "struct A {\n}\n")
    }

    @Test func sectionsIterateAndTestFlags() throws {
        let t = try Template("{{#items}}\n- {{name}}{{#last}}.{{/last}}\n{{/items}}\n{{^items}}\nnone\n{{/items}}\n", name: "t")
        #expect(try t.render(["items": .list([["name": .text("a"), "last": .flag(false)], ["name": .text("b"), "last": .flag(true)]])]) == "- a\n- b.\n")
        #expect(try t.render(["items": .list([])]) == "none\n")
    }

    @Test func partialsRenderInTheCurrentContextAndIndentation() throws {
        let item = try Template("- {{name}}\n", name: "item")
        let inline = try Template("<{{name}}>\n", name: "inline")
        let t = try Template("list {\n  {{#items}}\n  {{>item}}\n  {{/items}}\n}\n{{#items}}{{>inline}}{{/items}}\n", name: "t")
        let context: TemplateContext = ["items": .list([["name": .text("a")], ["name": .text("b")]])]
        #expect(try t.render(context, partials: ["item": item, "inline": inline]) == "list {\n  - a\n  - b\n}\n<a><b>\n")
        #expect(throws: TemplateError.self) { try t.render(context, partials: [:]) }
    }

    @Test func nestedStandalonePartialsAddTheirIndentationsAndSkipEmptyLines() throws {
        let inner = try Template("a\n\nb\n", name: "inner")
        let outer = try Template("begin\n  {{>inner}}\nend\n", name: "outer")
        let t = try Template("top\n    {{>outer}}\n", name: "t")
        #expect(try t.render([:], partials: ["inner": inner, "outer": outer]) == "top\n    begin\n      a\n\n      b\n    end\n")
    }

    @Test func aStandaloneValueBreaksLinesAtLineFeedsOnly() throws {
        // A CRLF is one `Character`, not a line feed: the line after it is not indented; a value
        // without a final line end gets one.
        let t = try Template("x {\n  {{body}}\n}\n", name: "t")
        #expect(try t.render(["body": .text("é1\r\nç2\nlast")]) == "x {\n  é1\r\nç2\n  last\n}\n")
    }

    @Test func aPartialInsideALineLosesOnlyItsFinalLineEnd() throws {
        // Inside an indented partial, the line after the inline partial's kept empty line is indented.
        let two = try Template("p\n\n", name: "two")
        let wrap = try Template("f({{>two}})\n", name: "wrap")
        let t = try Template("  {{>wrap}}\n", name: "t")
        #expect(try t.render([:], partials: ["two": two, "wrap": wrap]) == "  f(p\n  )\n")
    }

    @Test func blankMeansSpacesTabsAndLineEndsOnly() {
        #expect("".isBlank)
        #expect(" \t\n\r \n".isBlank)
        #expect(!" x ".isBlank)
        #expect(!"\u{A0}".isBlank)
        // A CRLF is one `Character`, and not one of the four.
        #expect(!"\r\n".isBlank)
    }

    @Test func missingValuesAreErrors() throws {
        let t = try Template("{{nope}}", name: "t")
        #expect(throws: TemplateError.self) { try t.render([:]) }
        #expect(throws: TemplateError.self) { try Template("{{#a}}x", name: "t") }
        #expect(throws: TemplateError.self) { try Template("{{#a}}x{{/b}}", name: "t") }
    }
}

@Suite struct FeatureResolutionTests {
    func generate(_ file: FileDescriptor) throws -> String {
        try Generator(GeneratorRequest(files: [file], filesToGenerate: [file.name])).generate()[0].content
    }

    @Test func proto3FieldsAreImplicitAndPacked() throws {
        let code = try generate(FileDescriptor(name: "a.proto", package: "p", messages: [
            MessageDescriptor(name: "M", fields: [
                FieldDescriptor(name: "a", number: 1, type: .int32),
                FieldDescriptor(name: "b", number: 2, label: .repeated, type: .int64),
                FieldDescriptor(name: "c", number: 3, label: .repeated, type: .int64, packed: false),
                FieldDescriptor(name: "d", number: 4, type: .string, oneofIndex: 0, proto3Optional: true),
            ], oneofs: [OneofDescriptor(name: "_d")]),
        ]))
        #expect(code.contains("public var a: Int32 = 0"))
        #expect(code.contains("if self.a != 0 { size &+= 1 &+ ProtoWire.WireSize.int32(self.a) }"))
        #expect(code.contains("writer.writePackedInt64(2, self.b)"))
        #expect(code.contains("case 16: self.b.append(try reader.readInt64())"))
        #expect(code.contains("case 18: try reader.readPackedInt64(into: &self.b)"))
        #expect(code.contains("for v in self.c { writer.writeInt64(3, v) }"))
        #expect(code.contains("public var d: String?"))
        #expect(code.contains("if let v = self.d { writer.writeString(4, v) }"))
        #expect(!code.contains("enum D"), "a proto3 optional's synthetic oneof is not a Swift oneof")
    }

    @Test func proto2FieldsAreExplicitExpandedAndClosed() throws {
        let code = try generate(FileDescriptor(name: "b.proto", package: "p", syntax: "proto2", messages: [
            MessageDescriptor(name: "M", fields: [
                FieldDescriptor(name: "a", number: 1, type: .int32),
                FieldDescriptor(name: "b", number: 2, label: .repeated, type: .int64),
                FieldDescriptor(name: "e", number: 3, type: .enum, typeName: ".p.E"),
                FieldDescriptor(name: "s", number: 4, type: .string),
            ]),
        ], enums: [EnumDescriptor(name: "E", values: [.init(name: "E_ONE", number: 1)])]))
        #expect(code.contains("public var a: Int32?"))
        #expect(code.contains("for v in self.b { writer.writeInt64(2, v) }"))
        #expect(code.contains("enum P_E: ProtoWire.ProtoEnum"))
        #expect(code.contains("init?(rawValue: Int32)"))
        #expect(code.contains("case 24: if let v = P_E(rawValue: try reader.readInt32()) { self.e = v } else { reader.preserveField(in: &self.unknownFields) }"))
        #expect(code.contains("self.s = try reader.readUncheckedString()"))
    }

    @Test func recursiveFieldsAreBoxed() throws {
        let code = try generate(FileDescriptor(name: "c.proto", messages: [
            MessageDescriptor(name: "Node", fields: [
                FieldDescriptor(name: "child", number: 1, type: .message, typeName: ".Node"),
                FieldDescriptor(name: "children", number: 2, label: .repeated, type: .message, typeName: ".Node"),
                FieldDescriptor(name: "leaf", number: 3, type: .message, typeName: ".Leaf"),
            ]),
            MessageDescriptor(name: "Leaf"),
        ]))
        #expect(code.contains("private var _child: ProtoWire.ProtoBox<Node>?"))
        #expect(code.contains("public var children: [Node] = []"))
        #expect(code.contains("public var leaf: Leaf?\n"))
    }

    @Test func editionsFieldsTakeTheirFeaturesFromFileFieldAndEnum() throws {
        let file = FileDescriptor(
            name: "e.proto", package: "p", syntax: "editions", edition: "2023",
            messages: [
                MessageDescriptor(name: "M", fields: [
                    FieldDescriptor(name: "a", number: 1, type: .int32),
                    FieldDescriptor(name: "b", number: 2, type: .int32, features: FeatureSet(fieldPresence: .explicit)),
                    FieldDescriptor(name: "c", number: 3, label: .repeated, type: .int64),
                    FieldDescriptor(name: "d", number: 4, label: .repeated, type: .int64, features: FeatureSet(repeatedFieldEncoding: .expanded)),
                    FieldDescriptor(name: "s", number: 5, type: .string, features: FeatureSet(utf8Validation: .unverified)),
                    FieldDescriptor(name: "e", number: 6, type: .enum, typeName: ".p.E"),
                    FieldDescriptor(name: "o", number: 7, type: .enum, typeName: ".p.O"),
                    FieldDescriptor(name: "m", number: 8, type: .message, typeName: ".p.M"),
                ]),
            ],
            enums: [
                EnumDescriptor(name: "E", values: [.init(name: "E_ONE", number: 1)], features: FeatureSet(enumType: .closed)),
                EnumDescriptor(name: "O", values: [.init(name: "O_ZERO", number: 0)]),
            ],
            features: FeatureSet(fieldPresence: .implicit)
        )
        let code = try generate(file)
        #expect(code.contains("public var a: Int32 = 0"), "the file's implicit presence")
        #expect(code.contains("public var b: Int32?"), "the field's explicit presence")
        #expect(code.contains("writer.writePackedInt64(3, self.c)"), "packed, the edition's default")
        #expect(code.contains("for v in self.d { writer.writeInt64(4, v) }"), "the field's expanded encoding")
        #expect(code.contains("self.s = try reader.readUncheckedString()"), "the field's UTF-8 feature")
        #expect(code.contains("case 48: if let v = P_E(rawValue: try reader.readInt32()) { self.e = v } else { reader.preserveField(in: &self.unknownFields) }"), "the enum's closed type")
        #expect(code.contains("enum P_O: ProtoWire.OpenProtoEnum"), "open, the edition's default")
        #expect(code.contains("private var _m: ProtoWire.ProtoBox<P_M>?"), "a message field is explicit whatever the file says")
        // The field table JSON and the text format read follows the same resolved features.
        for line in ["1 a int32\n", "2 b optional int32\n", "3 c packed int64\n", "4 d repeated int64\n", "6 e enum 0\n", "8 m optional message 0\n"] {
            #expect(code.contains(line), "field table line \(line)")
        }
        #expect(code.contains("try visitor.implicit(ProtoWire.ProtoInt32.self, 1, self.a)"))
        #expect(code.contains("try visitor.optional(ProtoWire.ProtoInt32.self, 2, self.b)"))
        #expect(code.contains("try visitor.implicit(ProtoWire.ProtoUncheckedString.self, 5, self.s)"))
        #expect(code.contains("try visitor.implicit(ProtoWire.ClosedEnumCodec<P_E>.self, 6, self.e)"))
        #expect(code.contains("try visitor.implicit(ProtoWire.EnumCodec<P_O>.self, 7, self.o)"))
    }

    @Test(arguments: [
        (FieldDescriptor.FieldType.double, "inf", ".infinity"), (.double, "-inf", "-.infinity"), (.float, "nan", ".nan"),
        (.double, "1e+300", "1e+300"), (.float, "-2.25", "-2.25"), (.double, "5", "5.0"), (.double, "-0", "-0.0"),
        (.int32, "-2147483648", "-2147483648"), (.int64, "-9223372036854775808", "-9223372036854775808"),
        (.uint64, "18446744073709551615", "18446744073709551615"), (.fixed32, "4294967295", "4294967295"),
        (.bool, "false", "false"),
        (.string, "a\"b\\c\nd\u{1}é", #""a\"b\\c\nd\u{1}é""#), (.string, "", #""""#),
        (.bytes, #"\000\x41\377\n\"\\"#, "Data([0x00, 0x41, 0xFF, 0x0A, 0x22, 0x5C])"), (.bytes, "", "Data()"),
    ])
    func declaredDefaultsBecomeSwiftLiterals(type: FieldDescriptor.FieldType, text: String, literal: String) {
        #expect(FieldPlan.defaultLiteral(text, type: type, enumSymbol: nil) == literal)
    }

    @Test(arguments: [
        (FieldDescriptor.FieldType.int32, "2147483648"), (.uint32, "-1"), (.bool, "yes"), (.double, "one"),
        (.float, "1e39"), (.bytes, "\\9"), (.bytes, "\\"),
    ])
    func aDefaultThatIsNotAValueOfItsTypeIsRejectedByName(type: FieldDescriptor.FieldType, text: String) {
        let file = FileDescriptor(name: "d.proto", package: "p", syntax: "proto2", messages: [
            MessageDescriptor(name: "M", fields: [FieldDescriptor(name: "f", number: 1, type: type, defaultValue: text)]),
        ])
        #expect(throws: GeneratorError(file: "d.proto", element: "p.M.f", message: "default value \"\(text)\" is not a value of the field's type")) {
            try generate(file)
        }
    }

    @Test func aDeclaredDefaultIsWhatTheFieldReadsAsWhileUnset() throws {
        let file = FileDescriptor(name: "d.proto", package: "p", syntax: "proto2", messages: [
            MessageDescriptor(name: "M", fields: [
                FieldDescriptor(name: "page_size", number: 1, type: .int32, defaultValue: "20"),
                FieldDescriptor(name: "e", number: 2, type: .enum, typeName: ".p.E", defaultValue: "E_TWO"),
            ]),
        ], enums: [EnumDescriptor(name: "E", values: [.init(name: "E_ONE", number: 1), .init(name: "E_TWO", number: -2)])])
        let code = try generate(file)
        #expect(code.contains("get { _pageSize ?? 20 }"))
        #expect(code.contains("public var hasPageSize: Bool { _pageSize != nil }"))
        #expect(code.contains("public mutating func clearPageSize() { _pageSize = nil }"))
        #expect(code.contains("private var _pageSize: Int32?"))
        #expect(code.contains("if let v = self._pageSize { writer.writeInt32(1, v) }"), "written only when set")
        #expect(code.contains("try visitor.optional(ProtoWire.ProtoInt32.self, 1, self._pageSize)"), "JSON and text see presence")
        #expect(code.contains("self._pageSize = pageSize"))
        #expect(code.contains("get { _e ?? .two }"))
    }

    @Test func aOneofMemberWithADeclaredDefaultGetsAnAccessorThatReadsAsIt() throws {
        let file = FileDescriptor(name: "d.proto", package: "p", syntax: "proto2", messages: [
            MessageDescriptor(name: "M", fields: [
                FieldDescriptor(name: "page_size", number: 1, type: .int32, oneofIndex: 0, defaultValue: "20"),
                FieldDescriptor(name: "e", number: 2, type: .enum, typeName: ".p.E", oneofIndex: 0, defaultValue: "E_TWO"),
                FieldDescriptor(name: "plain", number: 3, type: .string, oneofIndex: 0),
            ], oneofs: [OneofDescriptor(name: "pick")]),
        ], enums: [EnumDescriptor(name: "E", values: [.init(name: "E_ONE", number: 1), .init(name: "E_TWO", number: -2)])])
        let code = try generate(file)
        #expect(code.contains("public var pageSize: Int32 {\n    get { if case .pageSize(let v)? = self.pick { return v } else { return 20 } }\n    set { self.pick = .pageSize(newValue) }\n  }"))
        #expect(code.contains("get { if case .e(let v)? = self.pick { return v } else { return .two } }"))
        #expect(!code.contains("public var plain:"), "no default, no accessor: the oneof's enum is how to read it")
        // A default that is not a value of the member's type is refused as a field's is.
        var bad = file
        bad.messages[0].fields[0].defaultValue = "many"
        #expect(throws: GeneratorError(file: "d.proto", element: "p.M.page_size", message: "default value \"many\" is not a value of the field's type")) {
            try generate(bad)
        }
    }

    @Test func aFileWithRequiredFieldsImportsFoundationForItsCheckedSerializedData() throws {
        let file = FileDescriptor(name: "r.proto", package: "p", syntax: "proto2", messages: [
            MessageDescriptor(name: "M", fields: [FieldDescriptor(name: "id", number: 1, label: .required, type: .int64)]),
        ])
        let code = try generate(file)
        #expect(code.contains("import Foundation"))
        #expect(code.contains("public func serializedData() throws(ProtoWire.WireEncodingError) -> Data {\n    try serializedData(partial: false)\n  }"))
        let plain = FileDescriptor(name: "q.proto", package: "p", syntax: "proto2", messages: [
            MessageDescriptor(name: "M", fields: [FieldDescriptor(name: "id", number: 1, type: .int64)]),
        ])
        #expect(!(try generate(plain)).contains("import Foundation"))
    }

    @Test func requiredFieldsAreRequiredInTheFieldTableWhicheverSyntaxSaysSo() throws {
        func file(syntax: String, edition: String = "", field: FieldDescriptor) -> FileDescriptor {
            FileDescriptor(name: "r.proto", package: "p", syntax: syntax, edition: edition, messages: [MessageDescriptor(name: "M", fields: [field])])
        }
        let proto2 = try generate(file(syntax: "proto2", field: FieldDescriptor(name: "id", number: 1, label: .required, type: .int64)))
        let editions = try generate(file(
            syntax: "editions", edition: "2023",
            field: FieldDescriptor(name: "id", number: 1, type: .int64, features: FeatureSet(fieldPresence: .legacyRequired))
        ))
        #expect(proto2.contains("1 id required int64\n"))
        #expect(editions.contains("1 id required int64\n"))
        #expect(proto2.contains("public var id: Int64?") && editions.contains("public var id: Int64?"))
    }

    @Test func aMessageSetIsReadAndWrittenAsItems() throws {
        let file = FileDescriptor(name: "s.proto", package: "p", syntax: "proto2", messages: [
            MessageDescriptor(name: "Set", extensionRanges: [4..<536_870_912], isMessageSet: true),
            MessageDescriptor(name: "Payload", fields: [FieldDescriptor(name: "x", number: 1, type: .int32)]),
        ], extensions: [
            FieldDescriptor(name: "payload", number: 1_547_769, type: .message, typeName: ".p.Payload", extendee: ".p.Set"),
        ])
        let code = try generate(file)
        #expect(code.contains("ProtoWire.MessageSetWire.encodedSize(self.unknownFields)"))
        #expect(code.contains("ProtoWire.MessageSetWire.encode(self.unknownFields, to: &writer)"))
        #expect(code.contains("try ProtoWire.MessageSetWire.merge(from: &reader, into: &self.unknownFields)"))
        #expect(code.components(separatedBy: "MessageSetWire.merge").count == 2, "only the MessageSet reads items")
        #expect(code.contains("ProtoWire.Extension<P_Set, P_Payload>(1547769, \"p.payload\", message: P_Payload.self)"), "\(code)")
    }

    @Test func aMessageSetWithFieldsOrScalarExtensionsIsRejectedByName() {
        let withField = FileDescriptor(name: "s.proto", package: "p", syntax: "proto2", messages: [
            MessageDescriptor(name: "Set", fields: [FieldDescriptor(name: "x", number: 1, type: .int32)], extensionRanges: [4..<100], isMessageSet: true),
        ])
        #expect(throws: GeneratorError(file: "s.proto", element: "p.Set", message: "a MessageSet (message_set_wire_format) cannot declare fields, only extensions")) {
            try generate(withField)
        }
        let scalar = FileDescriptor(name: "s.proto", package: "p", syntax: "proto2", messages: [
            MessageDescriptor(name: "Set", extensionRanges: [4..<100], isMessageSet: true),
        ], extensions: [FieldDescriptor(name: "n", number: 5, type: .int32, extendee: ".p.Set")])
        #expect(throws: GeneratorError(file: "s.proto", element: "p.n", message: "extends MessageSet p.Set: its extensions must be singular messages")) {
            try generate(scalar)
        }
    }

    @Test func editionsThatAreNotKnownAreRejectedByName() throws {
        #expect(throws: GeneratorError(file: "e.proto", element: "", message: "edition 2026 is not supported (known: 2023, 2024)")) {
            try generate(FileDescriptor(name: "e.proto", syntax: "editions", edition: "2026"))
        }
        #expect(try generate(FileDescriptor(name: "e.proto", syntax: "editions", edition: "2024")).contains("Generated by"))
    }

    @Test func delimitedMessageFieldsAreWrittenAsGroups() throws {
        let file = FileDescriptor(name: "d.proto", package: "p", syntax: "editions", edition: "2023", messages: [
            MessageDescriptor(name: "M", fields: [
                FieldDescriptor(name: "child", number: 1, type: .message, typeName: ".p.M", features: FeatureSet(messageEncoding: .delimited)),
                FieldDescriptor(name: "prefixed", number: 2, type: .message, typeName: ".p.M"),
            ]),
        ])
        let swift = try generate(file)
        // Field 1 as a group (start-group tag 11), field 2 length-prefixed (tag 18).
        #expect(swift.contains("case 11: try reader.readGroup(into: &self.child)"), "\(swift)")
        #expect(swift.contains("writer.writeGroup(1, v)"), "\(swift)")
        #expect(swift.contains("case 18: try reader.readMessage(into: &self.prefixed)"), "\(swift)")
        #expect(swift.contains("writer.writeMessage(2, v)"), "\(swift)")
    }

    @Test func unknownTypesAreNamed() throws {
        let file = FileDescriptor(name: "u.proto", package: "p", messages: [
            MessageDescriptor(name: "M", fields: [FieldDescriptor(name: "x", number: 1, type: .message, typeName: ".p.Missing")]),
        ])
        #expect(throws: GeneratorError(file: "u.proto", element: "p.M.x", message: "unknown message type .p.Missing")) {
            try generate(file)
        }
    }
}

@Suite struct OptionTests {
    @Test func optionsParseIntoEnumsWhateverTheirCase() throws {
        let options = try GeneratorOptions(parameter: "visibility=Package, FileNaming=droppath,Services=FALSE")
        #expect(options.visibility == .package)
        #expect(options.fileNaming == .dropPath)
        #expect(!options.services)
        #expect(options.messages)
        #expect(try GeneratorOptions(parameter: "").visibility == .public)
    }

    @Test func unknownKeysAndValuesAreNamedWithWhatIsKnown() {
        #expect(throws: GeneratorError(file: "", element: "Colour", message: "unknown option (known: Visibility, FileNaming, Messages, Services, ImportRuntime, ImportGRPCRuntime, ProtoPathModuleMappings, Reflection)")) {
            try GeneratorOptions(parameter: "Colour=blue")
        }
        #expect(throws: GeneratorError(file: "", element: "FileNaming", message: "must be FullPath, PathToUnderscores or DropPath, not 'Flat'")) {
            try GeneratorOptions(parameter: "FileNaming=Flat")
        }
        #expect(throws: GeneratorError(file: "", element: "Messages", message: "must be true or false, not 'yes'")) {
            try GeneratorOptions(parameter: "Messages=yes")
        }
    }
}
