//! Task hooks: spawn, terminate, before and after poll, with the task's id, name and location.

use eddy_executor::runtime::{Builder, Runtime, TaskMeta};
use eddy_executor::task;
use std::sync::{Arc, Mutex};

/// What a hook saw, copied out of the borrowed `TaskMeta`.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    hook: &'static str,
    id: task::Id,
    name: Option<String>,
    file: &'static str,
    line: u32,
}

type Log = Arc<Mutex<Vec<Seen>>>;

fn recorder(log: &Log, hook: &'static str) -> impl Fn(&TaskMeta<'_>) + Send + Sync + 'static {
    let log = log.clone();
    move |task| {
        log.lock().unwrap().push(Seen {
            hook,
            id: task.id(),
            name: task.name().map(str::to_owned),
            file: task.spawned_at().file(),
            line: task.spawned_at().line(),
        })
    }
}

fn runtime_with_hooks(builder: &mut Builder, log: &Log) -> Runtime {
    builder
        .on_task_spawn(recorder(log, "spawn"))
        .on_before_task_poll(recorder(log, "before"))
        .on_after_task_poll(recorder(log, "after"))
        .on_task_terminate(recorder(log, "terminate"))
        .build()
        .unwrap()
}

fn hooks_of(log: &Log, id: task::Id) -> Vec<&'static str> {
    log.lock()
        .unwrap()
        .iter()
        .filter(|seen| seen.id == id)
        .map(|seen| seen.hook)
        .collect()
}

#[test]
fn every_hook_sees_the_task_in_order_on_the_current_thread_runtime() {
    let log = Log::default();
    let rt = runtime_with_hooks(&mut Builder::new_current_thread(), &log);
    let (id, line) = rt.block_on(async {
        let builder = task::Builder::new().name("hooked");
        let line = line!() + 1;
        let handle = builder.spawn(task::yield_now()).unwrap();
        let id = handle.id();
        handle.await.unwrap();
        (id, line)
    });
    assert_eq!(
        hooks_of(&log, id),
        ["spawn", "before", "after", "before", "after", "terminate"]
    );
    for seen in log.lock().unwrap().iter().filter(|seen| seen.id == id) {
        assert_eq!(seen.name.as_deref(), Some("hooked"));
        assert_eq!((seen.file, seen.line), (file!(), line));
    }
}

#[cfg(feature = "multi-thread")]
#[test]
fn hooks_run_for_every_task_on_the_multi_thread_runtime() {
    let log = Log::default();
    let rt = runtime_with_hooks(Builder::new_multi_thread().worker_threads(2), &log);
    let ids = rt.block_on(async {
        let handles: Vec<_> = (0..50).map(|_| task::spawn(async {})).collect();
        let mut ids = Vec::new();
        for handle in handles {
            ids.push(handle.id());
            handle.await.unwrap();
        }
        ids
    });
    drop(rt);
    for id in ids {
        let hooks = hooks_of(&log, id);
        assert_eq!(hooks.first(), Some(&"spawn"));
        assert_eq!(hooks.last(), Some(&"terminate"));
        let before = hooks.iter().filter(|hook| **hook == "before").count();
        let after = hooks.iter().filter(|hook| **hook == "after").count();
        assert_eq!((before, after), (1, 1), "{hooks:?}");
    }
}

#[test]
fn an_aborted_task_terminates_without_another_poll() {
    let log = Log::default();
    let rt = runtime_with_hooks(&mut Builder::new_current_thread(), &log);
    let id = rt.block_on(async {
        let handle = task::spawn(std::future::pending::<()>());
        task::yield_now().await;
        handle.abort();
        let id = handle.id();
        assert!(handle.await.unwrap_err().is_cancelled());
        id
    });
    assert_eq!(
        hooks_of(&log, id),
        ["spawn", "before", "after", "terminate"]
    );
}

#[test]
fn tasks_cancelled_by_runtime_shutdown_terminate_too() {
    let log = Log::default();
    let rt = runtime_with_hooks(&mut Builder::new_current_thread(), &log);
    let id = rt.spawn(std::future::pending::<()>()).id();
    drop(rt);
    assert_eq!(hooks_of(&log, id), ["spawn", "terminate"]);
}

#[test]
fn a_panicking_poll_hook_fails_the_task_not_the_runtime() {
    let rt = Builder::new_current_thread()
        .on_before_task_poll(|task| {
            if task.name() == Some("doomed") {
                panic!("hook refuses");
            }
        })
        .build()
        .unwrap();
    rt.block_on(async {
        let doomed = task::Builder::new()
            .name("doomed")
            .spawn(async { 1 })
            .unwrap();
        assert!(doomed.await.unwrap_err().is_panic());
        assert_eq!(task::spawn(async { 2 }).await.unwrap(), 2);
    });
}

#[test]
fn handle_spawn_reports_its_caller() {
    let log = Log::default();
    let rt = runtime_with_hooks(&mut Builder::new_current_thread(), &log);
    let line = line!() + 1;
    let handle = rt.handle().spawn(async {});
    let id = handle.id();
    rt.block_on(handle).unwrap();
    let seen = log
        .lock()
        .unwrap()
        .iter()
        .find(|seen| seen.id == id)
        .cloned();
    assert_eq!(
        seen.map(|seen| (seen.hook, seen.line)),
        Some(("spawn", line))
    );
}
