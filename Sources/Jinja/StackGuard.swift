#if canImport(Glibc)
import Glibc

// A GNU extension the Glibc module does not export; same C ABI.
@_silgen_name("pthread_getattr_np")
private func gnuPthreadGetattr(_ thread: pthread_t, _ attr: UnsafeMutablePointer<pthread_attr_t>) -> Int32
#elseif canImport(Darwin)
import Darwin
#endif

/// Stops deep recursion before the thread's stack runs out.
///
/// Renders and parses happen on whatever thread the host uses (worker threads often have
/// 512 KiB stacks), so a fixed depth limit alone cannot prevent a stack overflow. The guard reads
/// the current thread's stack bounds once and compares the address of a local variable against
/// them at recursion points (macro calls, statement lists, calls, parser nesting).
struct StackGuard {
    /// Lowest address we let the stack grow to; 0 when the bounds are unknown (no check).
    let limit: UInt

    /// Per-thread cache of the computed limit: reading the bounds can be slow (glibc parses
    /// /proc/self/maps for the main thread), so each thread computes them once.
    private static let key: pthread_key_t? = {
        var k = pthread_key_t()
        return pthread_key_create(&k, nil) == 0 ? k : nil
    }()

    init() {
        if let key = StackGuard.key, let cached = pthread_getspecific(key) {
            let v = UInt(bitPattern: cached)
            limit = v == 1 ? 0 : v
            return
        }
        limit = StackGuard.computeLimit()
        if let key = StackGuard.key {
            _ = pthread_setspecific(key, UnsafeRawPointer(bitPattern: limit == 0 ? 1 : limit))
        }
    }

    private static func computeLimit() -> UInt {
        var low: UInt = 0
        var size: UInt = 0
        #if canImport(Glibc)
        var attr = pthread_attr_t()
        if gnuPthreadGetattr(pthread_self(), &attr) == 0 {
            var addr: UnsafeMutableRawPointer? = nil
            var s = 0
            if pthread_attr_getstack(&attr, &addr, &s) == 0, let addr {
                low = UInt(bitPattern: addr)
                size = UInt(s)
            }
            pthread_attr_destroy(&attr)
        }
        #elseif canImport(Darwin)
        let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
        size = UInt(pthread_get_stacksize_np(pthread_self()))
        low = top - size
        #endif
        if low == 0 || size == 0 { return 0 }
        // Keep a margin for the work done between two checks and for error reporting.
        return low + Swift.max(size / 4, 96 * 1024)
    }

    /// `false` when the stack is nearly exhausted.
    @inline(__always) func hasRoom() -> Bool {
        if limit == 0 { return true }
        var marker = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) } > limit
    }

    static func exhausted() -> JinjaError {
        JinjaError(.recursionLimit, "maximum recursion depth exceeded (the thread's stack is nearly exhausted)",
                   hint: "templates nest too deeply; simplify them or render on a thread with a larger stack")
    }
}
