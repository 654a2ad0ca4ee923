//! Blocking work as a task: a closure wrapped in a future that runs it on its first poll.
//!
//! `spawn_blocking` returns the same `JoinHandle` as `spawn`, so the closure runs inside an
//! ordinary task allocation that no owned list tracks; the blocking pool's queue holds its
//! `Notified` until a pool thread polls it.

use super::{Notified, Schedule, Task};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A future that runs a blocking closure when first polled.
pub(crate) struct BlockingTask<F> {
    func: Option<F>,
}

impl<F> BlockingTask<F> {
    pub(crate) fn new(func: F) -> BlockingTask<F> {
        BlockingTask { func: Some(func) }
    }
}

impl<F> Unpin for BlockingTask<F> {}

impl<F: FnOnce() -> R, R> Future for BlockingTask<F> {
    type Output = R;

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<R> {
        let func = self
            .func
            .take()
            .expect("eddy: a blocking task was polled after it ran");
        // Blocking work has no budget to respect.
        Poll::Ready(eddy_core::coop::with_unconstrained(func))
    }
}

/// The scheduler of blocking tasks: the pool runs each one exactly once, so they are never
/// woken, and no list owns them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlockingSchedule;

impl Schedule for BlockingSchedule {
    fn release(&self, _task: &Task<Self>) -> Option<Task<Self>> {
        None
    }

    fn schedule(&self, task: Notified<Self>) -> Result<(), Notified<Self>> {
        // Only `abort` can get here, for a task that is neither queued nor running: it already
        // ran, so there is nothing to cancel. The caller drops the reference.
        Err(task)
    }
}
