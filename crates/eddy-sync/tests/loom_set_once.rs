//! Loom model of `SetOnce`: a waiter racing the one set, and a second set racing the first.
#![cfg(loom)]

use eddy_sync::SetOnce;
use eddy_test_support::executor::block_on;
use loom::sync::Arc;
use loom::thread;

#[test]
fn wait_racing_set_sees_the_value() {
    loom::model(|| {
        let cell = Arc::new(SetOnce::new());
        let setter = {
            let cell = cell.clone();
            thread::spawn(move || cell.set(1).is_ok())
        };
        let second = cell.set(2).is_ok();
        let value = *block_on(cell.wait());
        let first = setter.join().unwrap();
        assert!(first != second, "exactly one set wins");
        assert_eq!(value, if first { 1 } else { 2 });
    });
}

#[test]
fn get_racing_set_sees_nothing_or_the_whole_value() {
    loom::model(|| {
        let cell = Arc::new(SetOnce::new());
        let setter = {
            let cell = cell.clone();
            thread::spawn(move || cell.set(String::from("set")).unwrap())
        };
        if let Some(value) = cell.get() {
            assert_eq!(value, "set");
        }
        setter.join().unwrap();
        assert_eq!(cell.get().map(String::as_str), Some("set"));
    });
}

#[test]
fn every_waiter_wakes_on_the_one_set() {
    loom::model(|| {
        let cell = Arc::new(SetOnce::new());
        let waiter = {
            let cell = cell.clone();
            thread::spawn(move || *block_on(cell.wait()))
        };
        let setter = {
            let cell = cell.clone();
            thread::spawn(move || cell.set(5).unwrap())
        };
        assert_eq!(*block_on(cell.wait()), 5);
        assert_eq!(waiter.join().unwrap(), 5);
        setter.join().unwrap();
    });
}
