import Testing

@Suite("Build plugin: finding protoc")
struct ProtocLocatorTests {
    func locator(_ environment: [String: String], executables: Set<String>) -> ProtocLocator {
        ProtocLocator(environment: environment, isExecutable: { executables.contains($0) })
    }

    @Test func theConfigurationWinsThenTheEnvironmentThenPATH() throws {
        let all: Set = ["/configured/protoc", "/env/protoc", "/usr/bin/protoc", "/opt/bin/protoc"]
        let environment = ["PROTOC_PATH": "/env/protoc", "PATH": "/nowhere:/opt/bin:/usr/bin"]
        #expect(try locator(environment, executables: all).locate(configured: "/configured/protoc") == "/configured/protoc")
        #expect(try locator(environment, executables: all).locate(configured: nil) == "/env/protoc")
        #expect(try locator(["PATH": "/nowhere:/opt/bin:/usr/bin"], executables: all).locate(configured: nil) == "/opt/bin/protoc")
    }

    @Test func aMissingProtocNamesThePackageToInstall() {
        #expect {
            try locator(["PATH": "/usr/local/bin:/usr/bin"], executables: []).locate(configured: nil)
        } throws: { error in
            let text = "\(error)"
            return text.contains("protoc, the Protocol Buffers compiler, was not found")
                && text.contains("PATH: /usr/local/bin:/usr/bin")
                && text.contains("apt-get install protobuf-compiler") && text.contains("PROTOC_PATH")
        }
    }

    @Test func aWrongExplicitPathIsAnErrorNotAReasonToSearch() {
        let environment = ["PROTOC_PATH": "/typo/protoc", "PATH": "/usr/bin"]
        #expect(throws: PluginError.protocNotExecutable(path: "/typo/protoc", namedBy: "PROTOC_PATH")) {
            try locator(environment, executables: ["/usr/bin/protoc"]).locate(configured: nil)
        }
        #expect(throws: PluginError.protocNotExecutable(path: "/typo/protoc", namedBy: "\"protocPath\" in swift-grpc-config.json")) {
            try locator(["PATH": "/usr/bin"], executables: ["/usr/bin/protoc"]).locate(configured: "/typo/protoc")
        }
    }

    @Test func theWellKnownTypesAreLookedForWhereProtocLooks() {
        #expect(ProtocLocator.bundledIncludeDirectories(of: "/opt/protobuf/bin/protoc") == [
            "/opt/protobuf/bin", "/opt/protobuf/bin/include", "/opt/protobuf/include",
        ])
    }
}
