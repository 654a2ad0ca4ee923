use eddy_core::coop;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

#[test]
fn unconstrained_outside_a_task() {
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1000 {
        let Poll::Ready(guard) = coop::poll_proceed(&mut cx) else {
            panic!("no budget outside a task");
        };
        guard.made_progress();
    }
}

#[test]
fn budget_is_spent_then_yields() {
    let mut cx = Context::from_waker(Waker::noop());
    coop::budget(|| {
        for _ in 0..coop::INITIAL_BUDGET {
            let Poll::Ready(guard) = coop::poll_proceed(&mut cx) else {
                panic!("budget ran out early");
            };
            guard.made_progress();
        }
        assert!(!coop::has_budget_remaining());
        assert!(coop::poll_proceed(&mut cx).is_pending());
    });
    assert!(coop::has_budget_remaining());
}

#[test]
fn unit_is_restored_without_progress() {
    let mut cx = Context::from_waker(Waker::noop());
    coop::budget(|| {
        for _ in 0..1000 {
            let Poll::Ready(_guard) = coop::poll_proceed(&mut cx) else {
                panic!("a restored unit was lost");
            };
        }
    });
}

#[test]
fn consume_budget_yields_when_spent() {
    let mut cx = Context::from_waker(Waker::noop());
    coop::budget(|| {
        for _ in 0..coop::INITIAL_BUDGET {
            let mut fut = pin!(coop::consume_budget());
            assert!(fut.as_mut().poll(&mut cx).is_ready());
        }
        let mut fut = pin!(coop::consume_budget());
        assert!(fut.as_mut().poll(&mut cx).is_pending());
    });
}

#[test]
#[should_panic = "there is no reactor running, must be called from the context of a Tokio 1.x runtime"]
fn blocking_work_outside_a_runtime_panics_with_tokios_message() {
    let _ = eddy_core::blocking::try_run(|| 40 + 2);
}

#[test]
fn blocking_is_refused_only_while_driving_tasks() {
    use eddy_core::context;
    context::assert_may_block();
    let driving = context::enter_async_context();
    assert!(context::is_driving_tasks());
    let result = std::panic::catch_unwind(context::assert_may_block);
    assert!(result.is_err());
    {
        let _allowed = context::exit_async_context();
        context::assert_may_block();
    }
    assert!(context::is_driving_tasks());
    drop(driving);
    assert!(!context::is_driving_tasks());
}
