#![cfg(not(loom))]

use eddy_sync::Notify;
use eddy_test_support::executor::{block_on, spawn_thread};
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::{counting, hooked, PanicOnWake};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::pin;
use std::sync::Arc;

#[test]
fn notify_one_before_wait_stores_a_permit() {
    let notify = Notify::new();
    notify.notify_one();
    notify.notify_one();
    block_on(notify.notified());
    let (_, waker) = counting();
    let mut second = pin!(notify.notified());
    assert!(
        poll_once(second.as_mut(), &waker).is_pending(),
        "only one permit is stored"
    );
}

#[test]
fn notify_one_wakes_a_waiting_thread() {
    let notify = Arc::new(Notify::new());
    let n = notify.clone();
    let waiter = spawn_thread(async move { n.notified().await });
    std::thread::sleep(std::time::Duration::from_millis(10));
    notify.notify_one();
    waiter.join().unwrap();
}

#[test]
fn notify_one_is_fifo_and_notify_last_is_lifo() {
    let notify = Notify::new();
    let (first_wakes, first_waker) = counting();
    let (second_wakes, second_waker) = counting();
    let mut first = pin!(notify.notified());
    let mut second = pin!(notify.notified());
    assert!(poll_once(first.as_mut(), &first_waker).is_pending());
    assert!(poll_once(second.as_mut(), &second_waker).is_pending());
    notify.notify_last();
    assert_eq!((first_wakes.count(), second_wakes.count()), (0, 1));
    notify.notify_one();
    assert_eq!((first_wakes.count(), second_wakes.count()), (1, 1));
    assert!(poll_once(first.as_mut(), &first_waker).is_ready());
    assert!(poll_once(second.as_mut(), &second_waker).is_ready());
}

#[test]
fn dropped_notified_passes_its_notification_on() {
    let notify = Notify::new();
    let (_, first_waker) = counting();
    let (second_wakes, second_waker) = counting();
    let mut first = Box::pin(notify.notified());
    let mut second = pin!(notify.notified());
    assert!(poll_once(first.as_mut(), &first_waker).is_pending());
    assert!(poll_once(second.as_mut(), &second_waker).is_pending());
    notify.notify_one();
    drop(first);
    assert_eq!(second_wakes.count(), 1);
    assert!(poll_once(second.as_mut(), &second_waker).is_ready());
}

#[test]
fn dropped_notified_with_nobody_behind_stores_the_permit() {
    let notify = Notify::new();
    let (_, waker) = counting();
    let mut first = Box::pin(notify.notified());
    assert!(poll_once(first.as_mut(), &waker).is_pending());
    notify.notify_one();
    drop(first);
    let mut again = pin!(notify.notified());
    assert!(poll_once(again.as_mut(), &waker).is_ready());
}

#[test]
fn notify_waiters_wakes_every_created_future_but_stores_nothing() {
    let notify = Notify::new();
    let (_, waker) = counting();
    let mut polled = pin!(notify.notified());
    assert!(poll_once(polled.as_mut(), &waker).is_pending());
    let mut created_not_polled = pin!(notify.notified());
    notify.notify_waiters();
    let mut created_after = pin!(notify.notified());
    assert!(poll_once(polled.as_mut(), &waker).is_ready());
    assert!(poll_once(created_not_polled.as_mut(), &waker).is_ready());
    assert!(poll_once(created_after.as_mut(), &waker).is_pending());
}

#[test]
fn enable_queues_without_polling() {
    let notify = Notify::new();
    let (_, waker) = counting();
    let mut enabled = pin!(notify.notified());
    assert!(!enabled.as_mut().enable());
    notify.notify_one();
    assert!(poll_once(enabled.as_mut(), &waker).is_ready());
    notify.notify_one();
    let mut with_permit = pin!(notify.notified());
    assert!(with_permit.as_mut().enable());
}

#[test]
fn many_threads_every_notification_is_delivered() {
    let notify = Arc::new(Notify::new());
    let waiters: Vec<_> = (0..4)
        .map(|_| {
            let notify = notify.clone();
            spawn_thread(async move {
                for _ in 0..500 {
                    notify.notified().await;
                }
            })
        })
        .collect();
    let mut done = 0;
    while done < waiters.len() {
        notify.notify_one();
        done = waiters.iter().filter(|w| w.is_finished()).count();
        std::thread::yield_now();
    }
    for waiter in waiters {
        waiter.join().unwrap();
    }
}

#[test]
fn const_new_in_a_static() {
    static NOTIFY: Notify = Notify::const_new();
    NOTIFY.notify_one();
    block_on(NOTIFY.notified());
}

#[test]
fn notified_owned_moves_into_a_thread() {
    let notify = Arc::new(Notify::new());
    let waiter = spawn_thread(notify.clone().notified_owned());
    let mut enabled = Box::pin(notify.clone().notified_owned());
    assert!(!enabled.as_mut().enable());
    while !waiter.is_finished() {
        notify.notify_waiters();
        std::thread::yield_now();
    }
    waiter.join().unwrap();
    let (_, waker) = counting();
    assert!(poll_once(enabled.as_mut(), &waker).is_ready());
}

/// A waiter completed by `notify_waiters` before its first poll leaves a later `notify_one`'s
/// permit for the next waiter instead of consuming it.
#[test]
fn a_broadcast_completed_waiter_leaves_the_permit() {
    let notify = Notify::new();
    let first = notify.notified();
    notify.notify_waiters();
    notify.notify_one();
    let (_, waker) = counting();
    assert!(poll_once(pin!(first), &waker).is_ready());
    assert!(poll_once(pin!(notify.notified()), &waker).is_ready());
}

/// A waiter whose waker panics costs the other waiters nothing: `notify_waiters` wakes every
/// one of them, then lets the panic out. The waiter between two panicking ones was never woken
/// when eddy-sync's own wake list dropped the wakers after a panicking one.
#[test]
fn notify_waiters_wakes_everyone_when_a_waker_panics() {
    let notify = Notify::new();
    let panicking = Arc::new(PanicOnWake::default());
    let (counter, waker) = counting();
    let panicking_waker = hooked(panicking.clone());
    let mut first = pin!(notify.notified());
    let mut middle = pin!(notify.notified());
    let mut last = pin!(notify.notified());
    assert!(poll_once(first.as_mut(), &panicking_waker).is_pending());
    assert!(poll_once(middle.as_mut(), &waker).is_pending());
    assert!(poll_once(last.as_mut(), &panicking_waker).is_pending());

    let outcome = catch_unwind(AssertUnwindSafe(|| notify.notify_waiters()));
    assert!(outcome.is_err(), "the waker's panic reaches the notifier");
    assert_eq!(counter.count(), 1);
    assert_eq!(panicking.count(), 2);
    assert!(poll_once(middle.as_mut(), &waker).is_ready());
    assert!(poll_once(first.as_mut(), &waker).is_ready());
    assert!(poll_once(last.as_mut(), &waker).is_ready());
}
