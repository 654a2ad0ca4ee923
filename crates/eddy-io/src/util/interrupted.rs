//! Retrying operations that a signal interrupted.
//!
//! `ErrorKind::Interrupted` means the call was cut short before it did anything (a signal
//! arrived during a blocking syscall); std's `read_exact`, `write_all` and `copy` retry it, and
//! so do Tokio's utilities. The futures here that loop until a goal (an exact length, end of
//! file, everything written) do the same through [`retry`]; single operations (`read`,
//! `write`) report it, as std's do.

use std::io;
use std::task::Poll;

/// Polls `op` until it does anything but fail with `Interrupted`.
pub(crate) fn retry<T>(mut op: impl FnMut() -> Poll<io::Result<T>>) -> Poll<io::Result<T>> {
    loop {
        match op() {
            Poll::Ready(Err(error)) if error.kind() == io::ErrorKind::Interrupted => continue,
            polled => return polled,
        }
    }
}
