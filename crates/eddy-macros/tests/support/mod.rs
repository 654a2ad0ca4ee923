//! Futures with observable behaviour for the `select!`/`join!` tests (they run them with
//! eddy-test-support's `block_on`).

#![allow(dead_code)] // Each test file uses a different part of this module.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// Which futures were polled, in order.
#[derive(Clone, Default)]
pub struct PollLog(Arc<Mutex<Vec<usize>>>);

impl PollLog {
    pub fn entries(&self) -> Vec<usize> {
        self.0.lock().unwrap().clone()
    }

    fn push(&self, id: usize) {
        self.0.lock().unwrap().push(id);
    }
}

/// Pending `pending_polls` times (waking itself each time), then ready with `value`; every poll
/// is written to the log under `id`. Panics if polled after completion.
pub struct Logged<T> {
    id: usize,
    pending_polls: usize,
    value: Option<T>,
    log: PollLog,
}

impl<T> Logged<T> {
    pub fn new(log: &PollLog, id: usize, pending_polls: usize, value: T) -> Logged<T> {
        Logged {
            id,
            pending_polls,
            value: Some(value),
            log: log.clone(),
        }
    }
}

impl<T> Unpin for Logged<T> {}

impl<T> Future for Logged<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        self.log.push(self.id);
        if self.pending_polls > 0 {
            self.pending_polls -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        Poll::Ready(self.value.take().expect("polled after completion"))
    }
}

/// Pending `polls` times (waking itself), then ready with `value`.
pub fn after<T>(polls: usize, value: T) -> Logged<T> {
    Logged::new(&PollLog::default(), 0, polls, value)
}

/// Never ready; sets its flag when dropped.
pub struct PendingUntilDropped(pub Arc<AtomicBool>);

impl PendingUntilDropped {
    pub fn new() -> (PendingUntilDropped, Arc<AtomicBool>) {
        let flag = Arc::new(AtomicBool::new(false));
        (PendingUntilDropped(flag.clone()), flag)
    }
}

impl Future for PendingUntilDropped {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        Poll::Pending
    }
}

impl Drop for PendingUntilDropped {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// A future that must never be polled.
pub struct MustNotPoll;

impl Future for MustNotPoll {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<u32> {
        panic!("a disabled branch was polled");
    }
}

/// Ready with `value` once another thread has sent it: the future is pending until then, so
/// the caller really waits for a wake-up from another thread.
pub fn from_thread<T: Send + 'static>(value: T) -> impl Future<Output = T> {
    struct Slot<T> {
        value: Option<T>,
        waker: Option<std::task::Waker>,
    }
    let slot = Arc::new(Mutex::new(Slot {
        value: None,
        waker: None,
    }));
    let mut sender = Some((slot.clone(), value));
    std::future::poll_fn(move |cx| {
        if let Some((slot, value)) = sender.take() {
            std::thread::spawn(move || {
                let mut slot = slot.lock().unwrap();
                slot.value = Some(value);
                if let Some(waker) = slot.waker.take() {
                    waker.wake();
                }
            });
        }
        let mut slot = slot.lock().unwrap();
        match slot.value.take() {
            Some(value) => Poll::Ready(value),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    })
}
