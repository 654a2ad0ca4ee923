//! The current-thread scheduler: every task runs on the thread that calls `block_on`.
//!
//! The run queue has two halves:
//!
//! * the local queue, a `VecDeque` in a thread-local slot installed while a thread drives the
//!   runtime ([`CoreGuard`]). Wakes and spawns on that thread push here without a lock, and
//!   tell the time driver there is work (a wake from inside the driver's park, by an I/O event,
//!   must keep a paused clock from auto-advancing past the woken task).
//! * the inject queue, behind a mutex, for wakes and spawns from other threads (or while nobody
//!   drives the runtime). Pushing there unparks the driver.
//!
//! The driving thread owns the [`Core`] (the driver and the local queue while it is not
//! installed). Its loop: poll the `block_on` future when its waker fired, run up to
//! `event_interval` tasks (taking from the inject queue first every `global_queue_interval` ticks
//! so remote work is not starved), then poll the drivers without blocking and wake the tasks that
//! `yield_now` deferred. With nothing to run it parks on the driver stack, between the
//! `on_thread_park` and `on_thread_unpark` callbacks; if there is work after all (the first
//! callback spawned a task) it only polls the drivers without blocking. A woken `block_on`
//! future is polled again at once, the drivers with it at least every `event_interval` ticks, so
//! timers and I/O still make progress under a future that always wakes itself.
//!
//! A scheduler built for a `LocalRuntime` records its owner thread (`local_owner`) and also
//! accepts `!Send` futures, spawned on that thread only. That is sound because such a runtime
//! is `!Send` and `!Sync`: only its owner can call `block_on` (the only way to take the core and
//! poll tasks) or drop it (the only way to cancel its tasks), so every poll and every drop of a
//! local future happens on the owner. Other threads only hold wakers and handles, as with
//! `LocalSet`.

use crate::loom::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use crate::loom::sync::Mutex;
use crate::runtime::blocking::Callback;
use crate::runtime::config::Config;
use crate::runtime::context::{self, DeferGuard};
use crate::runtime::driver::Driver;
use crate::runtime::dump::Dump;
use crate::runtime::metrics::{WorkerMetrics, WorkerStats};
use crate::runtime::scheduler::RuntimeServices;
use crate::runtime::task::hooks::TaskHooks;
use crate::runtime::task::list::OwnedTasks;
use crate::runtime::task::{self, Id, JoinHandle, Schedule, SpawnMeta, Task};
use crate::runtime::thread_park;
use eddy_core::park::{Park, Unparker};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::{pin, Pin};
use std::ptr;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, ThreadId};

/// Every this many ticks the inject queue goes before the local one, unless
/// `Builder::global_queue_interval` says otherwise.
pub(crate) const CURRENT_THREAD_GLOBAL_QUEUE_INTERVAL: u32 = 31;

type Notified = task::Notified<Arc<Handle>>;

/// The part of the scheduler the `Runtime` owns.
pub(crate) struct CurrentThread {
    /// Free while no thread drives the runtime.
    core: Mutex<Option<Box<Core>>>,
    /// Threads in `block_on` waiting for the core, unparked when it is given back.
    core_waiters: Mutex<CoreWaiters>,
}

/// What the driving thread owns.
struct Core {
    tasks: VecDeque<Notified>,
    driver: Driver,
    tick: u32,
    /// The tick at which the drivers were last polled or parked on.
    drivers_polled_at: u32,
    stats: WorkerStats,
}

/// The shared half of the scheduler, reachable from every task and waker.
pub(crate) struct Handle {
    inject: Mutex<Inject>,
    /// Length of the inject queue, read without the lock to skip it when empty.
    inject_len: AtomicUsize,
    owned: OwnedTasks<Arc<Handle>>,
    /// Set when the `block_on` future's waker fires.
    woken: AtomicBool,
    spawned: AtomicU64,
    /// Tasks pushed on the inject queue (the runtime's `remote_schedule_count`).
    remote_scheduled: AtomicU64,
    metrics: WorkerMetrics,
    /// Every this many ticks the inject queue goes before the local one.
    global_queue_interval: u32,
    /// The thread that owns the `LocalRuntime` this scheduler belongs to, if it is one.
    local_owner: Option<ThreadId>,
    /// Tasks run between two looks at the drivers.
    event_interval: u32,
    before_park: Option<Callback>,
    after_unpark: Option<Callback>,
    pub(crate) services: RuntimeServices,
}

