#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many worker threads a job runs when the user names no number.
public enum WorkerThreads {
    /// One a core online.
    public static var available: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
