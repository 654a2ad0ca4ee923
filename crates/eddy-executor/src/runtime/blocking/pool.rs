//! The pool's threads, queue and shutdown.

use super::auto_advance::inhibit_until_done;
use crate::loom::sync::{Arc, Condvar, Mutex, MutexGuard};
use crate::loom::thread;
use crate::runtime::task::{
    self, BlockingSchedule, BlockingTask, Id, JoinHandle, SpawnMeta, TaskKind,
};
use crate::runtime::{context, driver};
use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io;
use std::ptr;
use std::time::{Duration, Instant};

type Notified = task::Notified<BlockingSchedule>;

crate::loom::thread_local! {
    /// On a pool thread: its pool (by address) and its id in that pool.
    static CURRENT_THREAD: Cell<(*const (), usize)> = const { Cell::new((ptr::null(), 0)) };
}
pub(crate) type Callback = std::sync::Arc<dyn Fn() + Send + Sync>;
pub(crate) type ThreadNameFn = std::sync::Arc<dyn Fn() -> String + Send + Sync>;

/// The runtime a blocking task is spawned for, as the pool sees it: a pool thread runs in its
/// context, and its paused clock waits for the task. The scheduler's handle implements it, so
/// the pool, which the schedulers hold, never names them.
pub(crate) trait PoolRuntime: Clone + Send + 'static {
    /// Leaves the runtime's context when dropped.
    type Entered;

    /// Makes the runtime the calling thread's current one.
    fn enter(&self) -> Self::Entered;

    /// The runtime's drivers.
    fn driver(&self) -> &driver::Handle;
}

/// How the pool's threads are made.
#[derive(Clone)]
pub(crate) struct Config {
    pub(crate) thread_name: ThreadNameFn,
    pub(crate) stack_size: Option<usize>,
    pub(crate) after_start: Option<Callback>,
    pub(crate) before_stop: Option<Callback>,
    pub(crate) max_threads: usize,
    pub(crate) keep_alive: Duration,
}

/// The pool itself, owned by the runtime, which shuts it down.
pub(crate) struct BlockingPool {
    spawner: Spawner,
}

/// Submits tasks to the pool; cloned into the runtime's handle.
#[derive(Clone)]
pub(crate) struct Spawner {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Mutex<Shared>,
    /// Signalled when work is queued for an idle thread, and at shutdown.
    work: Condvar,
    /// Signalled when the last thread exits after shutdown.
    exited: Condvar,
    config: Config,
}

struct Shared {
    queue: VecDeque<Queued>,
    threads: usize,
    idle: usize,
    /// Idle threads told to pick up work that have not woken yet.
    notified: usize,
    shutdown: bool,
    next_thread_id: usize,
    handles: HashMap<usize, thread::JoinHandle<()>>,
}

/// A task waiting for a thread. It still runs if the pool shuts down first when it is
/// mandatory (work its submitter already reported done, a file write) or when a thread was
/// already woken or started for it: as far as its caller can tell, it has started.
struct Queued {
    task: Notified,
    mandatory: bool,
    claimed: bool,
}

impl BlockingPool {
    pub(crate) fn new(config: Config) -> BlockingPool {
        let inner = Inner {
            shared: Mutex::new(Shared {
                queue: VecDeque::new(),
                threads: 0,
                idle: 0,
                notified: 0,
                shutdown: false,
                next_thread_id: 0,
                handles: HashMap::new(),
            }),
            work: Condvar::new(),
            exited: Condvar::new(),
            config,
        };
        BlockingPool {
            spawner: Spawner {
                inner: Arc::new(inner),
            },
        }
    }

    pub(crate) fn spawner(&self) -> &Spawner {
        &self.spawner
    }

