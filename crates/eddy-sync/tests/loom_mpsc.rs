//! Loom models of the mpsc channels: send, receive (across a block boundary) and close.
#![cfg(loom)]

use eddy_sync::mpsc;
use eddy_test_support::assert_pending;
use eddy_test_support::executor::block_on;
use eddy_test_support::waker::noop_context;
use loom::thread;
use std::future::Future;

#[test]
fn bounded_send_recv_across_blocks() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::channel(1);
        let sender = thread::spawn(move || {
            for i in 0..3 {
                block_on(tx.send(i)).unwrap();
            }
        });
        for i in 0..3 {
            assert_eq!(block_on(rx.recv()), Some(i));
        }
        assert_eq!(block_on(rx.recv()), None);
        sender.join().unwrap();
    });
}

#[test]
fn unbounded_two_producers() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let tx2 = tx.clone();
        let first = thread::spawn(move || tx.send(1).unwrap());
        let second = thread::spawn(move || tx2.send(2).unwrap());
        let mut sum = 0;
        while let Some(v) = block_on(rx.recv()) {
            sum += v;
        }
        assert_eq!(sum, 3);
        first.join().unwrap();
        second.join().unwrap();
    });
}

#[test]
fn close_racing_send_loses_nothing() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::channel(2);
        let sender = thread::spawn(move || tx.try_send(1).is_ok());
        rx.close();
        let received = block_on(rx.recv());
        let sent = sender.join().unwrap();
        assert_eq!(received.is_some(), sent);
        assert_eq!(block_on(rx.recv()), None);
    });
}

#[test]
fn dropped_waiting_send_keeps_capacity_and_messages() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::channel(1);
        tx.try_send(1).unwrap();
        let tx2 = tx.clone();
        let sender = thread::spawn(move || {
            let mut send = Box::pin(tx2.send(2));
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            std::future::Future::poll(send.as_mut(), &mut cx).is_ready()
        });
        assert_eq!(block_on(rx.recv()), Some(1));
        let second_sent = sender.join().unwrap();
        if second_sent {
            assert_eq!(block_on(rx.recv()), Some(2));
        }
        assert_eq!(tx.capacity(), 1);
    });
}

/// A receiver that closed the channel waits for it to be empty and idle; a queued reservation
/// that is cancelled on another thread (after its slot was handed to it) must end that wait.
#[test]
fn cancelled_reservation_ends_a_closed_receivers_wait() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::channel::<u8>(1);
        let held = tx.clone().try_reserve_owned().unwrap();
        let mut reserve = Box::pin(tx.clone().reserve_owned());
        assert_pending!(reserve.as_mut().poll(&mut noop_context()));
        let canceller = thread::spawn(move || {
            drop(held);
            drop(reserve);
        });
        rx.close();
        assert_eq!(block_on(rx.recv()), None);
        canceller.join().unwrap();
        drop(tx);
    });
}
