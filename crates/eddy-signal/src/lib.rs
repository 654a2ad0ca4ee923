//! eddy's Unix signals: [`ctrl_c()`] and [`unix::signal`], delivered through the eddy reactor.
//!
//! A signal handler may run on any thread between any two instructions, so it may only do
//! async-signal-safe work. eddy's handler marks the signal pending in a process-wide table and
//! writes a byte to a self-pipe. Each reactor with listeners holds a duplicate of the pipe's
//! read end, registered for readability; when the reactor reports it, the reactor's thread
//! drains the pipe and wakes every listener of every pending signal (the "pump", see
//! `pump.rs`). Each [`unix::Signal`] remembers the last delivery it saw, so a signal that
//! arrives while nobody polls is remembered once, and listeners in several runtimes all wake.
//!
//! Handlers are installed with [`signal-hook-registry`](https://docs.rs/signal-hook-registry),
//! not with hand-written `sigaction` calls. Installing a handler correctly is subtle: the
//! previous handler (another library's, or `SIG_IGN`) must keep running, several parties may
//! register for one signal, registration races with delivery on other threads, and the
//! faults (`SIGSEGV`, ...) and `SIGKILL`/`SIGSTOP` must be refused. signal-hook-registry solves
//! exactly this, chains handlers so that eddy coexists with other users of the same signal
//! (including Tokio in the same process), is maintained, and is what Tokio itself uses; its only
//! dependency is `libc`. Writing our own would repeat that work with more `unsafe` code.
//!
//! ```
//! use eddy_core::block_on::block_on;
//! use eddy_reactor::driver::{self, Driver};
//! use eddy_signal::unix::{signal, SignalKind};
//!
//! let (mut driver, handle) = Driver::new().unwrap();
//! let _reactor = driver::enter(Some(handle));
//! let mut hangups = signal(SignalKind::hangup()).unwrap();
//! // SAFETY: sending SIGHUP to this process, whose handler was installed just above.
//! unsafe { libc::raise(libc::SIGHUP) };
//! block_on(&mut driver, async {
//!     assert_eq!(hangups.recv().await, Some(()));
//! });
//! ```
#![deny(missing_docs)]

mod ctrl_c;
mod kind;
use eddy_core::loom;
mod pump;
mod registry;
mod signal;

pub use ctrl_c::ctrl_c;

/// One signal's delivery state, public only for the loom models.
#[cfg(loom)]
#[doc(hidden)]
pub use registry::Slot;

/// Unix signals of any kind.
pub mod unix {
    pub use crate::kind::SignalKind;
    pub use crate::signal::{signal, Signal};
}
