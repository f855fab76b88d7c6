// Descriptors at run time: the model of `.proto` files that generated code exposes
// (`protoDescriptor`) and `DynamicMessage` reads and writes messages with. Built from the
// `FileDescriptorProto` bytes generated code embeds, by the small decoder at the end of this file,
// which reads only the parts of descriptor.proto this model holds.

/// The options of a descriptor element (`MessageOptions`, `FieldOptions`, …) as they were encoded.
///
/// The model reads the few standard options it needs (`packed`, `map_entry`, editions features);
/// everything else, custom options included, stays in `bytes`. Custom options are extensions of
/// the options messages, so they read with the generated `Extension` of the option through any
/// `ExtensibleMessage` that holds these bytes as its unknown fields, or by number with
/// ``DescriptorOptions/fields(numbered:)``.
public struct DescriptorOptions: Sendable, Hashable {
    /// The encoded options message.
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// The bytes as unknown fields, for `ExtensibleMessage.get(_:)` on an options message.
    public var unknownFields: UnknownFields { UnknownFields(bytes: bytes) }

    /// The raw values of every field numbered `number`, in order: varints and fixed values as
    /// their bits, length-delimited values as their payload bytes.
    public func fields(numbered number: Int) -> [DescriptorOptionValue] {
        var reader = DescriptorBytes(bytes)
        var out: [DescriptorOptionValue] = []
        while let (n, value) = try? reader.next() {
            if n == number { out.append(value) }
        }
        return out
    }
}

/// One raw option value, as read by ``DescriptorOptions/fields(numbered:)``.
public enum DescriptorOptionValue: Sendable, Hashable {
    case varint(UInt64)
    case fixed32(UInt32)
    case fixed64(UInt64)
    case lengthDelimited([UInt8])
}

/// The kind of value a field holds, as descriptor.proto's `FieldDescriptorProto.Type` numbers it.
public enum ProtoFieldType: Int, Sendable, Hashable {
    case double = 1, float, int64, uint64, int32, fixed64, fixed32, bool, string, group, message, bytes,
        uint32, `enum`, sfixed32, sfixed64, sint32, sint64
}

/// Whether a field holds one value, one value that must be present, or a list.
public enum ProtoFieldLabel: Int, Sendable, Hashable {
    case optional = 1, required, repeated
}

/// A `.proto` file: its package, its top-level types and services, the files it imports.
public final class ProtoFileDescriptor: Sendable {
    /// The path `protoc` knows the file by, such as `fixtures/maps.proto`.
    public let name: String
    /// The package, such as `fixtures.maps`; empty when the file declares none.
    public let package: String
    /// `proto2`, `proto3` or `editions`.
    public let syntax: String
    /// The names of the files it imports, in order.
    public let dependencies: [String]
    /// The top-level messages, in declaration order.
    public let messages: [ProtoMessageDescriptor]
    /// The top-level enums.
    public let enums: [ProtoEnumDescriptor]
    /// The services.
    public let services: [ProtoServiceDescriptor]
    /// The extensions declared at file scope.
    public let extensions: [ProtoFieldDescriptor]
    /// `FileOptions`.
    public let options: DescriptorOptions

    init(name: String, package: String, syntax: String, dependencies: [String], messages: [ProtoMessageDescriptor],
         enums: [ProtoEnumDescriptor], services: [ProtoServiceDescriptor], extensions: [ProtoFieldDescriptor], options: DescriptorOptions) {
        self.name = name
        self.package = package
        self.syntax = syntax
        self.dependencies = dependencies
        self.messages = messages
        self.enums = enums
        self.services = services
        self.extensions = extensions
        self.options = options
    }
}

/// A message type: its fields in number order, oneofs, nested types and options.
///
/// Descriptors come from a ``DescriptorPool`` and live as long as it; the pools generated code
/// uses live as long as the program.
public final class ProtoMessageDescriptor: @unchecked Sendable {
    /// The name in its scope, such as `Entry`.
    public let name: String
    /// The fully qualified name, such as `fixtures.maps.Outer.Entry`.
    public let fullName: String
    /// The name of the file that declares it.
    public let fileName: String
    /// The fields, in field-number order (the order the binary and text formats write them in).
    public let fields: [ProtoFieldDescriptor]
    /// The oneofs, in declaration order; synthetic oneofs of proto3 `optional` fields included.
    public let oneofs: [ProtoOneofDescriptor]
    /// The messages declared inside it.
    public let nestedTypes: [ProtoMessageDescriptor]
    /// The enums declared inside it.
    public let enums: [ProtoEnumDescriptor]
    /// The extensions declared inside it (of other messages).
    public let extensions: [ProtoFieldDescriptor]
    /// `MessageOptions`.
    public let options: DescriptorOptions
    /// True for the synthesized entry type of a `map` field (`key` = 1, `value` = 2).
    public let isMapEntry: Bool
    private let byNumber: [Int: Int]
    private let byName: [String: Int]

