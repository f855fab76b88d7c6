@testable import GRPCRuntime
import Foundation
import Testing
import TestSupport

@Suite struct ResolverUnitTests {
    @Test func targetsAreTakenApart() throws {
        let dns = try ResolverTarget(parsing: "dns://127.0.0.1:5353/search.service:50051")
        #expect(dns.scheme == "dns" && dns.authority == "127.0.0.1:5353" && dns.path == "search.service:50051")
        let plain = try ResolverTarget(parsing: "localhost:50051")
        #expect(plain.scheme == nil && plain.path == "localhost:50051")
        let list = try ResolverTarget(parsing: "ipv4:127.0.0.1:1,127.0.0.1:2")
        #expect(list.scheme == "ipv4" && list.path == "127.0.0.1:1,127.0.0.1:2")
        let etcd = try ResolverTarget(parsing: "etcd://127.0.0.1:2379/services/search/")
        #expect(etcd.authority == "127.0.0.1:2379" && etcd.path == "services/search/")
        #expect(try Endpoint(parsing: "[::1]:80") == Endpoint(host: "::1", port: 80))
        #expect(try Endpoint(parsing: "name", defaultPort: 443) == Endpoint(host: "name", port: 443))
    }

    @Test func badTargetsSayWhy() {
        #expect(throws: TargetError.self) { try GRPCChannel(target: "") }
        #expect(throws: TargetError.self) { try GRPCChannel(target: "nosuch://x/y") }
        #expect(throws: TargetError.self) { try GRPCChannel(target: "localhost") }
        #expect(throws: TargetError.self) { try GRPCChannel(target: "localhost:99999") }
        do {
            _ = try GRPCChannel(target: "consul://x/y")
            Issue.record("an unknown scheme was accepted")
        } catch {
            #expect(error.description.contains("unknown scheme consul"))
        }
    }

    @Test func dnsQueryAndAnswerWithCompressedNames() throws {
        let query = try DNSMessage.query(id: 0x1234, name: "_grpc._tcp.search.service", type: DNSClient.RecordType.srv.rawValue)
        #expect(Array(query.prefix(4)) == [0x12, 0x34, 0x01, 0x00])
        #expect(query.count == 12 + 27 + 4)
        // An answer: the question echoed, one SRV record whose owner is a pointer to the
        // question's name and whose target shares the "search.service" suffix by pointer, and an
        // A record for the target in the additional section.
        var answer: [UInt8] = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 1]
        answer += query[12...]
        answer += [0xC0, 12, 0, 33, 0, 1, 0, 0, 0, 0]
        let targetLabel: [UInt8] = [2] + Array("r1".utf8)
        let rdata: [UInt8] = [0, 10, 0, 5, 0xC3, 0x50] + targetLabel + [0xC0, 12 + 1 + 5 + 1 + 4]
        answer += [0, UInt8(rdata.count)] + rdata
        let targetOffset = UInt8(12 + query.count - 12 + 12 + 6)
        answer += [0xC0, targetOffset, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 7]
        let parsed = try DNSMessage.parse(answer, expectedID: 0x1234)
        #expect(parsed.services == [DNSClient.SRVRecord(priority: 10, weight: 5, port: 50000, target: "r1.search.service")])
        #expect(parsed.addresses["r1.search.service"] == ["127.0.0.7"])
        #expect(throws: DNSError.self) { try DNSMessage.parse(Array(answer.prefix(40)), expectedID: 0x1234) }
        #expect(throws: DNSError.self) { try DNSMessage.parse(answer, expectedID: 0x9999) }
    }

    @Test func txtQueriesOfferALargerAnswerAndTheirStringsAreJoined() throws {
        let query = try DNSMessage.query(id: 0x0102, name: "_grpc_config.search.service", type: DNSClient.RecordType.txt.rawValue)
        // One question and one additional record: EDNS(0), 1,232 bytes.
        #expect(Array(query[4..<12]) == [0, 1, 0, 0, 0, 0, 0, 1])
        #expect(Array(query.suffix(11)) == [0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0])
        let question = Array(query[12..<(query.count - 11)])
        // A TXT record of two character-strings, which make one text.
        var answer: [UInt8] = [0x01, 0x02, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0] + question
        let parts = [Array("grpc_config=[{\"service".utf8), Array("Config\": {}}]".utf8)]
        let rdata = parts.flatMap { [UInt8($0.count)] + $0 }
        answer += [0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, UInt8(rdata.count)] + rdata
        let parsed = try DNSMessage.parse(answer, expectedID: 0x0102)
        #expect(parsed.texts == [#"grpc_config=[{"serviceConfig": {}}]"#])
        // A character-string running past its record is refused.
        var broken = answer
        broken[broken.count - rdata.count] = 200
        #expect(throws: DNSError.self) { try DNSMessage.parse(broken, expectedID: 0x0102) }
    }

}
