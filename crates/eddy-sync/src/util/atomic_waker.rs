//! A waker slot that one party registers into and any thread wakes.
//!
//! The state word says who is inside the cell: nobody (`IDLE`), the registering party
//! (`REGISTERING`), or a waker (`WAKING`). Only the party that moved the state away from `IDLE`
//! touches the cell, so the cell never sees two accesses at once. A wake that arrives while a
//! registration is in progress sets `WAKING` as well; the registrant sees it when it leaves, and
//! wakes the waker it just stored itself. So a wake that happens after a registration began is
//! never lost: either the waker takes the stored waker, or the registrant wakes it.
//!
//! Only one party may register at a time (the owner of the channel end or of the waiter).

use crate::loom::cell::UnsafeCell;
use crate::loom::spin;
use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use std::fmt;
use std::task::Waker;

const IDLE: usize = 0;
const REGISTERING: usize = 0b01;
const WAKING: usize = 0b10;

/// See the module docs.
pub(crate) struct AtomicWaker {
    state: AtomicUsize,
    waker: UnsafeCell<Option<Waker>>,
}

// SAFETY: the cell is only touched by the one party that won the state word (module docs), so
// sharing the slot between threads never lets two threads at the waker at once.
unsafe impl Send for AtomicWaker {}
// SAFETY: as above.
unsafe impl Sync for AtomicWaker {}

impl AtomicWaker {
    /// An empty slot.
    #[cfg(not(loom))]
    pub(crate) const fn new() -> Self {
        AtomicWaker {
            state: AtomicUsize::new(IDLE),
            waker: UnsafeCell::new(None),
        }
    }

    /// An empty slot.
    #[cfg(loom)]
    pub(crate) fn new() -> Self {
        AtomicWaker {
            state: AtomicUsize::new(IDLE),
            waker: UnsafeCell::new(None),
        }
    }

    /// Stores `waker` to be woken by the next [`AtomicWaker::wake`].
    pub(crate) fn register(&self, waker: &Waker) {
        match self
            .state
            .compare_exchange(IDLE, REGISTERING, Ordering::Acquire, Ordering::Acquire)
        {
            Ok(_) => {
                // SAFETY: the state is `REGISTERING` and we set it: nobody else is in the cell.
                self.waker.with_mut(|cell| unsafe {
                    match &*cell {
                        Some(old) if old.will_wake(waker) => {}
                        _ => *cell = Some(waker.clone()),
                    }
                });
                let left = self.state.compare_exchange(
                    REGISTERING,
                    IDLE,
                    Ordering::AcqRel,
                    Ordering::Acquire,
                );
                if left.is_err() {
                    // A wake arrived meanwhile and left the waker to us.
                    // SAFETY: the state is still ours (`REGISTERING | WAKING`): wakers that
                    // see `REGISTERING` leave the cell alone.
                    let waker = self.waker.with_mut(|cell| unsafe { (*cell).take() });
                    self.state.swap(IDLE, Ordering::AcqRel);
                    if let Some(waker) = waker {
                        waker.wake();
                    }
                }
            }
            // A wake is taking the old waker right now: make sure this poll runs again. The
            // caller may come straight back, so this is a spin: give the waker time to finish.
            Err(_) => {
                waker.wake_by_ref();
                spin::relax(0);
            }
        }
    }

    /// Takes the registered waker, if there is one and no registration is in progress (a
    /// registration in progress is told to wake itself instead).
    pub(crate) fn take(&self) -> Option<Waker> {
        match self.state.fetch_or(WAKING, Ordering::AcqRel) {
            IDLE => {
                // SAFETY: we moved the state from `IDLE` to `WAKING`: the cell is ours.
                let waker = self.waker.with_mut(|cell| unsafe { (*cell).take() });
                self.state.fetch_and(!WAKING, Ordering::Release);
                waker
            }
            _ => None,
        }
    }

    /// Wakes the registered waker, if any.
    pub(crate) fn wake(&self) {
        if let Some(waker) = self.take() {
            waker.wake();
        }
    }
}

impl fmt::Debug for AtomicWaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AtomicWaker").finish_non_exhaustive()
    }
}
