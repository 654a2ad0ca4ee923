//! The oneshot channel as a tokio-console resource: one `Sender|Receiver` resource whose
//! receiving is an async operation, with state updates for each side's progress.
#![cfg(all(feature = "tracing", not(loom)))]

use eddy_sync::oneshot::{self, Receiver, Sender};
use eddy_test_support::recorder::{Recorder, Update, Value};
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::counting;
use std::panic::Location;
use std::pin::pin;
use tracing::subscriber::with_default;

type Channel = (Sender<u32>, Receiver<u32>);

#[track_caller]
fn channel_here() -> (Channel, &'static Location<'static>) {
    (oneshot::channel(), Location::caller())
}

fn flag(field: &'static str, value: bool) -> Update {
    Update::new(field, Value::Bool(value), "override")
}

#[test]
fn a_oneshot_reports_sending_receiving_and_both_ends_leaving() {
    let recorder = Recorder::new();
    let location = with_default(recorder.clone(), || {
        let ((tx, rx), location) = channel_here();
        let (_, waker) = counting();
        let mut rx = pin!(rx);
        assert!(poll_once(rx.as_mut(), &waker).is_pending());
        tx.send(5).unwrap();
        assert!(matches!(
            poll_once(rx.as_mut(), &waker),
            std::task::Poll::Ready(Ok(5))
        ));
        location
    });
    let log = recorder.log();
    let resource = log.only_span("runtime.resource");
    assert_eq!(resource.target, "tokio::sync::oneshot");
    assert_eq!(
        resource.fields.str("concrete_type"),
        Some("Sender|Receiver")
    );
    assert_eq!(resource.fields.str("kind"), Some("Sync"));
    resource.fields.assert_location(location);

    let ops = log.children(resource.id, "runtime.resource.async_op");
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].fields.str("source"), Some("Receiver::await"));
    assert_eq!(ops[0].enters, 2, "entered for each poll");
    let readiness: Vec<_> = log
        .events_with_target("runtime::resource::poll_op")
        .iter()
        .map(|event| event.fields.bool("is_ready"))
        .collect();
    assert_eq!(readiness, [Some(false), Some(true)]);

    let expected = [
        flag("tx_dropped", false),
        flag("rx_dropped", false),
        flag("value_sent", false),
        flag("value_received", false),
        flag("value_sent", true),
        flag("tx_dropped", true),
        flag("value_received", true),
        flag("rx_dropped", true),
    ];
    assert_eq!(log.updates(resource.id), expected);
    assert!(resource.closed && ops[0].closed);
}

#[test]
fn the_resource_lives_until_both_ends_are_gone() {
    let recorder = Recorder::new();
    with_default(recorder.clone(), || {
        let (tx, rx) = oneshot::channel::<u32>();
        drop(tx);
        assert!(!recorder.log().only_span("runtime.resource").closed);
        assert!(rx.blocking_recv().is_err());
    });
    let log = recorder.log();
    let resource = log.only_span("runtime.resource");
    assert!(resource.closed);
    let updates = log.updates(resource.id);
    assert_eq!(
        updates[4..],
        [flag("tx_dropped", true), flag("rx_dropped", true)]
    );
}
