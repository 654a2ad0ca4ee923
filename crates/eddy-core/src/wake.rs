//! Waking a batch of collected wakers without losing any to a panic.
//!
//! The drivers collect the wakers of every task an event satisfies (I/O readiness, due timers,
//! a delivered signal) and wake them once their locks are released. A waker is user code and
//! may panic. Tokio's drivers drop the wakers left after a panicking one; eddy wakes every one
//! of them first, then resumes the first panic, so one faulty waker costs no other task its
//! wake-up and the panic still reaches whoever drove the dispatch.

use std::panic::{self, AssertUnwindSafe};
use std::task::Waker;

/// Wakes every waker of `wakers`, in order, even if some panic; then resumes the first panic,
/// if there was one (later payloads are dropped).
pub fn wake_all(wakers: impl IntoIterator<Item = Waker>) {
    let mut first_panic = None;
    for waker in wakers {
        // Unwind safety: a waker that panicked has been consumed, and nothing else observed
        // its state; the loop itself holds no state a panic could leave half-updated.
        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| waker.wake())) {
            first_panic.get_or_insert(payload);
        }
    }
    if let Some(payload) = first_panic {
        panic::resume_unwind(payload);
    }
}
