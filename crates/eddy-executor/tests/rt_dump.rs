//! `Handle::dump`: every live task with its id, name, spawn location, state and poll count.

use eddy_executor::runtime::dump::TaskState;
use eddy_executor::runtime::Builder;
use eddy_executor::task;
use std::sync::mpsc;

#[test]
fn a_dump_lists_a_known_set_of_tasks() {
    let rt = Builder::new_current_thread().build().unwrap();
    let (pending, builder) = (
        std::future::pending::<()>(),
        task::Builder::new().name("idle"),
    );
    let first_line = line!() + 1;
    let idle = builder.spawn_on(pending, rt.handle());
    let queued = task::Builder::new()
        .name("queued")
        .spawn_on(async {}, rt.handle());
    let (idle, queued) = (idle.unwrap(), queued.unwrap());
    // Poll both once: `idle` parks, `queued` finishes and leaves the list.
    rt.block_on(async { task::yield_now().await });
    let unnamed_line = line!() + 1;
    let unnamed = rt.spawn(async {});

    let dump = rt.handle().dump();
    let tasks = dump.tasks();
    assert_eq!(tasks.len(), 2, "{dump}");
    assert_eq!(tasks[0].id(), idle.id());
    assert_eq!(tasks[0].name(), Some("idle"));
    assert_eq!(tasks[0].state(), TaskState::Idle);
    assert_eq!(tasks[0].polls(), 1);
    assert!(tasks[0].since_last_poll().is_some());
    assert_eq!(tasks[0].spawned_at().file(), file!());
    assert_eq!(tasks[0].spawned_at().line(), first_line);

    assert_eq!(tasks[1].id(), unnamed.id());
    assert_eq!(tasks[1].name(), None);
    assert_eq!(tasks[1].state(), TaskState::Scheduled);
    assert_eq!(tasks[1].polls(), 0);
    assert_eq!(tasks[1].since_last_poll(), None);
    assert_eq!(tasks[1].spawned_at().line(), unnamed_line);

    assert!(queued.is_finished());
    let table = dump.to_string();
    assert!(table.contains("idle") && table.contains(file!()), "{table}");
}

#[test]
fn a_dump_shows_a_task_running_on_another_thread() {
    let rt = Builder::new_current_thread().build().unwrap();
    let handle = rt.handle().clone();
    let (started_tx, started_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let blocker = rt.spawn(async move {
        started_tx.send(()).unwrap();
        release_rx.recv().unwrap();
    });
    let id = blocker.id();
    let driver = std::thread::spawn(move || rt.block_on(blocker).unwrap());
    started_rx.recv().unwrap();
    let dump = handle.dump();
    let running = dump.tasks().iter().find(|task| task.id() == id).unwrap();
    assert_eq!(running.state(), TaskState::Running);
    release_tx.send(()).unwrap();
    driver.join().unwrap();
    assert!(handle.dump().tasks().is_empty());
}

#[cfg(feature = "multi-thread")]
#[test]
fn a_dump_of_a_multi_thread_runtime_counts_polls() {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let (tx, rx) = eddy_sync::mpsc::unbounded_channel::<u32>();
    let consumer = rt.spawn(async move {
        let mut rx = rx;
        let mut sum = 0;
        while let Some(value) = rx.recv().await {
            sum += value;
        }
        sum
    });
    for value in 0..3 {
        tx.send(value).unwrap();
        // Wait until the consumer took the value and went idle again before the next one.
        while rt.handle().dump().tasks()[0].state() != TaskState::Idle
            || rt.handle().dump().tasks()[0].polls() <= u64::from(value)
        {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
    let dump = rt.handle().dump();
    assert_eq!(dump.tasks().len(), 1);
    assert!(dump.tasks()[0].polls() >= 3, "{dump}");
    drop(tx);
    assert_eq!(rt.block_on(consumer).unwrap(), 3);
}
