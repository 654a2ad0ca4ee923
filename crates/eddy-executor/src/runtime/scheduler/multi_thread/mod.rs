//! The multi-thread, work-stealing scheduler.
//!
//! `N` worker threads each own a [`Core`](worker): a LIFO slot, a fixed-capacity local run queue
//! (`queue.rs`) and a parker (`park.rs`). A task woken or spawned by a worker goes to that
//! worker's LIFO slot or queue with no lock; a task from any other thread goes to the shared
//! injection queue (`inject.rs`). A worker out of work searches: it steals half of another
//! worker's queue in one go, or takes a batch from the injection queue; if it finds nothing it
//! sleeps, on the driver (I/O and timers) if nobody else holds it, else on its own condition
//! variable. `idle.rs` decides who searches and whom to wake, so that at most about half of the
//! workers search at once, a wake on an idle runtime unparks exactly one worker, and no wake-up
//! is lost.
//!
//! `block_in_place` hands the calling worker's core to a new thread, which carries on as that
//! worker while the caller blocks; if that thread cannot be started, the core goes back to the
//! caller. Shutdown closes the injection queue, wakes every worker, waits for the worker threads
//! to exit, then cancels every task the runtime owns; a `build` that cannot start every worker
//! does the same to those it started. A worker survives a panic outside its tasks with its core
//! (`worker.rs`).
//!
//! The modules layer from the bottom: the queues, `idle.rs`, `park.rs` and `shutdown.rs`; the
//! shared half (`handle.rs`); the workers (`worker.rs`); and `schedule.rs`, which sends a task
//! to the current worker or to the injection queue.

mod handle;
mod idle;
mod inject;
mod park;
mod queue;
mod schedule;
mod shutdown;
mod worker;

#[cfg(all(test, loom))]
mod loom_tests;
#[cfg(all(test, not(loom)))]
mod unit_tests;

pub(crate) use handle::Handle;
pub(crate) use idle::MAX_WORKERS;
pub(crate) use worker::current_index as worker_index;

use crate::runtime::blocking::may_wait_for_shutdown;
use crate::runtime::config::Config;
use crate::runtime::context;
use crate::runtime::driver::Driver;
use crate::runtime::metrics::WorkerMetrics;
use crate::runtime::scheduler::RuntimeServices;
use crate::runtime::task::list::OwnedTasks;
use handle::{Remote, Shared};
use idle::Idle;
use inject::Inject;
use park::{Parker, SharedDriver};
use shutdown::Shutdown;
use std::fmt;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use worker::{Core, CoreSlot};

/// The part of the scheduler the `Runtime` owns.
pub(crate) struct MultiThread {
    _private: (),
}

impl MultiThread {
    /// Builds the scheduler from the runtime's `config` (all of it but the `LocalRuntime` owner,
    /// which a multi-thread runtime never has) and starts its worker threads.
    pub(crate) fn new(
        config: Config,
        driver: Driver,
        services: RuntimeServices,
    ) -> io::Result<(MultiThread, Arc<Handle>)> {
        debug_assert!(config.local_owner.is_none());
        let workers = config.worker_threads;
        let driver = SharedDriver::new(driver);
        let mut cores = Vec::with_capacity(workers);
        let mut remotes = Vec::with_capacity(workers);
        for index in 0..workers {
            let (steal, run_queue) = queue::local();
            let parker = Parker::new(services.driver.clone());
            remotes.push(Remote {
                steal,
                unparker: parker.unparker(),
            });
            cores.push(Core::new(
                index,
                run_queue,
                parker,
                config.global_queue_interval,
            ));
        }
        let handle = Arc::new(Handle {
            shared: Shared {
                remotes: remotes.into_boxed_slice(),
                inject: Inject::new(),
                idle: Idle::new(workers),
                owned: OwnedTasks::new(),
                driver,
                worker_metrics: (0..workers)
                    .map(|_| WorkerMetrics::new(config.poll_time_histogram))
                    .collect(),
                spawned: Default::default(),
                remote_scheduled: Default::default(),
                threads: Default::default(),
                config,
            },
            shutdown: Shutdown::new(workers),
            services,
        });
        handle.start_workers(cores.into_iter())?;
        Ok((MultiThread { _private: () }, handle))
    }

    /// Blocks the calling thread on `future`; the workers run the tasks meanwhile.
    pub(crate) fn block_on<F: Future>(&self, future: F) -> F::Output {
        crate::runtime::thread_park::block_on(future)
    }

