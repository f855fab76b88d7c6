// protoc-gen-swift-grpc: protoc runs this with a CodeGeneratorRequest on stdin
// and reads a CodeGeneratorResponse from stdout. All the work is in PluginCore.

import PluginCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

var input: [UInt8] = []
var chunk = [UInt8](repeating: 0, count: 1 << 16)
while true {
    let n = read(0, &chunk, chunk.count)
    if n > 0 {
        input.append(contentsOf: chunk[..<n])
    } else if n == 0 || errno != EINTR {
        break
    }
}

let output = Plugin.run(request: input)
var written = 0
while written < output.count {
    let n = output.withUnsafeBytes { write(1, $0.baseAddress! + written, $0.count - written) }
    if n < 0 {
        if errno == EINTR { continue }
        exit(1)
    }
    written += n
}
