//! `task_local!`: `scope`, `sync_scope`, `get`, `with`, `try_with` across awaits, threads and
//! nested scopes.
#![cfg(not(loom))]

mod support;

use eddy_executor::runtime::Builder;
use eddy_executor::task::{self, LocalSet};
use std::cell::Cell;
use std::panic::catch_unwind;
use std::pin::pin;
use std::rc::Rc;
use support::runtimes;

eddy_executor::task_local! {
    static NUMBER: u32;
    /// A documented key with a non-`Clone` type.
    pub static NAME: String;
}

eddy_executor::task_local! {
    static SEEN_AT_DROP: Rc<Cell<Option<u32>>>;
}

#[test]
fn scope_survives_awaits_in_many_tasks() {
    for rt in runtimes() {
        rt.block_on(async {
            let handles: Vec<_> = (0..20u32)
                .map(|i| {
                    task::spawn(NUMBER.scope(i, async move {
                        for _ in 0..5 {
                            assert_eq!(NUMBER.get(), i);
                            task::yield_now().await;
                        }
                        NUMBER.get()
                    }))
                })
                .collect();
            for (i, handle) in handles.into_iter().enumerate() {
                assert_eq!(handle.await.unwrap(), i as u32);
            }
        });
    }
}

#[test]
fn nested_scopes_shadow_and_restore() {
    for rt in runtimes() {
        rt.block_on(NUMBER.scope(1, async {
            assert_eq!(NUMBER.get(), 1);
            NUMBER
                .scope(2, async {
                    assert_eq!(NUMBER.get(), 2);
                    task::yield_now().await;
                    assert_eq!(NUMBER.get(), 2);
                    NUMBER.sync_scope(3, || assert_eq!(NUMBER.get(), 3));
                    assert_eq!(NUMBER.get(), 2);
                })
                .await;
            task::yield_now().await;
            assert_eq!(NUMBER.get(), 1);
        }));
    }
}

#[test]
fn with_and_try_with_see_the_value() {
    let length = NAME.sync_scope("eddy".to_owned(), || {
        NAME.with(|name| assert_eq!(name, "eddy"));
        NAME.try_with(|name| name.len()).unwrap()
    });
    assert_eq!(length, 4);
}

#[test]
fn outside_a_scope_try_with_errs_and_with_panics() {
    let error = NUMBER.try_with(|n| *n).unwrap_err();
    assert_eq!(error.to_string(), "task-local value not set");
    let panic = catch_unwind(|| NUMBER.get()).unwrap_err();
    assert_eq!(
        *panic.downcast::<&str>().unwrap(),
        "cannot access a task-local storage value without setting it first"
    );
    // A scope only covers its own future: the value is gone once the scope completes.
    let rt = Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        NUMBER.scope(5, async {}).await;
        assert!(NUMBER.try_with(|_| ()).is_err());
    });
}

#[test]
fn spawned_tasks_do_not_inherit_the_scope() {
    for rt in runtimes() {
        rt.block_on(NUMBER.scope(8, async {
            let inner = task::spawn(async { NUMBER.try_with(|n| *n).is_err() });
            assert!(inner.await.unwrap());
            assert_eq!(NUMBER.get(), 8);
        }));
    }
}

#[test]
fn scope_with_a_local_value_in_a_local_set() {
    for rt in runtimes() {
        let local = LocalSet::new();
        let seen = Rc::new(Cell::new(None));
        local.block_on(&rt, async {
            let seen = seen.clone();
            task::spawn_local(SEEN_AT_DROP.scope(seen, async {
                task::yield_now().await;
                SEEN_AT_DROP.with(|seen| seen.set(Some(1)));
            }))
            .await
            .unwrap();
        });
        assert_eq!(seen.get(), Some(1));
    }
}

/// Records the task-local value visible when it is dropped.
struct ReadOnDrop;

impl Drop for ReadOnDrop {
    fn drop(&mut self) {
        let _ = SEEN_AT_DROP.try_with(|seen| seen.set(Some(42)));
    }
}

#[test]
fn the_scoped_future_is_dropped_inside_the_scope() {
    let seen = Rc::new(Cell::new(None));
    let guard = ReadOnDrop;
    let future = SEEN_AT_DROP.scope(seen.clone(), async move {
        let _guard = guard;
        std::future::pending::<()>().await
    });
    drop(future);
    assert_eq!(seen.get(), Some(42));
}

#[test]
fn take_value_hands_the_value_back() {
    let mut future = pin!(NUMBER.scope(11, async {}));
    assert_eq!(future.as_mut().take_value(), Some(11));
    assert_eq!(future.as_mut().take_value(), None);
}

#[test]
fn entering_a_scope_while_borrowed_panics() {
    let result =
        catch_unwind(|| NUMBER.sync_scope(1, || NUMBER.with(|_| NUMBER.sync_scope(2, || ()))));
    let message = *result.unwrap_err().downcast::<&str>().unwrap();
    assert_eq!(
        message,
        "cannot enter a task-local scope while the task-local storage is borrowed"
    );
    // The outer scope was restored on the way out.
    assert!(NUMBER.try_with(|_| ()).is_err());
}
