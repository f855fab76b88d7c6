import NIOCore

/// The DNS wire format, as far as this client needs it.
enum DNSMessage {
    /// A query for `type` records of `name`. TXT queries carry an EDNS(0) record offering
    /// answers of up to 1,232 bytes over UDP (a service config rarely fits in 512).
    static func query(id: UInt16, name: String, type: UInt16) throws -> [UInt8] {
        let edns = type == DNSClient.RecordType.txt.rawValue
        var bytes: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, edns ? 1 : 0]
        for label in name.split(separator: ".", omittingEmptySubsequences: true) {
            let utf8 = Array(label.utf8)
            guard !utf8.isEmpty, utf8.count < 64 else { throw DNSError("bad DNS name \(name)") }
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        bytes.append(0)
        guard bytes.count - 12 <= 255 else { throw DNSError("DNS name too long: \(name)") }
        bytes += [UInt8(type >> 8), UInt8(type & 0xFF), 0, 1]
        if edns {
            // OPT: root name, type 41, the UDP payload size as its class, no flags, no data.
            bytes += [0, 0, 41, UInt8(1232 >> 8), UInt8(1232 & 0xFF), 0, 0, 0, 0, 0, 0]
        }
        return bytes
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func u8() throws -> UInt8 {
            guard index < bytes.count else { throw DNSError("truncated DNS message") }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func u16() throws -> UInt16 { UInt16(try u8()) << 8 | UInt16(try u8()) }

        mutating func u32() throws -> UInt32 { UInt32(try u16()) << 16 | UInt32(try u16()) }

        mutating func skip(_ n: Int) throws {
            guard index + n <= bytes.count else { throw DNSError("truncated DNS message") }
            index += n
        }

        /// A name, following compression pointers (never forwards past the start of the
        /// pointer, which rules out loops).
        mutating func name() throws -> String {
            var labels: [String] = []
            var position = index
            var jumped = false
            var hops = 0
            while true {
                guard position < bytes.count else { throw DNSError("truncated DNS name") }
                let length = Int(bytes[position])
                if length == 0 {
                    position += 1
                    break
                }
                if length & 0xC0 == 0xC0 {
                    guard position + 1 < bytes.count else { throw DNSError("truncated DNS name") }
                    let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                    hops += 1
                    guard target < position, hops < 64 else { throw DNSError("bad DNS compression pointer") }
                    if !jumped { index = position + 2 }
                    jumped = true
                    position = target
                    continue
                }
                guard length < 64, position + 1 + length <= bytes.count else { throw DNSError("bad DNS label") }
                labels.append(String(decoding: bytes[(position + 1)...(position + length)], as: UTF8.self))
                position += 1 + length
            }
            if !jumped { index = position }
            return labels.joined(separator: ".").lowercased()
        }
    }

    static func parse(_ bytes: [UInt8], expectedID: UInt16) throws -> DNSClient.Answer {
        var reader = Reader(bytes: bytes)
        let id = try reader.u16()
        let flags = try reader.u16()
        guard id == expectedID, flags & 0x8000 != 0 else { throw DNSError("not an answer to our query") }
        if flags & 0x0200 != 0 { throw DNSError("the DNS answer was truncated (TCP fallback is not supported)") }
        var answer = DNSClient.Answer()
        switch flags & 0x000F {
        case 0: break
        case 3:
            answer.nameDoesNotExist = true
            return answer
        case let code: throw DNSError("the DNS server answered with error code \(code)", retryable: code == 2)
        }
        let questions = try reader.u16()
        let records = Int(try reader.u16()) + Int(try reader.u16()) + Int(try reader.u16())
        for _ in 0..<questions {
            _ = try reader.name()
            try reader.skip(4)
        }
        for _ in 0..<records {
            let owner = try reader.name()
            let type = try reader.u16()
            _ = try reader.u16()  // class
            _ = try reader.u32()  // TTL
            let length = Int(try reader.u16())
            let end = reader.index + length
            guard end <= bytes.count else { throw DNSError("truncated DNS record") }
            switch type {
            case DNSClient.RecordType.a.rawValue where length == 4:
                let address = bytes[reader.index..<end].map { String($0) }.joined(separator: ".")
                answer.addresses[owner, default: []].append(address)
            case DNSClient.RecordType.aaaa.rawValue where length == 16:
                let packed = ByteBuffer(bytes: bytes[reader.index..<end])
                if let address = try? SocketAddress(packedIPAddress: packed, port: 0).ipAddress {
                    answer.addresses[owner, default: []].append(address)
                }
            case DNSClient.RecordType.srv.rawValue:
                var rdata = reader
                let priority = try rdata.u16()
                let weight = try rdata.u16()
                let port = try rdata.u16()
                let target = try rdata.name()
                answer.services.append(.init(priority: priority, weight: weight, port: port, target: target))
            case DNSClient.RecordType.txt.rawValue:
                var text: [UInt8] = []
                var position = reader.index
                while position < end {
                    let count = Int(bytes[position])
                    guard position + 1 + count <= end else { throw DNSError("bad TXT record") }
                    text += bytes[(position + 1)..<(position + 1 + count)]
                    position += 1 + count
                }
                answer.texts.append(String(decoding: text, as: UTF8.self))
            default:
                break
            }
            reader.index = end
        }
        return answer
    }
}
