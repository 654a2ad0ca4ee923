//! A worker: the loop one thread runs to execute a share of the runtime's tasks.
//!
//! # The core
//!
//! A worker's run state is its [`Core`]: the LIFO slot, the local run queue, the parker, the
//! tick counter and the metrics. Whoever holds the core runs the worker. While a task is polled,
//! the core sits in this thread's [`LOCAL`] slot, so that the task's spawns and wakes reach the
//! local queue without a lock; `block_in_place` may take it from there and start a new thread on
//! it, in which case this thread stops being a worker once the task's poll returns.
//!
//! # One tick
//!
//! 1. Every `event_interval` ticks: poll the drivers without blocking, wake deferred tasks, check
//!    for shutdown (maintenance).
//! 2. Every `global_queue_interval` ticks: one task from the injection queue first, so remote
//!    work is not starved by local work.
//! 3. Otherwise: the LIFO slot, then the local queue, then a batch from the injection queue.
//! 4. Nothing: search (steal half of another worker's queue), then sleep.
//!
//! # A panic outside a task
//!
//! Task polls catch their own panics, but user code also runs on a worker outside any task: the
//! start and park callbacks, and wakers a driver fires while the worker is parked on it. Such a
//! panic unwinds out of the worker loop; [`run`] catches it, takes the core back and carries on
//! as the same worker on the same thread, so no queued task is lost, shutdown still counts every
//! core, and the driver keeps being driven (its lock ignores poisoning). The panic has already
//! been reported by the panic hook. To make this possible, the core is never only on the stack
//! while user code runs: it is installed in [`LOCAL`] (driver dispatch), or held by a
//! [`CoreOnUnwind`] guard that installs it there during the unwind (callbacks), and a
//! [`ParkerOnUnwind`] guard puts the parker back into it. A worker interrupted inside its park
//! loop takes itself off the sleepers as a woken worker would.
//!
//! A task run drains the LIFO slot behind it (the task it just woke, typically the other end
//! of a channel) for at most [`MAX_LIFO_POLLS`] polls; after that the LIFO task goes to the back
//! of the local queue, so two tasks ping-ponging cannot starve the rest.

use super::handle::{Handle, Notified};
use super::inject::{
    is_global_tick, tuned_global_queue_interval, MULTI_THREAD_INITIAL_GLOBAL_QUEUE_INTERVAL,
};
use super::park::Parker;
use super::queue::{self, CAPACITY};
use crate::loom::sync::Mutex;
use crate::runtime::blocking::Callback;
use crate::runtime::context::{self, DeferGuard};
use crate::runtime::metrics::{WorkerMetrics, WorkerStats};
use crate::runtime::scheduler;
use std::cell::RefCell;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;

/// Polls of LIFO-slot tasks one task run may chain before the LIFO task yields to the queue.
const MAX_LIFO_POLLS: usize = 3;

/// A worker's run state, owned by the thread that runs the worker.
pub(super) struct Core {
    index: usize,
    tick: u32,
    /// The task most recently scheduled by the running task, polled next.
    lifo_slot: Option<Notified>,
    run_queue: queue::Local<Notified>,
    is_searching: bool,
    is_shutdown: bool,
    /// Between going to sleep in `idle` and waking up from it (see `recover_core`).
    is_parked: bool,
    /// Taken out while parked (the core then sits in `LOCAL` for wakes from the driver).
    parker: Option<Parker>,
    stats: WorkerStats,
    /// Ticks between two looks at the injection queue: the builder's, or tuned (`retune`).
    global_queue_interval: u32,
    rand: FastRand,
}

/// The thread's worker slot: which runtime it works for, and its core while a task runs.
struct Local {
    handle: RefCell<Option<Arc<Handle>>>,
    core: RefCell<Option<Box<Core>>>,
}

thread_local! {
    static LOCAL: Local = const {
        Local {
            handle: RefCell::new(None),
            core: RefCell::new(None),
        }
    };
}

/// The core is gone: `block_in_place` gave it to another thread.
struct CoreLost;

