//! Which workers are awake, which are searching for work, and which to wake when work appears.
//!
//! # State
//!
//! One `AtomicUsize` packs two counters so that both change in a single read-modify-write:
//!
//! * `searching` (low [`SEARCHING_BITS`] bits): workers that have run out of local work and are
//!   looking through the injection queue and the other workers' queues.
//! * `unparked` (the high bits): workers not asleep (running tasks or searching).
//!
//! `sleepers` lists the indices of sleeping workers; it is only touched under its lock, and the
//! counters change under the same lock whenever a worker goes to sleep or is woken, so the list
//! and the counters agree.
//!
//! # Rules
//!
//! * At most about half of the workers search at once ([`Idle::transition_worker_to_searching`]
//!   refuses when `2 * searching >= workers`), so a burst of wake-ups does not send every idle
//!   worker hammering the same queues.
//! * New work wakes a sleeper only when nobody is searching and somebody sleeps
//!   ([`Idle::worker_to_notify`]); the woken worker starts out searching. Waking a task on an idle
//!   runtime therefore unparks exactly one worker, and a wake-up while a worker is already
//!   searching costs one atomic load, no lock and no system call.
//! * A searcher that finds work and was the last searcher wakes another worker
//!   ([`Idle::transition_worker_from_searching`] returns `true`): there may be more work, and now
//!   nobody is looking for it.
//!
//! # No lost wake-up
//!
//! A notifier makes its work visible (a queue push), issues a `SeqCst` fence, then reads the
//! state. A worker going to sleep changes the state with a `SeqCst` read-modify-write
//! ([`Idle::transition_worker_to_parked`]), issues a `SeqCst` fence, then re-checks the injection
//! queue (and, if it was the last searcher, every worker's local queue) before it blocks. With
//! both fences sequentially consistent, either the notifier sees the worker's state change (and
//! wakes a sleeper) or the worker sees the work (and wakes itself back up with
//! [`Idle::unpark_worker_by_id`]). A notifier that saw a searcher relies on that searcher: if it
//! gives up it is the last searcher and re-checks every queue; if it finds work it wakes the next
//! worker. Local queues of sleeping workers are always empty (only the owner pushes to them), so
//! the injection queue is the only place work can wait for a sleeping runtime.

use crate::loom::sync::atomic::{fence, AtomicUsize, Ordering};
use crate::loom::sync::Mutex;
use std::fmt;

/// Bits of the state word that count searching workers.
const SEARCHING_BITS: u32 = 16;
const SEARCHING_MASK: usize = (1 << SEARCHING_BITS) - 1;
/// The most workers the state word can count.
pub(crate) const MAX_WORKERS: usize = SEARCHING_MASK - 1;
/// One unparked worker, in the state word's units.
const ONE_UNPARKED: usize = 1 << SEARCHING_BITS;
/// One searching worker, in the state word's units.
const ONE_SEARCHING: usize = 1;

/// The idle bookkeeping of a multi-thread runtime's workers.
pub(crate) struct Idle {
    state: AtomicUsize,
    sleepers: Mutex<Vec<usize>>,
    num_workers: usize,
}

fn searching(state: usize) -> usize {
    state & SEARCHING_MASK
}

fn unparked(state: usize) -> usize {
    state >> SEARCHING_BITS
}

impl Idle {
    /// Bookkeeping for `num_workers` workers, all awake and none searching.
    pub(crate) fn new(num_workers: usize) -> Idle {
        assert!(
            (1..=MAX_WORKERS).contains(&num_workers),
            "eddy: worker_threads must be between 1 and {MAX_WORKERS}"
        );
        Idle {
            state: AtomicUsize::new(num_workers * ONE_UNPARKED),
            sleepers: Mutex::new(Vec::with_capacity(num_workers)),
            num_workers,
        }
    }

