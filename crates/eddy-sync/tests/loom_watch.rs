//! Loom models of the watch channel: a waiting receiver sees the last value.
#![cfg(loom)]

use eddy_sync::watch;
use eddy_test_support::executor::block_on;
use loom::thread;

#[test]
fn receiver_sees_the_last_value() {
    loom::model(|| {
        let (tx, mut rx) = watch::channel(0);
        let sender = thread::spawn(move || {
            tx.send(1).unwrap();
            tx.send(2).unwrap();
        });
        block_on(async {
            while *rx.borrow_and_update() != 2 {
                rx.changed().await.unwrap();
            }
        });
        sender.join().unwrap();
    });
}

#[test]
fn sender_drop_wakes_the_receiver() {
    loom::model(|| {
        let (tx, mut rx) = watch::channel(0);
        let sender = thread::spawn(move || drop(tx));
        assert!(block_on(rx.changed()).is_err());
        sender.join().unwrap();
    });
}