impl Core {
    pub(super) fn new(
        index: usize,
        run_queue: queue::Local<Notified>,
        parker: Parker,
        global_queue_interval: Option<u32>,
    ) -> Box<Core> {
        Box::new(Core {
            index,
            tick: 0,
            lifo_slot: None,
            run_queue,
            is_searching: false,
            is_shutdown: false,
            is_parked: false,
            parker: Some(parker),
            stats: WorkerStats::new(),
            global_queue_interval: global_queue_interval
                .unwrap_or(MULTI_THREAD_INITIAL_GLOBAL_QUEUE_INTERVAL),
            rand: FastRand::new(index as u32 + 1),
        })
    }

    fn has_tasks(&self) -> bool {
        self.lifo_slot.is_some() || self.run_queue.has_tasks()
    }
}

/// Runs a worker on the current thread until shutdown, or until `block_in_place` takes its core.
pub(super) fn run(handle: Arc<Handle>, core: Box<Core>) {
    let scheduler_handle = scheduler::Handle::MultiThread(handle.clone());
    let _context = scheduler_handle.enter();
    let _runtime = context::enter_runtime();
    let defer = context::enter_scheduler_loop();
    let _slot = SlotGuard::install(&handle);
    let worker = Worker {
        handle: &handle,
        defer: &defer,
    };
    let mut after_start = handle.shared.config.after_start.clone();
    let mut next = Some(core);
    while let Some(core) = next.take() {
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            let core = run_callback(core, after_start.take().as_ref());
            worker.run(core)
        }));
        match outcome {
            Ok(Ok(mut core)) => {
                worker.shut_down_core(&mut core);
                drop(core);
                handle.core_stopped();
            }
            Ok(Err(CoreLost)) => {}
            // Reported by the panic hook already; the worker carries on with its core.
            Err(_panic) => next = worker.recover_core(),
        }
    }
}

/// Runs a worker callback (start, park, unpark), keeping the core where a panic in the callback
/// leaves it for [`run`] to take back.
fn run_callback(core: Box<Core>, callback: Option<&Callback>) -> Box<Core> {
    let Some(callback) = callback else {
        return core;
    };
    let mut guard = CoreOnUnwind(Some(core));
    callback();
    guard.0.take().expect("eddy: the core is still held")
}

/// Holds the core while user code runs without it installed; installs it in [`LOCAL`] if that
/// code unwinds.
struct CoreOnUnwind(Option<Box<Core>>);

impl Drop for CoreOnUnwind {
    fn drop(&mut self) {
        if let Some(core) = self.0.take() {
            install(core);
        }
    }
}

/// Holds the parker while the worker parks with its core installed; puts it back into the
/// installed core if the park unwinds (a panicking waker during driver dispatch).
struct ParkerOnUnwind(Option<Parker>);

impl Drop for ParkerOnUnwind {
    fn drop(&mut self) {
        let Some(parker) = self.0.take() else {
            return;
        };
        let _ = LOCAL.try_with(|local| {
            if let Ok(mut slot) = local.core.try_borrow_mut() {
                if let Some(core) = slot.as_mut() {
                    core.parker = Some(parker);
                }
            }
        });
    }
}

/// Installs the runtime in the thread's worker slot; clears it on drop.
struct SlotGuard;

impl SlotGuard {
    fn install(handle: &Arc<Handle>) -> SlotGuard {
        LOCAL.with(|local| *local.handle.borrow_mut() = Some(handle.clone()));
        SlotGuard
    }
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let _ = LOCAL.try_with(|local| {
            local.handle.borrow_mut().take();
            local.core.borrow_mut().take()
        });
    }
}

struct Worker<'a> {
    handle: &'a Arc<Handle>,
    defer: &'a DeferGuard,
}

