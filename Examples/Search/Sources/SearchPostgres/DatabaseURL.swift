import Foundation
import NIOSSL
import PostgresNIO

/// A PostgreSQL connection URL, `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE]`
/// (`postgresql://` too), as libpq and most tools write it.
///
/// `sslmode` is `disable`, `prefer` (the default: TLS when the server offers it) or `require`;
/// the other libpq modes are refused rather than quietly weakened. User name, password and
/// database may be percent-encoded. The port defaults to 5432, the user to `postgres`, and the
/// database to the user name.
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(_ text: String) throws(Invalid) {
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw Invalid(description: "a database URL looks like postgres://user:password@host:5432/database, not \(text)")
        }
        guard let host = url.host, !host.isEmpty else { throw Invalid(description: "the database URL has no host") }
        self.host = host
        port = url.port ?? 5432
        user = url.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = url.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        let path = String(url.percentEncodedPath.drop { $0 == "/" })
        database = path.isEmpty ? user : (path.removingPercentEncoding ?? path)
        tls = .prefer
        for item in url.queryItems ?? [] {
            guard item.name == "sslmode" else { throw Invalid(description: "unknown database URL parameter \(item.name)") }
            guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                throw Invalid(description: "sslmode must be disable, prefer or require, not \(item.value ?? "")")
            }
            tls = mode
        }
    }

    /// The URL without its password, for logs.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }

    /// postgres-nio's single-connection configuration for this URL.
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let mode: PostgresConnection.Configuration.TLS
        switch tls {
        case .disable: mode = .disable
        case .prefer: mode = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: mode = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        return PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: mode)
    }

    /// postgres-nio's pool configuration for this URL.
    public var clientConfiguration: PostgresClient.Configuration {
        let mode: PostgresClient.Configuration.TLS
        switch tls {
        case .disable: mode = .disable
        case .prefer: mode = .prefer(.makeClientConfiguration())
        case .require: mode = .require(.makeClientConfiguration())
        }
        return PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: mode)
    }
}
