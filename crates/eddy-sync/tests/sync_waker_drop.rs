//! A user's waker may do anything when it is dropped, including use the very primitive that
//! stored it. Each test stores such a waker in a waiting future, then polls again with another
//! waker, so that the primitive replaces (drops) the first one: before wakers were dropped
//! outside the primitives' locks, these deadlocked (Tokio's `send_in_waker_drop`).
#![cfg(not(loom))]

use eddy_sync::{broadcast, Notify, Semaphore};
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::counting;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Poll, Wake, Waker};

/// A waker that runs `on_drop` when its last handle goes away, and records that it did.
struct ActOnDrop<F: Fn() + Send + Sync> {
    on_drop: F,
    dropped: Arc<AtomicBool>,
}

impl<F: Fn() + Send + Sync> Wake for ActOnDrop<F> {
    fn wake(self: Arc<Self>) {}
}

impl<F: Fn() + Send + Sync> Drop for ActOnDrop<F> {
    fn drop(&mut self) {
        (self.on_drop)();
        self.dropped.store(true, Ordering::SeqCst);
    }
}

fn act_on_drop(on_drop: impl Fn() + Send + Sync + 'static) -> (Waker, Arc<AtomicBool>) {
    let dropped = Arc::new(AtomicBool::new(false));
    let waker = Waker::from(Arc::new(ActOnDrop {
        on_drop,
        dropped: dropped.clone(),
    }));
    (waker, dropped)
}

/// Polls `future` with `first` (it waits), drops the caller's handle of `first`, and polls again
/// with a counting waker, so that the future replaces `first` and drops it: its action makes
/// the future ready, and wakes the counting waker. Then the third poll gives the output.
fn replace_then_complete<F: Future>(
    mut future: Pin<Box<F>>,
    first: Waker,
    dropped: &AtomicBool,
) -> F::Output {
    assert!(poll_once(future.as_mut(), &first).is_pending());
    drop(first);
    let (wakes, second) = counting();
    assert!(poll_once(future.as_mut(), &second).is_pending());
    assert!(dropped.load(Ordering::SeqCst));
    assert_eq!(wakes.count(), 1);
    match poll_once(future.as_mut(), &second) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("woken, but not ready"),
    }
}

#[test]
fn broadcast_waker_that_sends_on_drop() {
    let (tx, mut rx) = broadcast::channel(4);
    let sender = tx.clone();
    let (waker, dropped) = act_on_drop(move || {
        let _ = sender.send(1);
    });
    let received = replace_then_complete(Box::pin(rx.recv()), waker, &dropped);
    assert_eq!(received, Ok(1));
    drop(tx);
}

#[test]
fn semaphore_waker_that_releases_on_drop() {
    let semaphore = Arc::new(Semaphore::new(0));
    let releaser = semaphore.clone();
    let (waker, dropped) = act_on_drop(move || releaser.add_permits(1));
    let permit = replace_then_complete(Box::pin(semaphore.acquire()), waker, &dropped);
    assert_eq!(permit.unwrap().num_permits(), 1);
}

#[test]
fn notify_waker_that_notifies_on_drop() {
    let notify = Arc::new(Notify::new());
    let notifier = notify.clone();
    let (waker, dropped) = act_on_drop(move || notifier.notify_one());
    replace_then_complete(Box::pin(notify.notified()), waker, &dropped);
}
