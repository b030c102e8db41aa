#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Many concurrent searches, or one writer. A pthread read-write lock; on Linux it is set
/// to prefer writers, so a steady stream of searches cannot starve an add or remove.
///
/// Chosen over copy-on-write segments because the big memory is one copy: a writer
/// changes a few hundred bytes in place, and copying a segment per write would either
/// cost a lot of time (big segments) or slow scans (many small ones).
final class ReadWriteLock: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        #if canImport(Glibc)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        pthread_rwlock_init(lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
        #else
        pthread_rwlock_init(lock, nil)
        #endif
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    func reading<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    func writing<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}

/// A value that many threads may read at once and one may change, behind a
/// `ReadWriteLock`. The indexes keep all their mutable state in one of these.
final class Guarded<Value>: @unchecked Sendable {
    private let lock = ReadWriteLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func read<T>(_ body: (Value) throws -> T) rethrows -> T {
        try lock.reading { try body(value) }
    }

    func write<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        try lock.writing { try body(&value) }
    }
}
