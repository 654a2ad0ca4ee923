//! `tokio::join!`, `tokio::try_join!` and `tokio::pin!`: futures that only finish if they run
//! concurrently, results in the order written, the first error ending `try_join!` and dropping
//! the others at once, and pinned futures polled through `&mut`.
//!
//! Shared by `ecosystem-macros` and `examples/tokio-compat` (see `macros_entry.rs`).

use std::future::{pending, Future};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::oneshot;

/// Sends `ping` to the other side, then waits for its answer and returns it: two of these
/// finish only if both run at the same time.
async fn exchange(
    ping: u32,
    to_other: oneshot::Sender<u32>,
    from_other: oneshot::Receiver<u32>,
) -> u32 {
    to_other.send(ping).unwrap();
    from_other.await.unwrap()
}

#[tokio::test]
async fn join_runs_its_futures_concurrently_and_keeps_their_order() {
    let (to_b, from_a) = oneshot::channel();
    let (to_a, from_b) = oneshot::channel();
    let (a, b, c) = tokio::join!(
        exchange(1, to_b, from_b),
        exchange(2, to_a, from_a),
        async { "third" },
    );
    assert_eq!((a, b, c), (2, 1, "third"));
}

#[tokio::test]
async fn join_with_biased_and_with_nothing() {
    let (to_b, from_a) = oneshot::channel();
    let (to_a, from_b) = oneshot::channel();
    let pair = tokio::join!(biased; exchange(10, to_b, from_b), exchange(20, to_a, from_a));
    assert_eq!(pair, (20, 10));
    let nothing: () = tokio::join!();
    assert_eq!(nothing, ());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_waits_for_spawned_tasks() {
    let (first, second) =
        tokio::join!(tokio::spawn(async { 6 }), tokio::task::spawn_blocking(|| 7),);
    assert_eq!(first.unwrap() * second.unwrap(), 42);
}

#[tokio::test]
async fn try_join_returns_every_value_when_all_succeed() {
    let (to_b, from_a) = oneshot::channel();
    let (to_a, from_b) = oneshot::channel();
    let results = tokio::try_join!(
        async { Ok::<_, String>(exchange(3, to_b, from_b).await) },
        async { Ok(exchange(4, to_a, from_a).await) },
        async { "5".parse::<u32>().map_err(|error| error.to_string()) },
    );
    assert_eq!(results, Ok((4, 3, 5)));
}

/// Sets its flag when dropped.
struct DropFlag(Arc<AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn try_join_stops_at_the_first_error_and_drops_the_rest() {
    let dropped = Arc::new(AtomicBool::new(false));
    let flag = DropFlag(dropped.clone());
    let never = async move {
        let _flag = flag;
        pending::<Result<u32, &str>>().await
    };
    let failing = async {
        tokio::task::yield_now().await;
        Err::<u32, _>("refused")
    };
    let result = tokio::try_join!(never, failing);
    assert_eq!(result, Err("refused"));
    assert!(dropped.load(Ordering::SeqCst));
}

#[tokio::test]
async fn pin_rebinds_variables_as_pinned_references() {
    let first = async { 1 };
    let second = async { 2 };
    tokio::pin!(first, second);
    // An `async` block is not `Unpin`; pinned, it can be polled through a `&mut` reference.
    let first: Pin<&mut dyn Future<Output = i32>> = first.as_mut();
    assert_eq!(first.await + (&mut second).await, 3);
}

#[tokio::test]
async fn pin_declares_pinned_variables() {
    tokio::pin! {
        let sleep = tokio::time::sleep(std::time::Duration::ZERO);
        let answer = async { 42 };
    }
    (&mut sleep).await;
    assert!(sleep.is_elapsed());
    assert_eq!(answer.await, 42);
}
