//! The task's state word: lifecycle bits and a reference count in one `AtomicUsize`.
//!
//! Bits, low to high:
//!
//! * `RUNNING`: a thread is polling (or cancelling) the task and owns its future or output.
//! * `COMPLETE`: the future is gone; the stage holds the output (or a `JoinError`).
//! * `NOTIFIED`: a `Notified` reference for the task sits in a run queue (or is about to), so a
//!   second wake must not submit another one.
//! * `JOIN_INTEREST`: the `JoinHandle` is alive and will take the output. Once it is cleared, the
//!   task side drops the output itself.
//! * `JOIN_WAKER`: who owns the join-waker slot. Clear: the `JoinHandle` may write it. Set: the
//!   task side may read it (to wake the handle at completion) and the handle must not touch it.
//! * `CANCELLED`: `abort` or runtime shutdown asked for the future to be dropped.
//!
//! The bits above those count references: one for the owned-task list, one per `Notified`, one
//! for the `JoinHandle`, one per `AbortHandle` and one per `Waker`. The thread that drops the
//! count to zero frees the task.
//!
//! Every transition is a compare-and-swap with `AcqRel` ordering: a transition publishes what the
//! thread did to the task before it (stored output, stored waker) and acquires what the previous
//! owner did. Reference increments are `Relaxed` (the incrementing thread already holds a
//! reference, as with `Arc`).

use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use std::fmt;

const RUNNING: usize = 1 << 0;
const COMPLETE: usize = 1 << 1;
const NOTIFIED: usize = 1 << 2;
const JOIN_INTEREST: usize = 1 << 3;
const JOIN_WAKER: usize = 1 << 4;
const CANCELLED: usize = 1 << 5;
const REF_SHIFT: u32 = 6;
const REF_ONE: usize = 1 << REF_SHIFT;

/// The state of a task that was just created with `refs` references: queued, join handle alive.
const fn initial(refs: usize) -> usize {
    (refs * REF_ONE) | NOTIFIED | JOIN_INTEREST
}

/// The atomic state word of one task.
pub(crate) struct State {
    word: AtomicUsize,
}

/// A copy of the state word at one instant.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Snapshot(usize);

/// What the poller must do after `transition_to_running`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TransitionToRunning {
    /// Poll the future.
    Success,
    /// The task was aborted: drop the future instead of polling it.
    Cancelled,
    /// Someone else runs it or it is done; the caller's reference was released.
    Failed,
    /// As `Failed`, and that was the last reference: free the task.
    Dealloc,
}

/// What the poller must do after a `Pending` poll.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TransitionToIdle {
    /// Idle now; the poller's reference was released.
    Ok,
    /// Woken while running: the poller's reference becomes a new `Notified` to submit.
    OkNotified,
    /// Idle, and the poller's reference was the last: free the task.
    OkDealloc,
    /// Aborted while running: still running, drop the future and complete.
    Cancelled,
}

/// What a waker must do after marking the task notified.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TransitionToNotified {
    /// Nothing to submit.
    DoNothing,
    /// Submit a `Notified` holding the reference the transition provided.
    Submit,
    /// The waker's reference was the last one: free the task.
    Dealloc,
}

impl State {
    /// A state for a new task with `refs` references, notified and with join interest.
    pub(crate) fn new(refs: usize) -> State {
        State {
            word: AtomicUsize::new(initial(refs)),
        }
    }

    /// The current state.
    pub(crate) fn load(&self) -> Snapshot {
        Snapshot(self.word.load(Ordering::Acquire))
    }

    /// Runs `f` on the current snapshot until its proposed new state is installed (or it
    /// proposes none), returning what `f` returned on the last try.
    fn update<T>(&self, mut f: impl FnMut(Snapshot) -> (T, Option<Snapshot>)) -> T {
        let mut current = self.word.load(Ordering::Acquire);
        loop {
            let (result, next) = f(Snapshot(current));
            let Some(next) = next else {
                return result;
            };
            match self.word.compare_exchange_weak(
                current,
                next.0,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return result,
                Err(actual) => current = actual,
            }
        }
    }

    /// A `Notified` is about to be polled: take `RUNNING` if the task is idle.
    pub(crate) fn transition_to_running(&self) -> TransitionToRunning {
        self.update(|mut s| {
            assert!(s.is_notified(), "eddy: polled a task that was not notified");
            if !s.is_idle() {
                s.ref_dec();
                let action = if s.ref_count() == 0 {
                    TransitionToRunning::Dealloc
                } else {
                    TransitionToRunning::Failed
                };
                return (action, Some(s));
            }
            s.0 |= RUNNING;
            s.0 &= !NOTIFIED;
            let action = if s.is_cancelled() {
                TransitionToRunning::Cancelled
            } else {
                TransitionToRunning::Success
            };
            (action, Some(s))
        })
    }

