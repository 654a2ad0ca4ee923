//! [`copy`]: everything from a reader into a writer.

use super::buf_reader::DEFAULT_BUF_SIZE;
use super::copy_loop::CopyBuffer;
use crate::{AsyncRead, AsyncWrite};
use std::future::poll_fn;
use std::io;
use std::pin::Pin;

/// Copies everything from `reader` into `writer` until the reader's end of file, then flushes
/// the writer; resolves to the number of bytes copied.
///
/// The copy goes through an 8 KiB buffer of its own, so there is no need to wrap either side
/// in [`BufReader`](crate::BufReader) or [`BufWriter`](crate::BufWriter). While the writer is
/// not ready, the copy goes on reading into the buffer's free room, so a slow writer does not
/// hold the reader back. The writer is flushed whenever the reader has nothing for now, and once
/// more at the end.
///
/// # Cancel safety
///
/// Not cancel safe: bytes read but not yet written are lost if the future is dropped.
///
/// ```
/// # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
/// let mut reader: &[u8] = b"hello";
/// let mut writer: Vec<u8> = Vec::new();
/// assert_eq!(eddy_io::copy(&mut reader, &mut writer).await?, 5);
/// assert_eq!(writer, b"hello");
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn copy<'a, R, W>(reader: &'a mut R, writer: &'a mut W) -> io::Result<u64>
where
    R: AsyncRead + Unpin + ?Sized,
    W: AsyncWrite + Unpin + ?Sized,
{
    let mut buffer = CopyBuffer::new(DEFAULT_BUF_SIZE);
    poll_fn(|cx| buffer.poll_copy(cx, Pin::new(&mut *reader), Pin::new(&mut *writer))).await
}