    init(name: String, fullName: String, fileName: String, fields: [ProtoFieldDescriptor], oneofs: [ProtoOneofDescriptor],
         nestedTypes: [ProtoMessageDescriptor], enums: [ProtoEnumDescriptor], extensions: [ProtoFieldDescriptor],
         options: DescriptorOptions, isMapEntry: Bool) {
        self.name = name
        self.fullName = fullName
        self.fileName = fileName
        self.fields = fields.sorted { $0.number < $1.number }
        self.oneofs = oneofs
        self.nestedTypes = nestedTypes
        self.enums = enums
        self.extensions = extensions
        self.options = options
        self.isMapEntry = isMapEntry
        var byNumber: [Int: Int] = [:]
        var byName: [String: Int] = [:]
        for (i, f) in self.fields.enumerated() {
            byNumber[f.number] = i
            byName[f.name] = i
        }
        self.byNumber = byNumber
        self.byName = byName
    }

    /// The field numbered `number`, nil when the message has none.
    public func field(number: Int) -> ProtoFieldDescriptor? { byNumber[number].map { fields[$0] } }

    /// The field named `name` in the `.proto` file, nil when the message has none.
    public func field(named name: String) -> ProtoFieldDescriptor? { byName[name].map { fields[$0] } }
}

/// A `oneof`: its name and the fields in it.
public struct ProtoOneofDescriptor: Sendable {
    /// The name, such as `choice`.
    public let name: String
    /// The numbers of its fields.
    public let fieldNumbers: [Int]
    /// True for the oneof `protoc` makes for a proto3 `optional` field.
    public let isSynthetic: Bool
    /// `OneofOptions`.
    public let options: DescriptorOptions
}

/// A field (or an extension): name, number, type, label and presence.
///
/// A message or enum field refers to its type by ``typeName``; ``messageType`` and ``enumType``
/// are that type, resolved when the field's pool was built.
public final class ProtoFieldDescriptor: @unchecked Sendable {
    /// The name in the `.proto` file, such as `display_name`.
    public let name: String
    /// The JSON name, such as `displayName`.
    public let jsonName: String
    /// The field number.
    public let number: Int
    /// The kind of value.
    public let type: ProtoFieldType
    /// `optional`, `required` or `repeated`.
    public let label: ProtoFieldLabel
    /// The fully qualified name of the message or enum type, without the leading dot; empty for scalars.
    public let typeName: String
    /// For an extension, the fully qualified name of the message it extends; empty otherwise.
    public let extendee: String
    /// The declared default (`[default = …]`) as the `.proto` file spells it; nil when none.
    public let defaultValue: String?
    /// The index in the message's ``ProtoMessageDescriptor/oneofs`` of the oneof holding the field.
    public let oneofIndex: Int?
    /// True when a set value is told apart from an unset one: explicit presence, message
    /// fields, oneof members. False for repeated fields and proto3 implicit-presence fields.
    public let hasPresence: Bool
    /// True for a repeated scalar field written as one packed length-delimited record.
    public let isPacked: Bool
    /// `FieldOptions`.
    public let options: DescriptorOptions
    /// The message type of a message, group or map field, resolved by the pool.
    public internal(set) var messageType: ProtoMessageDescriptor?
    /// The enum type of an enum field, resolved by the pool.
    public internal(set) var enumType: ProtoEnumDescriptor?

    init(name: String, jsonName: String, number: Int, type: ProtoFieldType, label: ProtoFieldLabel, typeName: String, extendee: String,
         defaultValue: String?, oneofIndex: Int?, hasPresence: Bool, isPacked: Bool, options: DescriptorOptions) {
        self.name = name
        self.jsonName = jsonName
        self.number = number
        self.type = type
        self.label = label
        self.typeName = typeName
        self.extendee = extendee
        self.defaultValue = defaultValue
        self.oneofIndex = oneofIndex
        self.hasPresence = hasPresence
        self.isPacked = isPacked
        self.options = options
    }

