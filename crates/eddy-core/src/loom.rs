//! Concurrency primitives, swapped for loom's models under `--cfg loom`.
//!
//! Internal to the eddy crates: it is public only so that each of them can say
//! `use eddy_core::loom;` and share this one shim, and it carries no semver promise.
//!
//! Every atomic, lock, cell and thread that concurrent code of an eddy crate touches comes from
//! here, never from `std` directly, so that building with `RUSTFLAGS="--cfg loom"` model-checks
//! the real code. Both builds offer the same interface: `UnsafeCell` has loom's closure-based
//! access, and the locks follow one rule about poisoning, spelled out on [`sync::Mutex`].

/// Locks, `Arc` and atomics: `std`'s, or loom's under `--cfg loom`.
pub mod sync {
    #[cfg(loom)]
    use loom::sync as inner;
    #[cfg(not(loom))]
    use std::sync as inner;
    use std::sync::{PoisonError, TryLockError};
    use std::time::Duration;

    pub use inner::{Arc, MutexGuard, RwLockReadGuard, RwLockWriteGuard};

    /// Atomic integers, pointers and fences.
    pub mod atomic {
        #[cfg(loom)]
        pub use loom::sync::atomic::{
            fence, AtomicBool, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering,
        };
        #[cfg(not(loom))]
        pub use std::sync::atomic::{
            fence, AtomicBool, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering,
        };
    }

    /// A mutex whose `lock` returns the guard whether or not an earlier holder panicked.
    ///
    /// The eddy crates' critical sections only move values in and out of their state (waiter
    /// lists, queues, counters) and never run user code, so a panic inside one (an allocation
    /// failure, a bug) leaves the state consistent; the lock is simply taken again rather than
    /// turning every later `lock()` into a second panic. [`RwLock`] and [`Condvar`] follow the
    /// same rule.
    #[derive(Debug, Default)]
    pub struct Mutex<T>(inner::Mutex<T>);

    impl<T> Mutex<T> {
        /// A mutex holding `value`; `const` in the `std` build, so it can initialise a static.
        #[cfg(not(loom))]
        #[inline]
        pub const fn new(value: T) -> Mutex<T> {
            Mutex(inner::Mutex::new(value))
        }

        /// A mutex holding `value`.
        #[cfg(loom)]
        #[inline]
        pub fn new(value: T) -> Mutex<T> {
            Mutex(inner::Mutex::new(value))
        }

        /// Blocks until the lock is free and takes it.
        #[inline]
        pub fn lock(&self) -> MutexGuard<'_, T> {
            self.0.lock().unwrap_or_else(PoisonError::into_inner)
        }

        /// The value, taking the mutex apart.
        #[inline]
        pub fn into_inner(self) -> T {
            self.0.into_inner().unwrap_or_else(PoisonError::into_inner)
        }

        /// The guard if the lock is free now, `None` if another thread holds it.
        #[inline]
        pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            match self.0.try_lock() {
                Ok(guard) => Some(guard),
                Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
                Err(TryLockError::WouldBlock) => None,
            }
        }
    }

    /// A reader-writer lock that ignores poisoning, like [`Mutex`].
    #[derive(Debug, Default)]
    pub struct RwLock<T>(inner::RwLock<T>);

    impl<T> RwLock<T> {
        /// A lock holding `value`; `const` in the `std` build.
        #[cfg(not(loom))]
        #[inline]
        pub const fn new(value: T) -> RwLock<T> {
            RwLock(inner::RwLock::new(value))
        }

        /// A lock holding `value`.
        #[cfg(loom)]
        #[inline]
        pub fn new(value: T) -> RwLock<T> {
            RwLock(inner::RwLock::new(value))
        }

        /// Blocks until no writer holds the lock and takes a shared hold.
        #[inline]
        pub fn read(&self) -> RwLockReadGuard<'_, T> {
            self.0.read().unwrap_or_else(PoisonError::into_inner)
        }

        /// Blocks until nobody holds the lock and takes it exclusively.
        #[inline]
        pub fn write(&self) -> RwLockWriteGuard<'_, T> {
            self.0.write().unwrap_or_else(PoisonError::into_inner)
        }
    }

    /// A condition variable whose waits return the guard whether or not the lock is poisoned.
    #[derive(Debug, Default)]
    pub struct Condvar(inner::Condvar);

    impl Condvar {
        /// A condition variable nobody waits on; `const` in the `std` build.
        #[cfg(not(loom))]
        #[inline]
        pub const fn new() -> Condvar {
            Condvar(inner::Condvar::new())
        }

        /// A condition variable nobody waits on.
        #[cfg(loom)]
        #[inline]
        pub fn new() -> Condvar {
            Condvar(inner::Condvar::new())
        }

        /// Releases `guard`'s lock, waits for a notification (spurious returns allowed) and
        /// takes the lock again.
        #[inline]
        pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
            self.0.wait(guard).unwrap_or_else(PoisonError::into_inner)
        }

        /// Waits for a notification or until `timeout` passes (spurious returns allowed); the
        /// caller re-checks its condition and its deadline.
        #[inline]
        pub fn wait_timeout<'a, T>(
            &self,
            guard: MutexGuard<'a, T>,
            timeout: Duration,
        ) -> MutexGuard<'a, T> {
            match self.0.wait_timeout(guard, timeout) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            }
        }

        /// Wakes one waiting thread.
        #[inline]
        pub fn notify_one(&self) {
            self.0.notify_one();
        }

        /// Wakes every waiting thread.
        #[inline]
        pub fn notify_all(&self) {
            self.0.notify_all();
        }
    }
}

