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
