#![cfg(not(loom))]

use eddy_sync::{MappedMutexGuard, Mutex, MutexGuard, OwnedMutexGuard};
use eddy_test_support::executor::{block_on, spawn_thread};
use eddy_test_support::future::yield_now;
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::counting;
use std::sync::Arc;

#[test]
fn contended_increments_are_all_counted() {
    let counter = Arc::new(Mutex::new(0usize));
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let counter = counter.clone();
            spawn_thread(async move {
                for _ in 0..2_000 {
                    let mut guard = counter.lock().await;
                    let seen = *guard;
                    yield_now().await;
                    *guard = seen + 1;
                }
            })
        })
        .collect();
    for task in tasks {
        task.join().unwrap();
    }
    assert_eq!(*counter.blocking_lock(), 16_000);
}

#[test]
fn try_lock_fails_while_held() {
    let mutex = Mutex::new(1);
    let guard = mutex.try_lock().unwrap();
    assert!(mutex.try_lock().is_err());
    assert_eq!(format!("{mutex:?}"), "Mutex { data: <locked> }");
    drop(guard);
    assert!(mutex.try_lock().is_ok());
}

#[test]
fn waiters_get_the_lock_in_fifo_order() {
    let mutex = Arc::new(Mutex::new(Vec::new()));
    let guard = mutex.clone().try_lock_owned().unwrap();
    let mut waiters: Vec<_> = (0..3)
        .map(|i| {
            let mutex = mutex.clone();
            Box::pin(async move { mutex.lock().await.push(i) })
                as std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>
        })
        .collect();
    let (_, waker) = counting();
    for waiter in &mut waiters {
        assert!(poll_once(waiter.as_mut(), &waker).is_pending());
    }
    drop(guard);
    let mut pending: Vec<_> = waiters.into_iter().map(Some).collect();
    while pending.iter().any(Option::is_some) {
        // Polling newest first: only the head of the queue can finish each round.
        for slot in pending.iter_mut().rev() {
            if let Some(waiter) = slot {
                if poll_once(waiter.as_mut(), &waker).is_ready() {
                    *slot = None;
                }
            }
        }
    }
    assert_eq!(*mutex.try_lock().unwrap(), vec![0, 1, 2]);
}

#[test]
fn cancelled_lock_waiter_passes_the_lock_on() {
    let mutex = Arc::new(Mutex::new(0));
    let guard = mutex.try_lock().unwrap();
    let (m1, m2) = (mutex.clone(), mutex.clone());
    let (_, waker) = counting();
    let (second_wakes, second_waker) = counting();
    let mut first = Box::pin(async move { *m1.lock().await += 1 });
    let mut second = Box::pin(async move { *m2.lock().await += 10 });
    assert!(poll_once(first.as_mut(), &waker).is_pending());
    assert!(poll_once(second.as_mut(), &second_waker).is_pending());
    drop(guard);
    drop(first);
    assert_eq!(second_wakes.count(), 1);
    assert!(poll_once(second.as_mut(), &second_waker).is_ready());
    assert_eq!(*mutex.try_lock().unwrap(), 10);
}

#[test]
fn map_and_owned_guards() {
    let mutex = Mutex::new((1, String::from("a")));
    block_on(async {
        let guard = mutex.lock().await;
        let mut name: MappedMutexGuard<'_, String> = MutexGuard::map(guard, |pair| &mut pair.1);
        name.push('b');
        let mut first = MappedMutexGuard::map(name, |s| s);
        first.push('c');
        drop(first);
        let guard = mutex.lock().await;
        let guard = match MutexGuard::try_map(guard, |_| None::<&mut u8>) {
            Ok(_) => unreachable!(),
            Err(guard) => guard,
        };
        assert!(std::ptr::eq(MutexGuard::mutex(&guard), &mutex));
        assert_eq!(guard.1, "abc");
    });

    let shared = Arc::new(Mutex::new((1, 2)));
    let owned: OwnedMutexGuard<(i32, i32)> = block_on(shared.clone().lock_owned());
    let mut second = OwnedMutexGuard::map(owned, |pair| &mut pair.1);
    *second += 40;
    assert!(shared.try_lock().is_err());
    drop(second);
    assert_eq!(*shared.try_lock().unwrap(), (1, 42));
    assert_eq!(*shared.clone().blocking_lock_owned(), (1, 42));
}

#[test]
fn into_inner_get_mut_default_const() {
    static GLOBAL: Mutex<u32> = Mutex::const_new(3);
    assert_eq!(*GLOBAL.try_lock().unwrap(), 3);
    let mut mutex: Mutex<Vec<u8>> = Mutex::default();
    mutex.get_mut().push(1);
    assert_eq!(mutex.into_inner(), vec![1]);
    assert_eq!(Mutex::from(5).into_inner(), 5);
}

/// Regression: a lock attempt made with the cooperative budget spent yielded before joining
/// the queue, so a later attempt overtook it. It queues first now, as Tokio's does.
#[test]
fn a_lock_out_of_budget_keeps_its_place_in_line() {
    let mutex = Arc::new(Mutex::new(()));
    let held = mutex.try_lock().unwrap();
    let (first_wakes, first_waker) = counting();
    let mut first = Box::pin(mutex.clone().lock_owned());
    eddy_core::coop::budget(|| {
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        while let std::task::Poll::Ready(unit) = eddy_core::coop::poll_proceed(&mut cx) {
            unit.made_progress();
        }
        assert!(poll_once(first.as_mut(), &first_waker).is_pending());
    });
    let (second_wakes, second_waker) = counting();
    let mut second = Box::pin(mutex.clone().lock_owned());
    assert!(poll_once(second.as_mut(), &second_waker).is_pending());
    drop(held);
    assert!(first_wakes.count() >= 1);
    assert_eq!(second_wakes.count(), 0);
    assert!(poll_once(first.as_mut(), &first_waker).is_ready());
}

/// With the budget spent and the lock free, a lock attempt yields without taking the lock (no
/// lock is held across a yield), and takes it on its next poll.
#[test]
fn a_lock_out_of_budget_on_a_free_mutex_yields_without_it() {
    let mutex = Mutex::new(1);
    let (_, waker) = counting();
    let mut lock = Box::pin(mutex.lock());
    eddy_core::coop::budget(|| {
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        while let std::task::Poll::Ready(unit) = eddy_core::coop::poll_proceed(&mut cx) {
            unit.made_progress();
        }
        assert!(poll_once(lock.as_mut(), &waker).is_pending());
    });
    assert!(
        mutex.try_lock().is_ok(),
        "the yielding attempt holds nothing"
    );
    assert!(poll_once(lock.as_mut(), &waker).is_ready());
}
