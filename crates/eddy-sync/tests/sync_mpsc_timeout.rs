//! `Sender::send_timeout`, on eddy-time's driver (feature `time`).
#![cfg(all(feature = "time", not(loom)))]

use eddy_core::ParkThread;
use eddy_sync::mpsc::{self, error::SendTimeoutError};
use eddy_time::driver::{self, Clock, Driver};
use std::time::Duration;

fn block_on_time<F: std::future::Future>(future: F) -> F::Output {
    let (mut driver, handle) = Driver::new(Box::new(ParkThread::new()), Clock::new(true, false));
    let _context = driver::enter(handle);
    eddy_core::block_on::block_on(&mut driver, future)
}

#[test]
fn full_channel_times_out_and_hands_the_value_back() {
    let (tx, _rx) = mpsc::channel(1);
    tx.try_send(1).unwrap();
    let result = block_on_time(tx.send_timeout(2, Duration::from_millis(20)));
    assert_eq!(result, Err(SendTimeoutError::Timeout(2)));
    assert_eq!(tx.capacity(), 0);
}

#[test]
fn capacity_freed_in_time_lets_the_send_through() {
    let (tx, mut rx) = mpsc::channel(1);
    tx.try_send(1).unwrap();
    let receiver = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(10));
        let first = rx.blocking_recv();
        (first, rx.blocking_recv())
    });
    block_on_time(tx.send_timeout(2, Duration::from_secs(30))).unwrap();
    drop(tx);
    assert_eq!(receiver.join().unwrap(), (Some(1), Some(2)));
}

#[test]
fn closed_channel_reports_closed() {
    let (tx, rx) = mpsc::channel(1);
    drop(rx);
    let result = block_on_time(tx.send_timeout(3, Duration::from_secs(30)));
    assert_eq!(result.unwrap_err().into_inner(), 3);
    assert!(matches!(
        block_on_time(tx.send_timeout(4, Duration::from_secs(1))),
        Err(SendTimeoutError::Closed(4))
    ));
}
