//! The foundation's acceptance program, written as a Tokio user writes it: the crate is known
//! here only as `tokio`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn ten_thousand_tasks_report_their_results() {
    let handles: Vec<_> = (0..10_000u64)
        .map(|i| tokio::spawn(async move { i * 2 }))
        .collect();
    let mut sum = 0;
    for handle in handles {
        sum += handle.await.unwrap();
    }
    assert_eq!(sum, 10_000 * 9_999);
}

#[tokio::test(flavor = "current_thread")]
async fn abort_and_panic_come_back_as_join_errors() {
    let pending = tokio::spawn(std::future::pending::<()>());
    pending.abort();
    let error = pending.await.unwrap_err();
    assert!(error.is_cancelled());

    let panicking = tokio::spawn(async { panic!("boom") });
    let error = panicking.await.unwrap_err();
    assert!(error.is_panic());
    let payload = error.into_panic();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));

    // The runtime survived the panic.
    assert_eq!(tokio::spawn(async { 7 }).await.unwrap(), 7);
}

#[tokio::test]
async fn blocking_work_and_remote_spawns() {
    let on_pool = tokio::task::spawn_blocking(|| std::thread::current().id())
        .await
        .unwrap();
    assert_ne!(on_pool, std::thread::current().id());

    let handle = tokio::runtime::Handle::current();
    let from_thread = std::thread::spawn(move || handle.spawn(async { "remote" }))
        .join()
        .unwrap();
    assert_eq!(from_thread.await.unwrap(), "remote");
}

#[test]
fn dropping_the_runtime_drops_pending_tasks() {
    struct CountDrop(Arc<AtomicUsize>);
    impl Drop for CountDrop {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    let drops = Arc::new(AtomicUsize::new(0));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for _ in 0..100 {
        let guard = CountDrop(drops.clone());
        runtime.spawn(async move {
            let _guard = guard;
            tokio::time::sleep(Duration::from_secs(3600)).await;
        });
    }
    runtime.block_on(tokio::task::yield_now());
    drop(runtime);
    assert_eq!(drops.load(Ordering::SeqCst), 100);
}
