//! Timeouts: elapse, success, the order of polls, and the cooperative budget.

mod support;

use eddy_core::coop;
use eddy_test_support::task::poll_once;
use eddy_time::{sleep, timeout, timeout_at, Duration, Instant};
use std::future::{pending, poll_fn, Future};
use std::pin::pin;
use std::task::{Poll, Waker};
use support::TimeDriver;

#[test]
fn elapses_at_the_deadline() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    let outcome = driver.block_on(timeout(Duration::from_secs(30), pending::<()>()));
    assert!(outcome.is_err());
    assert_eq!(Instant::now(), start + Duration::from_secs(30));
}

#[test]
fn succeeds_when_the_future_wins() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    let outcome = driver.block_on(timeout(Duration::from_secs(30), async {
        sleep(Duration::from_secs(10)).await;
        "done"
    }));
    assert_eq!(outcome, Ok("done"));
    assert_eq!(Instant::now(), start + Duration::from_secs(10));
}

#[test]
fn timeout_at_uses_an_absolute_deadline() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    let deadline = start + Duration::from_millis(70);
    let outcome = driver.block_on(timeout_at(deadline, sleep(Duration::from_secs(1))));
    assert!(outcome.is_err());
    assert_eq!(Instant::now(), deadline);
}

#[test]
fn a_ready_future_wins_over_an_elapsed_deadline() {
    let mut driver = TimeDriver::paused();
    let mut expired = pin!(timeout(Duration::ZERO, async { 5 }));
    driver.block_on(sleep(Duration::from_millis(2)));
    assert_eq!(
        poll_once(expired.as_mut(), Waker::noop()),
        Poll::Ready(Ok(5))
    );
}

#[test]
fn an_overflowing_duration_never_elapses() {
    let mut driver = TimeDriver::paused();
    let outcome = driver.block_on(timeout(Duration::MAX, async { 1 }));
    assert_eq!(outcome, Ok(1));
    let mut forever = pin!(timeout(Duration::MAX, pending::<()>()));
    assert!(poll_once(forever.as_mut(), Waker::noop()).is_pending());
}

#[test]
fn accessors_reach_the_inner_future() {
    let _driver = TimeDriver::paused();
    let mut wrapped = timeout(Duration::from_secs(1), async { 3 });
    let _: &_ = wrapped.get_ref();
    let _: &mut _ = wrapped.get_mut();
    let inner = wrapped.into_inner();
    let mut inner = pin!(inner);
    assert_eq!(poll_once(inner.as_mut(), Waker::noop()), Poll::Ready(3));
}

#[test]
fn elapsed_converts_to_a_timed_out_io_error() {
    let mut driver = TimeDriver::paused();
    let elapsed = driver
        .block_on(timeout(Duration::from_millis(1), pending::<()>()))
        .unwrap_err();
    assert_eq!(elapsed.to_string(), "deadline has elapsed");
    let error: std::io::Error = elapsed.into();
    assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
}

/// A future that spends every budget unit it is given and never completes. Only poll it inside
/// `coop::budget`: without a budget it would spin forever.
fn budget_hog() -> impl Future<Output = ()> {
    poll_fn(|cx| {
        while let Poll::Ready(unit) = coop::poll_proceed(cx) {
            unit.made_progress();
        }
        Poll::Pending
    })
}

#[test]
fn fires_even_when_the_inner_future_spent_the_whole_budget() {
    let mut driver = TimeDriver::paused();
    let mut guarded = pin!(timeout(Duration::from_millis(1), budget_hog()));
    let first = coop::budget(|| poll_once(guarded.as_mut(), Waker::noop()));
    assert!(first.is_pending());
    driver.block_on(sleep(Duration::from_millis(5)));
    let outcome = coop::budget(|| poll_once(guarded.as_mut(), Waker::noop()));
    assert!(matches!(outcome, Poll::Ready(Err(_))));
}

#[test]
fn respects_a_budget_that_was_already_spent() {
    let mut driver = TimeDriver::paused();
    let mut guarded = pin!(timeout(Duration::from_millis(1), pending::<()>()));
    assert!(poll_once(guarded.as_mut(), Waker::noop()).is_pending());
    driver.block_on(sleep(Duration::from_millis(5)));
    coop::budget(|| {
        let mut spend = pin!(budget_hog());
        assert!(poll_once(spend.as_mut(), Waker::noop()).is_pending());
        // The task had no budget left before the timeout was polled: it must yield.
        assert!(poll_once(guarded.as_mut(), Waker::noop()).is_pending());
    });
    assert!(poll_once(guarded.as_mut(), Waker::noop()).is_ready());
}

/// An endless timeout's deadline is thirty years ahead, like an endless sleep's: a paused
/// clock reaches it.
#[test]
fn an_endless_timeout_has_a_sane_deadline() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    let outcome = driver.block_on(timeout(Duration::MAX, pending::<()>()));
    assert!(outcome.is_err());
    let waited = Instant::now() - start;
    assert_eq!(waited, Duration::from_secs(86_400 * 365 * 30));
}
