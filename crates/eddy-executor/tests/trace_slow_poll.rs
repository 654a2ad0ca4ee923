//! With the `tracing` feature and a subscriber that wants them, slow and stuck polls are
//! `WARN` events with target `eddy::slow_poll`, from the watchdog thread as from the worker.
#![cfg(feature = "tracing")]

use eddy_executor::runtime::Builder;
use eddy_executor::task;
use eddy_test_support::eventually;
use eddy_test_support::recorder::{EventRecord, Recorder, Value};
use std::sync::mpsc;
use std::time::Duration;

/// The `eddy::slow_poll` events recorded so far.
fn slow_poll_events(recorder: &Recorder) -> Vec<EventRecord> {
    let log = recorder.log();
    let events = log.events_with_target("eddy::slow_poll");
    events.into_iter().cloned().collect()
}

fn is_stuck(event: &EventRecord) -> bool {
    event.fields.bool("poll.stuck") == Some(true)
}

#[test]
fn stuck_and_slow_polls_are_warn_events_for_a_global_subscriber() {
    // Global, because the watchdog reports from its own thread.
    let recorder = Recorder::new();
    tracing::subscriber::set_global_default(recorder.clone()).unwrap();
    let rt = Builder::new_current_thread()
        .slow_poll_threshold(Duration::from_millis(10))
        .build()
        .unwrap();
    let (release, released) = mpsc::channel::<()>();
    let stuck = task::Builder::new()
        .name("stuck")
        .spawn_on(async move { released.recv().unwrap() }, rt.handle())
        .unwrap();
    let id = stuck.id();
    let driver = std::thread::spawn(move || rt.block_on(stuck).unwrap());

    eventually("a stuck-poll event", || {
        slow_poll_events(&recorder).iter().any(is_stuck)
    });
    release.send(()).unwrap();
    driver.join().unwrap();
    let events = slow_poll_events(&recorder);
    let (stuck, finished): (Vec<_>, Vec<_>) = events.iter().partition(|event| is_stuck(event));
    assert_eq!((stuck.len(), finished.len()), (1, 1), "{events:#?}");
    for event in [stuck[0], finished[0]] {
        assert_eq!(
            event.fields.u64("task.id"),
            Some(id_number(id)),
            "{event:#?}"
        );
        assert_eq!(event.fields.str("task.name"), Some("stuck"));
        assert_eq!(event.fields.str("loc.file"), Some(file!()));
        assert_eq!(event.fields.get("worker"), Some(&Value::I64(0)));
        assert!(event.fields.u64("poll.duration_us").unwrap() > 10_000);
    }
}

/// The number a task id prints as, which is the `task.id` field.
fn id_number(id: task::Id) -> u64 {
    id.to_string().parse().unwrap()
}