    /// True for a `repeated` field (maps included).
    public var isRepeated: Bool { label == .repeated }
    /// True for a `map` field: repeated, of a map-entry message.
    public var isMap: Bool { label == .repeated && messageType?.isMapEntry == true }
}

/// An enum type and its values.
public final class ProtoEnumDescriptor: Sendable {
    /// The name in its scope.
    public let name: String
    /// The fully qualified name, such as `fixtures.enums.Color`.
    public let fullName: String
    /// The values, in declaration order.
    public let values: [ProtoEnumValueDescriptor]
    /// True for a closed enum (proto2): a number it does not name is kept among unknown fields.
    public let isClosed: Bool
    /// `EnumOptions`.
    public let options: DescriptorOptions
    private let nameByNumber: [Int32: String]
    private let numberByName: [String: Int32]

    init(name: String, fullName: String, values: [ProtoEnumValueDescriptor], isClosed: Bool, options: DescriptorOptions) {
        self.name = name
        self.fullName = fullName
        self.values = values
        self.isClosed = isClosed
        self.options = options
        var byNumber: [Int32: String] = [:]
        var byName: [String: Int32] = [:]
        // The first name of a number wins, as with `allow_alias`.
        for v in values.reversed() { byNumber[v.number] = v.name }
        for v in values { byName[v.name] = v.number }
        nameByNumber = byNumber
        numberByName = byName
    }

    /// The name of `number`, nil when the enum names no such value.
    public func name(of number: Int32) -> String? { nameByNumber[number] }
    /// The number of the value named `name`.
    public func number(named name: String) -> Int32? { numberByName[name] }
}

/// One value of an enum.
public struct ProtoEnumValueDescriptor: Sendable, Hashable {
    public let name: String
    public let number: Int32
    /// `EnumValueOptions`.
    public let options: DescriptorOptions
}

/// A service and its methods.
public struct ProtoServiceDescriptor: Sendable {
    public let name: String
    /// The fully qualified name, such as `search.Search`.
    public let fullName: String
    public let methods: [ProtoMethodDescriptor]
    /// `ServiceOptions`.
    public let options: DescriptorOptions
}

/// A method of a service.
public struct ProtoMethodDescriptor: Sendable {
    public let name: String
    /// The fully qualified name of the request message.
    public let inputType: String
    /// The fully qualified name of the response message.
    public let outputType: String
    public let clientStreaming: Bool
    public let serverStreaming: Bool
    /// `MethodOptions`.
    public let options: DescriptorOptions
}

/// The error when descriptor bytes cannot be read or a type they name cannot be found.
public struct DescriptorError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A set of files whose descriptors refer to each other: every message and enum by full name,
/// with each field's type resolved.
///
/// Generated code keeps one per generated file, built on first use from the file's embedded
/// descriptor and those of its imports (``SerializedFileDescriptor/pool``).
public final class DescriptorPool: Sendable {
    /// The files, dependencies first.
    public let files: [ProtoFileDescriptor]
    private let messagesByName: [String: ProtoMessageDescriptor]
    private let enumsByName: [String: ProtoEnumDescriptor]

    /// Decodes `files` (each once, in any order) and links their types.
    /// - Throws: `DescriptorError` for bytes that are not a `FileDescriptorProto`, or a field whose
    ///   type is in none of the files.
    public init(files: [SerializedFileDescriptor]) throws(DescriptorError) {
        var all: [SerializedFileDescriptor] = []
        var seen = Set<String>()
        for f in files {
            for d in f.withTransitiveDependencies where seen.insert(d.name).inserted { all.append(d) }
        }
        var decoded: [ProtoFileDescriptor] = []
        for f in all {
            do {
                decoded.append(try DescriptorDecoder.file(f.bytes))
            } catch {
                throw DescriptorError("the descriptor of \(f.name) does not decode: \(error)")
            }
        }
        var messages: [String: ProtoMessageDescriptor] = [:]
        var enums: [String: ProtoEnumDescriptor] = [:]
        var fields: [ProtoFieldDescriptor] = []
        func add(_ m: ProtoMessageDescriptor) {
            messages[m.fullName] = m
            fields += m.fields + m.extensions
            for e in m.enums { enums[e.fullName] = e }
            for n in m.nestedTypes { add(n) }
        }
        for file in decoded {
            for m in file.messages { add(m) }
            for e in file.enums { enums[e.fullName] = e }
            fields += file.extensions
        }
        for field in fields where !field.typeName.isEmpty {
            switch field.type {
            case .message, .group:
                guard let m = messages[field.typeName] else { throw DescriptorError("field \(field.name): no message \(field.typeName)") }
                field.messageType = m
            case .enum:
                guard let e = enums[field.typeName] else { throw DescriptorError("field \(field.name): no enum \(field.typeName)") }
                field.enumType = e
            default: break
            }
        }
        self.files = decoded
        messagesByName = messages
        enumsByName = enums
    }

