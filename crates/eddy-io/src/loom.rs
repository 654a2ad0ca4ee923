//! Concurrency primitives, swapped for loom's models under `--cfg loom`.

#[cfg(not(loom))]
pub(crate) mod sync {
    pub(crate) use std::sync::{Arc, Mutex, MutexGuard};
}

#[cfg(loom)]
pub(crate) mod sync {
    pub(crate) use loom::sync::{Arc, Mutex, MutexGuard};
}

/// Locks `mutex`, ignoring poisoning: every critical section here leaves the state consistent
/// before it can panic, so a panic elsewhere does not make the data unusable.
pub(crate) fn lock<T>(mutex: &sync::Mutex<T>) -> sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