struct Inject {
    queue: VecDeque<Notified>,
    closed: bool,
}

/// The local queue of the scheduler this thread drives, if any.
struct Local {
    owner: Cell<*const Handle>,
    queue: RefCell<VecDeque<Notified>>,
}

crate::loom::thread_local! {
    static LOCAL: Local = const {
        Local {
            owner: Cell::new(ptr::null()),
            queue: RefCell::new(VecDeque::new()),
        }
    };
}

impl CurrentThread {
    /// Builds the scheduler from the runtime's `config`, of which it uses the global-queue and
    /// event intervals, the park callbacks, the histogram and the `LocalRuntime` owner; the
    /// worker-thread settings are the multi-thread flavor's.
    pub(crate) fn new(
        config: Config,
        driver: Driver,
        services: RuntimeServices,
    ) -> (CurrentThread, Arc<Handle>) {
        let handle = Arc::new(Handle {
            inject: Mutex::new(Inject {
                queue: VecDeque::new(),
                closed: false,
            }),
            inject_len: AtomicUsize::new(0),
            owned: OwnedTasks::new(),
            woken: AtomicBool::new(false),
            spawned: AtomicU64::new(0),
            remote_scheduled: AtomicU64::new(0),
            metrics: WorkerMetrics::new(config.poll_time_histogram),
            global_queue_interval: config
                .global_queue_interval
                .unwrap_or(CURRENT_THREAD_GLOBAL_QUEUE_INTERVAL),
            local_owner: config.local_owner,
            event_interval: config.event_interval,
            before_park: config.before_park,
            after_unpark: config.after_unpark,
            services,
        });
        let core = Box::new(Core {
            tasks: VecDeque::new(),
            driver,
            tick: 0,
            drivers_polled_at: 0,
            stats: WorkerStats::new(),
        });
        let scheduler = CurrentThread {
            core: Mutex::new(Some(core)),
            core_waiters: Mutex::new(CoreWaiters::default()),
        };
        (scheduler, handle)
    }

    /// Drives the runtime until `future` completes. If another thread drives it, polls
    /// `future` here meanwhile and takes over the core once it is free.
    pub(crate) fn block_on<F: Future>(&self, handle: &Arc<Handle>, future: F) -> F::Output {
        let mut future = pin!(future);
        loop {
            if let Some(core) = self.take_core() {
                let mut guard = CoreGuard::install(self, handle, core);
                return guard.run(future.as_mut());
            }
            if let Some(output) = self.wait_for_core(future.as_mut()) {
                return output;
            }
        }
    }

    fn take_core(&self) -> Option<Box<Core>> {
        self.core.lock().take()
    }

    fn give_back_core(&self, core: Box<Core>) {
        *self.core.lock() = Some(core);
        // Unparked outside the lock; each waiter removes its own entry when it returns.
        let waiters: Vec<Unparker> = {
            let waiters = self.core_waiters.lock();
            waiters
                .list
                .iter()
                .map(|(_, unparker)| unparker.clone())
                .collect()
        };
        waiters.iter().for_each(Unparker::unpark);
    }

    /// Polls `future` on a thread parker until it completes (`Some`) or the core is free.
    fn wait_for_core<F: Future>(&self, mut future: Pin<&mut F>) -> Option<F::Output> {
        thread_park::with_parker(|parker, waker| {
            let mut cx = Context::from_waker(waker);
            // Registered for as long as this call waits: giving the core back unparks every
            // waiter, and then this thread returns to take it.
            let _registered = CoreWaiter::register(&self.core_waiters, parker.unparker());
            loop {
                if let Poll::Ready(output) =
                    eddy_core::coop::budget(|| future.as_mut().poll(&mut cx))
                {
                    return Some(output);
                }
                if self.core.lock().is_some() {
                    return None;
                }
                parker.park();
            }
        })
    }

    /// Cancels every task, empties the queues and shuts the drivers down. Runs in the
    /// runtime's context so that destructors can still reach it.
    pub(crate) fn shutdown(&self, handle: &Arc<Handle>) {
        let scheduler_handle = super::Handle::CurrentThread(handle.clone());
        let _context = scheduler_handle.enter();
        handle.owned.close_and_shutdown_all();
        let remote = {
            let mut inject = handle.inject.lock();
            inject.closed = true;
            handle.inject_len.store(0, Ordering::Relaxed);
            std::mem::take(&mut inject.queue)
        };
        drop(remote);
        if let Some(mut core) = self.take_core() {
            core.tasks.clear();
            handle.metrics.set_queue_depth(0);
            core.driver.shutdown();
            // Keep the core (and its driver) until the runtime is dropped.
            *self.core.lock() = Some(core);
        }
    }
}

