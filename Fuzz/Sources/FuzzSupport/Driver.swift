import CLibFuzzer

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs libFuzzer on `target` with this process's arguments, then exits with its status.
///
/// SwiftPM links an executable with its own `main` renamed, so the fuzz targets keep an ordinary
/// `main.swift` that calls this rather than relying on libFuzzer's `main`.
public func runFuzzer(_ target: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, target))
}
