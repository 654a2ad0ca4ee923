//! Loom models of the broadcast channel: two receivers each see every value.
#![cfg(loom)]

use eddy_sync::broadcast::{self, error::RecvError};
use eddy_test_support::executor::block_on;
use loom::thread;

#[test]
fn two_receivers_see_both_values_then_closed() {
    loom::model(|| {
        let (tx, mut rx1) = broadcast::channel(2);
        let mut rx2 = tx.subscribe();
        let sender = thread::spawn(move || {
            tx.send(1).unwrap();
            tx.send(2).unwrap();
        });
        let other = thread::spawn(move || {
            assert_eq!(block_on(rx2.recv()), Ok(1));
            assert_eq!(block_on(rx2.recv()), Ok(2));
            assert_eq!(block_on(rx2.recv()), Err(RecvError::Closed));
        });
        assert_eq!(block_on(rx1.recv()), Ok(1));
        assert_eq!(block_on(rx1.recv()), Ok(2));
        assert_eq!(block_on(rx1.recv()), Err(RecvError::Closed));
        sender.join().unwrap();
        other.join().unwrap();
    });
}

#[test]
fn lagging_receiver_racing_a_send() {
    loom::model(|| {
        let (tx, mut rx) = broadcast::channel(1);
        tx.send(1).unwrap();
        let sender = thread::spawn(move || tx.send(2).unwrap());
        let first = rx.try_recv();
        sender.join().unwrap();
        match first {
            Ok(1) => assert_eq!(rx.try_recv(), Ok(2)),
            Err(broadcast::error::TryRecvError::Lagged(1)) => assert_eq!(rx.try_recv(), Ok(2)),
            other => panic!("unexpected {other:?}"),
        }
    });
}