    /// Cancels queued tasks but mandatory ones and those a thread was already woken or started
    /// for, and waits up to `timeout` (`None`: forever) for
    /// the threads, which run the mandatory ones before they exit. Calling it again does
    /// nothing.
    pub(crate) fn shutdown(&mut self, timeout: Option<Duration>) {
        let inner = &self.spawner.inner;
        let (queued, handles) = {
            let mut shared = inner.lock();
            if shared.shutdown {
                return;
            }
            shared.shutdown = true;
            let (kept, queued): (VecDeque<Queued>, VecDeque<Queued>) =
                std::mem::take(&mut shared.queue)
                    .into_iter()
                    .partition(|queued| queued.mandatory || queued.claimed);
            shared.queue = kept;
            (queued, std::mem::take(&mut shared.handles))
        };
        inner.work.notify_all();
        for queued in queued {
            queued.task.shutdown();
        }
        if timeout == Some(Duration::ZERO) {
            return;
        }
        if !may_wait_for_shutdown() {
            return;
        }
        // A pool thread that drops its own runtime must not wait for (or join) itself.
        let own_thread = CURRENT_THREAD.with(|current| {
            let (pool, id) = current.get();
            ptr::eq(pool, Arc::as_ptr(inner).cast::<()>()).then_some(id)
        });
        let mut handles = handles;
        if let Some(id) = own_thread {
            handles.remove(&id);
        }
        if inner.wait_for_threads(timeout, usize::from(own_thread.is_some())) {
            for handle in handles.into_values() {
                let _ = handle.join();
            }
        }
    }
}

/// Whether the calling thread may wait for a runtime to shut down. Inside a runtime (a task, a
/// `block_on`) it may not, since it could be blocking the very threads it would wait for: this
/// panics with Tokio's message, at once and before any waiting, unless the thread is already
/// unwinding, in which case the caller skips the wait (`false`).
pub(crate) fn may_wait_for_shutdown() -> bool {
    if !context::is_in_runtime() {
        return true;
    }
    if std::thread::panicking() {
        return false;
    }
    panic!(
        "Cannot drop a runtime in a context where blocking is not allowed. This happens when a \
         runtime is dropped from within an asynchronous context."
    );
}

impl Drop for BlockingPool {
    fn drop(&mut self) {
        self.shutdown(None);
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared.lock()
    }

    /// Waits until all threads but `remaining` exited; false if `timeout` ran out first.
    fn wait_for_threads(&self, timeout: Option<Duration>, remaining: usize) -> bool {
        let deadline = timeout.and_then(|timeout| Instant::now().checked_add(timeout));
        let mut shared = self.lock();
        while shared.threads > remaining {
            shared = match deadline {
                None => self.exited.wait(shared),
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return false;
                    }
                    self.exited.wait_timeout(shared, left)
                }
            };
        }
        true
    }
}

impl Spawner {
    /// Runs `func` on the pool; the handle yields its result.
    pub(crate) fn spawn_blocking<F, R>(
        &self,
        rt: &impl PoolRuntime,
        func: F,
        meta: &SpawnMeta<'_>,
    ) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        let func = inhibit_until_done(rt.driver(), func);
        let (notified, join) =
            task::new_unowned(BlockingTask::new(func), BlockingSchedule, Id::next(), meta);
        if let Err(task) = self.submit(rt, notified, false) {
            task.shutdown();
        }
        join
    }

    /// Blocking tasks waiting for a thread (a snapshot).
    pub(crate) fn queue_depth(&self) -> usize {
        self.inner.lock().queue.len()
    }

    /// The pool's threads, busy or idle (a snapshot).
    pub(crate) fn num_threads(&self) -> usize {
        self.inner.lock().threads
    }

    /// The pool's threads waiting for work and not yet handed any (a snapshot).
    pub(crate) fn num_idle_threads(&self) -> usize {
        self.inner.lock().idle
    }

    /// Queues `task`, waking an idle thread or starting one. Gives the task back if the pool
    /// is shut down.
    fn submit(
        &self,
        rt: &impl PoolRuntime,
        task: Notified,
        mandatory: bool,
    ) -> Result<(), Notified> {
        let mut shared = self.inner.lock();
        if shared.shutdown {
            return Err(task);
        }
        let queued = shared.queue.len();
        shared.queue.push_back(Queued {
            task,
            mandatory,
            claimed: false,
        });
        if shared.idle > 0 {
            shared.idle -= 1;
            shared.notified += 1;
            shared.queue[queued].claimed = true;
            drop(shared);
            self.inner.work.notify_one();
        } else if shared.threads < self.inner.config.max_threads {
            let id = shared.next_thread_id;
            shared.next_thread_id += 1;
            shared.threads += 1;
            match self.start_thread(rt, id) {
                Ok(handle) => {
                    shared.handles.insert(id, handle);
                    shared.queue[queued].claimed = true;
                }
                Err(error) => {
                    shared.threads -= 1;
                    if shared.threads == 0 {
                        panic!("OS can't spawn a blocking thread: {error}");
                    }
                }
            }
        }
        Ok(())
    }

    fn start_thread(&self, rt: &impl PoolRuntime, id: usize) -> io::Result<thread::JoinHandle<()>> {
        let config = &self.inner.config;
        let mut builder = thread::Builder::new().name((config.thread_name)());
        if let Some(size) = config.stack_size {
            builder = builder.stack_size(size);
        }
        let inner = self.inner.clone();
        let rt = rt.clone();
        builder.spawn(move || {
            if let Some(after_start) = &inner.config.after_start {
                after_start();
            }
            {
                let _context = rt.enter();
                let pool = Arc::as_ptr(&inner).cast::<()>();
                CURRENT_THREAD.with(|current| current.set((pool, id)));
                inner.run(id);
            }
            drop(rt);
            if let Some(before_stop) = &inner.config.before_stop {
                before_stop();
            }
        })
    }
}

