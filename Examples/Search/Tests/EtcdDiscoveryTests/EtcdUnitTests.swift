@testable import EtcdDiscovery
import Foundation
import GRPCRuntime
import Testing

/// The etcd module's pieces that need no etcd server.
@Suite struct EtcdUnitTests {
    @Test func etcdTargetsNeedAnAuthority() {
        #expect(throws: TargetError.self) { try GRPCChannel(target: "etcd:///services/search/", resolvers: .withEtcd) }
    }

    @Test func prefixRangeEnds() {
        #expect(EtcdClient.rangeEnd(ofPrefix: "/a/") == Data("/a0".utf8))
        #expect(EtcdClient.rangeEnd(ofPrefix: "") == Data([0]))
    }
}
