//! The task toolkit issue's acceptance program, as a Tokio user writes it.

use std::rc::Rc;
use std::time::Duration;
use tokio::task::{JoinSet, LocalSet};

tokio::task_local! {
    static REQUEST_ID: u32;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_set_over_a_hundred_tasks() {
    let mut set = JoinSet::new();
    for i in 0..100u64 {
        set.spawn(async move { i * i });
    }
    let mut sum = 0;
    while let Some(result) = set.join_next().await {
        sum += result.unwrap();
    }
    assert_eq!(sum, (0..100u64).map(|i| i * i).sum());
}

#[tokio::test]
async fn local_set_runs_tasks_holding_an_rc() {
    let shared = Rc::new(41);
    let local = LocalSet::new();
    let value = local
        .run_until(async move {
            let shared = shared.clone();
            tokio::task::spawn_local(async move { *shared + 1 })
                .await
                .unwrap()
        })
        .await;
    assert_eq!(value, 42);
}

#[tokio::test]
async fn task_local_follows_the_task_across_awaits() {
    let seen = REQUEST_ID
        .scope(7, async {
            tokio::task::yield_now().await;
            REQUEST_ID.get()
        })
        .await;
    assert_eq!(seen, 7);
    assert!(REQUEST_ID.try_with(|id| *id).is_err());
}

#[tokio::test(start_paused = true)]
async fn join_try_join_select_and_pin() {
    let (a, b) = tokio::join!(async { 1 }, async { 2 });
    assert_eq!(a + b, 3);

    let failed: Result<(u8, u8), &str> = tokio::try_join!(async { Ok(1) }, async { Err("no") });
    assert_eq!(failed, Err("no"));

    let sleep = tokio::time::sleep(Duration::from_secs(10));
    tokio::pin!(sleep);
    let picked = tokio::select! {
        biased;
        _ = &mut sleep => "sleep",
        value = async { 5 } => if value == 5 { "ready" } else { "other" },
    };
    assert_eq!(picked, "ready");

    let disabled: Option<u8> = None;
    let fallback = tokio::select! {
        Some(v) = async { disabled } => v,
        else => 99,
    };
    assert_eq!(fallback, 99);
}
