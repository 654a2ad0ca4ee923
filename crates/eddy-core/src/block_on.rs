//! Driving one future to completion on one driver, with no scheduler.
//!
//! This is the smallest executor there is: poll the future, and while it is pending park on the
//! driver, whose unparker is the future's waker. It lets a driver crate (timers, sockets) be used
//! and tested on its own; the runtimes in `eddy-executor` are what applications use.

use crate::park::Park;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};

/// Polls `future` to completion, parking on `driver` whenever it is pending.
///
/// ```
/// use eddy_core::{block_on::block_on, ParkThread};
///
/// let mut driver = ParkThread::new();
/// assert_eq!(block_on(&mut driver, async { 6 * 7 }), 42);
/// ```
pub fn block_on<P: Park + ?Sized, F: Future>(driver: &mut P, future: F) -> F::Output {
    let waker = driver.unparker().into_waker();
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        driver.park();
    }
}
