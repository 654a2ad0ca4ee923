//! Without the `tracing` feature, the runtime emits nothing, even to an installed subscriber.
#![cfg(not(feature = "tracing"))]

use eddy_executor::runtime::Builder;
use eddy_executor::task;
use eddy_test_support::recorder::Recorder;

#[test]
fn no_span_or_event_without_the_feature() {
    let recorder = Recorder::default();
    tracing::subscriber::with_default(recorder.clone(), || {
        let rt = Builder::new_current_thread().build().unwrap();
        rt.block_on(async {
            let (tx, rx) = eddy_sync::oneshot::channel::<u32>();
            let waiter = task::spawn(async move { rx.await.unwrap() });
            task::yield_now().await;
            tx.send(1).unwrap();
            waiter.await.unwrap();
            task::spawn_blocking(|| ()).await.unwrap();
        });
    });
    let log = recorder.log();
    assert!(log.spans.is_empty(), "{:?}", log.spans);
    assert!(log.events.is_empty(), "{:?}", log.events);
}
