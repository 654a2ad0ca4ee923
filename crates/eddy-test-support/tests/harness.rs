//! The hand-poll harness, the wakers, `block_on` and `Gate`, and the failure messages of the
//! `assert_ready!` family.
#![cfg(not(loom))]

use eddy_test_support::executor::{block_on, spawn_thread};
use eddy_test_support::future::{yield_now, Gate};
use eddy_test_support::waker::{counting, noop_context, on_drop, on_wake, with_noop_context};
use eddy_test_support::{
    assert_pending, assert_ready, assert_ready_eq, assert_ready_err, assert_ready_ok,
    panic_message, task, CallCount, DropCount,
};
use std::future::{pending, ready, Future};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::Poll;

#[test]
fn a_pending_future_is_woken_then_ready() {
    let gate = Gate::new();
    let mut task = task::spawn(gate.clone());
    assert_pending!(task.poll());
    assert!(!task.is_woken());
    gate.open();
    assert!(task.is_woken());
    assert_eq!(task.wake_count(), 1);
    assert_ready!(task.poll());
    assert!(!task.is_woken(), "a poll resets is_woken");
    assert_eq!(task.wake_count(), 1);
}

#[test]
fn a_wake_during_the_poll_counts_as_woken() {
    let mut task = task::spawn(yield_now());
    assert_pending!(task.poll());
    assert!(task.is_woken());
    assert_ready!(task.poll());
}

#[test]
fn ready_futures_give_their_values() {
    assert_eq!(assert_ready!(task::spawn(ready(5)).poll()), 5);
    assert_ready_eq!(task::spawn(ready("five")).poll(), "five");
    let ok: Result<u8, String> = Ok(5);
    assert_eq!(assert_ready_ok!(task::spawn(ready(ok)).poll()), 5);
    let err: Result<u8, String> = Err("no".to_owned());
    assert_eq!(assert_ready_err!(task::spawn(ready(err)).poll()), "no");
}

#[test]
fn enter_polls_with_the_tasks_waker() {
    let mut task = task::spawn(Gate::new());
    let first = task.enter(|cx, gate| {
        cx.waker().wake_by_ref();
        gate.poll(cx)
    });
    assert_pending!(first);
    assert!(task.is_woken());
}

#[test]
#[should_panic(expected = "expected Ready, got Pending")]
fn assert_ready_fails_on_pending() {
    assert_ready!(task::spawn(pending::<()>()).poll());
}

#[test]
#[should_panic(expected = "expected Ready, got Pending: the gate 3")]
fn assert_ready_adds_the_message() {
    assert_ready!(task::spawn(pending::<()>()).poll(), "the gate {}", 3);
}

#[test]
#[should_panic(expected = "expected Pending, got Ready")]
fn assert_pending_fails_on_ready() {
    assert_pending!(task::spawn(ready(())).poll());
}

#[test]
#[should_panic(expected = "expected Pending, got Ready: after open")]
fn assert_pending_adds_the_message() {
    assert_pending!(task::spawn(ready(())).poll(), "after {}", "open");
}

#[test]
#[should_panic(expected = "expected Ready(Ok(_)), got Ready(Err(\"no\"))")]
fn assert_ready_ok_fails_on_an_error() {
    let err: Result<(), &str> = Err("no");
    assert_ready_ok!(task::spawn(ready(err)).poll());
}

#[test]
#[should_panic(expected = "expected Ready, got Pending")]
fn assert_ready_ok_fails_on_pending() {
    assert_ready_ok!(task::spawn(pending::<Result<(), ()>>()).poll());
}

#[test]
#[should_panic(expected = "expected Ready(Err(_)), got Ready(Ok(_))")]
fn assert_ready_err_fails_on_ok() {
    let ok: Result<(), ()> = Ok(());
    assert_ready_err!(task::spawn(ready(ok)).poll());
}

#[test]
#[should_panic(expected = "left: 1")]
fn assert_ready_eq_fails_on_another_value() {
    assert_ready_eq!(task::spawn(ready(1)).poll(), 2);
}

#[test]
fn counting_waker_counts_by_value_and_by_reference() {
    let (wakes, waker) = counting();
    let clone = waker.clone();
    waker.wake_by_ref();
    clone.wake();
    assert_eq!(wakes.count(), 2);
    drop(waker);
    assert_eq!(
        Arc::strong_count(&wakes),
        1,
        "the wakers released the counter"
    );
}

#[test]
fn the_noop_context_polls() {
    assert_eq!(
        std::pin::pin!(ready(1)).poll(&mut noop_context()),
        Poll::Ready(1)
    );
}

#[test]
fn with_noop_context_lends_the_context() {
    let polled = with_noop_context(|cx| std::pin::pin!(ready(2)).poll(cx));
    assert_eq!(polled, Poll::Ready(2));
}

#[test]
fn on_wake_runs_on_every_wake() {
    let runs = Arc::new(AtomicUsize::new(0));
    let counter = runs.clone();
    let waker = on_wake(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    waker.wake_by_ref();
    waker.wake();
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[test]
fn on_drop_runs_when_the_last_handle_goes() {
    let runs = Arc::new(AtomicUsize::new(0));
    let counter = runs.clone();
    let (waker, dropped) = on_drop(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let clone = waker.clone();
    clone.wake();
    assert!(!dropped.load(Ordering::SeqCst));
    drop(waker);
    assert!(dropped.load(Ordering::SeqCst));
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[test]
fn block_on_waits_for_a_gate_opened_on_another_thread() {
    let gate = Gate::new();
    let opener = gate.clone();
    let thread = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(10));
        opener.open();
    });
    block_on(gate);
    thread.join().unwrap();
    assert_eq!(spawn_thread(async { 6 * 7 }).join().unwrap(), 42);
}

#[test]
fn drop_count_counts_drops() {
    let drops = Arc::new(AtomicUsize::new(0));
    drop((DropCount(drops.clone()), DropCount(drops.clone())));
    assert_eq!(drops.load(Ordering::SeqCst), 2);
}

#[test]
fn panic_message_reads_string_and_str_payloads() {
    let formatted = std::panic::catch_unwind(|| panic!("{} {}", "two", "words")).unwrap_err();
    assert_eq!(panic_message(&*formatted), "two words");
    let literal = std::panic::catch_unwind(|| panic!("literal")).unwrap_err();
    assert_eq!(panic_message(&*literal), "literal");
    let other = std::panic::catch_unwind(|| std::panic::panic_any(7)).unwrap_err();
    assert_eq!(panic_message(&*other), "");
}

#[test]
fn call_count_counts_the_calls_of_every_hook() {
    let calls = CallCount::new();
    let (first, second) = (calls.hook(), calls.hook());
    first();
    second();
    first();
    assert_eq!(calls.get(), 3);
}
