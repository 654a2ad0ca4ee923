//! A waker slot that a timer's owner fills while the driver may be emptying it.
//!
//! The owner of a timer (a task polling its `Sleep`) stores its waker without taking the driver's
//! lock, and the driver takes the waker out when the timer fires. The slot's `state` word decides
//! who may touch the cell:
//!
//! * `IDLE`: nobody is touching it.
//! * `REGISTERING`: the owner is writing a waker; only the owner touches the cell.
//! * `WAKING`: the driver is taking the waker; only the driver touches the cell.
//! * `REGISTERING | WAKING`: the driver came while the owner was writing. The driver leaves the
//!   cell alone; the owner notices when it tries to go back to `IDLE`, and wakes its own waker.
//!
//! Each side enters by a read-modify-write that fails (or records its visit) if the other side
//! is in, so the cell has one user at a time. The owner's registrations are serialised by
//! `&mut` access to the timer and the driver's takes by its lock, so neither side races with
//! itself. The `Acquire`/`Release` pairs on `state` make whatever the other side wrote before
//! leaving (the waker, or the timer's fired state) visible to the side that enters next.

use crate::loom::cell::UnsafeCell;
use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use std::task::Waker;

const IDLE: usize = 0;
const REGISTERING: usize = 0b01;
const WAKING: usize = 0b10;

pub(crate) struct AtomicWaker {
    state: AtomicUsize,
    waker: UnsafeCell<Option<Waker>>,
}

// SAFETY: the cell is only touched by the one side the state protocol above lets in, and a
// `Waker` is `Send + Sync`, so sharing the slot between the owner's and the driver's thread is
// sound.
unsafe impl Sync for AtomicWaker {}

// SAFETY: the slot owns an `Option<Waker>`, which is `Send`.
unsafe impl Send for AtomicWaker {}

impl AtomicWaker {
    pub(crate) fn new() -> AtomicWaker {
        AtomicWaker {
            state: AtomicUsize::new(IDLE),
            waker: UnsafeCell::new(None),
        }
    }

    /// Stores `waker` (unless the stored one already wakes the same task). Must not be called
    /// from two threads at once; the timer's `&mut` access guarantees that.
    pub(crate) fn register(&self, waker: &Waker) {
        if self
            .state
            .compare_exchange(IDLE, REGISTERING, Ordering::Acquire, Ordering::Acquire)
            .is_err()
        {
            // The driver is taking the waker right now, having marked the timer fired first:
            // the caller's check of the fired state that follows sees it. Waking here as well
            // only costs a spurious poll and keeps the slot correct on its own.
            waker.wake_by_ref();
            return;
        }
        // SAFETY: the successful move to REGISTERING gives this thread sole access to the cell
        // until it leaves that state: `take` does not touch the cell unless it finds IDLE.
        self.waker
            .with_mut(|slot| unsafe { store(&mut *slot, waker) });
        let left =
            self.state
                .compare_exchange(REGISTERING, IDLE, Ordering::AcqRel, Ordering::Acquire);
        if left.is_err() {
            // `take` came meanwhile (the state is REGISTERING | WAKING) and left the waker to
            // us. SAFETY: we still hold the cell: `take` saw REGISTERING and did not touch it.
            let stored = self.waker.with_mut(|slot| unsafe { (*slot).take() });
            self.state.swap(IDLE, Ordering::AcqRel);
            if let Some(stored) = stored {
                stored.wake();
            }
        }
    }

    /// Takes the stored waker out, or returns `None` if there is none or the owner is writing
    /// one (the owner then wakes it itself). Callers hold the driver's lock.
    pub(crate) fn take(&self) -> Option<Waker> {
        match self.state.fetch_or(WAKING, Ordering::AcqRel) {
            IDLE => {
                // SAFETY: the move from IDLE to WAKING gives this thread sole access to the
                // cell: `register` fails its first exchange while WAKING is set.
                let waker = self.waker.with_mut(|slot| unsafe { (*slot).take() });
                self.state.fetch_and(!WAKING, Ordering::Release);
                waker
            }
            _ => None,
        }
    }
}

impl Drop for AtomicWaker {
    fn drop(&mut self) {
        // Dropping the stored waker through the cell (rather than as a plain field) makes this
        // last access visible to loom, which then checks that the driver's accesses all
        // happened before the timer was freed.
        // SAFETY: `&mut self`: nobody else can reach the slot any more.
        drop(self.waker.with_mut(|slot| unsafe { (*slot).take() }));
    }
}

fn store(slot: &mut Option<Waker>, waker: &Waker) {
    match slot {
        Some(stored) if stored.will_wake(waker) => {}
        _ => *slot = Some(waker.clone()),
    }
}