/// The threads waiting for the core, each under a number of its own.
#[derive(Default)]
struct CoreWaiters {
    next: u64,
    list: Vec<(u64, Unparker)>,
}

/// One thread's entry in [`CoreWaiters`], removed when the guard is dropped (also when the
/// thread's future completed first), so the list holds only threads that still wait.
struct CoreWaiter<'a> {
    waiters: &'a Mutex<CoreWaiters>,
    number: u64,
}

impl<'a> CoreWaiter<'a> {
    fn register(waiters: &'a Mutex<CoreWaiters>, unparker: Unparker) -> CoreWaiter<'a> {
        let mut locked = waiters.lock();
        let number = locked.next;
        locked.next += 1;
        locked.list.push((number, unparker));
        CoreWaiter { waiters, number }
    }
}

impl Drop for CoreWaiter<'_> {
    fn drop(&mut self) {
        // Taken out under the lock, dropped after it.
        let removed = {
            let mut waiters = self.waiters.lock();
            let index = waiters
                .list
                .iter()
                .position(|(number, _)| *number == self.number);
            index.map(|index| waiters.list.swap_remove(index))
        };
        drop(removed);
    }
}

/// The core installed on the driving thread: the local queue lives in the thread-local slot
/// until the guard gives the core back (also when the `block_on` future panics).
struct CoreGuard<'a> {
    scheduler: &'a CurrentThread,
    handle: &'a Arc<Handle>,
    core: Option<Box<Core>>,
}

impl<'a> CoreGuard<'a> {
    fn install(
        scheduler: &'a CurrentThread,
        handle: &'a Arc<Handle>,
        mut core: Box<Core>,
    ) -> CoreGuard<'a> {
        LOCAL.with(|local| {
            local.owner.set(Arc::as_ptr(handle));
            std::mem::swap(&mut *local.queue.borrow_mut(), &mut core.tasks);
        });
        CoreGuard {
            scheduler,
            handle,
            core: Some(core),
        }
    }

    fn run<F: Future>(&mut self, mut future: Pin<&mut F>) -> F::Output {
        let handle = self.handle;
        let core = self.core.as_mut().expect("eddy: the core is installed");
        let waker = Waker::from(handle.clone());
        let mut cx = Context::from_waker(&waker);
        let defer = context::enter_scheduler_loop();
        core.stats.start();
        handle.woken.store(true, Ordering::Relaxed);
        'driving: loop {
            if handle.woken.swap(false, Ordering::AcqRel) {
                let polled = eddy_core::coop::budget(|| future.as_mut().poll(&mut cx));
                if let Poll::Ready(output) = polled {
                    return output;
                }
            }
            for _ in 0..handle.event_interval {
                core.tick = core.tick.wrapping_add(1);
                let Some(task) = handle.next_task(core.tick) else {
                    if defer.has_deferred() {
                        core.poll_drivers();
                        defer.wake_deferred();
                    } else {
                        park(handle, core, &defer);
                    }
                    continue 'driving;
                };
                core.stats.start_poll(&handle.metrics);
                task.run();
                core.stats.end_poll(&handle.metrics);
            }
            core.stats.flush(&handle.metrics);
            core.poll_drivers();
            defer.wake_deferred();
        }
    }
}

/// Out of tasks: parks on the drivers between the park callbacks. When there is work after all
/// (the `block_on` future was woken, or `on_thread_park` queued a task or deferred a wake) the
/// drivers are only polled, without blocking.
///
/// Without callbacks, a woken `block_on` future goes straight back to be polled, and the drivers
/// wait (a system call saved per wake of a `block_on` that awaits its tasks one by one), but
/// only for `event_interval` ticks: a `block_on` future that wakes itself on every poll must not
/// keep timers and I/O from ever being dispatched.
fn park(handle: &Handle, core: &mut Core, defer: &DeferGuard) {
    let woken = handle.woken.load(Ordering::Acquire);
    let no_callbacks = handle.before_park.is_none() && handle.after_unpark.is_none();
    if woken && no_callbacks && !core.drivers_due(handle.event_interval) {
        return;
    }
    if let Some(before_park) = &handle.before_park {
        before_park();
    }
    if handle.woken.load(Ordering::Acquire) || handle.has_queued_tasks() || defer.has_deferred() {
        core.poll_drivers();
        defer.wake_deferred();
    } else {
        core.stats.about_to_park(&handle.metrics);
        core.park_drivers();
        core.stats.unparked(&handle.metrics);
    }
    if let Some(after_unpark) = &handle.after_unpark {
        after_unpark();
    }
}

