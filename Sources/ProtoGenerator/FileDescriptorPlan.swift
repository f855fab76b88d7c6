// The serialized descriptor a `.pb.swift` embeds for reflection (option `Reflection`): the
// context of the `fileDescriptor` section of `file.mustache` and the name services refer to.

extension FilePlan {
    /// The constant that holds `file`'s descriptor: `Fixtures_Enums_Enums_FileDescriptor` for
    /// `fixtures/enums.proto` in package `fixtures.enums`, named as the file's types are.
    static func descriptorConstantName(_ file: FileDescriptor) -> String {
        fileConstantPrefix(file) + "_FileDescriptor"
    }

    /// The `fileDescriptor` section of `file.mustache`, empty when the option is off or the
    /// request carried no descriptor bytes (generator tests that build descriptors by hand).
    func fileDescriptorContext() -> TemplateValue {
        guard options.reflection, !file.serializedDescriptor.isEmpty else { return .list([]) }
        let lines = Self.base64Lines(file.serializedDescriptor, width: 100)
        return .list([[
            "descriptorName": .text(Self.descriptorConstantName(file)),
            "dependencies": .text(dependencyFiles.map(Self.descriptorConstantName).joined(separator: ", ")),
            "base64Lines": .list(lines.map { ["line": .text($0)] }),
        ]])
    }

    /// The descriptor constant a service file names, nil when the option is off.
    var serviceFileDescriptorName: TemplateValue {
        options.reflection ? .list([["fileDescriptorName": .text(Self.descriptorConstantName(file))]]) : .list([])
    }

    /// `bytes` in standard base64, padded, cut into lines of `width` characters (a multiple of 4).
    static func base64Lines(_ bytes: [UInt8], width: Int) -> [String] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let count = min(3, bytes.count - i)
            var v = UInt32(bytes[i]) << 16
            if count > 1 { v |= UInt32(bytes[i + 1]) << 8 }
            if count > 2 { v |= UInt32(bytes[i + 2]) }
            out.append(alphabet[Int(v >> 18)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(count > 1 ? alphabet[Int(v >> 6 & 63)] : UInt8(ascii: "="))
            out.append(count > 2 ? alphabet[Int(v & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return stride(from: 0, to: out.count, by: width).map {
            String(decoding: out[$0..<min($0 + width, out.count)], as: UTF8.self)
        }
    }
}
