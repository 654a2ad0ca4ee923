//! Running a future to completion on the test's own thread, without a runtime.
//!
//! [`block_on`] polls the future and, while it is pending, parks the thread; the future's waker
//! unparks it. That is all a test of a runtime-independent primitive (a channel, a lock, a pipe)
//! needs. Under `--cfg loom` the thread is a loom thread and parking must be loom's, so
//! `block_on` waits on a loom `Notify` the waker notifies instead: one name serves both builds.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

#[cfg(not(loom))]
/// Unparks the thread that waits in [`block_on`].
struct Unpark(std::thread::Thread);

#[cfg(not(loom))]
impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs `future` to completion on this thread, parking it while the future is pending.
#[cfg(not(loom))]
pub fn block_on<F: Future>(future: F) -> F::Output {
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        // A wake before this park leaves the thread's token set, so the park returns at once.
        std::thread::park();
    }
}

/// Runs `future` to completion on a new thread (with [`block_on`]).
#[cfg(not(loom))]
pub fn spawn_thread<F>(future: F) -> std::thread::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    std::thread::spawn(move || block_on(future))
}

/// A waker over a loom `Notify`: a loom thread that waits on it sleeps until the waker is
/// woken, and a wake-up that went elsewhere leaves it waiting forever, which loom reports as a
/// deadlock. [`block_on`] waits on one; a model that drives something by hand uses its own.
#[cfg(loom)]
#[derive(Debug)]
pub struct NotifyWaker(loom::sync::Notify);

#[cfg(loom)]
impl NotifyWaker {
    /// A waker nobody has woken yet; `Waker::from` a clone of the `Arc` to hand it out.
    pub fn new() -> Arc<NotifyWaker> {
        Arc::new(NotifyWaker(loom::sync::Notify::new()))
    }

    /// Sleeps until the waker is woken (at once if it was woken since the last wait).
    pub fn wait(&self) {
        self.0.wait();
    }
}

#[cfg(loom)]
impl Wake for NotifyWaker {
    fn wake(self: Arc<Self>) {
        self.0.notify();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.notify();
    }
}

/// Runs `future` to completion on the current loom thread, waiting on a loom `Notify` while
/// the future is pending.
#[cfg(loom)]
pub fn block_on<F: Future>(future: F) -> F::Output {
    let notify = NotifyWaker::new();
    let waker = Waker::from(notify.clone());
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        notify.wait();
    }
}
