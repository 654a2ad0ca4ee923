#![cfg(not(loom))]

use eddy_sync::{SetOnce, SetOnceError};
use eddy_test_support::executor::{block_on, spawn_thread};
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::counting;
use std::sync::Arc;

static GLOBAL: SetOnce<u32> = SetOnce::const_new();

#[test]
fn set_once_then_refuse() {
    let cell = SetOnce::new();
    assert!(!cell.initialized());
    assert_eq!(cell.get(), None);
    assert_eq!(cell.set(5), Ok(()));
    assert_eq!(cell.set(6), Err(SetOnceError(6)));
    assert_eq!(cell.get(), Some(&5));
    assert_eq!(cell.clone(), SetOnce::from(5));
    assert_eq!(cell.into_inner(), Some(5));
    assert_eq!(SetOnce::<u8>::new_with(None).into_inner(), None);
    assert_eq!(SetOnce::const_new_with(3).get(), Some(&3));
}

#[test]
fn waiters_wake_when_the_value_is_set() {
    let cell = Arc::new(SetOnce::new());
    let (wakes, waker) = counting();
    let mut early = Box::pin(cell.wait());
    assert!(poll_once(early.as_mut(), &waker).is_pending());
    let waiters: Vec<_> = (0..4)
        .map(|_| {
            let cell = cell.clone();
            spawn_thread(async move { *cell.wait().await })
        })
        .collect();
    cell.set(7).unwrap();
    assert_eq!(wakes.count(), 1);
    assert!(matches!(
        poll_once(early.as_mut(), &waker),
        std::task::Poll::Ready(&7)
    ));
    for waiter in waiters {
        assert_eq!(waiter.join().unwrap(), 7);
    }
}

#[test]
fn a_static_cell_is_set_from_another_thread() {
    std::thread::spawn(|| GLOBAL.set(11).unwrap())
        .join()
        .unwrap();
    assert_eq!(block_on(GLOBAL.wait()), &11);
    assert!(GLOBAL.set(12).is_err());
}

#[test]
fn set_once_drops_its_value() {
    let value = Arc::new(());
    let cell = SetOnce::from(value.clone());
    assert_eq!(Arc::strong_count(&value), 2);
    drop(cell);
    assert_eq!(Arc::strong_count(&value), 1);
}