impl Core {
    /// Dispatches the drivers' ready events without blocking.
    fn poll_drivers(&mut self) {
        self.driver.poll_events();
        self.drivers_polled_at = self.tick;
    }

    /// Blocks on the drivers until unparked or an event arrives.
    fn park_drivers(&mut self) {
        self.driver.park();
        self.drivers_polled_at = self.tick;
    }

    /// Whether `interval` ticks passed since the drivers were last polled.
    fn drivers_due(&self, interval: u32) -> bool {
        self.tick.wrapping_sub(self.drivers_polled_at) >= interval
    }
}

impl Drop for CoreGuard<'_> {
    fn drop(&mut self) {
        let Some(mut core) = self.core.take() else {
            return;
        };
        core.stats.flush(&self.handle.metrics);
        let _ = LOCAL.try_with(|local| {
            local.owner.set(ptr::null());
            std::mem::swap(&mut *local.queue.borrow_mut(), &mut core.tasks);
        });
        self.scheduler.give_back_core(core);
    }
}

/// Whether this thread drives a current-thread runtime (it holds the core).
pub(crate) fn is_driving() -> bool {
    LOCAL
        .try_with(|local| !local.owner.get().is_null())
        .unwrap_or(false)
}

impl Handle {
    /// Spawns `future` as a task owned by this runtime.
    pub(crate) fn spawn<F>(
        me: &Arc<Handle>,
        future: F,
        id: Id,
        meta: &SpawnMeta<'_>,
    ) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (join, notified) = me.owned.bind(future, me.clone(), id, meta);
        me.submit(notified);
        join
    }

    /// Spawns a `!Send` future, if this is the scheduler of a `LocalRuntime` owned by the
    /// calling thread; otherwise hands the future back.
    pub(crate) fn spawn_local<F>(
        me: &Arc<Handle>,
        future: F,
        id: Id,
        meta: &SpawnMeta<'_>,
    ) -> Result<JoinHandle<F::Output>, F>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        if !me.is_local_owner() {
            return Err(future);
        }
        // SAFETY: this scheduler belongs to a `LocalRuntime` owned by this thread: only this
        // thread polls its tasks and cancels them (see the module docs).
        let (join, notified) = unsafe { me.owned.bind_local(future, me.clone(), id, meta) };
        me.submit(notified);
        Ok(join)
    }

    /// Counts a new task and queues it (`None`: the runtime shut down and cancelled it).
    fn submit(self: &Arc<Handle>, notified: Option<Notified>) {
        self.spawned.fetch_add(1, Ordering::Relaxed);
        if let Some(notified) = notified {
            if let Err(rejected) = self.schedule(notified) {
                drop(rejected);
            }
        }
    }

    /// Whether this scheduler belongs to a `LocalRuntime`.
    pub(crate) fn is_local(&self) -> bool {
        self.local_owner.is_some()
    }

    /// Whether this scheduler belongs to a `LocalRuntime` owned by the calling thread.
    fn is_local_owner(&self) -> bool {
        self.local_owner == Some(thread::current().id())
    }

    pub(crate) fn dump(&self) -> Dump {
        Dump::collect(|visit| self.owned.for_each(visit))
    }

    pub(crate) fn owned_id(&self) -> crate::runtime::Id {
        self.owned.id()
    }

    pub(crate) fn num_alive_tasks(&self) -> usize {
        self.owned.len()
    }

    pub(crate) fn global_queue_depth(&self) -> usize {
        self.inject_len.load(Ordering::Relaxed)
    }

    pub(crate) fn spawned_tasks_count(&self) -> u64 {
        self.spawned.load(Ordering::Relaxed)
    }

    pub(crate) fn remote_schedule_count(&self) -> u64 {
        self.remote_scheduled.load(Ordering::Relaxed)
    }

    pub(crate) fn worker_metrics(&self) -> &WorkerMetrics {
        &self.metrics
    }

    /// The next task to run: local first, except every `global_queue_interval` ticks.
    fn next_task(&self, tick: u32) -> Option<Notified> {
        if tick % self.global_queue_interval == 0 {
            self.pop_remote().or_else(|| self.pop_local())
        } else {
            self.pop_local().or_else(|| self.pop_remote())
        }
    }

    /// Whether a task waits in the local or the inject queue.
    fn has_queued_tasks(&self) -> bool {
        self.inject_len.load(Ordering::Acquire) > 0
            || LOCAL.with(|local| !local.queue.borrow().is_empty())
    }

    fn pop_local(&self) -> Option<Notified> {
        LOCAL.with(|local| {
            let mut queue = local.queue.borrow_mut();
            let task = queue.pop_front()?;
            self.metrics.set_queue_depth(queue.len());
            Some(task)
        })
    }

    fn pop_remote(&self) -> Option<Notified> {
        if self.inject_len.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut inject = self.inject.lock();
        let task = inject.queue.pop_front();
        self.inject_len.store(inject.queue.len(), Ordering::Release);
        task
    }

    /// Queues a task from outside the driving thread; refused once the runtime shut down
    /// (every task is cancelled by then).
    fn push_remote(&self, task: Notified) -> Result<(), Notified> {
        let mut inject = self.inject.lock();
        if inject.closed {
            return Err(task);
        }
        inject.queue.push_back(task);
        self.inject_len.store(inject.queue.len(), Ordering::Release);
        drop(inject);
        self.remote_scheduled.fetch_add(1, Ordering::Relaxed);
        self.services.driver.unpark();
        Ok(())
    }
}