    /// The message named `fullName` (such as `fixtures.maps.Outer`), nil when no file declares it.
    public func message(named fullName: String) -> ProtoMessageDescriptor? { messagesByName[fullName] }

    /// The enum named `fullName`, nil when no file declares it.
    public func `enum`(named fullName: String) -> ProtoEnumDescriptor? { enumsByName[fullName] }

    /// The file named `name`.
    public func file(named name: String) -> ProtoFileDescriptor? { files.first { $0.name == name } }

    /// The pools of generated files, by the name of the file each was built for.
    static let generated = Locked<[String: DescriptorPool]>([:])
}

extension SerializedFileDescriptor {
    /// The pool of this file and its imports, built on first use and shared by the whole program.
    ///
    /// Generated descriptors always decode; a failure here is a broken generated file and stops
    /// the program with the file's name.
    public var pool: DescriptorPool {
        DescriptorPool.generated.withLock { pools in
            if let pool = pools[name] { return pool }
            do throws(DescriptorError) {
                let pool = try DescriptorPool(files: [self])
                pools[name] = pool
                return pool
            } catch {
                preconditionFailure("the embedded descriptor of \(name) is broken (\(error)): regenerate the file")
            }
        }
    }

    /// The descriptor of the file itself.
    public var fileDescriptor: ProtoFileDescriptor { pool.file(named: name)! }

    /// The message this file (or an import) declares as `fullName`; generated `protoDescriptor`
    /// properties call it. A name the file does not declare stops the program.
    public func message(_ fullName: String) -> ProtoMessageDescriptor {
        guard let m = pool.message(named: fullName) else { preconditionFailure("\(name) declares no message \(fullName)") }
        return m
    }

    /// The enum declared as `fullName`; generated `protoDescriptor` properties call it.
    public func `enum`(_ fullName: String) -> ProtoEnumDescriptor {
        guard let e = pool.enum(named: fullName) else { preconditionFailure("\(name) declares no enum \(fullName)") }
        return e
    }

    /// The service declared as `fullName`.
    public func service(_ fullName: String) -> ProtoServiceDescriptor {
        guard let s = fileDescriptor.services.first(where: { $0.fullName == fullName }) else {
            preconditionFailure("\(name) declares no service \(fullName)")
        }
        return s
    }
}

// MARK: - Decoding descriptor.proto

