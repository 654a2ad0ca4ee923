//! A listener for one kind of signal.

use crate::kind::SignalKind;
use crate::pump::Pump;
use crate::registry::{globals, Slot};
use eddy_core::coop;
use eddy_reactor::driver::Handle;
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

/// A stream of notifications that a signal arrived, from [`signal`].
///
/// Each listener sees every delivery, and deliveries that arrive while it is not polled are
/// remembered once: after any number of signals since the last `recv`, the next `recv` returns
/// at once and the one after waits. Several listeners of the same kind, in one runtime or in
/// several, are all notified.
pub struct Signal {
    slot: &'static Slot,
    id: u64,
    seen: usize,
    _pump: Arc<Pump>,
}

/// Listens for signals of `kind`, installing the process's handler for it on first use.
///
/// Once installed, the handler stays for the life of the process: the default action (for
/// most signals, terminating the process) does not come back when the listeners are dropped.
///
/// # Errors
///
/// For a signal that cannot be handled (`SIGKILL`, `SIGSTOP`, `SIGILL`, `SIGFPE`, `SIGSEGV`,
/// a negative or too large number), or when the OS refuses the handler or the pipe.
///
/// # Panics
///
/// Outside a runtime, or in a runtime built without I/O.
#[track_caller]
pub fn signal(kind: SignalKind) -> io::Result<Signal> {
    let handle = Handle::current();
    signal_with_handle(kind, handle)
}

fn signal_with_handle(kind: SignalKind, handle: Handle) -> io::Result<Signal> {
    let signum = kind.as_raw_value();
    if signum < 0 || signal_hook_registry::FORBIDDEN.contains(&signum) {
        return Err(io::Error::other(format!(
            "Refusing to register signal {signum}"
        )));
    }
    let globals = globals()?;
    globals.install(signum)?;
    let slot = globals
        .slot(signum)
        .ok_or_else(|| io::Error::other("signal too large"))?;
    let pump = Pump::for_reactor(globals, handle)?;
    Ok(Signal {
        slot,
        id: globals.listener_id(),
        seen: slot.version(),
        _pump: pump,
    })
}

impl Signal {
    /// Waits for the next delivery of the signal.
    ///
    /// Returns `None` only if no more deliveries can come; eddy's listeners never end, so
    /// this is always `Some(())`. Cancel-safe: dropping the future loses nothing.
    pub async fn recv(&mut self) -> Option<()> {
        poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Polls for the next delivery of the signal; see [`Signal::recv`].
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<()>> {
        let budget = ready!(coop::poll_proceed(cx));
        let mut version = self.slot.version();
        if version == self.seen {
            version = self.slot.register(self.id, cx.waker());
            if version == self.seen {
                return Poll::Pending;
            }
        }
        self.seen = version;
        budget.made_progress();
        Poll::Ready(Some(()))
    }
}

impl Drop for Signal {
    fn drop(&mut self) {
        self.slot.deregister(self.id);
    }
}

impl fmt::Debug for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signal")
            .field("seen", &self.seen)
            .finish_non_exhaustive()
    }
}
