//! The one road from this crate to the blocking pool.
//!
//! Operating systems offer no readiness-based file I/O, so every file system call runs on the
//! current runtime's blocking pool through `eddy_core::blocking`; this crate never depends on
//! the executor. As with Tokio, an operation polled outside a runtime panics with Tokio's
//! "there is no reactor running" message: there is no pool to run it on. [`spawn`] starts a job and hands back
//! its future ([`spawn_mandatory`] one that survives a shutdown that begins after it was
//! accepted, as a write reported done must); [`Job`] is that future, spending the task's cooperative budget when it completes
//! so a loop of cheap file operations still lets its neighbours run. [`asyncify`] is the
//! one-shot form the path functions use.
//!
//! A job that cannot run (the pool refused it, or the runtime shut down before it started) or
//! that panicked resolves to the error Tokio reports in that case, "background task failed",
//! whatever the cause.

use eddy_core::blocking::{self, Blocking};
use eddy_core::coop;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// Runs `f` on the blocking pool and resolves to its result.
pub(crate) async fn asyncify<F, T>(f: F) -> io::Result<T>
where
    F: FnOnce() -> io::Result<T> + Send + 'static,
    T: Send + 'static,
{
    spawn(f).await?
}

/// Starts `f` on the blocking pool.
///
/// # Panics
///
/// Outside a runtime, with Tokio's message.
#[track_caller]
pub(crate) fn spawn<F, R>(f: F) -> Job<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    Job {
        inner: blocking::try_run(f).ok(),
    }
}

/// Starts `f` on the blocking pool as a job that runs even if the runtime shuts down before a
/// thread takes it: for a write the caller was already told is done.
///
/// # Panics
///
/// Outside a runtime, with Tokio's message.
#[track_caller]
pub(crate) fn spawn_mandatory<F, R>(f: F) -> Job<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    Job {
        inner: blocking::try_run_mandatory(f).ok(),
    }
}

/// A job on the blocking pool, as a future of its output.
pub(crate) struct Job<R> {
    /// `None` if the pool refused the job.
    inner: Option<Blocking<R>>,
}

impl<R> Future for Job<R> {
    type Output = io::Result<R>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
        let budget = ready!(coop::poll_proceed(cx));
        let Some(inner) = &mut self.inner else {
            return Poll::Ready(Err(background_failed()));
        };
        let output = ready!(Pin::new(inner).poll(cx));
        budget.made_progress();
        Poll::Ready(output.map_err(|_| background_failed()))
    }
}

impl<R> fmt::Debug for Job<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Job").finish_non_exhaustive()
    }
}

/// Tokio's error for a blocking job that did not complete.
pub(crate) fn background_failed() -> io::Error {
    io::Error::other("background task failed")
}
