//! Loom models of `Notify`: `notify_one` racing a dropped `Notified`, and `notify_waiters`.
#![cfg(loom)]

use eddy_sync::Notify;
use eddy_test_support::executor::block_on;
use loom::sync::Arc;
use loom::thread;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

#[test]
fn notify_one_racing_a_dropped_notified_is_not_lost() {
    loom::model(|| {
        let notify = Arc::new(Notify::new());
        let n = notify.clone();
        let notifier = thread::spawn(move || n.notify_one());
        let consumed = {
            let mut notified = pin!(notify.notified());
            let mut cx = Context::from_waker(Waker::noop());
            notified.as_mut().poll(&mut cx).is_ready()
        };
        notifier.join().unwrap();
        if !consumed {
            // The notification went to the dropped waiter or was stored; either way it is here.
            let mut again = pin!(notify.notified());
            let mut cx = Context::from_waker(Waker::noop());
            assert!(again.as_mut().poll(&mut cx).is_ready());
        }
    });
}

#[test]
fn dropped_waiter_passes_notification_to_the_next() {
    loom::model(|| {
        let notify = Arc::new(Notify::new());
        let n = notify.clone();
        let waiter = thread::spawn(move || block_on(n.notified()));
        {
            let mut first = pin!(notify.notified());
            let mut cx = Context::from_waker(Waker::noop());
            if first.as_mut().poll(&mut cx) == Poll::Ready(()) {
                // This one took the notification meant for someone: hand a new one on.
                notify.notify_one();
            }
            notify.notify_one();
        }
        waiter.join().unwrap();
    });
}

#[test]
fn notify_waiters_wakes_a_created_future() {
    loom::model(|| {
        let notify = Arc::new(Notify::new());
        let notified_created = Arc::new(loom::sync::atomic::AtomicBool::new(false));
        let (n, flag) = (notify.clone(), notified_created.clone());
        let waiter = thread::spawn(move || {
            let notified = n.notified();
            flag.store(true, loom::sync::atomic::Ordering::SeqCst);
            block_on(notified);
        });
        loop {
            if notified_created.load(loom::sync::atomic::Ordering::SeqCst) {
                break;
            }
            thread::yield_now();
        }
        notify.notify_waiters();
        waiter.join().unwrap();
    });
}
