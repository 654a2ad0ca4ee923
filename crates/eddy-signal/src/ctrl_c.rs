//! Waiting for Ctrl-C.

use crate::kind::SignalKind;
use crate::signal::signal;
use std::io;

/// Waits for the next `SIGINT` (Ctrl-C at the terminal).
///
/// The first call installs eddy's `SIGINT` handler for the life of the process: from then on
/// Ctrl-C no longer terminates the program by default, it only wakes the listeners. Each call
/// listens afresh: a `SIGINT` that arrived before the call was made is not reported.
///
/// # Errors
///
/// When the handler or the listener cannot be set up.
///
/// # Panics
///
/// When polled outside a runtime, or in a runtime built without I/O.
pub async fn ctrl_c() -> io::Result<()> {
    let mut interrupts = signal(SignalKind::interrupt())?;
    interrupts.recv().await;
    Ok(())
}