impl Worker<'_> {
    fn run(&self, mut core: Box<Core>) -> Result<Box<Core>, CoreLost> {
        core.is_shutdown = self.handle.shared.inject.is_closed();
        core.stats.start();
        while !core.is_shutdown {
            core.tick = core.tick.wrapping_add(1);
            if core.tick % self.handle.shared.config.event_interval == 0 {
                core = self.maintenance(core);
            }
            if let Some(task) = self.next_task(&mut core) {
                core = self.run_task(task, core)?;
                continue;
            }
            if let Some(task) = self.steal_work(&mut core) {
                core = self.run_task(task, core)?;
                continue;
            }
            core = if self.defer.has_deferred() {
                self.park_on(core, true)
            } else {
                self.park(core)
            };
        }
        Ok(core)
    }

    /// Polls `task`, then up to [`MAX_LIFO_POLLS`] tasks it woke into the LIFO slot.
    fn run_task(&self, task: Notified, mut core: Box<Core>) -> Result<Box<Core>, CoreLost> {
        self.transition_from_searching(&mut core);
        let metrics = &self.handle.shared.worker_metrics[core.index];
        core = poll(task, core, metrics)?;
        for _ in 0..MAX_LIFO_POLLS {
            let Some(task) = core.lifo_slot.take() else {
                return Ok(core);
            };
            core = poll(task, core, metrics)?;
        }
        if let Some(task) = core.lifo_slot.take() {
            // The LIFO chain ran long enough: the rest of the queue goes first.
            push_back(self.handle, &mut core, task);
        }
        Ok(core)
    }

    fn next_task(&self, core: &mut Core) -> Option<Notified> {
        let shared = &self.handle.shared;
        if is_global_tick(core.tick, core.global_queue_interval) {
            if let Some(task) = shared.inject.pop() {
                return Some(task);
            }
        }
        if let Some(task) = core.lifo_slot.take() {
            return Some(task);
        }
        core.run_queue.pop().or_else(|| self.pop_inject_batch(core))
    }

    /// Takes a fair share of the injection queue: one task to run, the rest into the local queue.
    fn pop_inject_batch(&self, core: &mut Core) -> Option<Notified> {
        let shared = &self.handle.shared;
        if shared.inject.is_empty() {
            return None;
        }
        let share = shared.inject.len() / shared.remotes.len() + 1;
        let max = share
            .min(core.run_queue.remaining_slots() + 1)
            .min(CAPACITY / 2);
        let run_queue = &mut core.run_queue;
        shared
            .inject
            .pop_batch(max, |rest| run_queue.push_back_batch(rest))
    }

    /// Steals from another worker (half of its queue), else from the injection queue, if the
    /// searching limit lets this worker search.
    fn steal_work(&self, core: &mut Core) -> Option<Notified> {
        let shared = &self.handle.shared;
        if !core.is_searching {
            if !shared.idle.transition_worker_to_searching() {
                return None;
            }
            core.is_searching = true;
        }
        let workers = shared.remotes.len();
        let start = core.rand.below(workers as u32) as usize;
        for offset in 0..workers {
            let victim = (start + offset) % workers;
            if victim == core.index {
                continue;
            }
            let before = core.run_queue.len();
            if let Some(task) = shared.remotes[victim].steal.steal_into(&mut core.run_queue) {
                let stolen = core.run_queue.len() - before + 1;
                shared.worker_metrics[core.index].record_steal(stolen);
                return Some(task);
            }
        }
        self.pop_inject_batch(core)
    }

    /// A searching worker found work; if it was the last searcher, wake another to keep looking.
    fn transition_from_searching(&self, core: &mut Core) {
        if !core.is_searching {
            return;
        }
        core.is_searching = false;
        if self.handle.shared.idle.transition_worker_from_searching() {
            self.handle.notify_parked();
        }
    }

    /// Polls the drivers without blocking, wakes deferred tasks, checks for shutdown.
    fn maintenance(&self, mut core: Box<Core>) -> Box<Core> {
        core = self.park_on(core, true);
        let shared = &self.handle.shared;
        core.stats.flush(&shared.worker_metrics[core.index]);
        self.retune(&mut core);
        core.is_shutdown = shared.inject.is_closed();
        core
    }

    /// Sets the core's injection-queue interval from its mean poll time, unless the builder
    /// fixed it (called whenever the poll statistics were just flushed).
    fn retune(&self, core: &mut Core) {
        if self.handle.shared.config.global_queue_interval.is_some() {
            return;
        }
        if let Some(mean) = core.stats.mean_poll_nanos() {
            core.global_queue_interval = tuned_global_queue_interval(mean);
        }
    }

    /// Sleeps until there is work (or shutdown), running the park callbacks around it.
    fn park(&self, mut core: Box<Core>) -> Box<Core> {
        let shared = &self.handle.shared;
        core = run_callback(core, shared.config.before_park.as_ref());
        if self.transition_to_parked(&mut core) {
            core.is_parked = true;
            let metrics = &shared.worker_metrics[core.index];
            while !core.is_shutdown {
                core.stats.about_to_park(metrics);
                core = self.park_on(core, false);
                core.stats.unparked(metrics);
                core.is_shutdown = shared.inject.is_closed();
                if self.transition_from_parked(&mut core) {
                    break;
                }
            }
            core.is_parked = false;
            self.retune(&mut core);
        }
        run_callback(core, shared.config.after_unpark.as_ref())
    }

    /// Blocks on the parker (or only polls the drivers, if `poll_only`), with the core installed
    /// so that tasks woken meanwhile on this thread land in its queue.
    fn park_on(&self, mut core: Box<Core>, poll_only: bool) -> Box<Core> {
        let parker = core.parker.take();
        let mut parker = ParkerOnUnwind(parker);
        install(core);
        let driver = &self.handle.shared.driver;
        let parker_in_use = parker
            .0
            .as_mut()
            .expect("eddy: a worker parks with its parker");
        if poll_only {
            driver.poll_events();
        } else {
            parker_in_use.park(driver);
        }
        self.defer.wake_deferred();
        let mut core = uninstall().expect("eddy: parking does not give the core away");
        core.parker = parker.0.take();
        if !core.is_searching && core.run_queue.has_tasks() {
            // Tasks woken into our queue while parked: let an idle worker steal some.
            self.handle.notify_parked();
        }
        core
    }

    /// Records this worker as asleep. Returns `false` (stay awake) if it has work after all.
    fn transition_to_parked(&self, core: &mut Core) -> bool {
        if core.has_tasks() {
            return false;
        }
        let shared = &self.handle.shared;
        let was_last_searcher = shared
            .idle
            .transition_worker_to_parked(core.index, core.is_searching);
        core.is_searching = false;
        // The re-check that makes the park protocol lose no wake-up (see `idle.rs`).
        if was_last_searcher {
            self.handle.notify_if_work_pending();
        } else if !shared.inject.is_empty() {
            self.handle.notify_parked();
        }
        true
    }

    /// Whether a wake-up is for real: work in our queue, or a notifier took us off the sleepers.
    fn transition_from_parked(&self, core: &mut Core) -> bool {
        let idle = &self.handle.shared.idle;
        if core.has_tasks() {
            // Woken by the driver with tasks for us. If a notifier had already taken us off the
            // sleepers, it counted us as searching.
            core.is_searching = !idle.unpark_worker_by_id(core.index);
            return true;
        }
        if idle.is_parked(core.index) {
            return false;
        }
        core.is_searching = true;
        true
    }

    /// Takes the core back after a panic unwound out of the worker loop: from [`LOCAL`], where
    /// the loop keeps it while user code runs. A park the panic interrupted ends as if the worker
    /// had woken: still listed as a sleeper, it takes itself off; taken off by a notifier, it
    /// counts as searching, as the notifier recorded. `None` if `block_in_place` gave the core
    /// away before the panic.
    fn recover_core(&self) -> Option<Box<Core>> {
        let mut core = uninstall()?;
        if std::mem::take(&mut core.is_parked) {
            core.is_searching = !self.handle.shared.idle.unpark_worker_by_id(core.index);
        }
        Some(core)
    }

    /// Drops the tasks left in the core's queues (shutdown cancels their futures).
    fn shut_down_core(&self, core: &mut Core) {
        let metrics = &self.handle.shared.worker_metrics[core.index];
        core.stats.flush(metrics);
        drop(core.lifo_slot.take());
        while let Some(task) = core.run_queue.pop() {
            drop(task);
        }
    }
}

