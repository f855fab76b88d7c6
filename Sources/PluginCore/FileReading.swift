#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole content of the file at `path` (relative to protoc's working directory, which the
/// plugin shares), or a description of why it cannot be read.
func readWholeFile(_ path: String) -> Result<[UInt8], ReadError> {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return .failure(ReadError(path: path, errno: errno)) }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = read(descriptor, &chunk, chunk.count)
        if count > 0 {
            bytes.append(contentsOf: chunk[..<count])
        } else if count == 0 {
            return .success(bytes)
        } else if errno != EINTR {
            return .failure(ReadError(path: path, errno: errno))
        }
    }
}

struct ReadError: Error, CustomStringConvertible {
    let path: String
    let errno: Int32
    var description: String { "cannot read \(path): \(String(cString: strerror(errno)))" }
}
