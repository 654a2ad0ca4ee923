//! The cooperative budget: a task that always has work still lets the others run.
#![cfg(not(loom))]

use eddy_executor::runtime::Builder;
use eddy_executor::task;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

#[test]
fn busy_task_with_budget_lets_others_run() {
    let rt = Builder::new_current_thread().build().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let spins = Arc::new(AtomicU64::new(0));
    let busy = {
        let (stop, spins) = (stop.clone(), spins.clone());
        rt.spawn(async move {
            // Never returns `Pending` on its own: only the budget makes it yield.
            while !stop.load(Ordering::SeqCst) {
                task::consume_budget().await;
                spins.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    let other = {
        let stop = stop.clone();
        rt.spawn(async move {
            stop.store(true, Ordering::SeqCst);
        })
    };
    rt.block_on(async {
        other.await.unwrap();
        busy.await.unwrap();
    });
    // The busy task was made to yield after spending its budget, not before.
    assert!(spins.load(Ordering::SeqCst) >= u64::from(eddy_core::coop::INITIAL_BUDGET));
}

#[test]
fn join_handles_spend_budget() {
    let rt = Builder::new_current_thread().build().unwrap();
    let handles: Vec<_> = (0..300).map(|_| rt.spawn(async {})).collect();
    rt.block_on(async {
        // Let every task finish first, so that each join below is ready at once.
        while !handles.iter().all(|handle| handle.is_finished()) {
            task::yield_now().await;
        }
        let yields_before = eddy_core::coop::forced_yield_count();
        for handle in handles {
            handle.await.unwrap();
        }
        // 300 ready joins in a row exceed one poll's budget: the future was made to yield.
        assert!(eddy_core::coop::forced_yield_count() > yields_before);
    });
}

#[test]
fn unconstrained_is_not_forced_to_yield() {
    let rt = Builder::new_current_thread().build().unwrap();
    let forced = rt.block_on(rt.spawn(task::unconstrained(async {
        let before = eddy_core::coop::forced_yield_count();
        for _ in 0..1_000 {
            task::consume_budget().await;
        }
        eddy_core::coop::forced_yield_count() - before
    })));
    assert_eq!(forced.unwrap(), 0);
}

/// A task out of budget is polled again only after the drivers were: a timer that has already
/// expired reaches its task before the spender's next round, as with `yield_now`.
#[cfg(feature = "time")]
#[test]
fn a_task_out_of_budget_waits_for_the_drivers_before_running_again() {
    use std::time::Duration;

    let rt = Builder::new_current_thread().enable_all().build().unwrap();
    let rounds = rt.block_on(async {
        let expired = Arc::new(AtomicBool::new(false));
        let sleeper = task::spawn({
            let expired = expired.clone();
            async move {
                eddy_time::sleep(Duration::from_millis(1)).await;
                expired.store(true, Ordering::SeqCst);
            }
        });
        // The sleeper registers its timer; then the deadline passes without a driver poll.
        task::yield_now().await;
        std::thread::sleep(Duration::from_millis(5));
        let spender = task::spawn(async move {
            let mut rounds = 0;
            while !expired.load(Ordering::SeqCst) && rounds < 10 {
                // A whole budget's worth: at least one forced yield per round after the first.
                for _ in 0..128 {
                    task::consume_budget().await;
                }
                rounds += 1;
            }
            rounds
        });
        let rounds = spender.await.unwrap();
        sleeper.await.unwrap();
        rounds
    });
    assert!(
        rounds < 10,
        "the budget's yields ran {rounds} rounds before the timer fired"
    );
}
