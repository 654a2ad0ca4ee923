//! [`stdout`]: the process's standard output as an [`AsyncWrite`].

use super::blocking_writer::BlockingWriter;
use crate::AsyncWrite;
use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

/// The standard output of the process, written without blocking the task. Made by
/// [`stdout`].
///
/// Each write copies the bytes and hands them to the runtime's blocking pool (a plain thread
/// outside a runtime), reporting them written at once; the next operation waits for it, and
/// reports its error if it failed. Call [`flush`](crate::AsyncWriteExt::flush) before the
/// program exits to be sure everything was written. Writes from one handle are kept in order;
/// writes from several handles (or from `std::io::stdout`) may interleave.
#[derive(Debug)]
pub struct Stdout {
    writer: BlockingWriter,
}

/// Returns a handle to the process's standard output.
pub fn stdout() -> Stdout {
    Stdout {
        writer: BlockingWriter::new(write_all, flush),
    }
}

fn write_all(bytes: &[u8]) -> io::Result<()> {
    io::stdout().lock().write_all(bytes)
}

fn flush() -> io::Result<()> {
    io::stdout().lock().flush()
}

impl AsyncWrite for Stdout {
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
impl std::os::fd::AsRawFd for Stdout {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        io::stdout().as_raw_fd()
    }
}
