//! Running blocking work from a resource that does not know the executor.
//!
//! Name resolution, standard I/O and files have no non-blocking form, so resources in
//! `eddy-net`, `eddy-io` and `eddy-fs` run them on the runtime's blocking pool. Those crates do
//! not depend on the executor; instead the executor installs its pool on every runtime thread
//! with [`enter`], and the functions here send the work there.
//!
//! [`try_run`] and [`try_run_mandatory`] (name resolution, stdio, files) panic with Tokio's
//! message outside a runtime, as Tokio's do, and tell the caller at once when the pool refuses
//! the job because the runtime is shutting down. There is no fallback to a plain thread.

use crate::loom::sync::Mutex;
use crate::scoped::{Scoped, ThreadLocalSlot};
use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// A runtime's blocking pool, seen from a resource.
pub trait BlockingSpawner: Send + Sync + 'static {
    /// Runs `job` on a blocking thread. On error (the runtime is shutting down) the job is
    /// dropped without running.
    fn spawn_blocking(&self, job: Box<dyn FnOnce() + Send>) -> io::Result<()>;

    /// Like [`spawn_blocking`](Self::spawn_blocking), but once accepted the job runs even if
    /// the pool shuts down before a thread takes it: for work the caller was already told is
    /// done (a file write reported written). A pool that never drops queued jobs keeps this
    /// default.
    fn spawn_mandatory(&self, job: Box<dyn FnOnce() + Send>) -> io::Result<()> {
        self.spawn_blocking(job)
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<dyn BlockingSpawner>>> = const { RefCell::new(None) };
}

/// [`CURRENT`], for [`Scoped`]; `try_with`: a runtime dropped while the thread exits may find
/// the slot already gone.
struct CurrentSpawner;

impl ThreadLocalSlot for CurrentSpawner {
    type Value = Option<Arc<dyn BlockingSpawner>>;

    #[inline]
    fn swap(spawner: Option<Arc<dyn BlockingSpawner>>) -> Option<Option<Arc<dyn BlockingSpawner>>> {
        CURRENT.try_with(|current| current.replace(spawner)).ok()
    }
}

/// Installs `spawner` as this thread's blocking pool until the guard is dropped.
pub fn enter(spawner: Arc<dyn BlockingSpawner>) -> EnterGuard {
    EnterGuard {
        _restore: Scoped::set(Some(spawner)),
    }
}

/// Restores the previously installed blocking pool when dropped.
#[must_use = "the pool is uninstalled when the guard is dropped"]
pub struct EnterGuard {
    _restore: Scoped<CurrentSpawner>,
}

impl fmt::Debug for EnterGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnterGuard").finish_non_exhaustive()
    }
}

/// Runs `f` on the current runtime's blocking pool and returns a future of its result, or the
/// pool's error if it refused `f` (the runtime is shutting down).
///
/// The future resolves to an error if `f` panicked or the pool shut down before running it.
///
/// # Panics
///
/// Outside a runtime, with Tokio's message.
#[track_caller]
pub fn try_run<F, R>(f: F) -> io::Result<Blocking<R>>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let spawner = current_spawner().expect(crate::context::NO_RUNTIME);
    let (job, blocking) = prepare(f);
    spawner.spawn_blocking(job).map(|()| blocking)
}

/// Like [`try_run`], but a pool that accepted `f` runs it even if it shuts down before a thread
/// takes it (see [`BlockingSpawner::spawn_mandatory`]).
///
/// # Panics
///
/// Outside a runtime, with Tokio's message.
#[track_caller]
pub fn try_run_mandatory<F, R>(f: F) -> io::Result<Blocking<R>>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let spawner = current_spawner().expect(crate::context::NO_RUNTIME);
    let (job, blocking) = prepare(f);
    spawner.spawn_mandatory(job).map(|()| blocking)
}

fn current_spawner() -> Option<Arc<dyn BlockingSpawner>> {
    CURRENT.with(|current| current.borrow().clone())
}

/// Wraps `f` into a job that delivers its result (or, if dropped unrun, an error) to the
/// returned future.
fn prepare<F, R>(f: F) -> (Box<dyn FnOnce() + Send>, Blocking<R>)
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let slot = Arc::new(Mutex::new(Slot {
        result: None,
        waker: None,
    }));
    let completer = Completer {
        slot: Some(slot.clone()),
    };
    let job: Box<dyn FnOnce() + Send> = Box::new(move || {
        let result = panic::catch_unwind(AssertUnwindSafe(f))
            .map_err(|_| io::Error::other("eddy: a blocking task panicked"));
        completer.complete(result);
    });
    (job, Blocking { slot })
}

struct Slot<R> {
    result: Option<io::Result<R>>,
    waker: Option<Waker>,
}

/// Delivers the job's result, or an error if the job is dropped without running.
struct Completer<R> {
    slot: Option<Arc<Mutex<Slot<R>>>>,
}

impl<R> Completer<R> {
    fn complete(mut self, result: io::Result<R>) {
        if let Some(slot) = self.slot.take() {
            deliver(&slot, result);
        }
    }
}

impl<R> Drop for Completer<R> {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.take() {
            let error = io::Error::other("eddy: the blocking pool shut down before the task ran");
            deliver(&slot, Err(error));
        }
    }
}

fn deliver<R>(slot: &Mutex<Slot<R>>, result: io::Result<R>) {
    let waker = {
        let mut slot = slot.lock();
        slot.result = Some(result);
        slot.waker.take()
    };
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// The result of [`try_run`] and [`try_run_mandatory`], as a future.
#[must_use = "futures do nothing unless polled"]
pub struct Blocking<R> {
    slot: Arc<Mutex<Slot<R>>>,
}

impl<R> Future for Blocking<R> {
    type Output = io::Result<R>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
        // The user's waker is cloned before the lock and the one it replaces is dropped after
        // it: either may run user code that reaches this slot (the job's `deliver`).
        let waker = cx.waker().clone();
        let replaced = {
            let mut slot = self.slot.lock();
            if let Some(result) = slot.result.take() {
                return Poll::Ready(result);
            }
            slot.waker.replace(waker)
        };
        drop(replaced);
        Poll::Pending
    }
}

impl<R> fmt::Debug for Blocking<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Blocking").finish_non_exhaustive()
    }
}
