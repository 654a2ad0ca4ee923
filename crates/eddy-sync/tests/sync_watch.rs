#![cfg(not(loom))]

use eddy_sync::watch;
use eddy_test_support::executor::{block_on, spawn_thread};
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::counting;
use std::pin::pin;

#[test]
fn changed_sees_sends_and_marks_them_seen() {
    let (tx, mut rx) = watch::channel(0);
    assert!(!rx.has_changed().unwrap());
    tx.send(1).unwrap();
    assert!(rx.has_changed().unwrap());
    assert!(rx.borrow().has_changed());
    block_on(rx.changed()).unwrap();
    assert!(!rx.has_changed().unwrap());
    assert_eq!(*rx.borrow(), 1);
}

#[test]
fn eight_receivers_see_the_latest_value() {
    // Fewer sends under miri, where each hand-off between threads costs milliseconds.
    let last: u32 = if cfg!(miri) { 50 } else { 1_000 };
    let (tx, rx) = watch::channel(0u32);
    let receivers: Vec<_> = (0..8)
        .map(|_| {
            let mut rx = rx.clone();
            spawn_thread(async move {
                loop {
                    if *rx.borrow_and_update() == last {
                        return;
                    }
                    rx.changed().await.unwrap();
                }
            })
        })
        .collect();
    for i in 1..=last {
        tx.send(i).unwrap();
    }
    for receiver in receivers {
        receiver.join().unwrap();
    }
    drop(rx);
}

#[test]
fn changed_fails_after_sender_drop_once_seen() {
    let (tx, mut rx) = watch::channel(0);
    tx.send(5).unwrap();
    drop(tx);
    assert!(rx.has_changed().is_err());
    assert!(
        block_on(rx.changed()).is_ok(),
        "an unseen value is reported first"
    );
    assert!(block_on(rx.changed()).is_err());
    assert_eq!(*rx.borrow(), 5);
}

#[test]
fn waiting_receiver_is_woken_by_sender_drop() {
    let (tx, mut rx) = watch::channel(());
    let (wakes, waker) = counting();
    let mut changed = pin!(rx.changed());
    assert!(poll_once(changed.as_mut(), &waker).is_pending());
    drop(tx);
    assert_eq!(wakes.count(), 1);
    assert!(matches!(
        poll_once(changed.as_mut(), &waker),
        std::task::Poll::Ready(Err(_))
    ));
}

#[test]
fn mark_changed_and_unchanged() {
    let (tx, mut rx) = watch::channel(0);
    rx.mark_changed();
    assert!(rx.has_changed().unwrap());
    rx.mark_unchanged();
    assert!(!rx.has_changed().unwrap());
    tx.send(1).unwrap();
    rx.mark_unchanged();
    assert!(!rx.has_changed().unwrap());
}

#[test]
fn send_modify_if_modified_replace() {
    let (tx, mut rx) = watch::channel(vec![1]);
    tx.send_modify(|v| v.push(2));
    assert!(rx.has_changed().unwrap());
    rx.borrow_and_update();
    assert!(!tx.send_if_modified(|_| false));
    assert!(!rx.has_changed().unwrap());
    assert!(tx.send_if_modified(|v| {
        v.push(3);
        true
    }));
    assert_eq!(tx.send_replace(vec![9]), vec![1, 2, 3]);
    assert_eq!(*rx.borrow_and_update(), vec![9]);
}

#[test]
fn send_without_receivers_fails_and_closed_completes() {
    let (tx, rx) = watch::channel(0);
    let rx2 = tx.subscribe();
    assert_eq!(tx.receiver_count(), 2);
    let tx2 = tx.clone();
    assert_eq!(tx.sender_count(), 2);
    let waiter = spawn_thread(async move { tx2.closed().await });
    drop(rx);
    drop(rx2);
    waiter.join().unwrap();
    assert!(tx.is_closed());
    assert_eq!(tx.send(1).unwrap_err().0, 1);
    assert_eq!(tx.send_replace(2), 0);
    assert_eq!(*tx.borrow(), 2);
}

#[test]
fn wait_for_checks_current_value_then_waits() {
    let (tx, mut rx) = watch::channel(0);
    assert_eq!(*block_on(rx.wait_for(|v| *v == 0)).unwrap(), 0);
    let sender = std::thread::spawn(move || {
        for i in 1..=10 {
            tx.send(i).unwrap();
        }
    });
    assert_eq!(*block_on(rx.wait_for(|v| *v == 10)).unwrap(), 10);
    sender.join().unwrap();
    assert!(block_on(rx.wait_for(|v| *v == 11)).is_err());
}

#[test]
fn subscribe_counts_current_value_as_seen_and_same_channel() {
    let (tx, rx) = watch::channel(1);
    tx.send(2).unwrap();
    let rx2 = tx.subscribe();
    assert!(!rx2.has_changed().unwrap());
    assert!(rx.has_changed().unwrap());
    assert!(rx.same_channel(&rx2));
    assert!(tx.same_channel(&watch::Sender::clone(&tx)));
}

#[test]
fn receiver_is_closed_once_every_sender_is_gone() {
    let (tx, rx) = watch::channel(());
    let tx2 = tx.clone();
    assert!(!rx.is_closed());
    drop(tx);
    assert!(!rx.is_closed());
    drop(tx2);
    assert!(rx.is_closed());
}

/// Polls `$wait` (an always-ready wait, made afresh each time) inside a budget until it yields.
macro_rules! yields_within_budget {
    ($wait:expr) => {
        eddy_core::coop::budget(|| {
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            let yielded = (0..1_000).any(|_| pin!($wait).poll(&mut cx).is_pending());
            assert!(yielded, "a thousand ready waits never yielded");
        })
    };
}

/// Regression: waits that are always ready (on a closed channel) never spent the cooperative
/// budget, so a loop over them starved every other task on its thread.
#[test]
fn waits_spend_the_cooperative_budget() {
    use std::future::Future;
    let (tx, mut rx) = watch::channel(0);
    drop(tx);
    yields_within_budget!(rx.changed());
    yields_within_budget!(rx.wait_for(|_| false));
    let (tx, rx) = watch::channel(0);
    drop(rx);
    yields_within_budget!(tx.closed());
}
