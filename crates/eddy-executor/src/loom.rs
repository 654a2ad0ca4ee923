//! Concurrency primitives, swapped for loom's models under `--cfg loom`.
//!
//! Every atomic, lock and cell that concurrent code in this crate touches comes from here, never
//! from `std` directly, so that `RUSTFLAGS="--cfg loom"` model-checks the real code.

#[cfg(not(loom))]
#[allow(unused_imports)]
pub(crate) mod sync {
    pub(crate) use super::poison_free::{Condvar, Mutex, MutexGuard};
    pub(crate) use std::sync::Arc;

    pub(crate) mod atomic {
        pub(crate) use std::sync::atomic::{
            fence, AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering,
        };
    }
}

#[cfg(loom)]
#[allow(unused_imports)]
pub(crate) mod sync {
    pub(crate) use super::poison_free::{Condvar, Mutex, MutexGuard};
    pub(crate) use loom::sync::Arc;

    pub(crate) mod atomic {
        pub(crate) use loom::sync::atomic::{
            fence, AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering,
        };
    }
}

/// A mutex and condvar that ignore poisoning, over std's or (under `--cfg loom`) loom's.
///
/// A panic while a lock is held (a user's waker, a hook, an allocation failure) must not turn
/// every later `lock()` into a second panic: the executor's critical sections only move values
/// in and out of their state, so the state stays consistent when one unwinds, and the lock is
/// simply taken again. This is the one home of the poison-free lock for the whole workspace
/// until issue 18 moves it to a shared internal crate.
mod poison_free {
    #[cfg(loom)]
    use loom::sync as inner;
    #[cfg(not(loom))]
    use std::sync as inner;
    use std::sync::PoisonError;
    use std::time::Duration;

    pub(crate) use inner::MutexGuard;

    /// A mutex whose `lock` returns the guard whether or not an earlier holder panicked.
    #[derive(Default)]
    #[cfg_attr(not(loom), derive(Debug))]
    pub(crate) struct Mutex<T>(inner::Mutex<T>);

    impl<T> Mutex<T> {
        pub(crate) fn new(value: T) -> Mutex<T> {
            Mutex(inner::Mutex::new(value))
        }

        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            self.0.lock().unwrap_or_else(PoisonError::into_inner)
        }

        /// The guard if the lock is free now, `None` if another thread holds it.
        #[cfg(any(feature = "multi-thread", test))]
        pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            use std::sync::TryLockError;
            match self.0.try_lock() {
                Ok(guard) => Some(guard),
                Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
                Err(TryLockError::WouldBlock) => None,
            }
        }
    }

    /// A condition variable whose waits return the guard whether or not the lock is poisoned.
    #[derive(Default)]
    #[cfg_attr(not(loom), derive(Debug))]
    pub(crate) struct Condvar(inner::Condvar);

    impl Condvar {
        pub(crate) fn new() -> Condvar {
            Condvar(inner::Condvar::new())
        }

        pub(crate) fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
            self.0.wait(guard).unwrap_or_else(PoisonError::into_inner)
        }

        /// Waits for a notification or until `timeout` passes (spurious returns allowed); the
        /// caller re-checks its condition and its deadline.
        pub(crate) fn wait_timeout<'a, T>(
            &self,
            guard: MutexGuard<'a, T>,
            timeout: Duration,
        ) -> MutexGuard<'a, T> {
            match self.0.wait_timeout(guard, timeout) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            }
        }

        pub(crate) fn notify_one(&self) {
            self.0.notify_one();
        }

        pub(crate) fn notify_all(&self) {
            self.0.notify_all();
        }
    }
}

/// `UnsafeCell` with loom's closure-based access API, so both builds share one code path.
#[cfg(not(loom))]
pub(crate) mod cell {
    #[derive(Debug)]
    pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

    #[allow(dead_code)]
    impl<T> UnsafeCell<T> {
        pub(crate) const fn new(value: T) -> UnsafeCell<T> {
            UnsafeCell(std::cell::UnsafeCell::new(value))
        }

        pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }

        pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }
    }
}

#[cfg(loom)]
pub(crate) mod cell {
    pub(crate) use loom::cell::UnsafeCell;
}

/// Spawning threads, modelled under loom.
#[allow(unused_imports)]
pub(crate) mod thread {
    #[cfg(loom)]
    pub(crate) use loom::thread::{spawn, yield_now, Builder, JoinHandle};
    #[cfg(not(loom))]
    pub(crate) use std::thread::{spawn, yield_now, Builder, JoinHandle};
}

/// `thread_local!`, one value per loom thread under `--cfg loom`.
///
/// Loom runs every model thread on one OS thread: a std thread-local would be shared between
/// them (a remote wake would see the owner's scheduler as its own), and one holding loom
/// objects would drop them after the model ended.
///
/// Every declaration takes a `const { ... }` initializer, which loom's macro does not accept:
/// under loom it is passed on as a plain expression.
#[cfg(loom)]
macro_rules! loom_thread_local {
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = const { $init:expr };) => {
        loom::thread_local! {
            $(#[$attr])* $vis static $name: $t = $init;
        }
    };
}
#[cfg(loom)]
pub(crate) use loom_thread_local as thread_local;
#[cfg(not(loom))]
pub(crate) use std::thread_local;
