import Foundation

/// Finds the `protoc` to run: the configuration's `protocPath`, then the `PROTOC_PATH`
/// environment variable, then the first `protoc` on `PATH`. A path that is named explicitly but
/// is wrong is an error rather than a reason to look elsewhere, so a typo never silently picks
/// another protoc.
struct ProtocLocator {
    var environment: [String: String]
    var isExecutable: (String) -> Bool

    init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        isExecutable: @escaping (String) -> Bool = { FileManager.default.isExecutableFile(atPath: $0) }
    ) {
        self.environment = environment
        self.isExecutable = isExecutable
    }

    func locate(configured: String?) throws(PluginError) -> String {
        if let configured {
            guard isExecutable(configured) else {
                throw .protocNotExecutable(path: configured, namedBy: "\"protocPath\" in \(PluginConfiguration.fileName)")
            }
            return configured
        }
        if let named = environment["PROTOC_PATH"], !named.isEmpty {
            guard isExecutable(named) else { throw .protocNotExecutable(path: named, namedBy: "PROTOC_PATH") }
            return named
        }
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in directories {
            let candidate = directory + "/protoc"
            if isExecutable(candidate) { return candidate }
        }
        throw .protocNotFound(searched: directories.isEmpty ? "an empty PATH" : "PATH: \(directories.joined(separator: ":"))")
    }

    /// The directories protoc adds to its own import path when they hold the well-known types:
    /// the binary's directory, `include` in it, and `include` beside it (`/usr/bin/protoc` →
    /// `/usr/include`).
    static func bundledIncludeDirectories(of protoc: String) -> [String] {
        let directory = URL(fileURLWithPath: protoc).resolvingSymlinksInPath().deletingLastPathComponent()
        return [
            directory.path,
            directory.appendingPathComponent("include").path,
            directory.deletingLastPathComponent().appendingPathComponent("include").path,
        ]
    }
}
