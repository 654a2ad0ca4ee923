//! Reaping children whose [`Child`](crate::Child) was dropped before they exited.
//!
//! A child that exits stays a zombie until its parent collects the status, so a dropped
//! `Child` cannot simply forget its process. It becomes an *orphan*: the process and its exit
//! watch (pidfd or `SIGCHLD` listener) move into an [`Orphan`], which waits with a waker of its
//! own instead of a task's. When the reactor reports the exit (or eddy-signal broadcasts
//! `SIGCHLD`), the waker runs on the driver's thread, reaps the child with a non-blocking
//! `waitpid`, and the orphan is freed. The reactor (or the signal slot) holding the waker is what
//! keeps the orphan alive meanwhile; no list and no task is involved.
//!
//! If the runtime shuts down first, the orphan's wait fails and the child is handed to a
//! short-lived thread that blocks in `waitpid`: the process cannot become a zombie that no
//! runtime will ever collect. That thread exists only while such a child runs.

use crate::exit::ExitWatch;
use crate::loom::sync::Mutex;
use eddy_core::coop;
use std::process::Child;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

/// A child nobody waits for, and how to notice its exit. See the module docs.
struct Orphan {
    state: Mutex<Option<(Child, ExitWatch)>>,
}

/// Makes sure `child` is reaped once it exits, without anyone awaiting it.
pub(crate) fn adopt(child: Child, watch: ExitWatch) {
    let orphan = Arc::new(Orphan {
        state: Mutex::new(Some((child, watch))),
    });
    orphan.poll();
}

impl Orphan {
    fn poll(self: &Arc<Self>) {
        let waker = Waker::from(self.clone());
        let mut cx = Context::from_waker(&waker);
        let mut state = self.state.lock();
        let Some((child, watch)) = state.as_mut() else {
            return;
        };
        // Not a task: the wait must neither spend nor be refused a task's budget.
        let polled = coop::with_unconstrained(|| watch.poll_exit(&mut cx, child));
        let Poll::Ready(result) = polled else {
            return;
        };
        let Some((child, watch)) = state.take() else {
            return;
        };
        // The watch (which may hold a waker) is dropped outside the lock.
        drop(state);
        drop(watch);
        if result.is_err() {
            reap_on_thread(child);
        }
    }
}

impl Wake for Orphan {
    fn wake(self: Arc<Self>) {
        self.poll();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.poll();
    }
}

/// Waits for `child` on a thread of its own: the last resort when no reactor is left.
pub(crate) fn reap_on_thread(mut child: Child) {
    let spawned = std::thread::Builder::new()
        .name("eddy-orphan-reaper".into())
        .spawn(move || {
            let _ = child.wait();
        });
    // Without a thread the child stays a zombie until this process exits: nothing better is
    // possible, and the caller (a drop) cannot report an error.
    drop(spawned);
}