    /// The poll returned `Pending`: release `RUNNING` unless the task was aborted meanwhile.
    pub(crate) fn transition_to_idle(&self) -> TransitionToIdle {
        self.update(|mut s| {
            debug_assert!(s.is_running());
            if s.is_cancelled() {
                return (TransitionToIdle::Cancelled, None);
            }
            s.0 &= !RUNNING;
            if s.is_notified() {
                return (TransitionToIdle::OkNotified, Some(s));
            }
            s.ref_dec();
            let action = if s.ref_count() == 0 {
                TransitionToIdle::OkDealloc
            } else {
                TransitionToIdle::Ok
            };
            (action, Some(s))
        })
    }

    /// The future is gone and the output stored: swap `RUNNING` for `COMPLETE`.
    pub(crate) fn transition_to_complete(&self) -> Snapshot {
        let delta = RUNNING | COMPLETE;
        let previous = Snapshot(self.word.fetch_xor(delta, Ordering::AcqRel));
        assert!(previous.is_running() && !previous.is_complete());
        Snapshot(previous.0 ^ delta)
    }

    /// Releases `count` references after completion; true if they were the last ones.
    pub(crate) fn transition_to_terminal(&self, count: usize) -> bool {
        let previous = Snapshot(self.word.fetch_sub(count * REF_ONE, Ordering::AcqRel));
        assert!(
            previous.ref_count() >= count,
            "eddy: task reference count underflow"
        );
        previous.ref_count() == count
    }

    /// A waker consumed by `wake`: marks the task notified, handing the waker's reference to
    /// the `Notified` to submit or releasing it.
    pub(crate) fn transition_to_notified_by_val(&self) -> TransitionToNotified {
        self.update(|mut s| {
            if s.is_running() {
                // The poller holds a reference, so this one is never the last.
                s.0 |= NOTIFIED;
                s.ref_dec();
                (TransitionToNotified::DoNothing, Some(s))
            } else if s.is_complete() || s.is_notified() {
                s.ref_dec();
                let action = if s.ref_count() == 0 {
                    TransitionToNotified::Dealloc
                } else {
                    TransitionToNotified::DoNothing
                };
                (action, Some(s))
            } else {
                s.0 |= NOTIFIED;
                (TransitionToNotified::Submit, Some(s))
            }
        })
    }

    /// `wake_by_ref`: marks the task notified, adding a reference for the `Notified` to submit.
    pub(crate) fn transition_to_notified_by_ref(&self) -> TransitionToNotified {
        self.update(|mut s| {
            if s.is_running() {
                s.0 |= NOTIFIED;
                (TransitionToNotified::DoNothing, Some(s))
            } else if s.is_complete() || s.is_notified() {
                (TransitionToNotified::DoNothing, None)
            } else {
                s.0 |= NOTIFIED;
                s.ref_inc();
                (TransitionToNotified::Submit, Some(s))
            }
        })
    }

    /// `abort`: sets `CANCELLED`; true if the caller must submit a `Notified` (whose reference
    /// this transition added) so that a scheduler drops the future.
    pub(crate) fn transition_to_notified_and_cancel(&self) -> bool {
        self.update(|mut s| {
            if s.is_cancelled() || s.is_complete() {
                (false, None)
            } else if s.is_running() || s.is_notified() {
                // The poller, or the queued `Notified`, will see the bit.
                s.0 |= CANCELLED;
                (false, Some(s))
            } else {
                s.0 |= CANCELLED | NOTIFIED;
                s.ref_inc();
                (true, Some(s))
            }
        })
    }

    /// Runtime shutdown: sets `CANCELLED`, and takes `RUNNING` if the task is idle. True if
    /// the caller took `RUNNING` and must drop the future.
    pub(crate) fn transition_to_shutdown(&self) -> bool {
        self.update(|mut s| {
            let idle = s.is_idle();
            if idle {
                s.0 |= RUNNING;
            }
            s.0 |= CANCELLED;
            (idle, Some(s))
        })
    }

