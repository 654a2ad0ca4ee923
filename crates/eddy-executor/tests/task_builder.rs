//! `task::Builder`: every spawn variant, with the name kept in the task.
#![cfg(not(loom))]

mod support;

use eddy_executor::runtime::Builder;
use eddy_executor::task::{self, LocalSet};
use std::rc::Rc;
use support::runtimes;

#[test]
fn spawn_keeps_the_name() {
    for rt in runtimes() {
        rt.block_on(async {
            let named = task::Builder::new()
                .name("alpha")
                .spawn(async { 1 })
                .unwrap();
            assert_eq!(named.name(), Some("alpha"));
            let plain = task::spawn(async { 2 });
            assert_eq!(plain.name(), None);
            let unnamed = task::Builder::new().spawn(async { 3 }).unwrap();
            assert_eq!(unnamed.name(), None);
            assert_eq!(
                named.await.unwrap() + plain.await.unwrap() + unnamed.await.unwrap(),
                6
            );
        });
    }
}

#[test]
fn spawn_on_and_blocking_variants_keep_the_name() {
    for rt in runtimes() {
        let on = task::Builder::new()
            .name("on")
            .spawn_on(async { 1 }, rt.handle())
            .unwrap();
        let blocking_on = task::Builder::new()
            .name("blocking-on")
            .spawn_blocking_on(|| 2, rt.handle())
            .unwrap();
        assert_eq!(on.name(), Some("on"));
        assert_eq!(blocking_on.name(), Some("blocking-on"));
        rt.block_on(async move {
            let blocking = task::Builder::new()
                .name("blocking")
                .spawn_blocking(|| 3)
                .unwrap();
            assert_eq!(blocking.name(), Some("blocking"));
            let sum = on.await.unwrap() + blocking_on.await.unwrap() + blocking.await.unwrap();
            assert_eq!(sum, 6);
        });
    }
}

#[test]
fn local_variants_keep_the_name() {
    for rt in runtimes() {
        let local = LocalSet::new();
        let on = task::Builder::new()
            .name("local-on")
            .spawn_local_on(async { Rc::new(1) }, &local)
            .unwrap();
        assert_eq!(on.name(), Some("local-on"));
        let total = local.block_on(&rt, async move {
            let inside = task::Builder::new()
                .name("local")
                .spawn_local(async { Rc::new(2) })
                .unwrap();
            assert_eq!(inside.name(), Some("local"));
            *on.await.unwrap() + *inside.await.unwrap()
        });
        assert_eq!(total, 3);
    }
}

#[test]
fn the_name_is_not_passed_on_to_later_tasks() {
    let rt = Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let named = task::Builder::new().name("once").spawn(async {
            // Spawned while the named task runs: not named.
            task::spawn(async {}).name().map(str::to_owned)
        });
        assert_eq!(named.unwrap().await.unwrap(), None);
        assert_eq!(task::spawn(async {}).name(), None);
    });
}

#[test]
#[should_panic(expected = "`spawn_local` called from outside of a `task::LocalSet`")]
fn builder_spawn_local_outside_a_local_set_panics() {
    let _ = task::Builder::new().name("lost").spawn_local(async {});
}

#[test]
fn builder_spawn_outside_a_runtime_panics() {
    let result = std::panic::catch_unwind(|| task::Builder::new().name("x").spawn(async {}));
    assert!(result.is_err());
    // The parked name was cleared: the next task on this thread is unnamed.
    let rt = Builder::new_current_thread().build().unwrap();
    assert_eq!(rt.spawn(async {}).name(), None);
}
