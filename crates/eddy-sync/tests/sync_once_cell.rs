#![cfg(not(loom))]

use eddy_sync::{OnceCell, SetError};
use eddy_test_support::executor::{block_on, spawn_thread};
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::counting;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[test]
fn get_or_init_runs_the_initializer_once() {
    let cell = Arc::new(OnceCell::new());
    let runs = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let (cell, runs) = (cell.clone(), runs.clone());
            spawn_thread(async move {
                *cell
                    .get_or_init(|| async move {
                        runs.fetch_add(1, Ordering::SeqCst);
                        std::thread::yield_now();
                        i
                    })
                    .await
            })
        })
        .collect();
    let values: Vec<_> = tasks.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    assert!(values.iter().all(|v| *v == values[0]));
}

#[test]
fn failing_initializer_leaves_the_cell_empty() {
    let cell = OnceCell::new();
    let failed: Result<&u8, &str> = block_on(cell.get_or_try_init(|| async { Err("no") }));
    assert_eq!(failed, Err("no"));
    assert!(!cell.initialized());
    assert_eq!(
        block_on(cell.get_or_try_init(|| async { Ok::<_, ()>(3) })),
        Ok(&3)
    );
}

#[test]
fn cancelled_initializer_lets_the_next_one_run() {
    let cell = Arc::new(OnceCell::new());
    let (_, waker) = counting();
    let c = cell.clone();
    let mut stuck = Box::pin(async move { *c.get_or_init(std::future::pending::<u8>).await });
    assert!(poll_once(stuck.as_mut(), &waker).is_pending());
    assert!(matches!(cell.set(1), Err(SetError::InitializingError(1))));
    drop(stuck);
    assert_eq!(*block_on(cell.get_or_init(|| async { 2 })), 2);
}

#[test]
fn set_get_take() {
    let mut cell = OnceCell::new();
    assert_eq!(cell.get(), None);
    cell.set(1).unwrap();
    assert!(cell.set(2).unwrap_err().is_already_init_err());
    assert_eq!(cell.get(), Some(&1));
    *cell.get_mut().unwrap() += 1;
    assert_eq!(cell.take(), Some(2));
    assert!(!cell.initialized());
    cell.set(3).unwrap();
    assert_eq!(cell.into_inner(), Some(3));
    assert_eq!(OnceCell::new_with(Some(4)).get(), Some(&4));
    assert_eq!(OnceCell::from(5), OnceCell::new_with(Some(5)));
}

#[test]
fn statics() {
    static EMPTY: OnceCell<u8> = OnceCell::const_new();
    static FULL: OnceCell<u8> = OnceCell::const_new_with(9);
    assert_eq!(FULL.get(), Some(&9));
    assert_eq!(*block_on(EMPTY.get_or_init(|| async { 1 })), 1);
}
