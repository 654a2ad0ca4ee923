//! Locks as tokio-console resources: the spans and state updates of `Mutex`, `Semaphore`,
//! `RwLock` and `Barrier`, checked with a recording subscriber.
#![cfg(all(feature = "tracing", not(loom)))]

use eddy_sync::{Barrier, Mutex, RwLock, RwLockWriteGuard, Semaphore};
use eddy_test_support::executor::block_on;
use eddy_test_support::recorder::{Log, Recorder, SpanRecord, Update, Value};
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::counting;
use std::panic::Location;
use std::pin::pin;
use tracing::subscriber::with_default;

// Each `*_here` constructor is `#[track_caller]` too, so the location it returns is the one the
// primitive's own `#[track_caller]` constructor sees: the test's line.

#[track_caller]
fn mutex_here(value: u32) -> (Mutex<u32>, &'static Location<'static>) {
    (Mutex::new(value), Location::caller())
}

#[track_caller]
fn semaphore_here(permits: usize) -> (Semaphore, &'static Location<'static>) {
    (Semaphore::new(permits), Location::caller())
}

#[track_caller]
fn barrier_here(n: usize) -> (Barrier, &'static Location<'static>) {
    (Barrier::new(n), Location::caller())
}

#[track_caller]
fn rwlock_here(value: u32) -> (RwLock<u32>, &'static Location<'static>) {
    (RwLock::new(value), Location::caller())
}

/// Checks the resource span's identity fields and returns it.
fn resource<'a>(
    log: &'a Log,
    target: &str,
    concrete_type: &str,
    location: &Location<'_>,
) -> &'a SpanRecord {
    let resource = log.only_span("runtime.resource");
    assert_eq!(resource.target, target);
    assert_eq!(resource.parent, None);
    assert_eq!(resource.fields.str("concrete_type"), Some(concrete_type));
    assert_eq!(resource.fields.str("kind"), Some("Sync"));
    assert_eq!(resource.fields.bool("is_internal"), Some(false));
    resource.fields.assert_location(location);
    assert!(location.file().ends_with("trace_locks.rs"));
    resource
}

/// The sources of the resource's async operations, in creation order; checks that each has
/// one poll span and was entered once per `poll_op` event emitted inside it.
fn operations(log: &Log, resource: &SpanRecord) -> Vec<String> {
    let ops = log.children(resource.id, "runtime.resource.async_op");
    for op in &ops {
        let polls = log.children(op.id, "runtime.resource.async_op.poll");
        assert_eq!(polls.len(), 1);
        let poll_ops: Vec<_> = log
            .events_with_target("runtime::resource::poll_op")
            .into_iter()
            .filter(|event| event.entered == [resource.id, op.id, polls[0].id])
            .collect();
        assert_eq!(op.enters, poll_ops.len(), "{op:#?}");
        assert_eq!(polls[0].enters, poll_ops.len());
        assert!(
            op.closed && polls[0].closed,
            "the operation is over: {op:#?}"
        );
    }
    ops.iter()
        .map(|op| op.fields.str("source").expect("source").to_owned())
        .collect()
}

fn locked(value: bool) -> Update {
    Update::new("locked", Value::Bool(value), "override")
}

fn permits(n: u64, op: &str) -> Update {
    Update::new("permits", Value::U64(n), op)
}

#[test]
fn a_mutex_reports_its_location_its_lock_operation_and_locked_state() {
    let recorder = Recorder::new();
    let mutex = with_default(recorder.clone(), || {
        let (mutex, location) = mutex_here(1);
        block_on(async { *mutex.lock().await += 1 });
        drop(mutex.try_lock().unwrap());
        (mutex, location)
    });
    let (mutex, location) = mutex;
    {
        let log = recorder.log();
        let resource = resource(&log, "tokio::sync::mutex", "Mutex", location);
        assert_eq!(operations(&log, resource), ["Mutex::lock"]);
        assert_eq!(log.poll_readiness(), [true], "uncontended: ready at once");
        let expected = [false, true, false, true, false].map(locked);
        assert_eq!(log.updates(resource.id), expected);
        assert!(!resource.closed);
    }
    drop(mutex);
    assert!(recorder.log().only_span("runtime.resource").closed);
}

#[test]
fn a_contended_lock_is_pending_until_the_holder_unlocks() {
    let recorder = Recorder::new();
    with_default(recorder.clone(), || {
        let (mutex, _) = mutex_here(0);
        let (counter, waker) = counting();
        let holder = mutex.try_lock().unwrap();
        let mut waiter = pin!(mutex.lock());
        assert!(poll_once(waiter.as_mut(), &waker).is_pending());
        drop(holder);
        assert_eq!(counter.count(), 1);
        assert!(poll_once(waiter.as_mut(), &waker).is_ready());
    });
    let log = recorder.log();
    let resource = log.only_span("runtime.resource");
    assert_eq!(log.poll_readiness(), [false, true]);
    let expected = [false, true, false, true, false].map(locked);
    assert_eq!(log.updates(resource.id), expected);
    assert_eq!(operations(&log, resource), ["Mutex::lock"]);
}

