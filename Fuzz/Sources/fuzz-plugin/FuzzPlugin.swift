// The fuzz target: the protoc plugin's request handling. Seeded with real
// CodeGeneratorRequests (Fuzz/Corpus/plugin), which libFuzzer mutates; arbitrary bytes too.
import FuzzSupport
import PluginCore
import ProtoWire

func fuzzPlugin(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let request = Array(UnsafeRawBufferPointer(start: start, count: count))
    let output = Plugin.run(request: request)
    // Whatever the request, the answer is a response protoc can read: files, or an error.
    let response: Google_Protobuf_Compiler_CodeGeneratorResponse
    do {
        response = try Google_Protobuf_Compiler_CodeGeneratorResponse(serializedBytes: output)
    } catch {
        fuzzFailure("the plugin's response does not decode: \(error)")
    }
    if let error = response.error {
        guard response.file.isEmpty else { fuzzFailure("a response with an error also has files") }
        guard !error.isEmpty else { fuzzFailure("an empty error message") }
    }
    for file in response.file {
        guard let name = file.name, !name.isEmpty, !name.hasPrefix("/"), !name.split(separator: "/").contains("..")
        else { fuzzFailure("a generated file with an unusable name: \(String(describing: file.name))") }
    }
    return 0
}
