#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import NIOCore

/// Gives the memory that closed connections freed back to the operating system.
///
/// glibc's allocator keeps freed blocks in its arenas for reuse and returns them only when the
/// top of a heap is free, so after a burst of connections and calls (a load peak, or an attack
/// holding thousands of calls until their timeouts) the server's resident memory would stay at its
/// peak for good. A trim shortly after connections close returns those pages; bursts of closes
/// share one trim, which runs off the event loops because it walks every arena.
final class FreedMemoryReturner: Sendable {
    /// glibc's `malloc_trim`, looked up at run time: `<malloc.h>` is not part of Swift's Glibc
    /// module, and other C libraries do not have it.
    ///
    /// None when a sanitizer's allocator serves `malloc` (a `--sanitize=thread` or `address`
    /// build): glibc's arenas were then never set up, and `malloc_trim` walking them crashes.
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        let everything = UnsafeMutableRawPointer(bitPattern: 0)
        guard dlsym(everything, "__sanitizer_get_heap_size") == nil,
              let symbol = dlsym(everything, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    private let scheduled = NIOLockedValueBox(false)
    private let delay: TimeAmount

    init(delay: TimeAmount = .seconds(1)) {
        self.delay = delay
    }

    /// A connection has closed: a trim follows within `delay`, unless one is already waiting.
    func connectionClosed(on loop: any EventLoop) {
        guard Self.trim != nil else { return }
        let schedule = scheduled.withLockedValue { scheduled in
            defer { scheduled = true }
            return !scheduled
        }
        guard schedule else { return }
        loop.scheduleTask(in: delay) {
            self.scheduled.withLockedValue { $0 = false }
            Task.detached(priority: .background) { _ = Self.trim?(0) }
        }
    }
}