#[test]
fn a_semaphore_reports_every_change_of_its_permits() {
    let recorder = Recorder::new();
    let location = with_default(recorder.clone(), || {
        let (semaphore, location) = semaphore_here(3);
        let two = block_on(semaphore.acquire_many(2)).unwrap();
        let one = semaphore.try_acquire().unwrap();
        drop(two);
        assert_eq!(semaphore.forget_permits(1), 1);
        semaphore.add_permits(4);
        one.forget();
        location
    });
    let log = recorder.log();
    let resource = resource(&log, "tokio::sync::semaphore", "Semaphore", location);
    assert_eq!(operations(&log, resource), ["Semaphore::acquire_many"]);
    let expected = [
        permits(3, "override"),
        permits(2, "sub"),
        permits(1, "sub"),
        permits(2, "add"),
        permits(1, "sub"),
        permits(4, "add"),
    ];
    assert_eq!(log.updates(resource.id), expected);
    assert!(resource.closed);
}

#[test]
fn a_waiting_acquire_is_one_operation_polled_until_permits_come_back() {
    let recorder = Recorder::new();
    with_default(recorder.clone(), || {
        let (semaphore, _) = semaphore_here(1);
        let (_, waker) = counting();
        let held = semaphore.try_acquire().unwrap();
        let mut waiting = pin!(semaphore.acquire());
        assert!(poll_once(waiting.as_mut(), &waker).is_pending());
        assert!(poll_once(waiting.as_mut(), &waker).is_pending());
        drop(held);
        let permit = match poll_once(waiting.as_mut(), &waker) {
            std::task::Poll::Ready(permit) => permit.unwrap(),
            std::task::Poll::Pending => panic!("the released permit went to the waiter"),
        };
        assert_eq!(permit.num_permits(), 1);
    });
    let log = recorder.log();
    let resource = log.only_span("runtime.resource");
    assert_eq!(log.poll_readiness(), [false, false, true]);
    assert_eq!(operations(&log, resource), ["Semaphore::acquire"]);
}

#[test]
fn a_rwlock_reports_readers_and_the_writer() {
    let recorder = Recorder::new();
    let location = with_default(recorder.clone(), || {
        let (lock, location) = rwlock_here(7);
        block_on(async {
            let first = lock.read().await;
            let second = lock.try_read().unwrap();
            assert_eq!(*first + *second, 14);
            drop((first, second));
            let writer = lock.write().await;
            let reader = RwLockWriteGuard::downgrade(writer);
            assert_eq!(*reader, 7);
        });
        location
    });
    let log = recorder.log();
    let resource = resource(&log, "tokio::sync::rwlock", "RwLock", location);
    assert_eq!(
        operations(&log, resource),
        ["RwLock::read", "RwLock::write"]
    );
    let readers = |n: u64, op: &str| Update::new("current_readers", Value::U64(n), op);
    let write_locked = |value: bool| Update::new("write_locked", Value::Bool(value), "override");
    let expected = [
        Update::new(
            "max_readers",
            Value::U64(u64::from(u32::MAX >> 3)),
            "override",
        ),
        write_locked(false),
        readers(0, "override"),
        readers(1, "add"),
        readers(1, "add"),
        readers(1, "sub"),
        readers(1, "sub"),
        write_locked(true),
        write_locked(false),
        readers(1, "add"),
        readers(1, "sub"),
    ];
    assert_eq!(log.updates(resource.id), expected);
}

#[test]
fn a_barrier_reports_arrivals_and_each_wait() {
    let recorder = Recorder::new();
    let location = with_default(recorder.clone(), || {
        let (barrier, location) = barrier_here(2);
        let (_, waker) = counting();
        let mut first = pin!(barrier.wait());
        assert!(poll_once(first.as_mut(), &waker).is_pending());
        let mut second = pin!(barrier.wait());
        assert!(poll_once(second.as_mut(), &waker).is_ready());
        assert!(poll_once(first.as_mut(), &waker).is_ready());
        location
    });
    let log = recorder.log();
    let resource = resource(&log, "tokio::sync::barrier", "Barrier", location);
    assert_eq!(
        operations(&log, resource),
        ["Barrier::wait", "Barrier::wait"]
    );
    let arrived = |n: u64, op: &str| Update::new("arrived", Value::U64(n), op);
    let expected = [
        Update::new("size", Value::U64(2), "override"),
        arrived(0, "override"),
        arrived(1, "add"),
        arrived(0, "override"),
    ];
    assert_eq!(log.updates(resource.id), expected);
}
