#![cfg(not(loom))]

use eddy_sync::broadcast::{self, error::RecvError, error::TryRecvError};
use eddy_test_support::executor::{block_on, spawn_thread};
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::counting;
use std::pin::pin;
use std::sync::Arc;

#[test]
fn every_receiver_sees_every_value() {
    // Fewer values under miri, where each hand-off between threads costs milliseconds.
    let count: u64 = if cfg!(miri) { 50 } else { 1_000 };
    let (tx, rx) = broadcast::channel(1024);
    let receivers: Vec<_> = (0..8)
        .map(|_| {
            let mut rx = rx.resubscribe();
            spawn_thread(async move {
                let mut sum = 0u64;
                loop {
                    match rx.recv().await {
                        Ok(v) => sum += v,
                        Err(RecvError::Closed) => return sum,
                        Err(RecvError::Lagged(n)) => panic!("lagged by {n}"),
                    }
                }
            })
        })
        .collect();
    drop(rx);
    for i in 0..count {
        tx.send(i).unwrap();
    }
    drop(tx);
    for receiver in receivers {
        assert_eq!(receiver.join().unwrap(), count * (count - 1) / 2);
    }
}

#[test]
fn slow_receiver_lags_and_resumes_at_the_oldest_value() {
    let (tx, mut rx) = broadcast::channel(4);
    for i in 0..10 {
        tx.send(i).unwrap();
    }
    assert_eq!(rx.len(), 10);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Lagged(6)));
    assert_eq!(block_on(rx.recv()), Ok(6));
    assert_eq!(rx.try_recv(), Ok(7));
    let mut rx2 = tx.subscribe();
    for i in 10..20 {
        tx.send(i).unwrap();
    }
    assert_eq!(block_on(rx2.recv()), Err(RecvError::Lagged(6)));
    assert_eq!(block_on(rx2.recv()), Ok(16));
}

#[test]
fn capacity_rounds_up_to_a_power_of_two() {
    let (tx, mut rx) = broadcast::channel(3);
    for i in 0..4 {
        tx.send(i).unwrap();
    }
    assert_eq!(rx.try_recv(), Ok(0));
}

#[test]
fn closed_after_draining() {
    let (tx, mut rx) = broadcast::channel(2);
    tx.send(1).unwrap();
    drop(tx);
    assert!(rx.is_closed());
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    assert_eq!(rx.blocking_recv(), Err(RecvError::Closed));
}

#[test]
fn send_without_receivers_fails() {
    let (tx, rx) = broadcast::channel(2);
    drop(rx);
    assert_eq!(tx.send(5).unwrap_err().0, 5);
    assert_eq!(tx.receiver_count(), 0);
}

#[test]
fn waiting_receiver_is_woken_and_dropped_recv_unlinks() {
    let (tx, mut rx) = broadcast::channel(2);
    let (wakes, waker) = counting();
    {
        let mut recv = pin!(rx.recv());
        assert!(poll_once(recv.as_mut(), &waker).is_pending());
    }
    let mut recv = pin!(rx.recv());
    assert!(poll_once(recv.as_mut(), &waker).is_pending());
    tx.send(3).unwrap();
    assert_eq!(wakes.count(), 1);
    assert_eq!(
        poll_once(recv.as_mut(), &waker),
        std::task::Poll::Ready(Ok(3))
    );
}

#[test]
fn values_are_dropped_once_every_receiver_has_them() {
    let value = Arc::new(());
    let (tx, mut rx1) = broadcast::channel(8);
    let mut rx2 = tx.subscribe();
    tx.send(value.clone()).unwrap();
    assert_eq!(tx.len(), 1);
    drop(rx1.try_recv().unwrap());
    assert_eq!(Arc::strong_count(&value), 2);
    drop(rx2.try_recv().unwrap());
    assert_eq!(Arc::strong_count(&value), 1);
    assert!(tx.is_empty());
    tx.send(value.clone()).unwrap();
    drop(rx1);
    drop(rx2);
    assert_eq!(
        Arc::strong_count(&value),
        1,
        "dropped receivers release unread values"
    );
}

#[test]
fn weak_sender_and_closed() {
    let (tx, rx) = broadcast::channel::<u8>(2);
    let weak = tx.downgrade();
    assert_eq!((tx.strong_count(), tx.weak_count()), (1, 1));
    let strong = weak.upgrade().unwrap();
    assert!(strong.same_channel(&tx));
    drop(strong);
    let tx2 = tx.clone();
    let waiter = spawn_thread(async move { tx2.closed().await });
    drop(rx);
    waiter.join().unwrap();
    drop(tx);
    assert!(weak.upgrade().is_none());
}

#[test]
#[should_panic(expected = "broadcast channel capacity cannot be zero")]
fn zero_capacity_panics() {
    let _ = broadcast::channel::<u8>(0);
}

/// Every receiver clones, the last one too, and a panicking `Clone` costs the receiver that
/// one value only: it has moved past it.
#[test]
fn a_panicking_clone_skips_one_value() {
    #[derive(Debug, PartialEq)]
    struct Fragile(u8);
    impl Clone for Fragile {
        fn clone(&self) -> Fragile {
            assert_ne!(self.0, 0, "cannot clone zero");
            Fragile(self.0)
        }
    }
    let (tx, mut rx) = broadcast::channel(4);
    tx.send(Fragile(0)).unwrap();
    tx.send(Fragile(1)).unwrap();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rx.try_recv()));
    assert!(outcome.is_err());
    assert_eq!(rx.try_recv(), Ok(Fragile(1)));
    assert_eq!(tx.len(), 0);
}
