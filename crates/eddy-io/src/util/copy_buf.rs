//! [`copy_buf`]: everything from a buffered reader into a writer, through the reader's buffer.

use super::interrupted::retry;
use super::write_all::write_zero;
use crate::{AsyncBufRead, AsyncWrite};
use eddy_core::coop;
use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// Copies everything from `reader` into `writer` until the reader's end of file, writing
/// straight out of the reader's own buffer, then flushes the writer; resolves to the number of
/// bytes copied. Whenever the reader has nothing for now, the bytes written so far are flushed
/// before waiting, so none stay stuck in a buffering writer.
///
/// # Cancel safety
///
/// Cancel safe: bytes are consumed from the reader only after the writer accepted them.
///
/// ```
/// use eddy_io::BufReader;
///
/// # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
/// let mut reader = BufReader::new(&b"hello"[..]);
/// let mut writer: Vec<u8> = Vec::new();
/// assert_eq!(eddy_io::copy_buf(&mut reader, &mut writer).await?, 5);
/// assert_eq!(writer, b"hello");
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn copy_buf<'a, R, W>(reader: &'a mut R, writer: &'a mut W) -> io::Result<u64>
where
    R: AsyncBufRead + Unpin + ?Sized,
    W: AsyncWrite + Unpin + ?Sized,
{
    let mut progress = Progress::default();
    poll_fn(|cx| {
        poll_copy_buf(
            cx,
            Pin::new(&mut *reader),
            Pin::new(&mut *writer),
            &mut progress,
        )
    })
    .await
}

/// What the copy has done so far.
#[derive(Default)]
struct Progress {
    /// Bytes written.
    amt: u64,
    /// Bytes were written since the last flush.
    need_flush: bool,
}

fn poll_copy_buf<R, W>(
    cx: &mut Context<'_>,
    mut reader: Pin<&mut R>,
    mut writer: Pin<&mut W>,
    progress: &mut Progress,
) -> Poll<io::Result<u64>>
where
    R: AsyncBufRead + ?Sized,
    W: AsyncWrite + ?Sized,
{
    loop {
        let budget = ready!(coop::poll_proceed(cx));
        let available = match reader.as_mut().poll_fill_buf(cx) {
            // Interrupted before it read anything: try again.
            Poll::Ready(Err(error)) if error.kind() == io::ErrorKind::Interrupted => continue,
            Poll::Ready(available) => available?,
            Poll::Pending => {
                // The reader waits: flush what was written, in case the writer buffers it and
                // the reader waits for exactly those bytes (a proxy looping back to itself).
                if progress.need_flush {
                    ready!(retry(|| writer.as_mut().poll_flush(cx)))?;
                    progress.need_flush = false;
                }
                return Poll::Pending;
            }
        };
        if available.is_empty() {
            ready!(retry(|| writer.as_mut().poll_flush(cx)))?;
            progress.need_flush = false;
            return Poll::Ready(Ok(progress.amt));
        }
        let n = ready!(retry(|| writer.as_mut().poll_write(cx, available)))?;
        if n == 0 {
            return Poll::Ready(Err(write_zero()));
        }
        budget.made_progress();
        reader.as_mut().consume(n);
        progress.amt += n as u64;
        progress.need_flush = true;
    }
}
