//! [`repeat`]: a reader that yields one byte forever.

use super::budget::with_budget;
use crate::{AsyncRead, ReadBuf};
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Fills every read with the same byte, forever. Made by [`repeat`].
#[derive(Debug, Clone, Copy)]
pub struct Repeat {
    byte: u8,
}

/// Creates a reader that yields `byte` endlessly.
///
/// Every read spends a unit of the cooperative budget, so reading it in a loop still yields.
pub fn repeat(byte: u8) -> Repeat {
    Repeat { byte }
}

impl AsyncRead for Repeat {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let byte = self.byte;
        with_budget(cx, |_| {
            let n = buf.remaining();
            buf.initialize_unfilled().fill(byte);
            buf.advance(n);
            Poll::Ready(Ok(()))
        })
    }
}
