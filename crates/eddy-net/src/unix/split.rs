//! Borrowed halves of a [`UnixStream`], from [`UnixStream::split`].
//!
//! The splitting method is defined here rather than beside the stream's other methods, so that
//! the halves depend on the stream and not the other way round.

use crate::split_halves::borrowed_halves;
use crate::unix::{SocketAddr, UnixStream};

borrowed_halves!(UnixStream, SocketAddr);

impl UnixStream {
    /// Borrows the stream as a read half and a write half.
    pub fn split(&mut self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        split(self)
    }
}
