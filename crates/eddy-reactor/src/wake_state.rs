//! When waking the driver needs a syscall, and when it does not.
//!
//! The driver's unparker writes to a `mio::Waker` (an eventfd), which makes `epoll_wait`
//! return. That write is only needed when the driver may be blocked, so [`WakeState`] tracks
//! one of three states:
//!
//! * `IDLE`: the driver may be blocked in `epoll_wait` (or will be soon): an unpark must
//!   write to the waker. This is the state between turns.
//! * `NOTIFIED`: an unpark happened since the driver last looked. The unpark that moved the
//!   state from `IDLE` writes to the waker, so the driver's current or next poll returns;
//!   later unparks skip the syscall.
//! * `DISPATCHING`: the driver has returned from `epoll_wait` and is waking tasks; the park
//!   is about to return, so an unpark only records itself. This is the common case: a task
//!   woken by the dispatch itself, on the driver's own thread, costs no syscall.
//!
//! Unparkers `swap` in `NOTIFIED` (a `Release` write even when they skip the syscall), and
//! the driver `swap`s the state with `Acquire` when it stops dispatching, so what an unparker
//! wrote before unparking is visible to the scheduler once the park returns.

use crate::loom::sync::atomic::{AtomicUsize, Ordering};

const IDLE: usize = 0;
const NOTIFIED: usize = 1;
const DISPATCHING: usize = 2;

/// See the module docs.
#[derive(Debug)]
pub struct WakeState {
    state: AtomicUsize,
}

impl Default for WakeState {
    fn default() -> WakeState {
        WakeState::new()
    }
}

impl WakeState {
    /// The state between turns.
    pub fn new() -> WakeState {
        WakeState {
            state: AtomicUsize::new(IDLE),
        }
    }

    /// Records an unpark; returns whether the caller must write to the waker.
    pub fn unpark(&self) -> bool {
        self.state.swap(NOTIFIED, Ordering::AcqRel) == IDLE
    }

    /// The driver returned from `epoll_wait` and starts waking tasks.
    pub fn begin_dispatch(&self) {
        self.state.swap(DISPATCHING, Ordering::AcqRel);
    }

    /// The driver is done waking tasks; its park returns and it may block again later.
    pub fn end_dispatch(&self) {
        self.state.swap(IDLE, Ordering::AcqRel);
    }
}