    /// The `JoinHandle` is dropped. Clears `JOIN_INTEREST`, and `JOIN_WAKER` too if the task is
    /// not complete (the handle then owns the waker slot). Returns the new state.
    pub(crate) fn unset_join_interested(&self) -> Snapshot {
        self.update(|mut s| {
            assert!(s.is_join_interested());
            s.0 &= !JOIN_INTEREST;
            if !s.is_complete() {
                s.0 &= !JOIN_WAKER;
            }
            (s, Some(s))
        })
    }

    /// The `JoinHandle` stored a waker: hand the slot to the task side. Fails (with the state)
    /// if the task completed meanwhile.
    pub(crate) fn set_join_waker(&self) -> Result<Snapshot, Snapshot> {
        self.update(|mut s| {
            assert!(s.is_join_interested() && !s.is_join_waker_set());
            if s.is_complete() {
                return (Err(s), None);
            }
            s.0 |= JOIN_WAKER;
            (Ok(s), Some(s))
        })
    }

    /// The `JoinHandle` wants to replace its waker: take the slot back. Fails if the task
    /// completed (the task side may be reading the slot).
    pub(crate) fn unset_join_waker(&self) -> Result<Snapshot, Snapshot> {
        self.update(|mut s| {
            assert!(s.is_join_interested());
            if s.is_complete() {
                // The task side may already have woken the waker and cleared `JOIN_WAKER`
                // since the handle saw it set.
                return (Err(s), None);
            }
            assert!(s.is_join_waker_set());
            s.0 &= !JOIN_WAKER;
            (Ok(s), Some(s))
        })
    }

    /// The task side woke the join waker after completion and gives the slot back.
    pub(crate) fn unset_join_waker_after_complete(&self) -> Snapshot {
        let previous = Snapshot(self.word.fetch_and(!JOIN_WAKER, Ordering::AcqRel));
        debug_assert!(previous.is_complete() && previous.is_join_waker_set());
        Snapshot(previous.0 & !JOIN_WAKER)
    }

    /// Drops the `JoinHandle` of a task that was never touched since it was spawned with
    /// three references (owned list, queued `Notified`, handle). True on success.
    pub(crate) fn drop_join_handle_fast(&self) -> bool {
        self.word
            .compare_exchange(
                initial(3),
                (initial(3) - REF_ONE) & !JOIN_INTEREST,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_ok()
    }

    /// Adds a reference (a waker clone, an `AbortHandle`).
    pub(crate) fn ref_inc(&self) {
        let previous = self.word.fetch_add(REF_ONE, Ordering::Relaxed);
        // Like `Arc`: an overflowing count is a leak of billions of wakers; stop the process
        // rather than risk a use after free.
        if previous > isize::MAX as usize {
            std::process::abort();
        }
    }

    /// Releases a reference; true if it was the last one.
    pub(crate) fn ref_dec(&self) -> bool {
        let previous = Snapshot(self.word.fetch_sub(REF_ONE, Ordering::AcqRel));
        assert!(
            previous.ref_count() >= 1,
            "eddy: task reference count underflow"
        );
        previous.ref_count() == 1
    }
}

impl Snapshot {
    fn is_idle(self) -> bool {
        self.0 & (RUNNING | COMPLETE) == 0
    }

    pub(crate) fn is_running(self) -> bool {
        self.0 & RUNNING != 0
    }

    pub(crate) fn is_complete(self) -> bool {
        self.0 & COMPLETE != 0
    }

    pub(crate) fn is_notified(self) -> bool {
        self.0 & NOTIFIED != 0
    }

    pub(crate) fn is_cancelled(self) -> bool {
        self.0 & CANCELLED != 0
    }

    pub(crate) fn is_join_interested(self) -> bool {
        self.0 & JOIN_INTEREST != 0
    }

    pub(crate) fn is_join_waker_set(self) -> bool {
        self.0 & JOIN_WAKER != 0
    }

    pub(crate) fn ref_count(self) -> usize {
        self.0 >> REF_SHIFT
    }

    fn ref_dec(&mut self) {
        assert!(self.ref_count() > 0, "eddy: task reference count underflow");
        self.0 -= REF_ONE;
    }

    fn ref_inc(&mut self) {
        self.0 += REF_ONE;
    }
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.load().fmt(f)
    }
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("running", &self.is_running())
            .field("complete", &self.is_complete())
            .field("notified", &self.is_notified())
            .field("cancelled", &self.is_cancelled())
            .field("join_interested", &self.is_join_interested())
            .field("join_waker", &self.is_join_waker_set())
            .field("ref_count", &self.ref_count())
            .finish()
    }
}