/// Reads protobuf wire format from a byte array, for descriptors and dynamic messages.
struct DescriptorBytes {
    let bytes: [UInt8]
    var offset: Int
    let end: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = 0
        end = bytes.count
    }

    init(_ bytes: [UInt8], from start: Int, to end: Int) {
        self.bytes = bytes
        offset = start
        self.end = end
    }

    var isAtEnd: Bool { offset >= end }

    mutating func varint(field: Int = 0) throws(WireDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end else { throw WireDecodingError(.truncated, fieldNumber: field, offset: offset) }
            let b = bytes[offset]
            offset += 1
            if shift == 63 && b > 1 { throw WireDecodingError(.malformedVarint, fieldNumber: field, offset: offset) }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw WireDecodingError(.malformedVarint, fieldNumber: field, offset: offset) }
        }
    }

    mutating func fixed32(field: Int) throws(WireDecodingError) -> UInt32 {
        guard end - offset >= 4 else { throw WireDecodingError(.truncated, fieldNumber: field, offset: offset) }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
        offset += 4
        return v
    }

    mutating func fixed64(field: Int) throws(WireDecodingError) -> UInt64 {
        guard end - offset >= 8 else { throw WireDecodingError(.truncated, fieldNumber: field, offset: offset) }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return v
    }

    /// The bounds of a length-delimited payload; moves past it.
    mutating func lengthDelimited(field: Int) throws(WireDecodingError) -> Range<Int> {
        let length = try varint(field: field)
        guard length <= UInt64(end - offset) else { throw WireDecodingError(.lengthOutOfBounds, fieldNumber: field, offset: offset) }
        let start = offset
        offset += Int(length)
        return start..<offset
    }

    /// The next tag: field number and wire type; nil at the end.
    mutating func tag() throws(WireDecodingError) -> (number: Int, wireType: WireType)? {
        guard !isAtEnd else { return nil }
        let at = offset
        let raw = try varint()
        let number = raw >> 3
        guard number > 0, number <= 536_870_911, let wireType = WireType(rawValue: UInt8(raw & 7)) else {
            throw WireDecodingError(.invalidTag, fieldNumber: 0, offset: at)
        }
        return (Int(number), wireType)
    }

    /// The bounds of the body of a group whose start tag was just read; moves past its end tag.
    mutating func group(field: Int, depth: Int) throws(WireDecodingError) -> Range<Int> {
        guard depth < WireReader.recursionLimit else { throw WireDecodingError(.recursionLimitExceeded, fieldNumber: field, offset: offset) }
        let start = offset
        while true {
            let before = offset
            guard let (n, wt) = try tag() else { throw WireDecodingError(.unterminatedGroup, fieldNumber: field, offset: offset) }
            if wt == .endGroup {
                guard n == field else { throw WireDecodingError(.unmatchedEndGroup, fieldNumber: n, offset: offset) }
                return start..<before
            }
            try skip(n, wt, depth: depth + 1)
        }
    }

    mutating func skip(_ number: Int, _ wireType: WireType, depth: Int) throws(WireDecodingError) {
        switch wireType {
        case .varint: _ = try varint(field: number)
        case .fixed32: _ = try fixed32(field: number)
        case .fixed64: _ = try fixed64(field: number)
        case .lengthDelimited: _ = try lengthDelimited(field: number)
        case .startGroup: _ = try group(field: number, depth: depth)
        case .endGroup: throw WireDecodingError(.unmatchedEndGroup, fieldNumber: number, offset: offset)
        }
    }

    /// The next field as a raw value (groups are not expected in descriptors and are skipped).
    mutating func next() throws(WireDecodingError) -> (Int, DescriptorOptionValue)? {
        while let (n, wt) = try tag() {
            switch wt {
            case .varint: return (n, .varint(try varint(field: n)))
            case .fixed32: return (n, .fixed32(try fixed32(field: n)))
            case .fixed64: return (n, .fixed64(try fixed64(field: n)))
            case .lengthDelimited: return (n, .lengthDelimited(Array(bytes[try lengthDelimited(field: n)])))
            default: try skip(n, wt, depth: 0)
            }
        }
        return nil
    }
}

/// The editions features the model resolves: presence, enum openness, packing, group encoding.
struct ResolvedFeatures {
    var explicitPresence: Bool
    var legacyRequired = false
    var closedEnums: Bool
    var packed: Bool
    var delimited = false

    /// Applies a `FeatureSet`'s bytes over these features.
    func merging(_ featureSet: [UInt8]?) -> ResolvedFeatures {
        guard let featureSet else { return self }
        var out = self
        var reader = DescriptorBytes(featureSet)
        while let (n, value) = try? reader.next() {
            guard case .varint(let v) = value else { continue }
            switch n {
            case 1: out.explicitPresence = v != 2; out.legacyRequired = v == 3
            case 2: out.closedEnums = v == 2
            case 3: out.packed = v == 1
            case 5: out.delimited = v == 2
            default: break
            }
        }
        return out
    }
}

/// Builds the model from `FileDescriptorProto` bytes.
enum DescriptorDecoder {
    /// A decoded message's fields by number: the last varint, the length-delimited payloads.
    struct Fields {
        var varints: [Int: UInt64] = [:]
        var payloads: [Int: [[UInt8]]] = [:]

        init(_ bytes: [UInt8]) throws(WireDecodingError) {
            var reader = DescriptorBytes(bytes)
            while let (n, value) = try reader.next() {
                switch value {
                case .varint(let v): varints[n] = v
                case .lengthDelimited(let p): payloads[n, default: []].append(p)
                default: break
                }
            }
        }

