//! The polls a runtime's watchdog looks at: finds a poll that has run past
//! `slow_poll_threshold` while it is still running, and keeps the check for slow polls off the
//! per-poll clock. The watchdog thread that ticks and reports (`runtime/watchdog_thread.rs`)
//! sits above the schedulers; this part, which every poll goes through, sits in the task layer
//! below the hooks that call it, with the [`SlowPoll`] report that both deliver.
//!
//! Every thread that polls a runtime's tasks has a [`PollSlot`] in the runtime's [`Watch`],
//! made on the thread's first poll for that runtime and kept as long as the watch (a few dozen
//! bytes per thread that ever polled), and found again through a thread-local holding the
//! watch's id and the slot's address. A poll writes three words into its slot and reads one
//! shared counter, with no read-modify-write: the task's
//! id and the poll's start (the stamp the task's poll statistics took anyway, so no extra clock
//! read) and then the slot's sequence word, odd while a poll runs. The watchdog thread wakes
//! every quarter of the threshold (between 1 and 100 ms), bumps the shared tick counter and reads
//! each slot like a seqlock: the sequence, the data, an acquire fence, the sequence again; equal
//! and odd means the data belong to the poll still running. A poll that has run past the
//! threshold is reported once (the slot remembers the sequence it last reported), with the
//! task's name and spawn location looked up in the runtime's task list, which only the watchdog
//! reads and only for that report.
//!
//! The end of a poll compares the tick counter with its value at the start: if the watchdog did
//! not tick in between, the poll lasted less than a tick, so less than the threshold, and no
//! clock is read. Otherwise the precise clock is read once and a poll over the threshold is
//! reported as slow. Both reports depend on the watchdog thread getting the CPU: on a machine
//! too overloaded to run it for a whole threshold, a poll just over the threshold can go
//! unreported.
//!
//! The slot's words are std atomics even under loom, like the poll statistics: nothing
//! synchronizes on them, a torn read is caught by the sequence, and modelling them would only
//! multiply loom's interleavings.

use super::poll_clock;
use super::Id;
use std::cell::Cell;
use std::sync::atomic::{fence, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A poll that ran past
/// [`Builder::slow_poll_threshold`](crate::runtime::Builder::slow_poll_threshold), as the
/// [`on_slow_poll`](crate::runtime::Builder::on_slow_poll) callback receives it.
///
/// A poll is reported while it is still running, once, as soon as the watchdog sees it past
/// the threshold ([`is_stuck`](Self::is_stuck) is `true`, the duration is how long so far);
/// and when it returns, with its whole length (`is_stuck` is `false`). A poll that returns
/// before the watchdog sees it gets only the second report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlowPoll {
    duration: Duration,
    worker: Option<usize>,
    stuck: bool,
}

impl SlowPoll {
    pub(crate) fn finished(duration: Duration, worker: Option<usize>) -> SlowPoll {
        SlowPoll {
            duration,
            worker,
            stuck: false,
        }
    }

    pub(crate) fn stuck(so_far: Duration, worker: Option<usize>) -> SlowPoll {
        SlowPoll {
            duration: so_far,
            worker,
            stuck: true,
        }
    }

    /// How long the poll took, or, for a poll still running, how long it has run so far.
    /// Measured from the poll's start on the kernel's coarse clock, so it can read up to one
    /// kernel tick (1 to 4 ms) long.
    pub fn duration(&self) -> Duration {
        self.duration
    }

    /// The worker that runs the poll (see [`worker_index`](crate::runtime::worker_index)), or
    /// `None` for a thread that is no worker.
    pub fn worker(&self) -> Option<usize> {
        self.worker
    }

    /// Whether the poll was still running when reported.
    pub fn is_stuck(&self) -> bool {
        self.stuck
    }
}

/// The watchdog's tick, as a part of the threshold.
const TICKS_PER_THRESHOLD: u32 = 4;
/// The shortest and the longest tick.
const TICK_BOUNDS: (Duration, Duration) = (Duration::from_millis(1), Duration::from_millis(100));

thread_local! {
    /// The id of the `Watch` this thread last polled for, and its slot there. A plain pair
    /// without a destructor, so that reading it costs no lazy-initialization check; the slot
    /// is owned by that watch, which is why the id is compared before the pointer is used.
    static SLOT: Cell<(u64, *const PollSlot)> = const { Cell::new((0, std::ptr::null())) };
}

/// A runtime's side of the watchdog: the threshold, the tick counter and the polling threads'
/// slots.
#[derive(Debug)]
pub(crate) struct Watch {
    /// Unique in the process (never 0), unlike an address, which a later watch may reuse.
    id: u64,
    threshold: Duration,
    ticks: AtomicU64,
    /// One per thread that ever polled for the runtime; never removed while the watch lives.
    slots: Mutex<Vec<Arc<PollSlot>>>,
    /// The worker the calling thread runs as (the schedulers' `worker_index`, handed in since
    /// they sit above this layer); read once per thread, when it registers.
    worker_index: fn() -> Option<usize>,
}

/// What one polling thread's current poll is; written by that thread only.
#[derive(Debug)]
struct PollSlot {
    /// The worker the thread ran as when it registered.
    worker: Option<usize>,
    /// Twice the number of polls started, plus one while a poll runs.
    sequence: AtomicU64,
    task: AtomicU64,
    started: AtomicU64,
    /// The sequence of the last poll reported stuck; the watchdog's alone.
    reported: AtomicU64,
}

