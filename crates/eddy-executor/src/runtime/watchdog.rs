//! The stuck-poll watchdog: finds a poll that has run past `slow_poll_threshold` while it is
//! still running, and keeps the check for slow polls off the per-poll clock.
//!
//! Every thread that polls a runtime's tasks owns a [`PollSlot`], registered with the runtime's
//! [`Watch`] on the thread's first poll and found again through a thread-local. A poll writes
//! three words into its slot and reads one shared counter, and no read-modify-write: the task's
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
//!
//! The watchdog thread holds the runtime's scheduler only weakly and exits on the first tick
//! after the runtime is gone.

use super::dump::Dump;
use super::scheduler;
use super::task_hooks::{SlowPoll, TaskHooks};
use crate::task::poll_clock;
use crate::task::Id;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{fence, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

/// The watchdog's tick, as a part of the threshold.
const TICKS_PER_THRESHOLD: u32 = 4;
/// The shortest and the longest tick.
const TICK_BOUNDS: (Duration, Duration) = (Duration::from_millis(1), Duration::from_millis(100));

thread_local! {
    /// The slot this thread writes its polls into, for the runtime it last polled for.
    static SLOT: RefCell<Option<Arc<PollSlot>>> = const { RefCell::new(None) };
}

/// A runtime's side of the watchdog: the threshold, the tick counter and the polling threads'
/// slots.
#[derive(Debug)]
pub(crate) struct Watch {
    threshold: Duration,
    ticks: AtomicU64,
    slots: Mutex<Vec<Weak<PollSlot>>>,
}

/// What one polling thread's current poll is; written by that thread only.
#[derive(Debug)]
struct PollSlot {
    /// The `Watch` this slot belongs to, as an address (compared, never dereferenced).
    owner: usize,
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
pub(crate) struct PollStart {
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
    pub(crate) fn new(threshold: Duration) -> Watch {
        Watch {
            threshold,
            ticks: AtomicU64::new(0),
            slots: Mutex::new(Vec::new()),
        }
    }

    /// Time between two looks at the slots.
    fn tick(&self) -> Duration {
        (self.threshold / TICKS_PER_THRESHOLD).clamp(TICK_BOUNDS.0, TICK_BOUNDS.1)
    }

    /// Publishes that this thread started polling `task` at `started` (a poll-clock reading).
    #[inline]
    pub(crate) fn poll_started(&self, task: Id, started: u64) -> PollStart {
        let tick = self.ticks.load(Ordering::Relaxed);
        let _ = SLOT.try_with(|slot| {
            let mut slot = slot.borrow_mut();
            if !matches!(&*slot, Some(current) if current.owner == self.address()) {
                *slot = Some(self.register());
            }
            if let Some(slot) = &*slot {
                slot.start(task, started);
            }
        });
        PollStart { started, tick }
    }

    /// Publishes that this thread's poll ended; returns its report if it was slow.
    #[inline]
    pub(crate) fn poll_ended(&self, start: PollStart) -> Option<SlowPoll> {
        let worker = SLOT
            .try_with(|slot| match &*slot.borrow() {
                Some(slot) if slot.owner == self.address() => slot.end(),
                _ => None,
            })
            .ok()
            .flatten();
        if self.ticks.load(Ordering::Relaxed) == start.tick {
            return None;
        }
        let took = poll_clock::between(start.started, poll_clock::precise());
        (took > self.threshold).then(|| SlowPoll::finished(took, worker))
    }

    fn address(&self) -> usize {
        self as *const Watch as usize
    }

    /// A slot for the calling thread.
    #[cold]
    fn register(&self) -> Arc<PollSlot> {
        let slot = Arc::new(PollSlot {
            owner: self.address(),
            worker: scheduler::worker_index(),
            sequence: AtomicU64::new(0),
            task: AtomicU64::new(0),
            started: AtomicU64::new(0),
            reported: AtomicU64::new(0),
        });
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.retain(|slot| slot.strong_count() > 0);
        slots.push(Arc::downgrade(&slot));
        slot
    }

    /// The live slots, without holding the lock while they are looked at.
    fn live_slots(&self) -> Vec<Arc<PollSlot>> {
        let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.iter().filter_map(Weak::upgrade).collect()
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

/// Starts the watchdog thread of a runtime whose hooks watch polls.
pub(crate) fn start(hooks: Arc<TaskHooks>, scheduler: scheduler::WeakHandle) {
    let Some(watch) = hooks.watch().cloned() else {
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("eddy-watchdog".to_owned())
        .spawn(move || run(&watch, &hooks, &scheduler));
    // Without the thread, slow polls still are reported when they end, as long as the tick
    // counter moves; it does not, so they are not: say so once instead of failing the build.
    if let Err(error) = spawned {
        eprintln!("eddy: no stuck-poll watchdog, its thread did not start: {error}");
    }
}

/// The watchdog thread: ticks, and reports polls running past the threshold, until the
/// runtime is gone.
fn run(watch: &Watch, hooks: &TaskHooks, scheduler: &scheduler::WeakHandle) {
    loop {
        std::thread::sleep(watch.tick());
        watch.ticks.fetch_add(1, Ordering::Relaxed);
        let Some(scheduler) = scheduler.upgrade() else {
            return;
        };
        let now = poll_clock::precise();
        for slot in watch.live_slots() {
            let Some(poll) = slot.running() else {
                continue;
            };
            let so_far = poll_clock::between(poll.started, now);
            if so_far > watch.threshold && slot.reported.load(Ordering::Relaxed) != poll.sequence {
                slot.reported.store(poll.sequence, Ordering::Relaxed);
                // A panicking callback must not end the watching.
                let report =
                    || report_stuck(hooks, &scheduler.dump(), poll.task, so_far, slot.worker);
                let _ = panic::catch_unwind(AssertUnwindSafe(report));
            }
        }
    }
}

/// Reports the stuck poll of `task`, if the task is still in the runtime's list.
fn report_stuck(hooks: &TaskHooks, dump: &Dump, task: Id, so_far: Duration, worker: Option<usize>) {
    if let Some(task) = dump.find(task) {
        hooks.report_slow_poll(&task.meta(), &SlowPoll::stuck(so_far, worker));
    }
}
