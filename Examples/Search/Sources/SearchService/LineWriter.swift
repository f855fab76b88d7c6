#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes lines to a file descriptor from a thread of its own, so that whoever logs never waits
/// for the write: `write` copies the line into a buffer of at most `capacity` bytes and returns.
/// When the buffer is full (the reader of the output is slower than the lines come) the line is
/// dropped and counted; once there is room again, a line saying how many were dropped goes out.
public final class LineWriter: @unchecked Sendable {
    /// The process's standard output.
    public static let standardOutput = LineWriter(fileDescriptor: 1)

    public let fileDescriptor: Int32
    public let capacity: Int

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Signalled when lines wait; and when the writer has written everything (for `flush`).
    private let linesWaiting = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let allWritten = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var pending: [UInt8] = []
    private var spare: [UInt8] = []
    private var droppedSinceNotice = 0
    private var droppedTotal = 0
    private var writing = false

    /// A writer to `fileDescriptor` holding up to `capacity` bytes of lines not yet written.
    public init(fileDescriptor: Int32, capacity: Int = 4 << 20) {
        self.fileDescriptor = fileDescriptor
        self.capacity = capacity
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(linesWaiting, nil)
        pthread_cond_init(allWritten, nil)
        // The thread keeps the writer alive: it lives as long as the process.
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            Unmanaged<LineWriter>.fromOpaque(context!).takeUnretainedValue().run()
            return nil
        }, context)
        precondition(started == 0, "cannot start the log writer's thread: \(started)")
        pthread_detach(thread)
    }

    /// Queues `line` (its newline included), or drops it if the buffer is full. Never blocks
    /// beyond taking a lock that the writer's thread holds only to swap buffers.
    public func write(_ line: [UInt8]) {
        pthread_mutex_lock(mutex)
        if pending.count + line.count > capacity {
            droppedSinceNotice += 1
            droppedTotal += 1
        } else {
            pending.append(contentsOf: line)
        }
        // Only a writer that sleeps needs waking: one wake-up per batch, not per line.
        let wake = !writing
        writing = true
        pthread_mutex_unlock(mutex)
        if wake { pthread_cond_signal(linesWaiting) }
    }

    /// Lines dropped because the buffer was full, since the writer started.
    public var droppedLines: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return droppedTotal
    }

    /// Returns once every line queued before has been written (say, before the process exits).
    public func flush() {
        pthread_mutex_lock(mutex)
        while !pending.isEmpty || droppedSinceNotice > 0 || writing { pthread_cond_wait(allWritten, mutex) }
        pthread_mutex_unlock(mutex)
    }

    private func run() {
        pthread_mutex_lock(mutex)
        while true {
            while pending.isEmpty && droppedSinceNotice == 0 {
                writing = false
                pthread_cond_broadcast(allWritten)
                pthread_cond_wait(linesWaiting, mutex)
            }
            writing = true
            var batch: [UInt8] = []
            swap(&batch, &spare)
            swap(&batch, &pending)
            let dropped = droppedSinceNotice
            droppedSinceNotice = 0
            pthread_mutex_unlock(mutex)
            writeAll(batch)
            if dropped > 0 {
                writeAll(Array("{\"level\":\"warning\",\"label\":\"log\",\"message\":\"log lines dropped: the output is slower than they come\",\"dropped\":\"\(dropped)\"}\n".utf8))
            }
            batch.removeAll(keepingCapacity: true)
            // Lines that come meanwhile gather into the next batch: one write (and one wake-up
            // of this thread) per batch keeps the cost per line small when lines come fast.
            usleep(Self.batchInterval)
            pthread_mutex_lock(mutex)
            spare = batch
        }
    }

    /// Microseconds the writer waits after each write for more lines to gather: at most 100
    /// writes (and wake-ups) a second, whatever the rate of lines, each line out within 10 ms.
    static let batchInterval: UInt32 = 10000

    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = systemWrite(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0, errno == EINTR { continue }
                // The output is gone (closed pipe): nothing more can be written.
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
