//! Timers as tokio-console resources: the spans and events a `Sleep`, a `Timeout` and an
//! `Interval` emit, checked with a recording subscriber.
#![cfg(feature = "tracing")]

mod support;

use eddy_test_support::recorder::{EventRecord, Log, Recorder, SpanRecord};
use eddy_time::{interval, sleep, timeout, Duration, Instant, Sleep};
use std::panic::Location;
use std::pin::pin;
use support::TimeDriver;

/// A `sleep` whose resource location should be this function's caller, as `#[track_caller]`
/// passes it through.
#[track_caller]
fn sleep_here(duration: Duration) -> (Sleep, &'static Location<'static>) {
    (sleep(duration), Location::caller())
}

/// The one async operation of `resource` with this `source`, and its poll span.
fn async_op<'a>(
    log: &'a Log,
    resource: &SpanRecord,
    source: &str,
) -> (&'a SpanRecord, &'a SpanRecord) {
    let ops: Vec<_> = log
        .children(resource.id, "runtime.resource.async_op")
        .into_iter()
        .filter(|op| op.fields.str("source") == Some(source))
        .collect();
    assert_eq!(ops.len(), 1, "one `{source}` operation expected: {ops:#?}");
    let polls = log.children(ops[0].id, "runtime.resource.async_op.poll");
    assert_eq!(polls.len(), 1);
    (ops[0], polls[0])
}

fn duration_updates(log: &Log) -> Vec<&EventRecord> {
    log.events_with_target("runtime::resource::state_update")
}

#[test]
fn a_sleep_is_a_timer_resource_at_the_callers_location() {
    let recorder = Recorder::new();
    let _driver = TimeDriver::paused();
    tracing::subscriber::with_default(recorder.clone(), || {
        let (sleep, location) = sleep_here(Duration::from_millis(30));
        let log = recorder.log();
        let resource = log.only_span("runtime.resource");
        assert_eq!(resource.target, "tokio::time::sleep");
        assert_eq!(resource.parent, None);
        assert_eq!(resource.fields.str("concrete_type"), Some("Sleep"));
        assert_eq!(resource.fields.str("kind"), Some("timer"));
        assert_eq!(resource.fields.bool("is_internal"), Some(false));
        resource.fields.assert_location(location);
        assert!(location.file().ends_with("trace_sleep.rs"));

        let (op, poll) = async_op(&log, resource, "Sleep::new_timeout");
        assert_eq!(op.target, "tokio::time::sleep");
        assert!(!op.closed && !poll.closed && !resource.closed);

        let updates = duration_updates(&log);
        assert_eq!(updates.len(), 1);
        assert_eq!(updates[0].fields.u64("duration"), Some(30));
        assert_eq!(updates[0].fields.str("duration.unit"), Some("ms"));
        assert_eq!(updates[0].fields.str("duration.op"), Some("override"));
        assert_eq!(
            updates[0].entered,
            vec![resource.id],
            "emitted inside the resource"
        );
        drop(log);
        drop(sleep);
    });
}

#[test]
fn polls_run_inside_the_spans_and_the_spans_close_with_the_sleep() {
    let recorder = Recorder::new();
    let mut driver = TimeDriver::paused();
    tracing::subscriber::with_default(recorder.clone(), || {
        driver.block_on(sleep(Duration::from_millis(5)));
    });
    let log = recorder.log();
    let resource = log.only_span("runtime.resource");
    let (op, poll) = async_op(&log, resource, "Sleep::new_timeout");

    let poll_ops = log.events_with_target("runtime::resource::poll_op");
    // Pending until the clock reaches the deadline, then ready: at least two polls.
    assert!(poll_ops.len() >= 2, "{poll_ops:#?}");
    for (index, event) in poll_ops.iter().enumerate() {
        let last = index == poll_ops.len() - 1;
        assert_eq!(event.fields.str("op_name"), Some("poll_elapsed"));
        assert_eq!(event.fields.bool("is_ready"), Some(last));
        assert_eq!(event.entered, vec![resource.id, op.id, poll.id]);
    }
    // The resource is also entered once at creation, to report the duration inside it.
    assert_eq!(resource.enters, poll_ops.len() + 1);
    assert_eq!(op.enters, poll_ops.len());
    assert_eq!(poll.enters, poll_ops.len());
    for span in [resource, op, poll] {
        assert_eq!(span.exits, span.enters);
        assert!(span.closed, "closed when the sleep was dropped: {span:#?}");
    }
}

#[test]
fn a_reset_reports_the_new_duration_and_starts_a_new_operation() {
    let recorder = Recorder::new();
    let mut driver = TimeDriver::paused();
    tracing::subscriber::with_default(recorder.clone(), || {
        let mut sleep = pin!(sleep(Duration::from_millis(10)));
        sleep
            .as_mut()
            .reset(Instant::now() + Duration::from_millis(70));
        {
            let log = recorder.log();
            let resource = log.only_span("runtime.resource");
            let (first, first_poll) = async_op(&log, resource, "Sleep::new_timeout");
            let (second, _) = async_op(&log, resource, "Sleep::reset");
            assert!(
                first.closed && first_poll.closed,
                "the old operation is over"
            );
            assert!(!second.closed);
            let durations: Vec<_> = duration_updates(&log)
                .iter()
                .map(|event| event.fields.u64("duration"))
                .collect();
            assert_eq!(durations, [Some(10), Some(70)]);
        }
        driver.block_on(sleep);
    });
}

#[test]
fn timeout_and_interval_timers_carry_their_callers_location() {
    let recorder = Recorder::new();
    let mut driver = TimeDriver::paused();
    let (timeout_line, interval_line, ticks) =
        tracing::subscriber::with_default(recorder.clone(), || {
            let timeout_line = line!() + 1;
            let result = driver.block_on(timeout(
                Duration::from_millis(3),
                std::future::pending::<()>(),
            ));
            assert!(result.is_err());
            let interval_line = line!() + 1;
            let mut ticks = interval(Duration::from_millis(4));
            driver.block_on(async {
                ticks.tick().await;
                ticks.tick().await;
            });
            (timeout_line, interval_line, ticks)
        });
    let log = recorder.log();
    let resources = log.spans_named("runtime.resource");
    assert_eq!(resources.len(), 2);
    let lines: Vec<_> = resources
        .iter()
        .map(|span| span.fields.u64("loc.line"))
        .collect();
    assert_eq!(
        lines,
        [
            Some(u64::from(timeout_line)),
            Some(u64::from(interval_line))
        ]
    );
    assert!(
        resources[0].closed,
        "the timeout's timer went with the timeout"
    );
    assert!(!resources[1].closed, "the interval is still alive");
    // Each tick re-arms the interval's timer: one new operation per tick.
    let resets = log
        .children(resources[1].id, "runtime.resource.async_op")
        .into_iter()
        .filter(|op| op.fields.str("source") == Some("Sleep::reset"))
        .count();
    assert_eq!(resets, 2);
    drop(log);
    drop(ticks);
    assert!(recorder.log().spans.iter().all(|span| span.closed));
}
