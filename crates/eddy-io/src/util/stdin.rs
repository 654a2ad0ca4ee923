//! [`stdin`]: the process's standard input as an [`AsyncRead`].

use super::blocking_reader::BlockingReader;
use crate::{AsyncRead, ReadBuf};
use std::io::{self, Read};
use std::pin::Pin;
use std::task::{Context, Poll};

/// The standard input of the process, read without blocking the task. Made by [`stdin`].
///
/// Standard input has no non-blocking form, so each read runs on the runtime's blocking pool
/// (and panics, as Tokio's does, if polled outside a runtime). A read in flight keeps going if
/// the reading future is dropped, and its bytes are returned by the next read of this handle;
/// but a read in flight cannot be interrupted, so a runtime shutting down may wait for a line
/// of input. Use one handle per program: bytes read ahead by one handle are not seen by another.
#[derive(Debug)]
pub struct Stdin {
    reader: BlockingReader,
}

/// Returns a handle to the process's standard input.
pub fn stdin() -> Stdin {
    Stdin {
        reader: BlockingReader::new(read_stdin),
    }
}

fn read_stdin(buf: &mut [u8]) -> io::Result<usize> {
    io::stdin().lock().read(buf)
}

impl AsyncRead for Stdin {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.get_mut().reader.poll_read(cx, buf)
    }
}

#[cfg(unix)]
impl std::os::fd::AsRawFd for Stdin {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        io::stdin().as_raw_fd()
    }
}
