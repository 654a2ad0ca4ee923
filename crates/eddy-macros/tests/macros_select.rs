//! `select!`, one test per rule: the first completed branch whose pattern matches wins and the
//! other futures are dropped before its handler runs; a mismatching pattern disables its branch;
//! preconditions disable branches without polling them (their expressions are still evaluated);
//! every branch disabled runs `else` or panics; `biased;` polls in order, otherwise the start is
//! random; handlers act on the enclosing code; `&mut fut` keeps a future across calls.

mod support;

use eddy_macros::{pin, select};
use eddy_test_support::executor::block_on;
use eddy_test_support::waker::counting;
use std::cell::Cell;
use std::future::{pending, ready, Future};
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use support::{after, from_thread, Logged, MustNotPoll, PendingUntilDropped, PollLog};

#[test]
fn the_first_branch_to_complete_runs_its_handler_with_the_bindings() {
    let result = block_on(async {
        select! {
            value = async { pending::<()>().await; 1_u32 } => value * 10,
            value = from_thread(2_u32) => value * 100,
            value = pending::<u32>() => value,
        }
    });
    assert_eq!(result, 200);
}

#[test]
fn the_other_futures_are_dropped_before_the_handler_runs() {
    let (forever, dropped) = PendingUntilDropped::new();
    let seen_dropped = block_on(async {
        select! {
            () = forever => false,
            () = after(1, ()) => dropped.load(Ordering::SeqCst),
        }
    });
    assert!(seen_dropped);
}

#[test]
fn a_mismatching_pattern_disables_its_branch_and_the_others_complete() {
    let log = PollLog::default();
    let result = block_on(async {
        select! {
            Some(value) = Logged::new(&log, 0, 0, None::<u32>) => value,
            Ok(value) = Logged::new(&log, 1, 3, Ok::<u32, ()>(9)) => value + 1,
        }
    });
    assert_eq!(result, 10);
    // Branch 0 completed (without matching) once and was never polled again.
    assert_eq!(log.entries().iter().filter(|&&id| id == 0).count(), 1);
}

#[test]
fn patterns_with_mut_and_ref_bindings_and_alternatives() {
    let result = block_on(async {
        select! {
            (mut total, ref label) = ready((1_u32, String::from("sum"))) => {
                total += 1;
                format!("{label}={total}")
            }
        }
    });
    assert_eq!(result, "sum=2");
    let alternative = block_on(async {
        select! {
            1 | 2 = ready(2) => "small",
            _ = pending::<()>() => "never",
        }
    });
    assert_eq!(alternative, "small");
}

#[test]
fn every_branch_disabled_runs_else() {
    let result = block_on(async {
        select! {
            Some(value) = ready(None::<u8>) => value,
            Err(value) = after(2, Ok::<u8, u8>(3)) => value,
            else => 77,
        }
    });
    assert_eq!(result, 77);
}

#[test]
#[should_panic(expected = "all branches are disabled and there is no else branch")]
fn every_branch_disabled_without_else_panics() {
    block_on(async {
        select! {
            Some(value) = ready(None::<u8>) => value,
        }
    });
}

#[test]
fn a_false_precondition_disables_the_branch_but_its_expression_is_evaluated() {
    let evaluated = Cell::new(false);
    let make_future = || {
        evaluated.set(true);
        MustNotPoll
    };
    let enabled = Cell::new(0);
    let result = block_on(async {
        select! {
            value = make_future(), if { enabled.set(enabled.get() + 1); false } => value,
            value = after(2, 5_u32), if enabled.get() == 1 => value,
        }
    });
    assert_eq!(result, 5);
    assert!(evaluated.get());
}

#[test]
fn only_disabled_branches_run_else_without_polling() {
    let result = block_on(async {
        select! {
            value = MustNotPoll, if false => value,
            else => 3,
        }
    });
    assert_eq!(result, 3);
}

#[test]
fn biased_polls_the_branches_in_the_order_written() {
    let log = PollLog::default();
    let result = block_on(async {
        select! {
            biased;
            value = Logged::new(&log, 0, 1, "zero") => value,
            value = Logged::new(&log, 1, 1, "one") => value,
            value = Logged::new(&log, 2, 0, "two") => value,
        }
    });
    assert_eq!(result, "two");
    assert_eq!(log.entries(), [0, 1, 2]);
    for _ in 0..50 {
        let first = block_on(async {
            select! {
                biased;
                value = ready(0) => value,
                value = ready(1) => value,
            }
        });
        assert_eq!(first, 0);
    }
}

#[test]
fn without_biased_the_starting_branch_is_random() {
    let mut wins = [0_u32; 2];
    for _ in 0..400 {
        let winner = block_on(async {
            select! {
                value = ready(0) => value,
                value = ready(1) => value,
            }
        });
        wins[winner] += 1;
    }
    // Each branch loses 400 times in a row with probability 2^-400.
    assert!(wins[0] > 0 && wins[1] > 0, "wins: {wins:?}");
}

#[test]
fn handlers_can_break_continue_and_return_from_the_enclosing_code() {
    let result: Result<u32, String> = block_on(async {
        let mut total = 0;
        for round in 0..10_u32 {
            select! {
                value = ready(round) => {
                    if value % 2 == 0 {
                        continue;
                    }
                    if value > 6 {
                        break;
                    }
                    total += value;
                }
            }
        }
        let parsed: u32 = select! {
            text = ready("12") => text.parse().map_err(|_| String::from("bad number"))?,
        };
        if parsed == 12 {
            return Ok(total + parsed);
        }
        Err(String::from("unreachable"))
    });
    assert_eq!(result, Ok(1 + 3 + 5 + 12));
}

