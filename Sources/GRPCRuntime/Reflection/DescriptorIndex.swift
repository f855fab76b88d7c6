import ProtoWire

/// What server reflection looks up in the descriptors of a server's `.proto` files: each file by
/// name, the file that declares each symbol, and the extensions declared for each message.
///
/// Built once from the embedded `FileDescriptorProto` bytes by reading only the names it needs,
/// so that the runtime carries no copy of `descriptor.proto`'s types.
struct DescriptorIndex: Sendable {
    /// Every file the services' files import, directly or not, by name.
    private(set) var files: [String: SerializedFileDescriptor] = [:]
    /// The file that declares each fully-qualified symbol (no leading dot): messages, fields,
    /// oneofs, enums, enum values (in the scope of their enum, as protobuf scopes them), services,
    /// methods and extensions.
    private(set) var fileBySymbol: [String: String] = [:]
    /// The messages declared, fully qualified: the types whose extensions can be asked for.
    private(set) var messages: Set<String> = []
    /// The file that declares each extension, by extended message (fully qualified) and number.
    private(set) var extensions: [String: [Int32: String]] = [:]

    init(files roots: [SerializedFileDescriptor]) {
        for root in roots {
            for file in root.withTransitiveDependencies where files[file.name] == nil {
                files[file.name] = file
                // A descriptor that does not parse was not written by the plugin: its file is
                // still served by name, its symbols are not known.
                try? index(file)
            }
        }
    }

    private mutating func index(_ file: SerializedFileDescriptor) throws(WireDecodingError) {
        let fields = try EncodedFields(file.bytes)
        let package = fields.string(FileField.package) ?? ""
        for message in fields.messages(FileField.messageType) { try index(message: message, scope: package, file: file.name) }
        for enumType in fields.messages(FileField.enumType) { try index(enum: enumType, scope: package, file: file.name) }
        for service in fields.messages(FileField.service) {
            let serviceFields = try EncodedFields(service)
            let name = qualified(package, serviceFields.string(1) ?? "")
            add(name, file.name)
            for method in serviceFields.messages(2) { add(qualified(name, try EncodedFields(method).string(1) ?? ""), file.name) }
        }
        for field in fields.messages(FileField.extension) { try index(extension: field, scope: package, file: file.name) }
    }

    private mutating func index(message bytes: [UInt8], scope: String, file: String) throws(WireDecodingError) {
        let fields = try EncodedFields(bytes)
        let name = qualified(scope, fields.string(1) ?? "")
        add(name, file)
        messages.insert(name)
        for field in fields.messages(2) { add(qualified(name, try EncodedFields(field).string(1) ?? ""), file) }
        for oneof in fields.messages(8) { add(qualified(name, try EncodedFields(oneof).string(1) ?? ""), file) }
        for nested in fields.messages(3) { try index(message: nested, scope: name, file: file) }
        for enumType in fields.messages(4) { try index(enum: enumType, scope: name, file: file) }
        for field in fields.messages(6) { try index(extension: field, scope: name, file: file) }
    }

    private mutating func index(enum bytes: [UInt8], scope: String, file: String) throws(WireDecodingError) {
        let fields = try EncodedFields(bytes)
        add(qualified(scope, fields.string(1) ?? ""), file)
        for value in fields.messages(2) { add(qualified(scope, try EncodedFields(value).string(1) ?? ""), file) }
    }

    /// An `extend` field (FieldDescriptorProto): name 1, extendee 2 (`.pkg.Message`), number 3.
    private mutating func index(extension bytes: [UInt8], scope: String, file: String) throws(WireDecodingError) {
        let fields = try EncodedFields(bytes)
        add(qualified(scope, fields.string(1) ?? ""), file)
        var extendee = fields.string(2) ?? ""
        if extendee.hasPrefix(".") { extendee.removeFirst() }
        if let number = fields.varint(3) { extensions[extendee, default: [:]][Int32(truncatingIfNeeded: number)] = file }
    }

    private mutating func add(_ symbol: String, _ file: String) {
        if fileBySymbol[symbol] == nil { fileBySymbol[symbol] = file }
    }

    private func qualified(_ scope: String, _ name: String) -> String { scope.isEmpty ? name : scope + "." + name }

    /// FileDescriptorProto's field numbers.
    private enum FileField {
        static let package = 2, messageType = 4, enumType = 5, service = 6, `extension` = 7
    }
}

/// The fields of one encoded message, by number: length-delimited ones as bytes, varints as
/// numbers; others skipped. Enough to walk a descriptor without its generated types.
private struct EncodedFields {
    private var delimited: [Int: [[UInt8]]] = [:]
    private var varints: [Int: UInt64] = [:]

    init(_ bytes: [UInt8]) throws(WireDecodingError) {
        var delimited: [Int: [[UInt8]]] = [:]
        var varints: [Int: UInt64] = [:]
        let result = bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Result<Void, WireDecodingError> in
            var reader = WireReader(buffer)
            var skipped = UnknownFields()
            do throws(WireDecodingError) {
                while let tag = try reader.nextTag() {
                    switch tag.wireType {
                    case .lengthDelimited:
                        let value = try reader.readLengthDelimited { (bytes: UnsafeRawBufferPointer) throws(WireDecodingError) in [UInt8](bytes) }
                        delimited[tag.fieldNumber, default: []].append(value)
                    case .varint:
                        varints[tag.fieldNumber] = try reader.readVarint()
                    default:
                        try reader.skip(tag, into: &skipped)
                    }
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
        self.delimited = delimited
        self.varints = varints
    }

    func string(_ number: Int) -> String? { delimited[number]?.last.map { String(decoding: $0, as: UTF8.self) } }
    func messages(_ number: Int) -> [[UInt8]] { delimited[number] ?? [] }
    func varint(_ number: Int) -> UInt64? { varints[number] }
}
