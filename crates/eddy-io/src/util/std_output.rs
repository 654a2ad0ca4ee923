//! [`stdout`] and [`stderr`]: the process's standard output and error as [`AsyncWrite`]s.
//!
//! The two differ only in the std stream they write to, so one macro writes both.

use super::blocking_writer::BlockingWriter;
use crate::AsyncWrite;
use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

macro_rules! std_output {
    ($Type:ident, $make:ident, $stream:literal) => {
        #[doc = concat!("The ", $stream, " of the process, written without blocking the task. Made by [`", stringify!($make), "`].")]
        ///
        /// Each write copies the bytes and hands them to the runtime's blocking pool (it panics,
        /// as Tokio's does, if polled outside a runtime), reporting them written at once; the
        /// next operation waits for it, and reports its error if it failed. Call
        /// [`flush`](crate::AsyncWriteExt::flush) before the program exits to be sure everything
        /// was written. Writes from one handle are kept in order; writes from several handles
        #[doc = concat!("(or from `std::io::", stringify!($make), "`) may interleave.")]
        #[derive(Debug)]
        pub struct $Type {
            writer: BlockingWriter,
        }

        #[doc = concat!("Returns a handle to the process's ", $stream, ".")]
        pub fn $make() -> $Type {
            $Type {
                writer: BlockingWriter::new(
                    |bytes| io::$make().lock().write_all(bytes),
                    || io::$make().lock().flush(),
                ),
            }
        }

        impl AsyncWrite for $Type {
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
        impl std::os::fd::AsRawFd for $Type {
            fn as_raw_fd(&self) -> std::os::fd::RawFd {
                io::$make().as_raw_fd()
            }
        }
    };
}

std_output!(Stdout, stdout, "standard output");
std_output!(Stderr, stderr, "standard error");
