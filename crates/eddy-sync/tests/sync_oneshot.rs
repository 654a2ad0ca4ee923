#![cfg(not(loom))]

use eddy_sync::oneshot::{self, error::TryRecvError};
use eddy_test_support::executor::{block_on, spawn_thread};
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::counting;
use std::sync::Arc;
use std::task::Poll;

#[test]
fn send_then_await() {
    let (tx, rx) = oneshot::channel();
    tx.send("hi").unwrap();
    assert_eq!(block_on(rx), Ok("hi"));
}

#[test]
fn send_from_another_thread_wakes_the_receiver() {
    let (tx, rx) = oneshot::channel();
    let sender = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(10));
        tx.send(5u32).unwrap();
    });
    assert_eq!(block_on(rx), Ok(5));
    sender.join().unwrap();
}

#[test]
fn dropped_sender_gives_recv_error() {
    let (tx, rx) = oneshot::channel::<u8>();
    let (wakes, waker) = counting();
    let mut rx = Box::pin(rx);
    assert!(poll_once(rx.as_mut(), &waker).is_pending());
    drop(tx);
    assert_eq!(wakes.count(), 1);
    assert!(matches!(
        poll_once(rx.as_mut(), &waker),
        Poll::Ready(Err(_))
    ));
    assert!(rx.is_terminated());
}

#[test]
fn send_to_dropped_receiver_returns_the_value() {
    let (tx, rx) = oneshot::channel();
    drop(rx);
    assert!(tx.is_closed());
    assert_eq!(tx.send(9), Err(9));
}

#[test]
fn try_recv_empty_value_closed() {
    let (tx, mut rx) = oneshot::channel();
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    assert!(rx.is_empty());
    tx.send(1).unwrap();
    assert!(!rx.is_empty());
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
}

#[test]
fn close_wakes_sender_closed_and_keeps_an_earlier_value() {
    let (mut tx, mut rx) = oneshot::channel::<u8>();
    let waiter = std::thread::spawn(move || {
        block_on(tx.closed());
        tx.send(1)
    });
    std::thread::sleep(std::time::Duration::from_millis(10));
    rx.close();
    assert_eq!(waiter.join().unwrap(), Err(1));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));

    let (tx, mut rx) = oneshot::channel();
    tx.send(2).unwrap();
    rx.close();
    assert_eq!(rx.try_recv(), Ok(2));
}

#[test]
fn blocking_recv_from_plain_thread() {
    let (tx, rx) = oneshot::channel();
    let receiver = std::thread::spawn(move || rx.blocking_recv());
    spawn_thread(async move { tx.send(3).unwrap() })
        .join()
        .unwrap();
    assert_eq!(receiver.join().unwrap(), Ok(3));
}

#[test]
fn an_unreceived_value_is_dropped_with_the_channel() {
    let value = Arc::new(());
    let (tx, rx) = oneshot::channel();
    tx.send(value.clone()).unwrap();
    drop(rx);
    assert_eq!(Arc::strong_count(&value), 1);
}

#[test]
fn racing_send_and_drop_never_leak_or_lose() {
    for _ in 0..1_000 {
        let value = Arc::new(());
        let (tx, rx) = oneshot::channel();
        let v = value.clone();
        let sender = std::thread::spawn(move || {
            let _ = tx.send(v);
        });
        drop(rx);
        sender.join().unwrap();
        assert_eq!(Arc::strong_count(&value), 1);
    }
}

#[test]
fn a_send_refused_after_close_ends_the_awaiting_receiver() {
    let (tx, mut rx) = oneshot::channel::<u8>();
    rx.close();
    let sender = std::thread::spawn(move || tx.send(5));
    assert_eq!(sender.join().unwrap(), Err(5));
    assert!(rx.blocking_recv().is_err());
}

#[test]
fn many_channels_finished_in_every_order_free_their_values() {
    let value = Arc::new(());
    for order in 0..4 {
        let (tx, rx) = oneshot::channel();
        tx.send(value.clone()).unwrap();
        match order {
            0 => drop(rx),
            1 => drop(rx.blocking_recv().unwrap()),
            _ => {
                let mut rx = rx;
                rx.close();
                if order == 3 {
                    drop(rx.try_recv().unwrap());
                }
            }
        }
    }
    assert_eq!(Arc::strong_count(&value), 1);
}

/// Regression: a receiver that closed itself while the sender lives used to wait forever.
#[test]
fn closed_receiver_completes_while_the_sender_lives() {
    let (tx, mut rx) = oneshot::channel::<u8>();
    rx.close();
    let (wakes, waker) = counting();
    let mut rx = Box::pin(rx);
    assert!(matches!(
        poll_once(rx.as_mut(), &waker),
        Poll::Ready(Err(_))
    ));
    assert!(rx.is_terminated());
    assert_eq!(wakes.count(), 0);
    assert!(tx.is_closed());
    assert_eq!(tx.send(1), Err(1));
}

/// A value sent before the receiver closed is still received after the close.
#[test]
fn value_sent_before_close_is_received() {
    let (tx, mut rx) = oneshot::channel();
    tx.send(9).unwrap();
    rx.close();
    assert_eq!(block_on(rx), Ok(9));
}
