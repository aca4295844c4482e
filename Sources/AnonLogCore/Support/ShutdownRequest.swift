#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif
import Synchronization

/// Remembers that SIGINT or SIGTERM arrived, so the pipeline can write out every complete line
/// read so far and stop cleanly instead of dying mid-write.
public enum ShutdownRequest {
    private static let receivedSignal = Atomic<Int32>(0)

    /// Installs the handlers for SIGINT and SIGTERM, and ignores SIGPIPE so that a closed
    /// output pipe shows up as a write error (and a quiet exit) instead of killing the process.
    ///
    /// The handlers are installed without `SA_RESTART`: a read blocked on a quiet pipe returns
    /// `EINTR`, and the reader sees the request at once.
    public static func installHandlers() {
        _ = receivedSignal.load(ordering: .relaxed)  // initialise the global before a handler can run
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            ShutdownRequest.receivedSignal.store(signal, ordering: .relaxed)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        // A parent that had them blocked (some supervisors, thread pools that spawn us) passes
        // the mask on through exec: unblock, or SIGTERM would stay pending forever.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &stopSignals, nil)
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
    }

    /// The signal that asked the process to stop, if one did.
    public static var signal: Int32? {
        let value = receivedSignal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// Whether a stop was asked for.
    @inline(__always)
    public static var isRequested: Bool { receivedSignal.load(ordering: .relaxed) != 0 }
}