#[test]
fn question_mark_in_a_handler_returns_the_error() {
    let result: Result<(), String> = block_on(async {
        select! {
            text = ready("x") => text.parse::<u32>().map_err(|error| error.to_string())?,
        };
        Ok(())
    });
    assert!(result.is_err());
}

#[test]
fn a_pinned_future_is_kept_across_select_calls_by_reference() {
    let log = PollLog::default();
    let slow = Logged::new(&log, 0, 4, "done");
    pin!(slow);
    let rounds = block_on(async {
        let mut rounds = 0;
        loop {
            select! {
                biased;
                value = &mut slow => {
                    assert_eq!(value, "done");
                    break rounds;
                }
                () = ready(()), if rounds < 100 => rounds += 1,
            }
        }
    });
    // The same future was polled across rounds: five polls in all, the last one ready.
    assert_eq!(log.entries(), [0; 5]);
    assert_eq!(rounds, 4);
}

#[test]
fn handlers_may_use_what_the_futures_borrowed() {
    let mut queue = vec![1, 2, 3];
    let popped = block_on(async {
        select! {
            value = async { queue.pop() } => {
                queue.push(10);
                value
            }
        }
    });
    assert_eq!(popped, Some(3));
    assert_eq!(queue, [1, 2, 10]);
}

macro_rules! sixty_four_branches {
    ($($index:literal)*) => {
        select! {
            biased;
            $( value = after(1, $index), if $index == 63 => value, )*
        }
    };
}

#[test]
fn sixty_four_branches_are_supported() {
    let value = block_on(async {
        sixty_four_branches!(
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
            32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60
            61 62 63
        )
    });
    assert_eq!(value, 63);
}

#[test]
fn the_expansion_does_not_capture_the_callers_names() {
    let (disabled, enabled, pending, first, index) = (1_u8, true, 2_u8, 3_u8, 4_u8);
    let value = 10_u8;
    let output = block_on(async {
        select! {
            cx = ready(value + disabled), if enabled && pending == 2 => cx + first + index,
            else => 0,
        }
    });
    assert_eq!(output, 18);
}

fn assert_send<T: Send>(value: T) -> T {
    value
}

#[test]
fn a_select_of_send_futures_is_send() {
    let future = assert_send(async {
        select! {
            value = after(1, 1_u8) => value,
            () = pending::<()>() => 0,
        }
    });
    assert_eq!(block_on(future), 1);
}

#[test]
fn selects_nest_in_futures_and_handlers() {
    let result = block_on(async {
        select! {
            inner = async {
                select! {
                    value = after(1, 2_u32) => value,
                    () = pending::<()>() => 0,
                }
            } => select! {
                doubled = ready(inner * 2) => doubled + 1,
                else => 0,
            },
            () = pending::<()>() => 0,
        }
    });
    assert_eq!(result, 5);
}

#[test]
fn a_select_with_only_else_is_its_else_expression() {
    let value = block_on(async {
        select! { else => 7 }
    });
    let biased = block_on(async {
        select! {
            biased;
            else => 8,
        }
    });
    assert_eq!((value, biased), (7, 8));
}

#[test]
fn a_pattern_may_bind_by_mutable_reference() {
    let text = block_on(async {
        select! {
            Some(ref mut text) = async { Some(String::from("1")) } => {
                text.push('2');
                text.clone()
            }
        }
    });
    assert_eq!(text, "12");
}

#[test]
fn a_borrowed_temporary_future_lives_through_the_select() {
    let value = block_on(async {
        select! {
            value = &mut ready(5) => value,
        }
    });
    assert_eq!(value, 5);
}

#[test]
fn a_disabled_branch_that_never_completes_needs_no_output_type() {
    // Nothing fixes the first future's output type; it falls back as in Tokio's expansion.
    let never = std::future::poll_fn(|_| panic!("a disabled branch is never polled"));
    let value = block_on(async {
        select! {
            _ = never, if false => unreachable!(),
            value = ready(3) => value,
        }
    });
    assert_eq!(value, 3);
}

#[test]
fn select_yields_without_polling_a_branch_once_the_budget_is_spent() {
    let (counter, waker) = counting();
    let mut cx = Context::from_waker(&waker);
    let select_once = || {
        Box::pin(async {
            select! {
                biased;
                () = eddy_core::coop::consume_budget() => 1,
                () = ready(()) => 2,
            }
        })
    };
    eddy_core::coop::budget(|| {
        for _ in 0..eddy_core::coop::INITIAL_BUDGET {
            let polled = select_once().as_mut().poll(&mut cx);
            assert_eq!(polled, Poll::Ready(1));
        }
        assert_eq!(counter.count(), 0);
        // The budget is spent: the ready branch would complete, but select! yields first and
        // arranges to be polled again (outside a scheduler loop, by waking at once).
        let polled = select_once().as_mut().poll(&mut cx);
        assert_eq!(polled, Poll::Pending);
        assert_eq!(counter.count(), 1);
    });
    // Outside a task there is no budget, and select! proceeds.
    assert_eq!(select_once().as_mut().poll(&mut cx), Poll::Ready(1));
}

#[eddy::test]
async fn select_in_a_task_is_budget_aware() {
    let select_once = || {
        Box::pin(async {
            select! {
                biased;
                () = eddy_core::coop::consume_budget() => {},
                () = ready(()) => {},
            }
        })
    };
    let poll_once = |mut future: Pin<Box<dyn Future<Output = ()>>>| {
        std::future::poll_fn(move |cx| Poll::Ready(future.as_mut().poll(cx).is_ready()))
    };
    for _ in 0..eddy_core::coop::INITIAL_BUDGET {
        assert!(poll_once(select_once()).await);
    }
    assert!(!poll_once(select_once()).await);
}
