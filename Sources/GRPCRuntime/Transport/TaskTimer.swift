/// A timer made of a task that sleeps: for transports without a cheaper clock of their own.
enum TaskTimer {
    static func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> CallTimer {
        let task = Task {
            try await Task.sleep(until: deadline, clock: .continuous)
            action()
        }
        return CallTimer { task.cancel() }
    }
}
