//! Owned halves of a [`UnixStream`], from [`UnixStream::into_split`].
//!
//! The splitting method is defined here rather than beside the stream's other methods, so that
//! the halves depend on the stream and not the other way round.

use crate::split_halves::owned_halves;
use crate::unix::{SocketAddr, UnixStream};

owned_halves!(UnixStream, SocketAddr);

impl UnixStream {
    /// Splits the stream into owned halves, for use in two tasks.
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        split_owned(self)
    }
}