impl Inner {
    /// A pool thread's loop: run queued tasks, wait idle up to the keep-alive, exit.
    fn run(&self, id: usize) {
        let mut shared = self.lock();
        loop {
            while let Some(queued) = shared.queue.pop_front() {
                drop(shared);
                queued.task.run();
                shared = self.lock();
            }
            shared.idle += 1;
            let (guard, woken) = self.wait_idle(shared);
            shared = guard;
            if !woken {
                break;
            }
        }
        // `wait_idle` took this thread off the idle count.
        shared.threads -= 1;
        if shared.shutdown {
            // A shutdown may wait for all threads but the one calling it: wake it each time.
            self.exited.notify_all();
        } else {
            // Detach: the thread is about to exit on its own.
            shared.handles.remove(&id);
        }
    }

    /// Waits for work as an idle thread. Returns true if told to pick up work (the submitter
    /// already took it off the idle count), false if the thread should exit (shutdown or
    /// keep-alive timeout; it is taken off the idle count here).
    fn wait_idle<'a>(
        &'a self,
        mut shared: MutexGuard<'a, Shared>,
    ) -> (MutexGuard<'a, Shared>, bool) {
        let deadline = Instant::now().checked_add(self.config.keep_alive);
        loop {
            if shared.notified > 0 {
                shared.notified -= 1;
                return (shared, true);
            }
            if shared.shutdown {
                shared.idle -= 1;
                return (shared, false);
            }
            let left = match deadline {
                Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                None => Duration::MAX,
            };
            if left.is_zero() {
                shared.idle -= 1;
                return (shared, false);
            }
            shared = self.work.wait_timeout(shared, left);
        }
    }
}

impl Spawner {
    /// Runs `job`, a blocking job of another crate, on the pool; fails once the pool shut down.
    pub(crate) fn submit_job(
        &self,
        rt: &impl PoolRuntime,
        job: Box<dyn FnOnce() + Send>,
        mandatory: bool,
    ) -> io::Result<()> {
        let job = inhibit_until_done(rt.driver(), job);
        // Jobs come from other crates through a trait object, so the spawn site is this line.
        let meta = SpawnMeta::caller(TaskKind::Blocking);
        let (notified, join) =
            task::new_unowned(BlockingTask::new(job), BlockingSchedule, Id::next(), &meta);
        drop(join);
        self.submit(rt, notified, mandatory).map_err(|task| {
            task.shutdown();
            eddy_core::context::shutdown_error()
        })
    }
}

impl fmt::Debug for Spawner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Spawner").finish_non_exhaustive()
    }
}

impl fmt::Debug for BlockingPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingPool").finish_non_exhaustive()
    }
}
