//! Misuse panics with Tokio's messages.
#![cfg(not(loom))]

use eddy_executor::runtime::{Builder, Handle};
use eddy_executor::task;

#[test]
#[should_panic(
    expected = "there is no reactor running, must be called from the context of an eddy runtime"
)]
fn spawn_outside_a_runtime() {
    drop(eddy_executor::spawn(async {}));
}

#[test]
#[should_panic(
    expected = "there is no reactor running, must be called from the context of an eddy runtime"
)]
fn spawn_blocking_outside_a_runtime() {
    drop(task::spawn_blocking(|| {}));
}

#[test]
#[should_panic(
    expected = "there is no reactor running, must be called from the context of an eddy runtime"
)]
fn handle_current_outside_a_runtime() {
    let _ = Handle::current();
}

#[test]
#[should_panic(expected = "can't get a task id when not inside a task")]
fn task_id_outside_a_task() {
    let _ = task::id();
}

#[test]
#[should_panic(
    expected = "Cannot start a runtime from within a runtime. This happens because a \
                           function (like `block_on`) attempted to block the current thread while \
                           the thread is being used to drive asynchronous tasks. If you are in an \
                           async function, use `.await` on the future instead of blocking on it."
)]
fn block_on_inside_block_on() {
    let rt = Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let inner = Builder::new_current_thread().build().unwrap();
        inner.block_on(async {});
    });
}

#[test]
#[should_panic(expected = "Cannot start a runtime from within a runtime")]
fn handle_block_on_inside_block_on() {
    let rt = Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        Handle::current().block_on(async {});
    });
}

#[test]
fn block_on_inside_a_task_fails_the_task_only() {
    let rt = Builder::new_current_thread().build().unwrap();
    let error = rt
        .block_on(rt.spawn(async {
            Handle::current().block_on(async {});
        }))
        .unwrap_err();
    assert!(error.is_panic());
    assert!(error
        .to_string()
        .contains("Cannot start a runtime from within a runtime"));
    // And the runtime can still block on futures afterwards.
    rt.block_on(async {});
}

#[test]
#[should_panic(expected = "Cannot drop a runtime in a context where blocking is not allowed")]
fn dropping_a_runtime_inside_a_runtime() {
    let outer = Builder::new_current_thread().build().unwrap();
    let inner = Builder::new_current_thread().build().unwrap();
    outer.block_on(async move {
        drop(inner);
    });
}

#[test]
fn shutdown_background_inside_a_runtime_is_allowed() {
    let outer = Builder::new_current_thread().build().unwrap();
    let inner = Builder::new_current_thread().build().unwrap();
    outer.block_on(async move {
        inner.shutdown_background();
    });
}

#[test]
#[should_panic(expected = "JoinHandle polled after it returned the output")]
fn polling_a_join_handle_after_completion() {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    let rt = Builder::new_current_thread().build().unwrap();
    let mut join = rt.spawn(async {});
    rt.block_on(std::future::poll_fn(|cx: &mut Context<'_>| {
        match Pin::new(&mut join).poll(cx) {
            Poll::Ready(output) => {
                output.unwrap();
                // The output was taken; a second poll is a bug in the caller.
                let _ = Pin::new(&mut join).poll(cx);
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }));
}
