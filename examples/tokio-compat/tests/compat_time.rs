//! The time issue's acceptance program, as a Tokio user writes it.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::{self, Instant, MissedTickBehavior};

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn an_hour_passes_at_once() {
    let start = Instant::now();
    time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(start.elapsed(), Duration::from_secs(3600));
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn intervals_tick_at_exact_paused_instants() {
    let start = Instant::now();
    let mut interval = time::interval(Duration::from_millis(10));
    for n in 0..5u32 {
        let tick = interval.tick().await;
        assert_eq!(tick - start, Duration::from_millis(10) * n);
    }
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn missed_ticks_follow_their_behavior() {
    let start = Instant::now();
    let mut interval = time::interval(Duration::from_millis(10));
    interval.set_missed_tick_behavior(MissedTickBehavior::Skip);
    interval.tick().await;
    time::sleep(Duration::from_millis(35)).await;
    // Skip: the missed tick fires at once (reporting when it was due), and the next one falls
    // back on the original grid.
    assert_eq!(interval.tick().await - start, Duration::from_millis(10));
    assert_eq!(interval.tick().await - start, Duration::from_millis(40));
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn timeouts_elapse() {
    let result = time::timeout(Duration::from_secs(5), std::future::pending::<()>()).await;
    assert!(result.is_err());
    let result = time::timeout(Duration::from_secs(5), async { 3 }).await;
    assert_eq!(result.unwrap(), 3);
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn fire_in_deadline_order() -> Vec<u64> {
    let order = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = [50u64, 10, 40, 20, 30]
        .into_iter()
        .map(|ms| {
            let order = order.clone();
            tokio::spawn(async move {
                time::sleep(Duration::from_millis(ms)).await;
                order.lock().unwrap().push(ms);
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let order = order.lock().unwrap().clone();
    order
}

#[test]
fn timers_fire_in_deadline_order_under_main() {
    assert_eq!(fire_in_deadline_order(), vec![10, 20, 30, 40, 50]);
}