/// `UnsafeCell` with loom's closure-based access API, so both builds share one code path.
#[cfg(not(loom))]
pub mod cell {
    /// A cell whose contents are reached through a raw pointer handed to a closure.
    #[derive(Debug)]
    pub struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        /// A cell holding `value`.
        #[inline]
        pub const fn new(value: T) -> UnsafeCell<T> {
            UnsafeCell(std::cell::UnsafeCell::new(value))
        }

        /// Calls `f` with a pointer for reading the contents.
        #[inline]
        pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }

        /// Calls `f` with a pointer for reading and writing the contents.
        #[inline]
        pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }
    }
}

/// loom's `UnsafeCell`, which checks every access against the model.
#[cfg(loom)]
pub mod cell {
    pub use loom::cell::UnsafeCell;
}

/// Threads: `std`'s, or loom's model threads under `--cfg loom`.
pub mod thread {
    #[cfg(loom)]
    pub use loom::thread::{spawn, yield_now, Builder, JoinHandle};
    #[cfg(not(loom))]
    pub use std::thread::{spawn, yield_now, Builder, JoinHandle};
}

/// Waiting a moment for another thread that is in the middle of a short step.
///
/// Under loom both functions yield instead, so the model lets the other thread run.
pub mod spin {
    /// One spin-loop hint: for a step the other thread finishes within a few instructions.
    #[inline]
    pub fn relax() {
        #[cfg(not(loom))]
        std::hint::spin_loop();
        #[cfg(loom)]
        loom::thread::yield_now();
    }

    /// Backs off by `attempt` (counted from 0 by the caller's retry loop): 2^attempt spin-loop
    /// hints for the first six attempts, then a yield of the thread.
    #[inline]
    pub fn backoff(attempt: u32) {
        #[cfg(not(loom))]
        if attempt < 6 {
            for _ in 0..(1u32 << attempt) {
                std::hint::spin_loop();
            }
        } else {
            std::thread::yield_now();
        }
        #[cfg(loom)]
        {
            let _ = attempt;
            loom::thread::yield_now();
        }
    }
}

/// `thread_local!`, one value per loom thread under `--cfg loom`.
///
/// Loom runs every model thread on one OS thread: a std thread-local would be shared between
/// them (a remote wake would see the owner's scheduler as its own), and one holding loom
/// objects would drop them after the model ended.
///
/// Every declaration takes one static with a `const { ... }` initializer, which loom's macro
/// does not accept: under loom it is passed on as a plain expression.
#[cfg(loom)]
pub use crate::__loom_thread_local as thread_local;
#[cfg(not(loom))]
pub use std::thread_local;

/// loom's own `thread_local!`, for [`thread_local`]'s expansion in the crate that uses it.
#[cfg(loom)]
#[doc(hidden)]
pub use loom::thread_local as __model_thread_local;

/// The loom build of [`loom::thread_local`](crate::loom::thread_local).
#[cfg(loom)]
#[doc(hidden)]
#[macro_export]
macro_rules! __loom_thread_local {
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = const { $init:expr };) => {
        $crate::loom::__model_thread_local! {
            $(#[$attr])* $vis static $name: $t = $init;
        }
    };
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::sync::{Arc, Condvar, Mutex, RwLock};
    use super::thread;
    use std::panic::{self, AssertUnwindSafe};
    use std::time::Duration;

    /// Panics while `hold` keeps a guard, as a critical section that fails would.
    fn panic_holding<G>(hold: impl FnOnce() -> G) {
        let unwound = panic::catch_unwind(AssertUnwindSafe(|| {
            let _guard = hold();
            panic!("a panic while the lock is held");
        }));
        assert!(unwound.is_err());
    }

    #[test]
    fn a_mutex_is_taken_again_after_a_holder_panicked() {
        let mutex = Mutex::new(1);
        panic_holding(|| mutex.lock());
        *mutex.lock() += 1;
        assert_eq!(*mutex.try_lock().expect("the lock is free"), 2);
    }

    #[test]
    fn try_lock_reports_a_held_lock() {
        let mutex = Mutex::new(());
        let guard = mutex.lock();
        assert!(mutex.try_lock().is_none());
        drop(guard);
        assert!(mutex.try_lock().is_some());
    }

    #[test]
    fn a_rwlock_is_taken_again_after_a_writer_panicked() {
        let lock = RwLock::new(String::from("before"));
        panic_holding(|| lock.write());
        lock.write().push_str(", after");
        assert_eq!(*lock.read(), "before, after");
    }

    #[test]
    fn a_condvar_hands_over_a_poisoned_lock() {
        let shared = Arc::new((Mutex::new(false), Condvar::new()));
        panic_holding(|| shared.0.lock());
        let notifier = {
            let shared = shared.clone();
            thread::spawn(move || {
                *shared.0.lock() = true;
                shared.1.notify_one();
            })
        };
        let (ready, condvar) = &*shared;
        let mut guard = ready.lock();
        while !*guard {
            guard = condvar.wait(guard);
        }
        drop(guard);
        notifier.join().expect("the notifier does not panic");
        // A timed wait on the poisoned lock returns its guard too.
        let guard = condvar.wait_timeout(ready.lock(), Duration::from_millis(1));
        assert!(*guard);
    }

    #[test]
    fn a_static_mutex_starts_unlocked() {
        static COUNT: Mutex<u32> = Mutex::new(0);
        *COUNT.lock() += 1;
        assert_eq!(*COUNT.lock(), 1);
    }
}
