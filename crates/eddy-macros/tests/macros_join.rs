//! `join!` and `try_join!`: every future runs concurrently on one task, outputs come back in the
//! order written, a finished future is not polled again, polling rotates unless `biased;`, and
//! `try_join!` stops at the first error and drops the rest.

mod support;

use eddy_macros::{join, try_join};
use eddy_test_support::executor::block_on;
use std::future::{ready, Future};
use std::sync::atomic::Ordering;
use support::{after, from_thread, Logged, PendingUntilDropped, PollLog};

#[test]
fn outputs_come_back_in_the_order_written() {
    let (a, b, c) = block_on(async { join!(after(3, 'a'), ready("b"), from_thread(3_u8)) });
    assert_eq!((a, b, c), ('a', "b", 3));
}

#[test]
fn one_future_gives_a_one_tuple_and_none_gives_unit() {
    block_on(async {
        let (only,) = join!(ready(7));
        assert_eq!(only, 7);
        let () = join!();
        let trailing_comma = join!(ready(1), ready(2),);
        assert_eq!(trailing_comma, (1, 2));
    });
}

#[test]
fn futures_run_concurrently_on_one_task() {
    // Each future needs the other to have made progress: this finishes only if both are polled
    // while the other is pending.
    let flag = std::cell::Cell::new(0);
    let first = async {
        flag.set(1);
        std::future::poll_fn(|cx| {
            if flag.get() == 2 {
                std::task::Poll::Ready("first")
            } else {
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
        })
        .await
    };
    let second = async {
        std::future::poll_fn(|cx| {
            if flag.get() == 1 {
                flag.set(2);
                std::task::Poll::Ready("second")
            } else {
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
        })
        .await
    };
    assert_eq!(
        block_on(async { join!(first, second) }),
        ("first", "second")
    );
}

#[test]
fn finished_futures_are_not_polled_again() {
    // `Logged` panics when polled after completion; `ready` does too.
    let log = PollLog::default();
    let outputs = block_on(async {
        join!(
            Logged::new(&log, 0, 0, 0),
            Logged::new(&log, 1, 3, 1),
            ready(2)
        )
    });
    assert_eq!(outputs, (0, 1, 2));
    assert_eq!(log.entries().iter().filter(|&&id| id == 0).count(), 1);
    assert_eq!(log.entries().iter().filter(|&&id| id == 1).count(), 4);
}

#[test]
fn each_poll_starts_one_future_later() {
    let log = PollLog::default();
    block_on(async {
        join!(
            Logged::new(&log, 0, 2, ()),
            Logged::new(&log, 1, 2, ()),
            Logged::new(&log, 2, 2, ())
        )
    });
    assert_eq!(log.entries(), [0, 1, 2, 1, 2, 0, 2, 0, 1]);
}

#[test]
fn biased_polls_in_the_order_written() {
    let log = PollLog::default();
    block_on(async {
        join!(
            biased;
            Logged::new(&log, 0, 2, ()),
            Logged::new(&log, 1, 2, ()),
            Logged::new(&log, 2, 2, ()),
        )
    });
    assert_eq!(log.entries(), [0, 1, 2, 0, 1, 2, 0, 1, 2]);
}

#[test]
fn into_future_values_and_references_to_futures_are_accepted() {
    struct Deferred(u8);
    impl std::future::IntoFuture for Deferred {
        type Output = u8;
        type IntoFuture = std::future::Ready<u8>;
        fn into_future(self) -> Self::IntoFuture {
            ready(self.0 * 2)
        }
    }
    let mut by_reference = after(2, 'r');
    let outputs = block_on(async { join!(Deferred(21), &mut by_reference) });
    assert_eq!(outputs, (42, 'r'));
}

#[test]
fn try_join_returns_every_value_when_all_succeed() {
    let result: Result<(u8, &str), String> =
        block_on(async { try_join!(after(2, Ok(1)), from_thread(Ok("two"))) });
    assert_eq!(result, Ok((1, "two")));
    let none: Result<(), ()> = block_on(async { try_join!() });
    assert_eq!(none, Ok(()));
}

#[test]
fn try_join_stops_at_the_first_error_and_drops_the_rest() {
    let (forever, dropped) = PendingUntilDropped::new();
    let result: Result<((), u8), &str> = block_on(async {
        let result = try_join!(
            async {
                forever.await;
                Ok(())
            },
            after(2, Err("failed")),
        );
        assert!(
            dropped.load(Ordering::SeqCst),
            "dropped before try_join! returns"
        );
        result
    });
    assert_eq!(result, Err("failed"));
}

#[test]
fn try_join_biased_reports_the_first_error_in_order() {
    let result: Result<(u8, u8), u8> =
        block_on(async { try_join!(biased; ready(Err(1)), ready(Err(2))) });
    assert_eq!(result, Err(1));
}

#[test]
fn a_join_of_a_pending_future_stays_pending_while_others_finish() {
    let (never, dropped) = PendingUntilDropped::new();
    let log = PollLog::default();
    let outcome = block_on(async {
        let joined = async { join!(never, Logged::new(&log, 0, 1, ())) };
        let mut joined = std::pin::pin!(joined);
        // Drive the join a few times by hand: it never completes, though its second future did.
        std::future::poll_fn(|cx| {
            for _ in 0..3 {
                assert!(joined.as_mut().poll(cx).is_pending());
            }
            std::task::Poll::Ready(())
        })
        .await;
        log.entries()
    });
    assert_eq!(outcome, [0, 0]);
    assert!(dropped.load(Ordering::SeqCst));
}

#[test]
fn the_expansion_does_not_capture_the_callers_names() {
    let (value, pending, next_start, first, joined) = (1_u8, 2_u8, 3_u8, 4_u8, 5_u8);
    let cx = ready(first);
    let outputs = block_on(async { join!(cx, ready(value + pending), ready(next_start + joined)) });
    assert_eq!(outputs, (4, 3, 8));
}

fn assert_send<T: Send>(value: T) -> T {
    value
}

#[test]
fn joins_of_send_futures_are_send() {
    let joined = assert_send(async { join!(after(1, 1_u8), ready(2_u8)) });
    assert_eq!(block_on(joined), (1, 2));
    let tried = assert_send(async { try_join!(after(1, Ok::<u8, ()>(1)), ready(Ok(2_u8))) });
    assert_eq!(block_on(tried), Ok((1, 2)));
}
