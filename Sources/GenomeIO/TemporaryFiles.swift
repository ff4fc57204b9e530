import Model

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files of the outputs in progress, removed when SIGINT, SIGTERM or SIGHUP
/// arrives; the process then dies of the signal, as it would have without the handler (so
/// a shell sees 128 + the signal number). The handler touches only a fixed table of C
/// strings, allocated before it is installed, and calls only `unlink`, `write`, `signal`
/// and `raise`, which are async-signal-safe. While a progress line is on the terminal, the
/// handler also clears it, so that the shell's prompt does not land after it.
package enum TemporaryFiles {
    static let slots = 16
    /// Slot i holds a malloc'ed path or nil; written by the registering thread with the
    /// signals blocked, read by the handler.
    nonisolated(unsafe) static let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: slots)
        table.initialize(repeating: nil, count: slots)
        return table
    }()
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    /// Nonzero while a progress line is on stderr's terminal (set and read as one word).
    nonisolated(unsafe) static var progressLineShown: sig_atomic_t = 0
    /// Installs the handler for each signal that is not ignored (`nohup` ignores SIGHUP, and
    /// that stays so), and unblocks those signals in the calling thread: a parent's blocked
    /// mask (a Dispatch worker's, say) is inherited, and would leave the process unkillable.
    private static let installed: Void = {
        _ = table
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in signals {
            var old = sigaction()
            sigaction(number, nil, &old)
            if unsafeBitCast(old.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
            signal(number) { number in
                if TemporaryFiles.progressLineShown != 0 {
                    // "\r" and ESC [ K: back to the line's start, and clear it.
                    var clear: (UInt8, UInt8, UInt8, UInt8) = (0x0D, 0x1B, 0x5B, 0x4B)
                    _ = withUnsafeBytes(of: &clear) { write(2, $0.baseAddress, 4) }
                }
                for i in 0..<TemporaryFiles.slots {
                    if let path = TemporaryFiles.table[i] { unlink(path) }
                }
                signal(number, SIG_DFL)
                raise(number)
            }
            sigaddset(&unblock, number)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }()

    /// Serialises threads that register and unregister (scans may run side by side in one
    /// process); the handler takes no lock. A slot is written only with a complete string or
    /// nil, and a path is freed only after its slot is cleared.
    /// (The value counts the table's changes; a lock around nothing, `Locked(())`, has no
    /// storage of its own for ThreadSanitizer to see guarded.)
    private static let writers = Locked(0)

    /// Runs `body` with the three signals blocked in this thread (so the handler never
    /// interrupts it here) and the table to itself.
    private static func withSignalsBlocked(_ body: () -> Void) {
        var set = sigset_t(), old = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        pthread_sigmask(SIG_BLOCK, &set, &old)
        writers.withLock { changes in
            body()
            changes &+= 1
        }
        pthread_sigmask(SIG_SETMASK, &old, nil)
    }

    /// Says whether a progress line is on the terminal now (and installs the handler).
    package static func showsProgressLine(_ shown: Bool) {
        _ = installed
        progressLineShown = shown ? 1 : 0
    }

    static func register(_ path: String) {
        _ = installed
        withSignalsBlocked {
            for i in 0..<slots where table[i] == nil {
                table[i] = strdup(path)
                return
            }
        }
    }

    static func unregister(_ path: String) {
        withSignalsBlocked {
            for i in 0..<slots {
                if let entry = table[i], String(cString: entry) == path {
                    table[i] = nil
                    free(entry)
                    return
                }
            }
        }
    }
}