/// Polls `task` with `core` installed for its wakes and spawns, counting the poll. Fails if
/// the task gave the core away (`block_in_place`).
fn poll(
    task: Notified,
    mut core: Box<Core>,
    metrics: &WorkerMetrics,
) -> Result<Box<Core>, CoreLost> {
    core.stats.start_poll(metrics);
    install(core);
    task.run();
    let mut core = uninstall().ok_or(CoreLost)?;
    core.stats.end_poll(metrics);
    Ok(core)
}

/// Queues `task` at the back of the core's local queue, counting an overflow if the queue is
/// full (half of it then moves to the injection queue).
fn push_back(handle: &Handle, core: &mut Core, task: Notified) {
    if core.run_queue.remaining_slots() == 0 {
        handle.shared.worker_metrics[core.index].record_overflow();
    }
    core.run_queue
        .push_back_or_overflow(task, &handle.shared.inject);
}

fn install(core: Box<Core>) {
    LOCAL.with(|local| *local.core.borrow_mut() = Some(core));
}

fn uninstall() -> Option<Box<Core>> {
    LOCAL.with(|local| local.core.borrow_mut().take())
}

/// Queues `task` on the current worker if this thread is one of `handle`'s workers holding its
/// core; gives the task back otherwise.
pub(super) fn schedule_local(
    handle: &Arc<Handle>,
    task: Notified,
    is_yield: bool,
) -> Option<Notified> {
    let mut task = Some(task);
    let _ = LOCAL.try_with(|local| {
        let owner = local.handle.borrow();
        if !owner
            .as_ref()
            .is_some_and(|owner| Arc::ptr_eq(owner, handle))
        {
            return;
        }
        // `try_borrow_mut`: a task dropped inside a queue operation may wake another; that
        // nested wake goes through the injection queue.
        let Ok(mut slot) = local.core.try_borrow_mut() else {
            return;
        };
        let Some(core) = slot.as_mut() else {
            return;
        };
        if let Some(task) = task.take() {
            push_local(handle, core, task, is_yield);
        }
    });
    task
}

