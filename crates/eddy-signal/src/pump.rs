//! The per-reactor pump: the self-pipe registered with one reactor, drained by the reactor.
//!
//! Every reactor that has signal listeners holds a duplicate of the self-pipe's read end,
//! registered for readability. The pump's waker is not a task's: it is the pump itself, so
//! when the driver reports the pipe readable it calls the pump on the driver's thread, right
//! after dispatching events. The pump drains the pipe, asks the registry to broadcast, and
//! waits for readability again. No task has to poll for signals to be delivered, and a
//! listener's task is woken exactly when its signal arrived.
//!
//! All reactors' duplicates share one pipe, so whichever runtime is driven first drains it and
//! wakes the listeners of every runtime (their wakers reach their own schedulers). A runtime
//! that is not driven, or was dropped, cannot starve the others.
//!
//! A pump lives as long as the [`Signal`](crate::unix::Signal)s that use it: its waker holds only a
//! `Weak` reference, and the list that finds a reactor's pump holds `Weak`s too. When the
//! reactor shuts down, the pump's wait fails and it stops; listeners keep their pump alive but
//! hear signals only through other runtimes' pumps.

use crate::loom::sync::Mutex;
use crate::registry::Globals;
use eddy_core::coop;
use eddy_reactor::driver::Handle;
use eddy_reactor::{Interest, Registration};
use std::io::{self, Read};
use std::sync::{Arc, OnceLock, Weak};
use std::task::{Context, Poll, Wake, Waker};

/// The self-pipe's read end registered with one reactor. See the module docs.
pub(crate) struct Pump {
    globals: &'static Globals,
    receiver: mio::net::UnixStream,
    registration: Registration,
    waker: Waker,
}

/// The pump's waker: turns the pump, if it still exists.
struct PumpWaker(Weak<Pump>);

impl Wake for PumpWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if let Some(pump) = self.0.upgrade() {
            pump.turn();
        }
    }
}

/// The live pumps, one per reactor that has listeners.
fn pumps() -> &'static Mutex<Vec<Weak<Pump>>> {
    static PUMPS: OnceLock<Mutex<Vec<Weak<Pump>>>> = OnceLock::new();
    PUMPS.get_or_init(|| Mutex::new(Vec::new()))
}

impl Pump {
    /// The pump of `handle`'s reactor, created and registered on first use.
    pub(crate) fn for_reactor(globals: &'static Globals, handle: Handle) -> io::Result<Arc<Pump>> {
        let mut pumps = pumps().lock();
        pumps.retain(|pump| pump.strong_count() > 0);
        let existing = pumps
            .iter()
            .filter_map(Weak::upgrade)
            .find(|pump| pump.registration.handle().ptr_eq(&handle));
        if let Some(pump) = existing {
            return Ok(pump);
        }
        let pump = Pump::new(globals, handle)?;
        pumps.push(Arc::downgrade(&pump));
        drop(pumps);
        pump.turn();
        Ok(pump)
    }

    fn new(globals: &'static Globals, handle: Handle) -> io::Result<Arc<Pump>> {
        let mut receiver = mio::net::UnixStream::from_std(globals.receiver()?);
        let registration =
            Registration::new_with_handle(&mut receiver, Interest::READABLE, handle)?;
        Ok(Arc::new_cyclic(|weak| Pump {
            globals,
            receiver,
            registration,
            waker: Waker::from(Arc::new(PumpWaker(weak.clone()))),
        }))
    }

    /// Drains the pipe and broadcasts while it is readable, then waits for readability with the
    /// pump's own waker. Returns at once if the reactor has shut down.
    fn turn(&self) {
        let mut cx = Context::from_waker(&self.waker);
        // The pump is not a task: its wait must not spend (or be refused by) a task's budget.
        coop::with_unconstrained(|| {
            while let Poll::Ready(Ok(event)) = self.registration.poll_read_ready(&mut cx) {
                self.drain();
                self.registration.clear_readiness(event);
                self.globals.broadcast();
            }
        });
    }

    /// Reads the pipe until it would block. The bytes carry no information: the slots do.
    fn drain(&self) {
        let mut buf = [0; 128];
        while let Ok(n) = (&self.receiver).read(&mut buf) {
            if n == 0 {
                break;
            }
        }
    }
}

impl Drop for Pump {
    fn drop(&mut self) {
        // Deregister before the duplicate closes; a failure means the reactor is gone already.
        let _ = self.registration.deregister(&mut self.receiver);
    }
}
