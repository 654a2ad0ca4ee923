//! Loom models of `OnceCell`: racing initializers run one `f` and agree on the value, a `set`
//! racing an initializer stores exactly one value, and a cancelled initializer hands its turn
//! to a waiting one without losing its wake-up.
#![cfg(loom)]

use eddy_sync::OnceCell;
use eddy_test_support::executor::block_on;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::Arc;
use loom::thread;
use std::future::{pending, Future};
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Initializes `cell` with `value`, counting the runs of the initializer in `runs`.
fn init_counted(cell: &OnceCell<usize>, runs: &AtomicUsize, value: usize) -> usize {
    *block_on(cell.get_or_init(|| async move {
        runs.fetch_add(1, Ordering::SeqCst);
        value
    }))
}

#[test]
fn racing_initializers_run_one_and_agree() {
    loom::model(|| {
        let cell = Arc::new(OnceCell::new());
        let runs = Arc::new(AtomicUsize::new(0));
        let other = {
            let (cell, runs) = (cell.clone(), runs.clone());
            thread::spawn(move || init_counted(&cell, &runs, 1))
        };
        let mine = init_counted(&cell, &runs, 2);
        let theirs = other.join().unwrap();
        assert_eq!(
            runs.load(Ordering::SeqCst),
            1,
            "exactly one initializer ran"
        );
        assert_eq!(mine, theirs, "both callers see the one stored value");
        assert_eq!(cell.get(), Some(&mine));
    });
}

#[test]
fn set_racing_an_initializer_stores_one_value() {
    loom::model(|| {
        let cell = Arc::new(OnceCell::new());
        let runs = Arc::new(AtomicUsize::new(0));
        let setter = {
            let cell = cell.clone();
            thread::spawn(move || cell.set(1).is_ok())
        };
        let seen = init_counted(&cell, &runs, 2);
        let set_won = setter.join().unwrap();
        let ran = runs.load(Ordering::SeqCst);
        assert_eq!(usize::from(set_won) + ran, 1, "one writer, set or init");
        assert_eq!(seen, if set_won { 1 } else { 2 });
        assert_eq!(cell.get(), Some(&seen));
    });
}

#[test]
fn a_cancelled_initializer_lets_the_waiting_one_run() {
    loom::model(|| {
        let cell = Arc::new(OnceCell::new());
        let cancelled = {
            let cell = cell.clone();
            thread::spawn(move || {
                // Polled once, then dropped: if it comes first it takes the permit and waits
                // forever in `f`; if it comes last it finds the other's value.
                let mut init = pin!(cell.get_or_init(pending::<usize>));
                let mut cx = Context::from_waker(Waker::noop());
                if let Poll::Ready(value) = init.as_mut().poll(&mut cx) {
                    assert_eq!(*value, 7);
                }
            })
        };
        let runs = AtomicUsize::new(0);
        assert_eq!(init_counted(&cell, &runs, 7), 7);
        cancelled.join().unwrap();
        assert_eq!(cell.get(), Some(&7));
    });
}
