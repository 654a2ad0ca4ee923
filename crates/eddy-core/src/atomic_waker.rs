//! [`AtomicWaker`]: a waker slot that one party fills and any thread empties, without a lock.
//!
//! Every eddy primitive that parks one task and is woken from elsewhere keeps its waker here:
//! a channel's receiver, a oneshot's two ends, a `Notify` or semaphore waiter, a timer entry.
//! The slot is a cell guarded by a state word that says who is inside the cell:
//!
//! * `IDLE`: nobody.
//! * `REGISTERING`: the owner is storing a waker; only the owner touches the cell.
//! * `WAKING`: a waker is taking the waker out; only it touches the cell.
//! * `REGISTERING | WAKING`: a wake arrived while the owner was storing. The waking side leaves
//!   the cell alone; the owner sees the extra bit when it tries to return to `IDLE`, takes the
//!   waker it just stored and wakes it.
//!
//! Each side enters with one read-modify-write that fails (or records its visit) while the
//! other is inside, so the cell has one user at a time. A wake that happens after a
//! registration began is therefore never lost: either the waking side takes the stored waker,
//! or the owner wakes it. A registration that finds a wake in progress (the old waker being
//! taken) owes its new waker a wake, so that the task polls again and sees whatever the waking
//! side published before it woke.
//!
//! **Who may call what.** Only one party registers at a time (the owner of the channel end,
//! the waiter, the timer's `&mut` holder); any number of threads may [`take`](AtomicWaker::take)
//! or [`wake`](AtomicWaker::wake) at once. The `Acquire` on entering and `Release` on leaving
//! make what the other side wrote before it left (the waker, or the state the wake announces)
//! visible to the side that enters next.
//!
//! **Never under a lock.** A user's waker may run any code when it is woken or dropped,
//! including code that takes a lock the caller holds. [`register`](AtomicWaker::register) wakes
//! and drops after leaving the cell; a caller that holds a lock uses
//! [`register_under_lock`](AtomicWaker::register_under_lock) and drops the returned
//! [`AfterRegister`] once it has unlocked. `take` hands the waker out instead of waking it.
//!
//! The atomics and the cell come from this crate's loom shim: `--cfg loom` checks this code in
//! `tests/loom_atomic_waker.rs` and in every model of the crates that use it.

use crate::loom::cell::UnsafeCell;
use crate::loom::spin;
use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use std::fmt;
use std::task::Waker;

const IDLE: usize = 0;
const REGISTERING: usize = 0b01;
const WAKING: usize = 0b10;

/// A waker slot: one party registers, any thread takes or wakes. See the module docs.
pub struct AtomicWaker {
    state: AtomicUsize,
    waker: UnsafeCell<Option<Waker>>,
}

// SAFETY: the cell is only touched by the one party the state word lets in (module docs), and
// it holds an `Option<Waker>`, which is `Send + Sync`: moving the slot to, or sharing it with,
// another thread never lets two threads at the waker at once.
unsafe impl Send for AtomicWaker {}
// SAFETY: as above.
unsafe impl Sync for AtomicWaker {}

impl AtomicWaker {
    /// An empty slot.
    #[cfg(not(loom))]
    pub const fn new() -> AtomicWaker {
        AtomicWaker {
            state: AtomicUsize::new(IDLE),
            waker: UnsafeCell::new(None),
        }
    }

    /// An empty slot.
    #[cfg(loom)]
    pub fn new() -> AtomicWaker {
        AtomicWaker {
            state: AtomicUsize::new(IDLE),
            waker: UnsafeCell::new(None),
        }
    }

    /// Stores `waker` to be woken by the next [`wake`](AtomicWaker::wake) or handed out by the
    /// next [`take`](AtomicWaker::take); keeps the stored one if it wakes the same task.
    ///
    /// For callers that hold no lock: the waker it replaces is dropped, and a wake owed because
    /// a wake raced with this registration is delivered, before it returns. Only one party may
    /// register at a time.
    #[inline]
    pub fn register(&self, waker: &Waker) {
        drop(self.register_under_lock(waker));
    }

    /// Stores `waker` like [`register`](AtomicWaker::register), but leaves dropping the waker
    /// it replaces, and any wake it owes, to the returned [`AfterRegister`], for a caller that
    /// holds a lock to drop once it has released it.
    #[inline]
    pub fn register_under_lock(&self, waker: &Waker) -> AfterRegister {
        let mut after = AfterRegister {
            replaced: None,
            wake: None,
        };
        let entered =
            self.state
                .compare_exchange(IDLE, REGISTERING, Ordering::Acquire, Ordering::Acquire);
        if entered.is_err() {
            // A wake is taking the old waker right now: this poll must run again. The caller
            // may come straight back, so give the waking side a moment to finish.
            after.wake = Some(waker.clone());
            spin::relax();
            return after;
        }
        // SAFETY: we moved the state from `IDLE` to `REGISTERING`: until we leave it, the
        // waking side finds `REGISTERING` and does not touch the cell.
        self.waker.with_mut(|cell| unsafe {
            match &*cell {
                Some(stored) if stored.will_wake(waker) => {}
                _ => after.replaced = (*cell).replace(waker.clone()),
            }
        });
        let left =
            self.state
                .compare_exchange(REGISTERING, IDLE, Ordering::AcqRel, Ordering::Acquire);
        if left.is_err() {
            // A wake arrived meanwhile (`REGISTERING | WAKING`) and left the waker to us.
            // SAFETY: the state is still ours: the waking side saw `REGISTERING` and only set
            // its bit, without touching the cell.
            after.wake = self.waker.with_mut(|cell| unsafe { (*cell).take() });
            self.state.swap(IDLE, Ordering::AcqRel);
        }
        after
    }

