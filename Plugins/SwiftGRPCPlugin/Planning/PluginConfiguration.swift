import Foundation

/// The optional `swift-grpc-config.json` beside a target's `.proto` files:
///
/// ```json
/// {
///   "protocPath": "/usr/local/bin/protoc",
///   "importPaths": ["../SharedProtos"],
///   "options": { "Visibility": "internal", "Services": true },
///   "moduleMappings": "module-mappings.asciipb"
/// }
/// ```
///
/// Every key is optional. Paths are relative to the directory that holds the file. `options` are
/// the generator's own options, passed on as `--swift-grpc_opt=Key=Value`, so any option the
/// generator knows works here under the same name.
struct PluginConfiguration: Equatable {
    /// The file's name, looked up at the top of the target's folder.
    static let fileName = "swift-grpc-config.json"

    /// The `protoc` to run, resolved against the configuration's directory.
    var protocPath: String?
    /// Directories protoc searches for imports, resolved, in order, before the target's folder.
    var importPaths: [String] = []
    /// Generator options by name, values as written (`true`/`false` for flags).
    var options: [(key: String, value: String)] = []
    /// A module-mappings file (swift-protobuf's text format), passed on as
    /// `ProtoPathModuleMappings=`.
    var moduleMappings: String?

    init() {}

    static func == (lhs: PluginConfiguration, rhs: PluginConfiguration) -> Bool {
        lhs.protocPath == rhs.protocPath && lhs.importPaths == rhs.importPaths
            && lhs.options.map { "\($0.key)=\($0.value)" } == rhs.options.map { "\($0.key)=\($0.value)" }
            && lhs.moduleMappings == rhs.moduleMappings
    }

    /// Parses the file's contents; relative paths are resolved against `directory`.
    init(json data: Data, directory: URL) throws(PluginError) {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw .configuration("is not valid JSON: \(error)")
        }
        guard case .object(let object) = root else { throw .configuration("must hold a JSON object") }
        let known = ["protocPath", "importPaths", "options", "moduleMappings"]
        for key in object.keys.sorted() where !known.contains(key) {
            throw .configuration("unknown key \"\(key)\" (known: \(known.joined(separator: ", ")))")
        }
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : directory.appendingPathComponent(path).standardizedFileURL.path
        }
        if let value = object["protocPath"] {
            guard case .string(let path) = value, !path.isEmpty else { throw .configuration("\"protocPath\" must be a path") }
            protocPath = resolve(path)
        }
        if let value = object["importPaths"] {
            guard case .array(let items) = value else { throw .configuration("\"importPaths\" must be an array of paths") }
            importPaths = try items.map { item throws(PluginError) in
                guard case .string(let path) = item, !path.isEmpty else { throw .configuration("\"importPaths\" must be an array of paths") }
                return resolve(path)
            }
        }
        if let value = object["options"] {
            guard case .object(let table) = value else {
                throw .configuration("\"options\" must be an object such as {\"Visibility\": \"internal\"}")
            }
            for key in table.keys.sorted() {
                let text: String
                switch table[key] {
                case .bool(let flag): text = flag ? "true" : "false"
                case .string(let string): text = string
                default: throw .configuration("option \"\(key)\" must be a string or true/false")
                }
                guard !key.contains(","), !key.contains("="), !text.contains(",") else {
                    throw .configuration("option \"\(key)\": names and values cannot contain ',' (protoc's separator)")
                }
                options.append((key, text))
            }
        }
        if let value = object["moduleMappings"] {
            guard case .string(let path) = value, !path.isEmpty else { throw .configuration("\"moduleMappings\" must be a path") }
            let resolved = resolve(path)
            guard !resolved.contains(",") else { throw .configuration("\"moduleMappings\": the path cannot contain ','") }
            moduleMappings = resolved
        }
    }

    /// The value of option `name`, compared case-insensitively as the generator does.
    func option(_ name: String) -> String? {
        options.last { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// Just enough of JSON to tell strings, flags, arrays and objects apart, so that a number where a
/// flag belongs is an error rather than a silent `true`.
private enum JSONValue: Decodable {
    case string(String)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else if let object = try? container.decode([String: JSONValue].self) {
            self = .object(object)
        } else {
            self = .other
        }
    }
}
