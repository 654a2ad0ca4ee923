//! The macros on the real facade: `#[eddy::main]` and `#[eddy::test]` build a working eddy
//! runtime of the asked flavor. The path `eddy` in the generated code is found from this crate's
//! `Cargo.toml` (the `eddy` dev-dependency), not written by hand.

use std::thread::{self, ThreadId};
use std::time::Duration;

#[eddy::main(flavor = "current_thread")]
async fn spawn_on_current_thread() -> ThreadId {
    eddy::spawn(async { thread::current().id() })
        .await
        .expect("the task completes")
}

#[test]
fn current_thread_main_runs_tasks_on_the_calling_thread() {
    assert_eq!(spawn_on_current_thread(), thread::current().id());
}

#[eddy::main(worker_threads = 2)]
async fn spawn_on_multi_thread() -> ThreadId {
    eddy::spawn(async { thread::current().id() })
        .await
        .expect("the task completes")
}

#[test]
fn default_main_runs_tasks_on_worker_threads() {
    assert_ne!(spawn_on_multi_thread(), thread::current().id());
}

#[eddy::main(flavor = "multi_thread", worker_threads = 1)]
async fn count_on_one_worker(tasks: usize) -> Result<usize, eddy::task::JoinError> {
    let mut handles = Vec::new();
    for index in 0..tasks {
        handles.push(eddy::spawn(async move { index }));
    }
    let mut sum = 0;
    for handle in handles {
        sum += handle.await?;
    }
    Ok(sum)
}

#[test]
fn main_with_arguments_and_a_result_return_type() {
    assert_eq!(count_on_one_worker(100).unwrap(), (0..100).sum::<usize>());
}

#[eddy::test]
async fn test_defaults_to_current_thread() {
    let test_thread = thread::current().id();
    let task_thread = eddy::spawn(async { thread::current().id() }).await.unwrap();
    assert_eq!(task_thread, test_thread);
}

#[eddy::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_on_multi_thread() {
    let test_thread = thread::current().id();
    let task_thread = eddy::spawn(async { thread::current().id() }).await.unwrap();
    assert_ne!(task_thread, test_thread);
}

#[eddy::test]
async fn test_has_time_and_blocking_pool_enabled() -> Result<(), eddy::task::JoinError> {
    eddy::time::sleep(Duration::from_millis(1)).await;
    let answer = eddy::task::spawn_blocking(|| 6 * 7).await?;
    assert_eq!(answer, 42);
    Ok(())
}

#[eddy::test(start_paused = true)]
async fn start_paused_freezes_the_clock_until_it_auto_advances() {
    let start = eddy::time::Instant::now();
    thread::sleep(Duration::from_millis(20));
    assert_eq!(eddy::time::Instant::now(), start);
    eddy::time::sleep(Duration::from_secs(3600)).await;
    assert!(start.elapsed() >= Duration::from_secs(3600));
}

#[eddy::test]
#[should_panic(expected = "inside the runtime")]
async fn test_body_panics_propagate() {
    panic!("inside the runtime");
}

#[eddy::main(flavor = "local")]
async fn spawn_rc_on_local_runtime() -> (ThreadId, usize) {
    let shared = std::rc::Rc::new(7);
    let local = eddy::task::spawn_local({
        let shared = shared.clone();
        async move { (thread::current().id(), *shared) }
    });
    local.await.expect("the local task completes")
}

#[test]
fn local_main_runs_tasks_that_are_not_send_on_the_calling_thread() {
    assert_eq!(spawn_rc_on_local_runtime(), (thread::current().id(), 7));
}

#[eddy::test(flavor = "local", start_paused = true)]
async fn local_test_with_a_paused_clock() {
    let start = eddy::time::Instant::now();
    eddy::time::sleep(Duration::from_secs(60)).await;
    assert!(start.elapsed() >= Duration::from_secs(60));
    let cell = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = cell.clone();
    eddy::task::spawn_local(async move { flag.set(true) })
        .await
        .unwrap();
    assert!(cell.get());
}
