// Built only with the package's `TLS` trait, which brings swift-nio-ssl: without it this
// module holds only markers whose use says what to do.
#if TLS
import GRPCRuntime
import NIOCore
import NIOSSL

/// TLS for a `GRPCServer`: set as `configuration.transportSecurity`. Offers HTTP/2 by ALPN.
public struct ServerTLS: ServerTransportSecurity {
    let context: NIOSSLContext

    /// A server presenting `certificateChain` (leaf first) with `privateKey`.
    public init(certificateChain: [NIOSSLCertificate], privateKey: NIOSSLPrivateKey) throws {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificateChain.map { .certificate($0) }, privateKey: .privateKey(privateKey)
        )
        configuration.applicationProtocols = ["h2"]
        configuration.minimumTLSVersion = .tlsv12
        context = try NIOSSLContext(configuration: configuration)
    }

    /// A server presenting the PEM certificate chain and key in these files.
    public init(certificateChainFile: String, privateKeyFile: String) throws {
        try self.init(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificateChainFile),
            privateKey: try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)
        )
    }

    public func configureServerChannel(_ channel: any Channel) throws {
        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
    }
}

/// TLS for a `GRPCChannel`: set as `configuration.transportSecurity`. Verifies the server's
/// certificate against `trustRoots` (or the system's) and its name against the host.
public struct ClientTLS: ClientTransportSecurity {
    let context: NIOSSLContext
    let serverHostnameOverride: String?

    /// - Parameters:
    ///   - trustRoots: certificates to trust; nil trusts the system's roots.
    ///   - serverHostnameOverride: the name to verify and send as SNI instead of the host connected to.
    public init(trustRoots: [NIOSSLCertificate]? = nil, serverHostnameOverride: String? = nil) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let trustRoots { configuration.trustRoots = .certificates(trustRoots) }
        configuration.applicationProtocols = ["h2"]
        configuration.minimumTLSVersion = .tlsv12
        context = try NIOSSLContext(configuration: configuration)
        self.serverHostnameOverride = serverHostnameOverride
    }

    /// Trusts the PEM certificates in `trustRootsFile`.
    public init(trustRootsFile: String, serverHostnameOverride: String? = nil) throws {
        try self.init(trustRoots: try NIOSSLCertificate.fromPEMFile(trustRootsFile), serverHostnameOverride: serverHostnameOverride)
    }

    public func configureClientChannel(_ channel: any Channel, serverHostname: String) throws {
        let name = serverHostnameOverride ?? serverHostname
        // SNI takes names, not IP addresses.
        let sni = name.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" }) ? nil : name
        let handler = try NIOSSLClientHandler(context: context, serverHostname: sni)
        try channel.pipeline.syncOperations.addHandler(handler)
    }
}
#else
/// Without the package's `TLS` trait there is no TLS: enable it on the dependency,
/// `.package(url: ..., from: ..., traits: ["TLS"])`, which brings swift-nio-ssl.
@available(*, unavailable, message: "GRPCTLS needs the package's TLS trait: .package(url: ..., from: ..., traits: [\"TLS\"])")
public struct ServerTLS {}

@available(*, unavailable, message: "GRPCTLS needs the package's TLS trait: .package(url: ..., from: ..., traits: [\"TLS\"])")
public struct ClientTLS {}
#endif
