//! A program written against Tokio's task-dump API (`Handle::dump().await` under a timeout,
//! `tasks().iter()`, `id()`, `trace()`, as Tokio's `Handle::dump` docs show it) builds and
//! runs on eddy, where it needs no `tokio_unstable` cfg.

use std::time::Duration;
use tokio::runtime::{Dump, Handle};
use tokio::time::timeout;

async fn dump_all() -> Option<Dump> {
    let handle = Handle::current();
    timeout(Duration::from_secs(2), handle.dump()).await.ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokios_dump_example_runs() {
    let parked = tokio::spawn(std::future::pending::<()>());
    let dump = dump_all().await.expect("the dump is ready at once");
    let mut printed = Vec::new();
    for (i, task) in dump.tasks().iter().enumerate() {
        let trace = task.trace();
        printed.push(format!("TASK {i} ({}):\n{trace}\n", task.id()));
    }
    let parked_task = dump.tasks().iter().find(|task| task.id() == parked.id());
    let trace = parked_task.expect("the parked task is in the dump").trace();
    assert!(trace.to_string().contains(file!()), "{trace}");
    assert!(!printed.is_empty());
    parked.abort();
}

#[tokio::test]
async fn a_dump_on_a_current_thread_runtime_lists_the_task_taking_it() {
    let me = tokio::spawn(async { (tokio::task::id(), dump_all().await) });
    let (id, dump) = me.await.unwrap();
    let dump = dump.expect("the dump is ready at once");
    assert!(dump.tasks().iter().any(|task| task.id() == id));
}