/// The LIFO slot takes a fresh wake; the task it displaces, or a yielding task, goes to the back
/// of the local queue. Work that others could steal wakes an idle worker (unless we are parked
/// right now, in which case we notify after the park).
fn push_local(handle: &Handle, core: &mut Core, task: Notified, is_yield: bool) {
    handle.shared.worker_metrics[core.index].record_local_schedule();
    let displaced = if is_yield {
        Some(task)
    } else {
        core.lifo_slot.replace(task)
    };
    let Some(displaced) = displaced else {
        return;
    };
    push_back(handle, core, displaced);
    if core.parker.is_some() {
        handle.notify_parked();
    }
}

/// The index of the worker whose core this thread holds (it is polling a task or parked as
/// that worker).
pub(crate) fn current_index() -> Option<usize> {
    LOCAL
        .try_with(|local| Some(local.core.try_borrow().ok()?.as_ref()?.index))
        .ok()
        .flatten()
}

/// A core on its way to a new worker thread, which takes it out when it starts. Until then the
/// starter can take it back (the thread could not be started).
pub(super) type CoreSlot = Arc<Mutex<Option<Box<Core>>>>;

/// A slot holding `core`.
pub(super) fn core_slot(core: Box<Core>) -> CoreSlot {
    Arc::new(Mutex::new(Some(core)))
}

/// For `block_in_place`: hands this thread's core to a new worker thread. If the thread cannot
/// be started, or the user's `thread_name_fn` panics, the core goes back into this thread's slot
/// with all its tasks, and the error (or the panic) reaches the caller. Does nothing when this
/// thread is not a worker holding its core.
pub(super) fn hand_off_core() -> io::Result<()> {
    let Some((handle, core)) = take_core() else {
        return Ok(());
    };
    let slot = core_slot(core);
    let mut reclaim = ReclaimCore(Some(&slot));
    handle.spawn_worker_thread(&slot)?;
    // Started: the core is the new thread's, taken or not yet.
    reclaim.0 = None;
    Ok(())
}

/// Puts a core whose new thread did not start back into this thread's slot.
struct ReclaimCore<'a>(Option<&'a CoreSlot>);

impl Drop for ReclaimCore<'_> {
    fn drop(&mut self) {
        if let Some(core) = self.0.and_then(|slot| slot.lock().take()) {
            install(core);
        }
    }
}

/// Takes the current worker's core so `block_in_place` can hand it to a new thread. `None` when
/// this thread is not a multi-thread worker holding its core.
fn take_core() -> Option<(Arc<Handle>, Box<Core>)> {
    LOCAL
        .try_with(|local| {
            let handle = local.handle.borrow().clone()?;
            let core = local.core.borrow_mut().take()?;
            Some((handle, core))
        })
        .ok()
        .flatten()
}

/// A xorshift generator for picking steal victims.
#[derive(Debug)]
struct FastRand(u32);

impl FastRand {
    fn new(seed: u32) -> FastRand {
        FastRand(seed.max(1))
    }

    /// A number in `0..bound`.
    fn below(&mut self, bound: u32) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        ((u64::from(x) * u64::from(bound)) >> 32) as u32
    }
}
