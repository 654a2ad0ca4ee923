//! `tokio::task_local!`: values set by `scope` for one future, across its awaits, invisible to
//! other tasks, restored after nested scopes; `sync_scope` for closures.
//!
//! Shared by `ecosystem-macros` and `examples/tokio-compat` (see `macros_entry.rs`).

use std::cell::RefCell;

tokio::task_local! {
    /// The request a task serves.
    pub static REQUEST_ID: u64;

    /// Where a task has been.
    static TRAIL: RefCell<Vec<&'static str>>;
}

#[tokio::test]
async fn scope_sets_the_value_across_awaits_only_inside_the_future() {
    assert!(REQUEST_ID.try_with(|id| *id).is_err());
    let seen = REQUEST_ID
        .scope(7, async {
            tokio::task::yield_now().await;
            let first = REQUEST_ID.get();
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            (first, REQUEST_ID.get())
        })
        .await;
    assert_eq!(seen, (7, 7));
    assert!(REQUEST_ID.try_with(|id| *id).is_err());
}

#[tokio::test]
async fn a_spawned_task_does_not_inherit_the_value() {
    let inherited = REQUEST_ID
        .scope(1, async {
            tokio::spawn(async { REQUEST_ID.try_with(|id| *id).is_ok() })
                .await
                .unwrap()
        })
        .await;
    assert!(!inherited);
}

#[tokio::test]
async fn nested_scopes_shadow_and_restore() {
    REQUEST_ID
        .scope(1, async {
            let inner = REQUEST_ID.scope(2, async { REQUEST_ID.get() }).await;
            assert_eq!(inner, 2);
            assert_eq!(REQUEST_ID.get(), 1);
        })
        .await;
}

#[tokio::test]
async fn values_need_not_be_copy_and_may_be_mutated_through_a_cell() {
    let trail = TRAIL
        .scope(RefCell::new(Vec::new()), async {
            TRAIL.with(|trail| trail.borrow_mut().push("start"));
            tokio::task::yield_now().await;
            TRAIL.with(|trail| trail.borrow_mut().push("after a yield"));
            TRAIL.with(|trail| trail.borrow().clone())
        })
        .await;
    assert_eq!(trail, ["start", "after a yield"]);
}

#[test]
fn sync_scope_sets_the_value_for_a_closure() {
    let doubled = REQUEST_ID.sync_scope(21, || REQUEST_ID.get() * 2);
    assert_eq!(doubled, 42);
    assert!(REQUEST_ID.try_with(|id| *id).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_interleaving_on_shared_workers_each_keep_their_own_value() {
    let tasks: Vec<_> = (0..8u64)
        .map(|id| {
            tokio::spawn(REQUEST_ID.scope(id, async move {
                for _ in 0..100 {
                    tokio::task::yield_now().await;
                    assert_eq!(REQUEST_ID.get(), id);
                }
                id
            }))
        })
        .collect();
    let mut finished = Vec::new();
    for task in tasks {
        finished.push(task.await.unwrap());
    }
    assert_eq!(finished, (0..8).collect::<Vec<_>>());
}