/// What the start of a poll hands to its end.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PollStart<'a> {
    slot: Option<&'a PollSlot>,
    started: u64,
    tick: u64,
}

/// A running poll as the watchdog read it.
struct Running {
    sequence: u64,
    task: Id,
    started: u64,
}

impl Watch {
    pub(crate) fn new(threshold: Duration, worker_index: fn() -> Option<usize>) -> Watch {
        // A std atomic even under loom, like the task-id counter: it only hands out numbers.
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Watch {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            threshold,
            ticks: AtomicU64::new(0),
            slots: Mutex::new(Vec::new()),
            worker_index,
        }
    }

    /// Time between two looks at the slots.
    pub(crate) fn tick(&self) -> Duration {
        (self.threshold / TICKS_PER_THRESHOLD).clamp(TICK_BOUNDS.0, TICK_BOUNDS.1)
    }

    /// Publishes that this thread started polling `task` at `started` (a poll-clock reading).
    #[inline]
    pub(crate) fn poll_started(&self, task: Id, started: u64) -> PollStart<'_> {
        let tick = self.ticks.load(Ordering::Relaxed);
        let slot = SLOT.try_with(|current| self.slot_of_thread(current)).ok();
        if let Some(slot) = slot {
            slot.start(task, started);
        }
        PollStart {
            slot,
            started,
            tick,
        }
    }

    /// Publishes that this thread's poll ended; returns its report if it was slow.
    #[inline]
    pub(crate) fn poll_ended(&self, start: PollStart<'_>) -> Option<SlowPoll> {
        let worker = start.slot.and_then(PollSlot::end);
        if self.ticks.load(Ordering::Relaxed) == start.tick {
            return None;
        }
        let took = poll_clock::between(start.started, poll_clock::precise());
        (took > self.threshold).then(|| SlowPoll::finished(took, worker))
    }

    /// This thread's slot in this watch, registered on the thread's first poll for it.
    #[inline]
    fn slot_of_thread(&self, current: &Cell<(u64, *const PollSlot)>) -> &PollSlot {
        let (id, slot) = current.get();
        if id != self.id {
            return self.register(current);
        }
        // SAFETY: the id is this watch's, so the pointer was stored by `register` of this watch
        // (ids are never reused) and points into an `Arc` that `self.slots` holds until the
        // watch is dropped; the returned reference borrows `self`, so it cannot outlive that.
        unsafe { &*slot }
    }

    /// A slot for the calling thread, which becomes its current one.
    #[cold]
    fn register(&self, current: &Cell<(u64, *const PollSlot)>) -> &PollSlot {
        let slot = Arc::new(PollSlot {
            worker: (self.worker_index)(),
            sequence: AtomicU64::new(0),
            task: AtomicU64::new(0),
            started: AtomicU64::new(0),
            reported: AtomicU64::new(0),
        });
        let pointer = Arc::as_ptr(&slot);
        current.set((self.id, pointer));
        self.slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(slot);
        // SAFETY: the `Arc` just pushed stays in `self.slots` until the watch is dropped (slots
        // are never removed), and the reference borrows `self`.
        unsafe { &*pointer }
    }

    /// The slots, without holding the lock while they are looked at.
    fn slots(&self) -> Vec<Arc<PollSlot>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Counts one tick of the watchdog: a poll that sees the count move since its start may
    /// have been slow.
    pub(crate) fn count_tick(&self) {
        self.ticks.fetch_add(1, Ordering::Relaxed);
    }

    /// Calls `report` with the task, the time so far and the worker of each poll now running
    /// past the threshold that was not reported yet, and marks it reported.
    pub(crate) fn for_each_stuck(&self, mut report: impl FnMut(Id, Duration, Option<usize>)) {
        let now = poll_clock::precise();
        for slot in self.slots() {
            let Some(poll) = slot.running() else {
                continue;
            };
            let so_far = poll_clock::between(poll.started, now);
            if so_far > self.threshold && slot.reported.load(Ordering::Relaxed) != poll.sequence {
                slot.reported.store(poll.sequence, Ordering::Relaxed);
                report(poll.task, so_far, slot.worker);
            }
        }
    }
}

impl PollSlot {
    #[inline]
    fn start(&self, task: Id, started: u64) {
        let idle = self.sequence.load(Ordering::Relaxed);
        // Orders the data stores after the even (idle) sequence stored at the last poll's end,
        // for a reader whose acquire fence sees either of them.
        fence(Ordering::Release);
        self.task.store(task.as_u64(), Ordering::Relaxed);
        self.started.store(started, Ordering::Relaxed);
        self.sequence.store(idle | 1, Ordering::Release);
    }

    /// Marks the poll over; returns the worker the slot reports as.
    #[inline]
    fn end(&self) -> Option<usize> {
        let running = self.sequence.load(Ordering::Relaxed);
        self.sequence.store((running | 1) + 1, Ordering::Relaxed);
        self.worker
    }

    /// The poll running in this slot, if one is and the data read belong to it.
    fn running(&self) -> Option<Running> {
        let sequence = self.sequence.load(Ordering::Acquire);
        if sequence & 1 == 0 {
            return None;
        }
        let task = self.task.load(Ordering::Relaxed);
        let started = self.started.load(Ordering::Relaxed);
        fence(Ordering::Acquire);
        let unchanged = self.sequence.load(Ordering::Relaxed) == sequence;
        let task = Id::from_u64(task)?;
        unchanged.then_some(Running {
            sequence,
            task,
            started,
        })
    }
}
