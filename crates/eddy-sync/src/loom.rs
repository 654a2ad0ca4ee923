//! Concurrency primitives, swapped for loom's models under `--cfg loom`.
//!
//! Every atomic, lock and cell that the concurrent code of this crate touches comes from here,
//! never from `std` directly, so that `RUSTFLAGS="--cfg loom"` model-checks the real code. The
//! user data inside `Mutex`, `RwLock` and `OnceCell` stays in `std::cell::UnsafeCell`: its guards
//! hand out plain references, which loom's closure-based cell cannot express.

#[cfg(not(loom))]
pub(crate) mod sync {
    pub(crate) mod atomic {
        pub(crate) use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
    }

    /// A mutex that ignores poisoning: the data it guards in this crate (waiter lists, counters)
    /// is left consistent by every code path, panicking or not.
    #[derive(Debug, Default)]
    pub(crate) struct Mutex<T>(std::sync::Mutex<T>);

    impl<T> Mutex<T> {
        pub(crate) const fn new(value: T) -> Self {
            Mutex(std::sync::Mutex::new(value))
        }

        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        }
    }

    /// A reader-writer lock that ignores poisoning, like [`Mutex`].
    #[derive(Debug, Default)]
    pub(crate) struct RwLock<T>(std::sync::RwLock<T>);

    pub(crate) use std::sync::{MutexGuard, RwLockReadGuard, RwLockWriteGuard};

    impl<T> RwLock<T> {
        pub(crate) fn new(value: T) -> Self {
            RwLock(std::sync::RwLock::new(value))
        }

        pub(crate) fn read(&self) -> RwLockReadGuard<'_, T> {
            self.0
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        }

        pub(crate) fn write(&self) -> RwLockWriteGuard<'_, T> {
            self.0
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        }
    }
}

#[cfg(loom)]
pub(crate) mod sync {
    pub(crate) mod atomic {
        pub(crate) use loom::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
    }

    /// loom's mutex behind the same poison-free interface as the `std` build.
    #[derive(Debug)]
    pub(crate) struct Mutex<T>(loom::sync::Mutex<T>);

    impl<T> Mutex<T> {
        pub(crate) fn new(value: T) -> Self {
            Mutex(loom::sync::Mutex::new(value))
        }

        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        }
    }

    /// A reader-writer lock that ignores poisoning, like [`Mutex`].
    #[derive(Debug)]
    pub(crate) struct RwLock<T>(loom::sync::RwLock<T>);

    pub(crate) use loom::sync::{MutexGuard, RwLockReadGuard, RwLockWriteGuard};

    impl<T> RwLock<T> {
        pub(crate) fn new(value: T) -> Self {
            RwLock(loom::sync::RwLock::new(value))
        }

        pub(crate) fn read(&self) -> RwLockReadGuard<'_, T> {
            self.0
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        }

        pub(crate) fn write(&self) -> RwLockWriteGuard<'_, T> {
            self.0
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        }
    }
}

/// `UnsafeCell` with loom's closure-based access API, so both builds share one code path.
#[cfg(not(loom))]
pub(crate) mod cell {
    #[derive(Debug)]
    pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        pub(crate) const fn new(value: T) -> UnsafeCell<T> {
            UnsafeCell(std::cell::UnsafeCell::new(value))
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

/// Waiting a moment for another thread that is in the middle of a short step.
pub(crate) mod spin {
    /// Gives the other thread a chance to finish its step.
    #[cfg(not(loom))]
    pub(crate) fn relax(attempt: u32) {
        if attempt < 6 {
            for _ in 0..(1u32 << attempt) {
                std::hint::spin_loop();
            }
        } else {
            std::thread::yield_now();
        }
    }

    /// Under loom, a spin must be a yield so the model lets the other thread run.
    #[cfg(loom)]
    pub(crate) fn relax(_attempt: u32) {
        loom::thread::yield_now();
    }
}
