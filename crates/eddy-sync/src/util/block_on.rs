//! The thread-parking executor behind the `blocking_*` methods.
//!
//! It polls one future on the calling thread and parks the thread between polls; the future's
//! waker unparks it. It knows nothing of any runtime, so unlike Tokio it cannot tell that it is
//! called from inside an asynchronous context: calling a `blocking_*` method from a task blocks
//! that task's worker thread (and may deadlock it) instead of panicking.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs `future` to completion on the current thread, parking while it is pending.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        thread::park();
    }
}
