import Foundation
import Testing

@Suite("Build plugin: swift-grpc-config.json")
struct PluginConfigurationTests {
    let directory = URL(fileURLWithPath: "/pkg/Package/Sources/Target")

    func parse(_ json: String) throws(PluginError) -> PluginConfiguration {
        try PluginConfiguration(json: Data(json.utf8), directory: directory)
    }

    @Test func readsEveryKeyAndResolvesPathsAgainstItsDirectory() throws {
        let configuration = try parse("""
            {
              "protocPath": "../../tools/protoc",
              "importPaths": ["../Shared", "/opt/protos"],
              "options": {"Visibility": "internal", "Services": false, "FileNaming": "DropPath"},
              "moduleMappings": "mappings.asciipb"
            }
            """)
        #expect(configuration.protocPath == "/pkg/Package/tools/protoc")
        #expect(configuration.importPaths == ["/pkg/Package/Sources/Shared", "/opt/protos"])
        #expect(configuration.options.map { "\($0.key)=\($0.value)" } == ["FileNaming=DropPath", "Services=false", "Visibility=internal"])
        #expect(configuration.option("services") == "false")
        #expect(configuration.moduleMappings == "/pkg/Package/Sources/Target/mappings.asciipb")
    }

    @Test func anEmptyObjectMeansDefaults() throws {
        #expect(try parse("{}") == PluginConfiguration())
    }

    @Test(arguments: [
        ("{\"importPath\": []}", "unknown key \"importPath\""),
        ("[]", "must hold a JSON object"),
        ("{\"options\": {\"Services\": 1}}", "option \"Services\" must be a string or true/false"),
        ("{\"options\": [\"Visibility=public\"]}", "\"options\" must be an object"),
        ("{\"importPaths\": \"protos\"}", "\"importPaths\" must be an array of paths"),
        ("{\"options\": {\"Visibility\": \"a,b\"}}", "cannot contain ','"),
        ("{\"protocPath\": 3}", "\"protocPath\" must be a path"),
        ("{", "is not valid JSON"),
    ])
    func rejectsMistakesByName(json: String, message: String) {
        #expect {
            try parse(json)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("swift-grpc-config.json: ") && text.contains(message)
        }
    }
}