    /// Takes the registered waker out, if there is one and no registration is in progress (a
    /// registration in progress is told to wake its waker itself).
    #[inline]
    pub fn take(&self) -> Option<Waker> {
        match self.state.fetch_or(WAKING, Ordering::AcqRel) {
            IDLE => {
                // SAFETY: we moved the state from `IDLE` to `WAKING`: registrations fail their
                // first exchange and other wakes find `WAKING` until we clear it.
                let waker = self.waker.with_mut(|cell| unsafe { (*cell).take() });
                self.state.fetch_and(!WAKING, Ordering::Release);
                waker
            }
            _ => None,
        }
    }

    /// Wakes the registered waker, if any (see [`take`](AtomicWaker::take)).
    #[inline]
    pub fn wake(&self) {
        if let Some(waker) = self.take() {
            waker.wake();
        }
    }
}

impl Default for AtomicWaker {
    fn default() -> AtomicWaker {
        AtomicWaker::new()
    }
}

/// Only for loom: without it the cell's `Option<Waker>` is dropped as a plain field, which is
/// the same thing without the extra store of `take`.
#[cfg(loom)]
impl Drop for AtomicWaker {
    fn drop(&mut self) {
        // Dropping the waker through the cell, not as a plain field, makes this last access
        // visible to loom, which then checks that every other access happened before it.
        // SAFETY: `&mut self`: nobody else can reach the slot any more.
        drop(self.waker.with_mut(|cell| unsafe { (*cell).take() }));
    }
}

impl fmt::Debug for AtomicWaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AtomicWaker").finish_non_exhaustive()
    }
}

/// What a registration under a lock leaves for after the lock: waking the waker it owes a wake
/// and dropping the waker it replaced, both when this is dropped.
#[must_use = "drop it once the lock is released"]
pub struct AfterRegister {
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

impl fmt::Debug for AfterRegister {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AfterRegister")
            .field("owes_wake", &self.wake.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::AtomicWaker;
    use eddy_test_support::waker::counting;
    use std::sync::Arc;

    #[test]
    fn wake_wakes_the_registered_waker_once() {
        let slot = AtomicWaker::new();
        let (counter, waker) = counting();
        slot.register(&waker);
        slot.wake();
        slot.wake();
        assert_eq!(counter.count(), 1);
    }

    #[test]
    fn a_new_registration_replaces_the_old_waker() {
        let slot = AtomicWaker::new();
        let (old, old_waker) = counting();
        let (new, new_waker) = counting();
        slot.register(&old_waker);
        slot.register(&new_waker);
        slot.wake();
        assert_eq!(old.count(), 0);
        assert_eq!(new.count(), 1);
        // The slot let go of the old waker: only the test's handle is left.
        assert_eq!(Arc::strong_count(&old), 2);
        drop(old_waker);
        assert_eq!(Arc::strong_count(&old), 1);
    }

    #[test]
    fn take_hands_the_waker_out_without_waking_it() {
        let slot = AtomicWaker::new();
        let (counter, waker) = counting();
        slot.register(&waker);
        let taken = slot.take().expect("a registered waker");
        assert!(slot.take().is_none());
        assert_eq!(counter.count(), 0);
        // It is the registered waker (compared by effect: miri may give a vtable two addresses,
        // which `will_wake` would see as two wakers).
        taken.wake();
        assert_eq!(counter.count(), 1);
    }

    #[test]
    fn register_under_lock_keeps_the_replaced_waker_until_dropped() {
        let slot = AtomicWaker::new();
        let (old, old_waker) = counting();
        let (_new, new_waker) = counting();
        slot.register(&old_waker);
        drop(old_waker);
        let after = slot.register_under_lock(&new_waker);
        assert_eq!(
            Arc::strong_count(&old),
            2,
            "still held by the AfterRegister"
        );
        drop(after);
        assert_eq!(Arc::strong_count(&old), 1);
    }

    #[test]
    fn wakes_from_other_threads_reach_the_registered_waker() {
        let slot = Arc::new(AtomicWaker::new());
        let (counter, waker) = counting();
        for _ in 0..8 {
            slot.register(&waker);
            let slot = slot.clone();
            std::thread::spawn(move || slot.wake()).join().unwrap();
        }
        assert_eq!(counter.count(), 8);
    }

    #[test]
    fn dropping_the_slot_drops_its_waker() {
        let slot = AtomicWaker::new();
        let (counter, waker) = counting();
        slot.register(&waker);
        drop(waker);
        drop(slot);
        assert_eq!(Arc::strong_count(&counter), 1);
    }
}
