//! `tokio::select!`: `biased;`, random start, patterns that disable a branch, preconditions,
//! `else`, `&mut` futures kept across rounds, control flow in handlers, and the losers dropped.
//!
//! Shared by `ecosystem-macros` and `examples/tokio-compat` (see `macros_entry.rs`).

use std::future::{pending, ready};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

#[tokio::test]
async fn biased_takes_the_first_ready_branch_every_time() {
    for _ in 0..100 {
        let picked = tokio::select! {
            biased;
            first = ready(1) => first,
            second = ready(2) => second,
        };
        assert_eq!(picked, 1);
    }
}

#[tokio::test]
async fn without_biased_every_ready_branch_gets_its_turn() {
    let mut counts = [0; 2];
    for _ in 0..1000 {
        let picked = tokio::select! {
            first = ready(0) => first,
            second = ready(1) => second,
        };
        counts[picked] += 1;
    }
    // A fair start picks each about half the time; never once in a thousand is not random.
    assert!(counts[0] > 0 && counts[1] > 0, "{counts:?}");
}

#[tokio::test]
async fn a_pattern_that_does_not_match_disables_only_its_branch() {
    let (tx, rx) = oneshot::channel();
    tokio::spawn(async move { tx.send(8).unwrap() });
    let picked = tokio::select! {
        Some(value) = ready(None::<u32>) => value,
        Ok(value) = rx => value * 2,
    };
    assert_eq!(picked, 16);
}

#[tokio::test]
async fn else_runs_when_every_branch_is_disabled() {
    let closed = false;
    let picked = tokio::select! {
        Some(value) = ready(None::<u32>) => value,
        value = pending::<u32>(), if closed => value,
        else => 99,
    };
    assert_eq!(picked, 99);
}

#[tokio::test]
async fn a_loop_drains_two_channels_until_both_close() {
    let (numbers_tx, mut numbers) = mpsc::channel(4);
    let (words_tx, mut words) = mpsc::channel(4);
    tokio::spawn(async move {
        for value in 1..=10u32 {
            numbers_tx.send(value).await.unwrap();
        }
    });
    tokio::spawn(async move {
        for word in ["a", "bb", "ccc"] {
            words_tx.send(word).await.unwrap();
        }
    });
    let (mut sum, mut letters) = (0, 0);
    loop {
        tokio::select! {
            Some(value) = numbers.recv() => sum += value,
            Some(word) = words.recv() => letters += word.len(),
            else => break,
        }
    }
    assert_eq!((sum, letters), (55, 6));
}

#[tokio::test(start_paused = true)]
async fn a_pinned_future_is_kept_across_rounds() {
    let deadline = tokio::time::sleep(Duration::from_millis(5_500));
    tokio::pin!(deadline);
    let mut interval = tokio::time::interval(Duration::from_secs(1));
    let mut ticks = 0;
    loop {
        tokio::select! {
            biased;
            () = &mut deadline => break,
            _ = interval.tick() => ticks += 1,
        }
    }
    // Ticks at 0 s, 1 s, ..., 5 s, then the deadline at 5.5 s: the same sleep all along.
    assert_eq!(ticks, 6);
}

async fn first_even(values: Vec<u32>) -> Result<u32, &'static str> {
    let mut values = values.into_iter();
    loop {
        tokio::select! {
            next = ready(values.next()) => {
                let value = next.ok_or("no even value")?;
                if value % 2 == 1 {
                    continue;
                }
                return Ok(value);
            }
        }
    }
}

#[tokio::test]
async fn handlers_return_continue_and_use_the_question_mark() {
    assert_eq!(first_even(vec![3, 5, 8, 10]).await, Ok(8));
    assert_eq!(first_even(vec![1, 3]).await, Err("no even value"));
}

/// Sets its flag when dropped.
struct DropFlag(Arc<AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn the_losing_branches_are_dropped_before_the_handler_runs() {
    let dropped = Arc::new(AtomicBool::new(false));
    let flag = DropFlag(dropped.clone());
    let loser = async move {
        let _flag = flag;
        pending::<()>().await;
    };
    tokio::select! {
        () = loser => unreachable!("the loser never completes"),
        () = tokio::task::yield_now() => assert!(dropped.load(Ordering::SeqCst)),
    }
}

#[tokio::test]
#[should_panic(expected = "all branches are disabled and there is no else branch")]
async fn without_else_all_branches_disabled_panics() {
    tokio::select! {
        Some(_) = ready(None::<u32>) => {}
    }
}