        func string(_ n: Int) -> String? { payloads[n]?.last.map { String(decoding: $0, as: UTF8.self) } }
        func strings(_ n: Int) -> [String] { (payloads[n] ?? []).map { String(decoding: $0, as: UTF8.self) } }
        func all(_ n: Int) -> [[UInt8]] { payloads[n] ?? [] }
        func options(_ n: Int) -> DescriptorOptions { DescriptorOptions(bytes: payloads[n]?.last ?? []) }
    }

    /// The `features` field (a `FeatureSet`) of an options message, by its number there.
    static func features(_ options: DescriptorOptions, _ number: Int) -> [UInt8]? {
        guard let v = options.fields(numbered: number).last, case .lengthDelimited(let b) = v else { return nil }
        return b
    }

    static func file(_ bytes: [UInt8]) throws(WireDecodingError) -> ProtoFileDescriptor {
        let f = try Fields(bytes)
        let name = f.string(1) ?? ""
        let package = f.string(2) ?? ""
        let edition = f.varints[14]
        var syntax = f.string(12) ?? "proto2"
        if syntax.isEmpty { syntax = "proto2" }
        let base: ResolvedFeatures
        switch syntax {
        case "proto3": base = ResolvedFeatures(explicitPresence: false, closedEnums: false, packed: true)
        case "editions": base = ResolvedFeatures(explicitPresence: true, closedEnums: false, packed: true)
        default: base = ResolvedFeatures(explicitPresence: true, closedEnums: true, packed: false)
        }
        _ = edition
        let options = f.options(8)
        let features = base.merging(features(options, 50))
        let context = Context(fileName: name, syntax: syntax, features: features)
        let scope = package.isEmpty ? "" : package + "."
        return ProtoFileDescriptor(
            name: name, package: package, syntax: syntax, dependencies: f.strings(3),
            messages: try f.all(4).map { b throws(WireDecodingError) in try message(b, scope: scope, context) },
            enums: try f.all(5).map { b throws(WireDecodingError) in try enumType(b, scope: scope, features) },
            services: try f.all(6).map { b throws(WireDecodingError) in try service(b, scope: scope) },
            extensions: try f.all(7).map { b throws(WireDecodingError) in try field(b, scope: scope, features, context) },
            options: options)
    }

    struct Context {
        let fileName: String
        let syntax: String
        let features: ResolvedFeatures
    }

    static func message(_ bytes: [UInt8], scope: String, _ context: Context) throws(WireDecodingError) -> ProtoMessageDescriptor {
        let f = try Fields(bytes)
        let name = f.string(1) ?? ""
        let fullName = scope + name
        let options = f.options(7)
        let features = context.features.merging(features(options, 12))
        let inner = Context(fileName: context.fileName, syntax: context.syntax, features: features)
        let nestedScope = fullName + "."
        let oneofBytes = f.all(8)
        var fields: [ProtoFieldDescriptor] = []
        for b in f.all(2) { fields.append(try field(b, scope: nestedScope, features, inner)) }
        var oneofs: [ProtoOneofDescriptor] = []
        for (i, b) in oneofBytes.enumerated() {
            let o = try Fields(b)
            let members = fields.filter { $0.oneofIndex == i }
            let synthetic = members.count == 1 && (try? Fields(rawField(for: members[0].number, in: f.all(2))))?.varints[17] == 1
            oneofs.append(ProtoOneofDescriptor(name: o.string(1) ?? "", fieldNumbers: members.map(\.number), isSynthetic: synthetic, options: o.options(2)))
        }
        var isMapEntry = false
        if let v = options.fields(numbered: 7).last, case .varint(let x) = v { isMapEntry = x != 0 }
        return ProtoMessageDescriptor(
            name: name, fullName: fullName, fileName: context.fileName, fields: fields, oneofs: oneofs,
            nestedTypes: try f.all(3).map { b throws(WireDecodingError) in try message(b, scope: nestedScope, inner) },
            enums: try f.all(4).map { b throws(WireDecodingError) in try enumType(b, scope: nestedScope, features) },
            extensions: try f.all(6).map { b throws(WireDecodingError) in try field(b, scope: nestedScope, features, inner) },
            options: options, isMapEntry: isMapEntry)
    }