    /// Stops every worker; the last one to stop cancels every task and shuts the drivers down.
    /// Waits for that at most `timeout` (`None`: for as long as it takes, then also for the
    /// worker threads to exit). Calling it again does nothing.
    pub(crate) fn shutdown(&self, handle: &Arc<Handle>, timeout: Option<Duration>) {
        let shared = &handle.shared;
        if !shared.inject.close() {
            return;
        }
        for remote in shared.remotes.iter() {
            remote.unparker.unpark();
        }
        if timeout == Some(Duration::ZERO) {
            // `shutdown_background`: nothing to wait for, so allowed anywhere, even in a task.
            return;
        }
        // Dropped in an async context (one of its own tasks, which would wait for itself, or
        // any other runtime's): panic before waiting, not after. The workers finish the shutdown
        // on their own.
        if !may_wait_for_shutdown() {
            return;
        }
        if handle.shutdown.wait_until_finished(timeout) && timeout.is_none() {
            handle.join_worker_threads();
        }
    }
}

impl Handle {
    /// Starts a thread that takes the core out of `slot` and runs that worker. The core stays
    /// in `slot` if the thread cannot be started (or the user's `thread_name_fn` panics).
    fn spawn_worker_thread(self: &Arc<Handle>, slot: &CoreSlot) -> io::Result<()> {
        let config = &self.shared.config;
        let mut builder = std::thread::Builder::new().name((config.thread_name)());
        if let Some(size) = config.thread_stack_size {
            builder = builder.stack_size(size);
        }
        let handle = self.clone();
        let slot = slot.clone();
        let thread = builder.spawn(move || {
            let core = slot.lock().take();
            let core = core.expect("eddy: a new worker thread finds its core");
            let before_stop = handle.shared.config.before_stop.clone();
            // Runs the start callback too, so that a panic in it does not lose the core.
            worker::run(handle, core);
            if let Some(before_stop) = before_stop {
                before_stop();
            }
        })?;
        let mut threads = self.shared.threads.lock();
        threads.retain(|thread| !thread.is_finished());
        threads.push(thread);
        Ok(())
    }

    /// Starts one thread per core. If one cannot be started (an error, or a panic in the user's
    /// `thread_name_fn`), the workers already started are shut down and joined before the error
    /// or panic reaches the caller, so that a failed `build` leaves no thread and, once the
    /// handle is dropped, no driver descriptor behind.
    fn start_workers(
        self: &Arc<Handle>,
        cores: impl ExactSizeIterator<Item = Box<Core>>,
    ) -> io::Result<()> {
        let mut unstarted = AbandonUnstarted {
            handle: self,
            cores: cores.len(),
        };
        for core in cores {
            self.spawn_worker_thread(&worker::core_slot(core))?;
            unstarted.cores -= 1;
        }
        Ok(())
    }

    /// Called by each worker whose core stopped for shutdown; the last one cancels every task
    /// (on its own thread, in the runtime's context), drops the queued references and shuts the
    /// drivers down.
    pub(super) fn core_stopped(&self) {
        if !self.shutdown.core_stopped() {
            return;
        }
        let shared = &self.shared;
        shared.owned.close_and_shutdown_all();
        while let Some(task) = shared.inject.pop() {
            drop(task);
        }
        shared.driver.shutdown();
        self.shutdown.finish();
    }

    /// Waits for every worker thread (but never for the calling thread itself).
    fn join_worker_threads(&self) {
        let me = std::thread::current().id();
        loop {
            let next = self.shared.threads.lock().pop();
            let Some(thread) = next else {
                return;
            };
            if thread.thread().id() != me {
                // A worker that panicked outside a task has nothing left to clean up.
                let _ = thread.join();
            }
        }
    }
}

/// Shuts down a scheduler whose workers did not all start, when dropped with cores left.
struct AbandonUnstarted<'a> {
    handle: &'a Arc<Handle>,
    /// Cores no thread took: they count as stopped at once.
    cores: usize,
}

impl Drop for AbandonUnstarted<'_> {
    fn drop(&mut self) {
        if self.cores == 0 {
            return;
        }
        let shared = &self.handle.shared;
        shared.inject.close();
        for remote in shared.remotes.iter() {
            remote.unparker.unpark();
        }
        for _ in 0..self.cores {
            self.handle.core_stopped();
        }
        self.handle.shutdown.wait_until_finished(None);
        self.handle.join_worker_threads();
    }
}

/// Hands the current worker's core to a new thread and runs `f` here, if this thread is a
/// multi-thread worker; just runs `f` otherwise.
pub(crate) fn block_in_place<F: FnOnce() -> R, R>(f: F) -> R {
    if let Err(error) = worker::hand_off_core() {
        // The core is back on this thread: the calling task gets the panic, the worker goes on.
        panic!("OS can't spawn worker thread: {error}");
    }
    // Tasks that yielded on this thread would otherwise wait for `f`; with the core gone, waking
    // them sends them to the injection queue for the other workers. Until `f` returns, nothing
    // on this thread drains the list, so yields inside `f` wake at once.
    let _wake_at_once = eddy_core::defer::suspend();
    let _blocking = context::exit_runtime();
    f()
}

impl fmt::Debug for MultiThread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MultiThread").finish_non_exhaustive()
    }
}
