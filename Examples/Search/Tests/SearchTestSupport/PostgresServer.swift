import Foundation

/// A throwaway PostgreSQL server with PostGIS (Debian's postgresql and postgresql-N-postgis-3),
/// on a loopback port, its data in a temporary directory, trusting local connections.
///
/// Started and stopped with `pg_ctl`, as the `postgres` user when the tests run as root
/// (PostgreSQL refuses to run as root). `Scripts/install-deps.sh` installs the packages.
public final class PostgresServer: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    let binaries: URL
    let asUser: [String]

    /// `postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable`
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres?sslmode=disable" }

    /// Makes a new cluster and starts it; PostGIS is created in the `postgres` database.
    public static func start() async throws -> PostgresServer {
        let server = try PostgresServer()
        try await server.initialize()
        try await server.startServer()
        try await server.psql("CREATE EXTENSION IF NOT EXISTS postgis")
        return server
    }

    private init() throws {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let version = versions.compactMap(Int.init).max() else {
            throw ChildProcessError(description: "PostgreSQL is not installed (/usr/lib/postgresql): run Scripts/install-deps.sh --postgis")
        }
        binaries = URL(fileURLWithPath: "/usr/lib/postgresql/\(version)/bin")
        guard FileManager.default.fileExists(atPath: "/usr/share/postgresql/\(version)/extension/postgis.control") else {
            throw ChildProcessError(description: "PostGIS for PostgreSQL \(version) is not installed: run Scripts/install-deps.sh --postgis")
        }
        port = try freeLoopbackPort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if getuid() == 0 {
            asUser = ["/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]
            _ = chown(directory.path, postgresUID(), postgresGID())
        } else {
            asUser = []
        }
    }

    private var dataDirectory: String { directory.appendingPathComponent("data").path }

    private func run(_ arguments: [String], closingDescriptors: Bool = false) async throws {
        // Python's subprocess closes every inherited descriptor but 0-2: Foundation learns that a
        // child ended when a socket the child inherited closes, and a server that pg_ctl leaves
        // running would otherwise hold it open for good.
        let closing = closingDescriptors ? ["python3", "-c", "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"] : []
        let output = try await ChildProcess.run(closing + asUser + arguments)
        guard output.status == 0 else {
            throw ChildProcessError(description: "\(arguments.joined(separator: " ")) failed (\(output.status)):\n\(output.stdout)\(output.stderr)")
        }
    }

    private func initialize() async throws {
        try await run([binaries.appendingPathComponent("initdb").path, "-D", dataDirectory, "-U", "postgres",
                       "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
    }

    private func startServer() async throws {
        let options = "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
        try await run([binaries.appendingPathComponent("pg_ctl").path, "-D", dataDirectory, "-o", options,
                       "-l", directory.appendingPathComponent("log").path, "-w", "-t", "60", "start"], closingDescriptors: true)
    }

    /// Stops the server (fast: sessions are cut, as when a database goes away).
    public func stop() async throws {
        try await run([binaries.appendingPathComponent("pg_ctl").path, "-D", dataDirectory, "-m", "fast", "-w", "stop"])
    }

    /// Starts it again after `stop`, on the same port with the same data.
    public func restart() async throws { try await startServer() }

    /// Runs SQL through psql, failing on the first error; returns psql's unaligned output.
    @discardableResult
    public func psql(_ sql: String) async throws -> String {
        let output = try await ChildProcess.run(asUser + [
            binaries.appendingPathComponent("psql").path, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-d", "postgres", "-c", sql,
        ])
        guard output.status == 0 else { throw ChildProcessError(description: "psql: \(sql): \(output.stderr)") }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the server and removes its files; waits synchronously (at exit, or in a deinit).
    public func destroy() {
        let stop = Process()
        stop.executableURL = URL(fileURLWithPath: asUser.first ?? binaries.appendingPathComponent("pg_ctl").path)
        stop.arguments = Array(asUser.dropFirst()) + (asUser.isEmpty ? [] : [binaries.appendingPathComponent("pg_ctl").path])
            + ["-D", dataDirectory, "-m", "immediate", "-w", "stop"]
        stop.standardOutput = FileHandle.nullDevice
        stop.standardError = FileHandle.nullDevice
        if (try? stop.run()) != nil {
            // A plain wait(2) loop: Process.waitUntilExit spins on Linux.
            var status: Int32 = 0
            while waitpid(stop.processIdentifier, &status, 0) < 0, errno == EINTR {}
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

private func postgresUID() -> uid_t { getpwnam("postgres")?.pointee.pw_uid ?? 0 }
private func postgresGID() -> gid_t { getpwnam("postgres")?.pointee.pw_gid ?? 0 }
