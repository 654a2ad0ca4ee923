//! `Handle::dump`: every live task with its id, name, spawn location, state and poll count,
//! through Tokio's API (`dump().await`, `tasks().iter()`, `id()`, `trace()`) and the
//! synchronous `dump_now`; "last poll" counts from the start of the task's own last poll.

use eddy_executor::runtime::dump::{Dump, Task, TaskState};
use eddy_executor::runtime::{Builder, Handle, Runtime};
use eddy_executor::task;
use eddy_test_support::eventually;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The task `id` in `dump`.
fn find(dump: &Dump, id: task::Id) -> &Task {
    let found = dump.tasks().iter().find(|task| task.id() == id);
    found.unwrap_or_else(|| panic!("task {id} not in\n{dump}"))
}

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

    let dump = rt.handle().dump_now();
    let tasks: Vec<&Task> = dump.tasks().iter().collect();
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
    let trace = tasks[0].trace().to_string();
    assert!(
        trace.contains("\"idle\"") && trace.contains(file!()),
        "{trace}"
    );
}

/// Tokio's documented way to dump, awaited inside the runtime; the dump sees the task that
/// takes it as running.
#[test]
fn an_awaited_dump_lists_tasks_through_tokios_api() {
    let rt = Builder::new_current_thread().build().unwrap();
    let waiting = rt.spawn(std::future::pending::<()>());
    let lines = rt.block_on(async {
        let dumper = task::spawn(async {
            let dump = Handle::current().dump().await;
            let me = task::id();
            let mine = dump.tasks().iter().find(|task| task.id() == me).unwrap();
            assert_eq!(mine.state(), TaskState::Running);
            dump.tasks()
                .iter()
                .map(|task| format!("{}: {}", task.id(), task.trace()))
                .collect::<Vec<_>>()
        });
        dumper.await.unwrap()
    });
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with(&format!("{}: ", waiting.id())),
        "{lines:?}"
    );
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
    let dump = handle.dump_now();
    assert_eq!(find(&dump, id).state(), TaskState::Running);
    release_tx.send(()).unwrap();
    driver.join().unwrap();
    assert!(handle.dump_now().tasks().is_empty());
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
    let id = consumer.id();
    for value in 0..3 {
        tx.send(value).unwrap();
        // Wait until the consumer took the value and went idle again before the next one.
        eventually("the consumer took the value", || {
            let dump = rt.handle().dump_now();
            let task = find(&dump, id);
            task.state() == TaskState::Idle && task.polls() > u64::from(value)
        });
    }
    let dump = rt.handle().dump_now();
    assert_eq!(dump.tasks().len(), 1);
    assert!(find(&dump, id).polls() >= 3, "{dump}");
    drop(tx);
    assert_eq!(rt.block_on(consumer).unwrap(), 3);
}

/// Slack for the coarse clock's tick and the millisecond stamps, far below the gap the old
/// per-thread clock added (the whole length of the blocking poll before).
const SLACK: Duration = Duration::from_millis(50);
/// How long the other task blocks the worker before the measured task's poll.
const BLOCKED_FOR: Duration = Duration::from_millis(300);

/// A task polled right after another task blocked its worker for a long time reads "last
/// poll" from its own poll's start, not from the start of the blocking poll.
fn last_poll_counts_from_the_polls_own_start(rt: Runtime) {
    let rt = Arc::new(rt);
    let (wake, mut woken) = eddy_sync::mpsc::unbounded_channel::<()>();
    let polled_at = Arc::new(Mutex::new(None::<Instant>));
    let (release, released) = mpsc::channel::<()>();
    let blocker = rt.spawn(async move { released.recv().unwrap() });
    let measured = {
        let polled_at = polled_at.clone();
        rt.spawn(async move {
            while woken.recv().await.is_some() {
                *polled_at.lock().unwrap() = Some(Instant::now());
            }
        })
    };
    let (blocker_id, measured_id) = (blocker.id(), measured.id());
    let driver = {
        let rt = rt.clone();
        std::thread::spawn(move || rt.block_on(blocker).unwrap())
    };
    let handle = rt.handle().clone();
    // The blocker holds the only worker; the measured task is woken behind it.
    eventually("the blocker has blocked the worker long enough", || {
        let dump = handle.dump_now();
        let blocker = find(&dump, blocker_id);
        blocker.state() == TaskState::Running
            && blocker
                .since_last_poll()
                .is_some_and(|ran| ran >= BLOCKED_FOR)
    });
    wake.send(()).unwrap();
    let released_at = Instant::now();
    release.send(()).unwrap();
    eventually("the measured task ran", || {
        polled_at.lock().unwrap().is_some()
    });
    let polled_at = polled_at.lock().unwrap().unwrap();

    let before = Instant::now();
    let dump = handle.dump_now();
    let after = Instant::now();
    let last_poll = find(&dump, measured_id).since_last_poll().unwrap();
    // The poll started after the release and before it stamped `polled_at`.
    assert!(
        last_poll <= after - released_at + SLACK,
        "{last_poll:?}\n{dump}"
    );
    assert!(
        last_poll + SLACK >= before - polled_at,
        "{last_poll:?}\n{dump}"
    );
    drop(wake);
    driver.join().unwrap();
}

#[test]
fn last_poll_counts_from_the_polls_own_start_on_a_current_thread_runtime() {
    last_poll_counts_from_the_polls_own_start(Builder::new_current_thread().build().unwrap());
}

#[cfg(feature = "multi-thread")]
#[test]
fn last_poll_counts_from_the_polls_own_start_on_a_multi_thread_runtime() {
    let rt = Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .unwrap();
    last_poll_counts_from_the_polls_own_start(rt);
}

/// The dump types and the dump future are `Send` and `Sync`, as Tokio's are, so a dump can be
/// taken in a spawned task and handed to another thread.
#[test]
fn dump_types_and_the_dump_future_are_send_and_sync() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    let rt = Builder::new_current_thread().build().unwrap();
    let handle = rt.handle().clone();
    send_sync(&handle.dump());
    let dump = handle.dump_now();
    send_sync(&dump);
    send_sync(dump.tasks());
    let _parked = rt.spawn(std::future::pending::<()>());
    let dump = rt.block_on(handle.dump());
    let task = dump.tasks().iter().next().unwrap();
    send_sync(task);
    send_sync(task.trace());
}
