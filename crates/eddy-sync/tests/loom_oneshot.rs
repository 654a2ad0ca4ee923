//! Loom models of the oneshot channel: send racing receive, drop and close, and the channel
//! freed exactly once whichever side finishes last.
#![cfg(loom)]

use eddy_sync::oneshot;
use eddy_test_support::executor::block_on;
use eddy_test_support::waker::noop_context;
use eddy_test_support::{assert_pending, DropCount};
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::Arc;
use loom::thread;
use std::future::Future;

#[test]
fn send_racing_recv() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel();
        let sender = thread::spawn(move || tx.send(7).unwrap());
        assert_eq!(block_on(rx), Ok(7));
        sender.join().unwrap();
    });
}

#[test]
fn sender_drop_racing_recv() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel::<u8>();
        let sender = thread::spawn(move || drop(tx));
        assert!(block_on(rx).is_err());
        sender.join().unwrap();
    });
}

#[test]
fn send_racing_receiver_drop_drops_the_value_once() {
    loom::model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = oneshot::channel();
        let value = DropCount(drops.clone());
        let sender = thread::spawn(move || {
            let _ = tx.send(value);
        });
        drop(rx);
        sender.join().unwrap();
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    });
}

#[test]
fn close_wakes_closed() {
    loom::model(|| {
        let (mut tx, mut rx) = oneshot::channel::<u8>();
        let sender = thread::spawn(move || {
            block_on(tx.closed());
            tx.send(1)
        });
        rx.close();
        assert_eq!(sender.join().unwrap(), Err(1));
    });
}

/// Polls `rx` once with a waker that does nothing, so that it registers a waker and the other
/// side must wake it (the models only need the waker slots filled).
fn poll_once<T>(rx: &mut oneshot::Receiver<T>) {
    assert_pending!(std::pin::Pin::new(rx).poll(&mut noop_context()));
}

#[test]
fn both_sides_drop_concurrently_free_the_channel_once() {
    loom::model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let (tx, mut rx) = oneshot::channel();
        poll_once(&mut rx);
        let value = DropCount(drops.clone());
        let sender = thread::spawn(move || {
            let _ = tx.send(value);
        });
        drop(rx);
        sender.join().unwrap();
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    });
}

#[test]
fn sender_drop_racing_receiver_drop_with_both_wakers_set() {
    loom::model(|| {
        let (mut tx, mut rx) = oneshot::channel::<DropCount>();
        poll_once(&mut rx);
        assert_pending!(tx.poll_closed(&mut noop_context()));
        let sender = thread::spawn(move || drop(tx));
        drop(rx);
        sender.join().unwrap();
    });
}

#[test]
fn failed_send_after_close_ends_a_waiting_receiver() {
    loom::model(|| {
        let (tx, mut rx) = oneshot::channel::<u8>();
        rx.close();
        let sender = thread::spawn(move || tx.send(3));
        assert!(block_on(&mut rx).is_err());
        assert_eq!(sender.join().unwrap(), Err(3));
    });
}

/// A receiver that closed itself completes while the sender may still be sending: with the
/// value if the send got in first, with the error otherwise, and the value is dropped once.
#[test]
fn closed_receiver_completes_while_a_send_races() {
    loom::model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let (tx, mut rx) = oneshot::channel();
        let value = DropCount(drops.clone());
        let sender = thread::spawn(move || tx.send(value).is_ok());
        rx.close();
        let received = block_on(rx);
        let sent = sender.join().unwrap();
        assert_eq!(received.is_ok(), sent);
        drop(received);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    });
}