impl Schedule for Arc<Handle> {
    fn hooks(&self) -> Option<&TaskHooks> {
        self.services.hooks.as_deref()
    }

    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        self.owned.remove(task)
    }

    fn schedule(&self, task: Notified) -> Result<(), Notified> {
        let mut task = Some(task);
        let _ = LOCAL.try_with(|local| {
            if ptr::eq(local.owner.get(), Arc::as_ptr(self)) {
                let mut queue = local.queue.borrow_mut();
                queue.extend(task.take());
                self.metrics.record_local_schedule();
                self.metrics.set_queue_depth(queue.len());
                self.services.driver.note_local_wake();
            }
        });
        match task {
            Some(task) => self.push_remote(task),
            None => Ok(()),
        }
    }
}

/// The waker of the `block_on` future.
impl Wake for Handle {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // A swap, not a store, so that every write of `woken` is a read-modify-write. The
        // store is just as correct under the memory model, but loom does not keep a later RMW
        // from reading around a concurrent plain store, and reported a lost wake-up that
        // cannot happen (the `loom_blocking` models, after `park` stopped consuming the unpark
        // token of a woken `block_on`).
        self.woken.swap(true, Ordering::AcqRel);
        self.services.driver.unpark();
    }
}

impl fmt::Debug for CurrentThread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CurrentThread").finish_non_exhaustive()
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("current_thread::Handle")
            .finish_non_exhaustive()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use crate::runtime::scheduler::Scheduler;
    use crate::runtime::Builder;
    use std::sync::{mpsc, Arc};

    /// A `block_on` whose future completes while another thread holds the core leaves no
    /// entry behind in the list of threads waiting for the core.
    #[test]
    // Without the multi-thread flavor, `Scheduler` has one variant and the `let else` cannot fail.
    #[cfg_attr(not(feature = "multi-thread"), allow(irrefutable_let_patterns))]
    fn contended_block_on_calls_leave_no_waiter_behind() {
        let rt = Arc::new(Builder::new_current_thread().build().unwrap());
        let (holding, held) = mpsc::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let holder = std::thread::spawn({
            let rt = rt.clone();
            move || {
                rt.block_on(async move {
                    holding.send(()).unwrap();
                    // Blocks the driving thread on purpose: the core stays taken meanwhile.
                    released.recv().unwrap();
                })
            }
        });
        held.recv().unwrap();
        for value in 0..100 {
            assert_eq!(rt.block_on(async move { value }), value);
        }
        let Scheduler::CurrentThread(scheduler) = rt.scheduler() else {
            unreachable!("a current-thread runtime");
        };
        let waiting = scheduler.core_waiters.lock().list.len();
        release.send(()).unwrap();
        holder.join().unwrap();
        assert_eq!(waiting, 0);
    }
}
