//! Blocking a thread on one future, with no scheduler: `Handle::block_on`, and a `block_on`
//! waiting for another thread to give the current-thread core back.
//!
//! The thread parker and its waker are cached per thread so that repeated calls allocate
//! nothing.

use eddy_core::park::{Park, ParkThread};
use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

crate::loom::thread_local! {
    static CACHED: RefCell<Option<(ParkThread, Waker)>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's parker and a waker that unparks it.
pub(crate) fn with_parker<R>(f: impl FnOnce(&mut ParkThread, &Waker) -> R) -> R {
    // Taken out of the slot, so a nested call (from inside `f`) gets a parker of its own.
    let cached = CACHED
        .try_with(|slot| slot.borrow_mut().take())
        .ok()
        .flatten();
    let (mut parker, waker) = cached.unwrap_or_else(|| {
        let parker = ParkThread::new();
        let waker = parker.unparker().into_waker();
        (parker, waker)
    });
    let output = f(&mut parker, &waker);
    let _ = CACHED.try_with(|slot| *slot.borrow_mut() = Some((parker, waker)));
    output
}

/// Polls `future` to completion, parking the thread while it is pending.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    with_parker(|parker, waker| {
        let mut cx = Context::from_waker(waker);
        loop {
            let polled = eddy_core::coop::budget(|| future.as_mut().poll(&mut cx));
            if let Poll::Ready(output) = polled {
                return output;
            }
            parker.park();
        }
    })
}
