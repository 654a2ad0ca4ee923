//! [`copy_buf`]: everything from a buffered reader into a writer, through the reader's buffer.

use super::write_all::write_zero;
use crate::{AsyncBufRead, AsyncWrite};
use eddy_core::coop;
use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// Copies everything from `reader` into `writer` until the reader's end of file, writing
/// straight out of the reader's own buffer, then flushes the writer; resolves to the number of
/// bytes copied.
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
    let mut amt = 0;
    poll_fn(|cx| poll_copy_buf(cx, Pin::new(&mut *reader), Pin::new(&mut *writer), &mut amt)).await
}

fn poll_copy_buf<R, W>(
    cx: &mut Context<'_>,
    mut reader: Pin<&mut R>,
    mut writer: Pin<&mut W>,
    amt: &mut u64,
) -> Poll<io::Result<u64>>
where
    R: AsyncBufRead + ?Sized,
    W: AsyncWrite + ?Sized,
{
    loop {
        let budget = ready!(coop::poll_proceed(cx));
        let available = ready!(reader.as_mut().poll_fill_buf(cx))?;
        if available.is_empty() {
            ready!(writer.as_mut().poll_flush(cx))?;
            return Poll::Ready(Ok(*amt));
        }
        let n = ready!(writer.as_mut().poll_write(cx, available))?;
        if n == 0 {
            return Poll::Ready(Err(write_zero()));
        }
        budget.made_progress();
        reader.as_mut().consume(n);
        *amt += n as u64;
    }
}
