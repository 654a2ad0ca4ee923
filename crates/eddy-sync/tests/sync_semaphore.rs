#![cfg(not(loom))]

use eddy_sync::{Semaphore, TryAcquireError};
use eddy_test_support::executor::{block_on, spawn_thread};
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::counting;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[test]
fn try_acquire_and_release() {
    let semaphore = Semaphore::new(2);
    let a = semaphore.try_acquire().unwrap();
    let b = semaphore.try_acquire().unwrap();
    assert_eq!(
        semaphore.try_acquire().unwrap_err(),
        TryAcquireError::NoPermits
    );
    drop(a);
    assert_eq!(semaphore.available_permits(), 1);
    drop(b);
    assert_eq!(semaphore.available_permits(), 2);
}

#[test]
fn bounds_concurrency_across_threads() {
    let semaphore = Arc::new(Semaphore::new(2));
    let inside = Arc::new(AtomicUsize::new(0));
    let max_seen = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..6)
        .map(|_| {
            let (semaphore, inside, max_seen) =
                (semaphore.clone(), inside.clone(), max_seen.clone());
            spawn_thread(async move {
                for _ in 0..200 {
                    let _permit = semaphore.acquire().await.unwrap();
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    max_seen.fetch_max(now, Ordering::SeqCst);
                    std::thread::yield_now();
                    inside.fetch_sub(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    assert!(max_seen.load(Ordering::SeqCst) <= 2);
    assert_eq!(semaphore.available_permits(), 2);
}

#[test]
fn waiters_are_served_in_fifo_order_even_when_a_later_one_fits() {
    let semaphore = Arc::new(Semaphore::new(0));
    let (big_wakes, big_waker) = counting();
    let (small_wakes, small_waker) = counting();
    let (s1, s2) = (semaphore.clone(), semaphore.clone());
    let mut big = Box::pin(async move { s1.acquire_many_owned(3).await.map(|p| p.num_permits()) });
    let mut small = Box::pin(async move { s2.acquire_owned().await.map(|p| p.num_permits()) });
    assert!(poll_once(big.as_mut(), &big_waker).is_pending());
    assert!(poll_once(small.as_mut(), &small_waker).is_pending());
    semaphore.add_permits(2);
    assert_eq!(
        small_wakes.count(),
        0,
        "the small request must not overtake"
    );
    assert_eq!(semaphore.available_permits(), 0);
    semaphore.add_permits(2);
    assert_eq!(big_wakes.count(), 1);
    assert_eq!(small_wakes.count(), 1);
    assert!(poll_once(big.as_mut(), &big_waker).is_ready());
    assert!(poll_once(small.as_mut(), &small_waker).is_ready());
}

#[test]
fn cancelled_waiter_returns_partially_assigned_permits() {
    let semaphore = Arc::new(Semaphore::new(1));
    let (_, waker) = counting();
    let (next_wakes, next_waker) = counting();
    let (s1, s2) = (semaphore.clone(), semaphore.clone());
    let mut big = Box::pin(async move { s1.acquire_many_owned(3).await.map(drop) });
    let mut next = Box::pin(async move { s2.acquire_many_owned(2).await.map(drop) });
    assert!(poll_once(big.as_mut(), &waker).is_pending());
    assert!(poll_once(next.as_mut(), &next_waker).is_pending());
    semaphore.add_permits(1);
    drop(big);
    assert_eq!(next_wakes.count(), 1, "the two assigned permits pass on");
    assert!(poll_once(next.as_mut(), &next_waker).is_ready());
    assert_eq!(semaphore.available_permits(), 2);
}

#[test]
fn close_fails_waiters_and_new_acquires() {
    let semaphore = Arc::new(Semaphore::new(0));
    let s = semaphore.clone();
    let waiter = spawn_thread(async move { s.acquire().await.is_err() });
    std::thread::sleep(std::time::Duration::from_millis(10));
    semaphore.close();
    assert!(waiter.join().unwrap());
    assert!(semaphore.is_closed());
    assert_eq!(
        semaphore.try_acquire().unwrap_err(),
        TryAcquireError::Closed
    );
    assert!(block_on(semaphore.acquire()).is_err());
}

#[test]
fn forget_merge_split() {
    let semaphore = Semaphore::new(5);
    let mut permit = semaphore.try_acquire_many(3).unwrap();
    let split = permit.split(1).unwrap();
    assert_eq!(permit.num_permits(), 2);
    assert!(permit.split(3).is_none());
    permit.merge(split);
    assert_eq!(permit.num_permits(), 3);
    permit.forget();
    assert_eq!(semaphore.available_permits(), 2);
    assert_eq!(semaphore.forget_permits(5), 2);
    assert_eq!(semaphore.available_permits(), 0);

    let semaphore = Arc::new(Semaphore::new(2));
    let mut owned = semaphore.clone().try_acquire_owned().unwrap();
    owned.merge(semaphore.clone().try_acquire_owned().unwrap());
    assert_eq!(owned.num_permits(), 2);
    let half = owned.split(1).unwrap();
    assert!(Arc::ptr_eq(half.semaphore(), &semaphore));
    drop((owned, half));
    assert_eq!(semaphore.available_permits(), 2);
}

#[test]
#[should_panic(expected = "merging permits from different semaphores")]
fn merging_permits_of_different_semaphores_panics() {
    let (a, b) = (Semaphore::new(1), Semaphore::new(1));
    let mut pa = a.try_acquire().unwrap();
    pa.merge(b.try_acquire().unwrap());
}

#[test]
#[should_panic(expected = "MAX_PERMITS")]
fn add_permits_past_the_maximum_panics() {
    let semaphore = Semaphore::new(Semaphore::MAX_PERMITS);
    semaphore.add_permits(1);
}

#[test]
fn const_new_in_a_static() {
    static SEMAPHORE: Semaphore = Semaphore::const_new(1);
    let permit = SEMAPHORE.try_acquire().unwrap();
    assert_eq!(SEMAPHORE.available_permits(), 0);
    drop(permit);
}

/// Regression: permits counted their share in a `u32`, so merging permits of several
/// `acquire_many` calls past `u32::MAX` panicked in debug builds and silently lost permits in
/// release ones. The count is a `usize` now, and every permit comes back.
#[test]
#[cfg(target_pointer_width = "64")]
fn merging_past_u32_keeps_every_permit() {
    let total = 2 * (u32::MAX as usize);
    let semaphore = Arc::new(Semaphore::new(total));
    let mut first = semaphore.try_acquire_many(u32::MAX).unwrap();
    first.merge(semaphore.try_acquire_many(u32::MAX).unwrap());
    assert_eq!(first.num_permits(), total);
    assert_eq!(semaphore.available_permits(), 0);
    let second = first.split(total - 1).unwrap();
    assert_eq!((first.num_permits(), second.num_permits()), (1, total - 1));
    drop((first, second));
    assert_eq!(semaphore.available_permits(), total);

    let mut owned = semaphore.clone().try_acquire_many_owned(u32::MAX).unwrap();
    owned.merge(semaphore.clone().try_acquire_many_owned(u32::MAX).unwrap());
    assert_eq!(owned.num_permits(), total);
    drop(owned);
    assert_eq!(semaphore.available_permits(), total);
}

#[test]
fn permits_name_their_semaphore() {
    let semaphore = Semaphore::new(1);
    let permit = semaphore.try_acquire().unwrap();
    assert!(std::ptr::eq(permit.semaphore(), &semaphore));
}

#[test]
fn blocking_acquire_waits_for_a_permit_from_another_thread() {
    let semaphore = Arc::new(Semaphore::new(0));
    let adder = {
        let semaphore = semaphore.clone();
        std::thread::spawn(move || semaphore.add_permits(3))
    };
    let permit = semaphore.blocking_acquire_many(2).unwrap();
    assert_eq!(permit.num_permits(), 2);
    let owned = semaphore.clone().blocking_acquire_owned().unwrap();
    assert_eq!(owned.num_permits(), 1);
    adder.join().unwrap();
    drop((permit, owned));
    let many = semaphore.clone().blocking_acquire_many_owned(3).unwrap();
    assert_eq!(many.num_permits(), 3);
    semaphore.close();
    assert!(semaphore.blocking_acquire().is_err());
}
