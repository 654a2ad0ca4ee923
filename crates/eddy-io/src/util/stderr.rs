//! [`stderr`]: the process's standard error as an [`AsyncWrite`].

use super::blocking_writer::BlockingWriter;
use crate::AsyncWrite;
use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

/// The standard error of the process, written without blocking the task. Made by
/// [`stderr`].
///
/// Each write copies the bytes and hands them to the runtime's blocking pool (a plain thread
/// outside a runtime), reporting them written at once; the next operation waits for it, and
/// reports its error if it failed. Call [`flush`](crate::AsyncWriteExt::flush) before the
/// program exits to be sure everything was written. Writes from one handle are kept in order;
/// writes from several handles (or from `std::io::stderr`) may interleave.
#[derive(Debug)]
pub struct Stderr {
    writer: BlockingWriter,
}

/// Returns a handle to the process's standard error.
pub fn stderr() -> Stderr {
    Stderr {
        writer: BlockingWriter::new(write_all, flush),
    }
}

fn write_all(bytes: &[u8]) -> io::Result<()> {
    io::stderr().lock().write_all(bytes)
}

fn flush() -> io::Result<()> {
    io::stderr().lock().flush()
}

impl AsyncWrite for Stderr {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().writer.poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().writer.poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().writer.poll_flush(cx)
    }
}

#[cfg(unix)]
impl std::os::fd::AsRawFd for Stderr {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        io::stderr().as_raw_fd()
    }
}
