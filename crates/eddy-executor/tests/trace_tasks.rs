//! The `tracing` feature: task spans, waker events and block_on spans, as a subscriber sees them.
#![cfg(feature = "tracing")]

use eddy_executor::runtime::Builder;
use eddy_executor::task;
use eddy_test_support::recorder::{Recorder, SpanRecord, Value};

/// Runs `body` on a current-thread runtime with `recorder` as this thread's subscriber.
fn traced<R>(recorder: &Recorder, body: impl FnOnce(&eddy_executor::runtime::Runtime) -> R) -> R {
    tracing::subscriber::with_default(recorder.clone(), || {
        let rt = Builder::new_current_thread().build().unwrap();
        body(&rt)
    })
}

/// The task span whose `kind` is `kind` (the first, if several).
fn span_of_kind(recorder: &Recorder, kind: &str) -> SpanRecord {
    let log = recorder.log();
    let spans = log.spans_named("runtime.spawn");
    let span = spans
        .iter()
        .find(|span| span.fields.str("kind") == Some(kind));
    (*span.unwrap_or_else(|| panic!("no `{kind}` task span in {spans:#?}"))).clone()
}

fn str_field(value: Option<&Value>) -> &str {
    match value {
        Some(Value::Str(text)) => text,
        other => panic!("expected a string field, got {other:?}"),
    }
}

fn u64_field(value: Option<&Value>) -> u64 {
    match value {
        Some(Value::U64(number)) => *number,
        other => panic!("expected an unsigned field, got {other:?}"),
    }
}

#[test]
fn a_spawned_task_gets_a_runtime_spawn_span_with_consoles_fields() {
    let recorder = Recorder::default();
    let (task_id, line) = traced(&recorder, |rt| {
        rt.block_on(async {
            let builder = task::Builder::new().name("worker");
            let line = line!() + 1;
            let handle = builder.spawn(async { 7 }).unwrap();
            let id = handle.id();
            assert_eq!(handle.await.unwrap(), 7);
            (id, line)
        })
    });
    let span = span_of_kind(&recorder, "task");
    assert_eq!(span.target, "tokio::task");
    assert_eq!(str_field(span.fields.get("task.name")), "worker");
    assert_eq!(
        u64_field(span.fields.get("task.id")).to_string(),
        task_id.to_string()
    );
    assert_eq!(str_field(span.fields.get("loc.file")), file!());
    assert_eq!(u64_field(span.fields.get("loc.line")), u64::from(line));
    assert!(u64_field(span.fields.get("loc.col")) > 0);
    assert!(span.fields.get("size.bytes").is_some());
}

#[test]
fn the_span_is_entered_once_per_poll_and_closed_when_the_task_is_freed() {
    let recorder = Recorder::default();
    traced(&recorder, |rt| {
        rt.block_on(async {
            let handle = task::spawn(async {
                for _ in 0..3 {
                    task::yield_now().await;
                }
            });
            handle.await.unwrap();
        })
    });
    let span = span_of_kind(&recorder, "task");
    // Three yields: four polls.
    assert_eq!(span.enters, 4);
    assert_eq!(span.exits, 4);
    assert!(span.closed, "the span outlived its task: {span:?}");
}

#[test]
fn a_task_dropped_unpolled_still_closes_its_span() {
    let recorder = Recorder::default();
    traced(&recorder, |rt| {
        drop(rt.spawn(std::future::pending::<()>()));
    });
    let span = span_of_kind(&recorder, "task");
    assert_eq!(span.enters, 0);
    assert!(span.closed);
}

#[test]
fn waker_operations_emit_runtime_waker_events_with_the_span_id() {
    let recorder = Recorder::default();
    traced(&recorder, |rt| {
        rt.block_on(async {
            let (tx, rx) = eddy_sync::oneshot::channel::<u32>();
            let waiter = task::spawn(async move { rx.await.unwrap() });
            task::yield_now().await;
            tx.send(5).unwrap();
            assert_eq!(waiter.await.unwrap(), 5);
        })
    });
    let span = span_of_kind(&recorder, "task");
    let ops: Vec<String> = recorder
        .log()
        .events_with_target("runtime::waker")
        .into_iter()
        .filter(|event| event.fields.get("task.id") == Some(&Value::U64(span.id)))
        .map(|event| str_field(event.fields.get("op")).to_owned())
        .collect();
    // The receiver keeps a clone of the task's waker; the send wakes it by value.
    assert!(ops.contains(&"waker.clone".to_owned()), "{ops:?}");
    assert!(ops.contains(&"waker.wake".to_owned()), "{ops:?}");
}

#[test]
fn block_on_is_traced_as_a_block_on_task() {
    let recorder = Recorder::default();
    let line = traced(&recorder, |rt| {
        let line = line!() + 1;
        rt.block_on(async { task::yield_now().await });
        line
    });
    let span = span_of_kind(&recorder, "block_on");
    assert_eq!(u64_field(span.fields.get("loc.line")), u64::from(line));
    assert!(span.enters >= 2, "a yield means two polls: {span:?}");
    assert_eq!(span.enters, span.exits);
    assert!(span.closed);
}

#[test]
fn blocking_and_local_tasks_have_their_own_kinds() {
    let recorder = Recorder::default();
    traced(&recorder, |rt| {
        let local = task::LocalSet::new();
        local.block_on(rt, async {
            task::spawn_local(async {}).await.unwrap();
            task::spawn_blocking(|| ()).await.unwrap();
        });
    });
    let kinds: Vec<Value> = recorder
        .log()
        .spans_named("runtime.spawn")
        .into_iter()
        .filter_map(|span| span.fields.get("kind").cloned())
        .collect();
    assert!(kinds.contains(&Value::Str("local".into())), "{kinds:?}");
    assert!(kinds.contains(&Value::Str("blocking".into())), "{kinds:?}");
}
