#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A growable byte buffer for the JSON writer and the text-format printer.
///
/// Memory comes from `malloc`/`realloc` (growth usually extends in place) and is freed by
/// whoever made the buffer, with `free()`, once the output has been copied out. Appends check
/// capacity once per call, not per byte.
struct OutputBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        guard let p = malloc(self.capacity) else { fatalError("out of memory") }
        base = p.assumingMemoryBound(to: UInt8.self)
    }

    /// Releases the memory; the buffer must not be used afterwards.
    func free() {
        #if canImport(Darwin)
        Darwin.free(base)
        #elseif canImport(Glibc)
        Glibc.free(base)
        #else
        Musl.free(base)
        #endif
    }

    @inline(__always)
    mutating func reserve(_ n: Int) {
        if capacity &- count < n { grow(n) }
    }

    @inline(never)
    private mutating func grow(_ n: Int) {
        let wanted = Swift.max(capacity &* 2, count &+ n)
        guard let p = realloc(base, wanted) else { fatalError("out of memory") }
        base = p.assumingMemoryBound(to: UInt8.self)
        capacity = wanted
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count &+= 1
    }

    @inline(__always)
    mutating func append(_ a: UInt8, _ b: UInt8) {
        reserve(2)
        base[count] = a
        base[count &+ 1] = b
        count &+= 2
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let from = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: from, byteCount: bytes.count)
        count &+= bytes.count
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Appends ASCII text known at compile time.
    mutating func append(_ text: StaticString) {
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends the UTF-8 of `string` as it is.
    mutating func append(_ string: String) {
        if string.utf8.withContiguousStorageIfAvailable({ append(UnsafeRawBufferPointer($0)) }) != nil { return }
        var s = string
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends `n` copies of `byte`.
    mutating func append(repeating byte: UInt8, count n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (base + count).initialize(repeating: byte, count: n)
        count &+= n
    }

    /// Writes `n` bytes through `body`, which returns how many it wrote (at most `n`).
    @inline(__always)
    mutating func write(upTo n: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(n)
        count &+= body(base + count)
    }

    /// The byte at `index` (< count).
    subscript(index: Int) -> UInt8 {
        get { base[index] }
        set { base[index] = newValue }
    }

    /// Inserts `byte` at `index`, moving what follows one place right.
    mutating func insert(_ byte: UInt8, at index: Int) {
        reserve(1)
        (base + index + 1).update(from: base + index, count: count &- index)
        base[index] = byte
        count &+= 1
    }

    /// Drops the bytes from `index` on.
    mutating func truncate(to index: Int) {
        count = index
    }

    /// The bytes written so far, as an array.
    func makeArray() -> [UInt8] {
        // `append(contentsOf:)` of a counted sequence allocates through specialised code; see
        // `ByteCount`.
        var array: [UInt8] = []
        if count == 0 { return array }
        array.append(contentsOf: ByteCount(count: count))
        array.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: base, byteCount: count) }
        return array
    }

    /// The bytes written so far, as a string (they are UTF-8 by construction).
    func makeString() -> String {
        if count == 0 { return "" }
        return String(unsafeUninitializedCapacity: count) { buffer in
            buffer.baseAddress!.initialize(from: base, count: count)
            return count
        }
    }
}
