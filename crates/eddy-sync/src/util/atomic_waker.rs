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
//!
//! Registering may drop the waker it replaces, or owe a wake; a caller that holds a lock gets
//! both back as an [`AfterRegister`] to drop after unlocking, since a user's waker may run any
//! code when dropped or woken, including code that takes that same lock.

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
    ///
    /// For callers that hold no lock: the waker it replaces is dropped here, and a wake that
    /// raced with the registration is delivered here. Under a lock, use
    /// [`register_under_lock`](AtomicWaker::register_under_lock).
    pub(crate) fn register(&self, waker: &Waker) {
        drop(self.register_under_lock(waker));
    }

    /// Stores `waker` like [`register`](AtomicWaker::register), but leaves dropping the waker
    /// it replaces, and any wake owed because a wake raced with this registration, to the
    /// returned [`AfterRegister`], which the caller drops once it has released its lock. A
    /// user's waker may do anything when dropped or woken, even use the primitive whose lock
    /// is held (and deadlock on it).
    pub(crate) fn register_under_lock(&self, waker: &Waker) -> AfterRegister {
        let mut after = AfterRegister {
            replaced: None,
            wake: None,
        };
        match self
            .state
            .compare_exchange(IDLE, REGISTERING, Ordering::Acquire, Ordering::Acquire)
        {
            Ok(_) => {
                // SAFETY: the state is `REGISTERING` and we set it: nobody else is in the cell.
                self.waker.with_mut(|cell| unsafe {
                    match &*cell {
                        Some(old) if old.will_wake(waker) => {}
                        _ => after.replaced = (*cell).replace(waker.clone()),
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
                    after.wake = self.waker.with_mut(|cell| unsafe { (*cell).take() });
                    self.state.swap(IDLE, Ordering::AcqRel);
                }
            }
            // A wake is taking the old waker right now: make sure this poll runs again. The
            // caller may come straight back, so this is a spin: give the waker time to finish.
            Err(_) => {
                after.wake = Some(waker.clone());
                spin::relax(0);
            }
        }
        after
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

/// The work a registration made under a lock leaves for after the lock: dropping the waker it
/// replaced, and waking the waker it owes a wake (both happen when this is dropped).
#[must_use = "drop it once the lock is released"]
pub(crate) struct AfterRegister {
    replaced: Option<Waker>,
    wake: Option<Waker>,
}

impl Drop for AfterRegister {
    fn drop(&mut self) {
        if let Some(waker) = self.wake.take() {
            waker.wake();
        }
        // `replaced` is dropped with the struct, after the wake.
    }
}

impl fmt::Debug for AtomicWaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AtomicWaker").finish_non_exhaustive()
    }
}