    /// Called after making new work visible. Returns the index of a sleeping worker to wake, or
    /// `None` when a worker is already searching or nobody sleeps. The returned worker has been
    /// counted as unparked and searching.
    pub(crate) fn worker_to_notify(&self) -> Option<usize> {
        if !self.notify_should_wake_up() {
            return None;
        }
        let mut sleepers = self.sleepers.lock();
        // Re-check under the lock: another notifier may have woken the last sleeper meanwhile.
        if !self.notify_should_wake_up() {
            return None;
        }
        self.state
            .fetch_add(ONE_UNPARKED | ONE_SEARCHING, Ordering::SeqCst);
        sleepers.pop()
    }

    fn notify_should_wake_up(&self) -> bool {
        // Orders the caller's queue push before the state read (see "No lost wake-up").
        fence(Ordering::SeqCst);
        let state = self.state.load(Ordering::SeqCst);
        searching(state) == 0 && unparked(state) < self.num_workers
    }

    /// Asks to start searching. Refused when at least half of the workers already search.
    pub(crate) fn transition_worker_to_searching(&self) -> bool {
        let state = self.state.load(Ordering::SeqCst);
        if 2 * searching(state) >= self.num_workers {
            return false;
        }
        // Racing workers may overshoot the half by a few; the limit only needs to be approximate.
        self.state.fetch_add(ONE_SEARCHING, Ordering::SeqCst);
        true
    }

    /// A searching worker found work. Returns `true` if it was the last searcher, in which case
    /// the caller must wake another worker (via [`worker_to_notify`](Idle::worker_to_notify)).
    pub(crate) fn transition_worker_from_searching(&self) -> bool {
        let previous = self.state.fetch_sub(ONE_SEARCHING, Ordering::SeqCst);
        debug_assert!(searching(previous) > 0);
        searching(previous) == 1
    }

    /// Records `worker` as asleep. Returns `true` if it was the last searcher: the caller must
    /// then re-check every queue before blocking. In every case the caller re-checks the
    /// injection queue (see "No lost wake-up").
    pub(crate) fn transition_worker_to_parked(&self, worker: usize, is_searching: bool) -> bool {
        let mut sleepers = self.sleepers.lock();
        let delta = if is_searching {
            ONE_UNPARKED | ONE_SEARCHING
        } else {
            ONE_UNPARKED
        };
        let previous = self.state.fetch_sub(delta, Ordering::SeqCst);
        sleepers.push(worker);
        drop(sleepers);
        // Orders the state change before the caller's re-check of the queues.
        fence(Ordering::SeqCst);
        is_searching && searching(previous) == 1
    }

    /// Wakes `worker` if it is recorded as asleep (it then counts as unparked, not searching).
    /// Returns whether it was asleep. Used when a worker finds work during its pre-sleep re-check,
    /// and at shutdown.
    pub(crate) fn unpark_worker_by_id(&self, worker: usize) -> bool {
        let mut sleepers = self.sleepers.lock();
        match sleepers.iter().position(|&sleeper| sleeper == worker) {
            Some(index) => {
                sleepers.swap_remove(index);
                self.state.fetch_add(ONE_UNPARKED, Ordering::SeqCst);
                true
            }
            None => false,
        }
    }

    /// Whether `worker` is recorded as asleep. A worker woken spuriously checks this before it
    /// leaves its park loop.
    pub(crate) fn is_parked(&self, worker: usize) -> bool {
        self.sleepers.lock().contains(&worker)
    }

    /// Workers currently searching (a snapshot).
    pub(crate) fn num_searching(&self) -> usize {
        searching(self.state.load(Ordering::SeqCst))
    }

    /// Workers currently awake (a snapshot).
    pub(crate) fn num_unparked(&self) -> usize {
        unparked(self.state.load(Ordering::SeqCst))
    }
}

impl fmt::Debug for Idle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Idle")
            .field("searching", &self.num_searching())
            .field("unparked", &self.num_unparked())
            .field("workers", &self.num_workers)
            .finish()
    }
}
