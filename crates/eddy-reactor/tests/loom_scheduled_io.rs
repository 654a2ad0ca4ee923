//! Loom models of `ScheduledIo`'s protocol: readiness set by the driver on one thread while a
//! task polls, waits and clears on another. No wake-up may be lost and no readiness reported
//! after an observation may be cleared by it.
#![cfg(loom)]

use eddy_reactor::{Direction, Interest, Ready, ScheduledIo};
use eddy_test_support::waker::counting;
use loom::thread;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

fn driver_sets(io: &ScheduledIo, ready: Ready) {
    let mut wakers = Vec::new();
    io.set_readiness(ready, &mut wakers);
    wakers.into_iter().for_each(Waker::wake);
}

#[test]
fn a_waiting_reader_is_never_missed() {
    loom::model(|| {
        let io = Arc::new(ScheduledIo::new());
        let (woken, waker) = counting();
        let driver = {
            let io = io.clone();
            thread::spawn(move || driver_sets(&io, Ready::READABLE))
        };
        let polled = io.poll_readiness(&mut Context::from_waker(&waker), Direction::Read);
        driver.join().unwrap();
        assert!(polled.is_ready() || (woken.count() > 0));
    });
}

#[test]
fn a_waiter_in_the_list_is_never_missed() {
    loom::model(|| {
        let io = Arc::new(ScheduledIo::new());
        let (woken, waker) = counting();
        let driver = {
            let io = io.clone();
            thread::spawn(move || driver_sets(&io, Ready::WRITABLE))
        };
        let mut waiter = None;
        let polled = io.poll_interest(
            &mut Context::from_waker(&waker),
            Interest::WRITABLE,
            &mut waiter,
        );
        driver.join().unwrap();
        assert!(polled.is_ready() || (woken.count() > 0));
        io.cancel_waiter(&mut waiter);
    });
}

#[test]
fn readiness_reported_after_an_observation_survives_its_clear() {
    loom::model(|| {
        let io = Arc::new(ScheduledIo::new());
        driver_sets(&io, Ready::READABLE);
        let (_woken, waker) = counting();
        let mut cx = Context::from_waker(&waker);
        let Poll::Ready(observed) = io.poll_readiness(&mut cx, Direction::Read) else {
            panic!("readiness was set");
        };
        // The task's syscall would block; meanwhile the driver reports new data.
        let driver = {
            let io = io.clone();
            thread::spawn(move || driver_sets(&io, Ready::READABLE))
        };
        io.clear_readiness(observed);
        driver.join().unwrap();
        assert!(io.poll_readiness(&mut cx, Direction::Read).is_ready());
    });
}

#[test]
fn shutdown_reaches_a_waiting_task() {
    loom::model(|| {
        let io = Arc::new(ScheduledIo::new());
        let (woken, waker) = counting();
        let driver = {
            let io = io.clone();
            thread::spawn(move || {
                let mut wakers = Vec::new();
                io.shutdown(&mut wakers);
                wakers.into_iter().for_each(Waker::wake);
            })
        };
        let polled = io.poll_readiness(&mut Context::from_waker(&waker), Direction::Write);
        driver.join().unwrap();
        match polled {
            Poll::Ready(event) => assert!(event.is_shutdown()),
            Poll::Pending => assert!((woken.count() > 0)),
        }
    });
}