    /// The bytes of the `FieldDescriptorProto` numbered `number` among `fields`.
    private static func rawField(for number: Int, in fields: [[UInt8]]) -> [UInt8] {
        for b in fields {
            if let f = try? Fields(b), f.varints[3] == UInt64(number) { return b }
        }
        return []
    }

    static func field(_ bytes: [UInt8], scope: String, _ parent: ResolvedFeatures, _ context: Context) throws(WireDecodingError) -> ProtoFieldDescriptor {
        let f = try Fields(bytes)
        let name = f.string(1) ?? ""
        let options = f.options(8)
        let features = parent.merging(features(options, 21))
        var type = ProtoFieldType(rawValue: Int(f.varints[5] ?? 0)) ?? .int32
        let label = ProtoFieldLabel(rawValue: Int(f.varints[4] ?? 1)) ?? .optional
        if type == .message && features.delimited && context.syntax == "editions" { type = .group }
        var typeName = f.string(6) ?? ""
        if typeName.hasPrefix(".") { typeName.removeFirst() }
        var extendee = f.string(2) ?? ""
        if extendee.hasPrefix(".") { extendee.removeFirst() }
        let oneofIndex = f.varints[9].map { Int($0) }
        let proto3Optional = f.varints[17] == 1
        let presence: Bool
        if label == .repeated {
            presence = false
        } else if type == .message || type == .group || oneofIndex != nil || proto3Optional || label == .required || !extendee.isEmpty {
            presence = true
        } else {
            presence = features.explicitPresence
        }
        let finalLabel: ProtoFieldLabel = label == .optional && features.legacyRequired && context.syntax == "editions" ? .required : label
        var packed = false
        if label == .repeated && type.isPackable {
            packed = features.packed
            if let v = options.fields(numbered: 2).last, case .varint(let x) = v { packed = x != 0 }
        }
        return ProtoFieldDescriptor(
            name: name, jsonName: f.string(10) ?? jsonName(of: name), number: Int(f.varints[3] ?? 0), type: type,
            label: finalLabel, typeName: typeName, extendee: extendee, defaultValue: f.string(7),
            oneofIndex: oneofIndex, hasPresence: presence, isPacked: packed, options: options)
    }

    /// `protoc`'s JSON name: underscores dropped, the letter after each one upper-cased.
    static func jsonName(of name: String) -> String {
        var out = ""
        var upper = false
        for c in name {
            if c == "_" {
                upper = true
            } else if upper {
                out += c.uppercased()
                upper = false
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func enumType(_ bytes: [UInt8], scope: String, _ parent: ResolvedFeatures) throws(WireDecodingError) -> ProtoEnumDescriptor {
        let f = try Fields(bytes)
        let name = f.string(1) ?? ""
        let options = f.options(3)
        let features = parent.merging(features(options, 7))
        var values: [ProtoEnumValueDescriptor] = []
        for b in f.all(2) {
            let v = try Fields(b)
            values.append(ProtoEnumValueDescriptor(name: v.string(1) ?? "", number: Int32(truncatingIfNeeded: v.varints[2] ?? 0), options: v.options(3)))
        }
        return ProtoEnumDescriptor(name: name, fullName: scope + name, values: values, isClosed: features.closedEnums, options: options)
    }

    static func service(_ bytes: [UInt8], scope: String) throws(WireDecodingError) -> ProtoServiceDescriptor {
        let f = try Fields(bytes)
        let name = f.string(1) ?? ""
        var methods: [ProtoMethodDescriptor] = []
        for b in f.all(2) {
            let m = try Fields(b)
            func type(_ n: Int) -> String {
                var s = m.string(n) ?? ""
                if s.hasPrefix(".") { s.removeFirst() }
                return s
            }
            methods.append(ProtoMethodDescriptor(
                name: m.string(1) ?? "", inputType: type(2), outputType: type(3),
                clientStreaming: m.varints[5] == 1, serverStreaming: m.varints[6] == 1, options: m.options(4)))
        }
        return ProtoServiceDescriptor(name: name, fullName: scope + name, methods: methods, options: f.options(3))
    }
}

extension ProtoFieldType {
    /// Scalars that a repeated field may pack: all but strings, bytes, messages and groups.
    var isPackable: Bool {
        switch self {
        case .string, .bytes, .message, .group: return false
        default: return true
        }
    }
}
