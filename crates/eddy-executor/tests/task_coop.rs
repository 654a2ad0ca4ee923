//! `task::coop`: the cooperative budget seen from outside eddy's resources — `poll_proceed` and
//! its guard, `cooperative`, `has_budget_remaining`, `consume_budget` and `unconstrained`, on
//! real runtimes of both flavors.
#![cfg(not(loom))]

mod support;

use eddy_executor::runtime::Builder;
use eddy_executor::task::{self, coop};
use std::future::{poll_fn, ready, Future};
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use support::runtimes;

/// A resource outside eddy that is always ready and pays into the budget, as tokio-util's are.
fn always_ready(cx: &mut Context<'_>) -> Poll<()> {
    let unit = std::task::ready!(coop::poll_proceed(cx));
    unit.made_progress();
    Poll::Ready(())
}

#[test]
fn poll_proceed_makes_an_always_ready_resource_yield() {
    for rt in runtimes() {
        let stop = Arc::new(AtomicBool::new(false));
        let busy = rt.spawn({
            let stop = stop.clone();
            async move {
                let mut rounds = 0u32;
                // Never pending on its own: only the budget lets the stopping task run.
                while !stop.load(Ordering::SeqCst) {
                    poll_fn(always_ready).await;
                    rounds += 1;
                }
                rounds
            }
        });
        let stopper = rt.spawn(async move { stop.store(true, Ordering::SeqCst) });
        let rounds = rt.block_on(async {
            stopper.await.unwrap();
            busy.await.unwrap()
        });
        assert!(rounds >= 1);
    }
}

#[test]
fn the_budget_is_128_units_per_poll_and_restored_without_progress() {
    let rt = Builder::new_current_thread().build().unwrap();
    rt.block_on(rt.spawn(async {
        poll_fn(|cx| {
            // Guards dropped without progress give their unit back.
            for _ in 0..1_000 {
                assert!(coop::poll_proceed(cx).is_ready());
            }
            for _ in 0..128 {
                assert!(coop::has_budget_remaining());
                assert!(always_ready(cx).is_ready());
            }
            assert!(!coop::has_budget_remaining());
            assert!(coop::poll_proceed(cx).is_pending());
            Poll::Ready(())
        })
        .await;
        // The task was woken when the budget refused it; the next poll has a fresh budget.
        task::yield_now().await;
        assert!(coop::has_budget_remaining());
    }))
    .unwrap();
}

#[test]
fn cooperative_spends_a_unit_per_completion_and_yields_without_polling() {
    let rt = Builder::new_current_thread().build().unwrap();
    rt.block_on(rt.spawn(async {
        let mut cx = Context::from_waker(Waker::noop());
        let mut completed = 0;
        while coop::has_budget_remaining() {
            assert!(pin!(coop::cooperative(ready(()))).poll(&mut cx).is_ready());
            completed += 1;
        }
        assert_eq!(completed, 128);
        // Spent: the wrapper yields without polling what it wraps.
        let polled = AtomicU32::new(0);
        let inner = poll_fn(|_| {
            polled.fetch_add(1, Ordering::SeqCst);
            Poll::Ready(())
        });
        assert!(pin!(coop::cooperative(inner)).poll(&mut cx).is_pending());
        assert_eq!(polled.load(Ordering::SeqCst), 0);
    }))
    .unwrap();
}

#[test]
fn a_pending_cooperative_future_gives_its_unit_back() {
    let rt = Builder::new_current_thread().build().unwrap();
    rt.block_on(rt.spawn(async {
        let mut cx = Context::from_waker(Waker::noop());
        for _ in 0..1_000 {
            let pending = coop::cooperative(std::future::pending::<()>());
            assert!(pin!(pending).poll(&mut cx).is_pending());
        }
        assert!(coop::has_budget_remaining());
    }))
    .unwrap();
}

#[test]
fn consume_budget_in_a_busy_loop_lets_others_run() {
    for rt in runtimes() {
        let stop = Arc::new(AtomicBool::new(false));
        let busy = rt.spawn({
            let stop = stop.clone();
            async move {
                while !stop.load(Ordering::SeqCst) {
                    coop::consume_budget().await;
                }
            }
        });
        let stopper = rt.spawn(async move { stop.store(true, Ordering::SeqCst) });
        rt.block_on(async {
            stopper.await.unwrap();
            busy.await.unwrap();
        });
    }
}

#[test]
fn unconstrained_lifts_the_budget_and_restores_it_after() {
    let rt = Builder::new_current_thread().build().unwrap();
    rt.block_on(rt.spawn(async {
        let mut cx = Context::from_waker(Waker::noop());
        let spent_freely = coop::unconstrained(poll_fn(|cx| {
            for _ in 0..1_000 {
                assert!(always_ready(cx).is_ready());
            }
            Poll::Ready(coop::has_budget_remaining())
        }));
        assert_eq!(pin!(spent_freely).poll(&mut cx), Poll::Ready(true));
        // The task's own budget is untouched and still limited.
        for _ in 0..128 {
            assert!(always_ready(&mut cx).is_ready());
        }
        assert!(!coop::has_budget_remaining());
    }))
    .unwrap();
}

#[test]
fn no_budget_outside_a_runtime() {
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1_000 {
        assert!(always_ready(&mut cx).is_ready());
        assert!(pin!(coop::cooperative(ready(()))).poll(&mut cx).is_ready());
    }
    assert!(coop::has_budget_remaining());
}
