//! [`copy_bidirectional`]: two [`copy`](crate::copy)s at once, in opposite directions, each
//! shutting down its writer when its reader ends.
//!
//! Each direction moves `Running` → `ShuttingDown` → `Done`. The future polls both directions
//! on every wake-up, so either may make progress while the other waits, and it completes once
//! both are done (or as soon as either fails).

use super::buf_reader::DEFAULT_BUF_SIZE;
use super::copy_loop::CopyBuffer;
use crate::{AsyncRead, AsyncWrite};
use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

#[derive(Debug)]
enum TransferState {
    Running(CopyBuffer),
    ShuttingDown(u64),
    Done(u64),
}

/// Copies from `a` to `b` and from `b` to `a` at the same time; resolves to
/// `(bytes a→b, bytes b→a)`.
///
/// When one side's reader reaches end of file, the other side's writer is shut down (for a TCP
/// stream: FIN is sent), and the other direction goes on until it ends too. Both directions use
/// 8 KiB buffers, and each keeps reading into its buffer while its writer is busy, so both
/// directions stay busy. An error in either direction ends the whole copy with that error.
///
/// # Cancel safety
///
/// Not cancel safe: bytes read but not yet written are lost if the future is dropped.
pub async fn copy_bidirectional<A, B>(a: &mut A, b: &mut B) -> io::Result<(u64, u64)>
where
    A: AsyncRead + AsyncWrite + Unpin + ?Sized,
    B: AsyncRead + AsyncWrite + Unpin + ?Sized,
{
    copy_bidirectional_with_sizes(a, b, DEFAULT_BUF_SIZE, DEFAULT_BUF_SIZE).await
}

/// Like [`copy_bidirectional`], with the buffer size of each direction given.
///
/// # Panics
///
/// Panics if either size is zero.
pub async fn copy_bidirectional_with_sizes<A, B>(
    a: &mut A,
    b: &mut B,
    a_to_b_buf_size: usize,
    b_to_a_buf_size: usize,
) -> io::Result<(u64, u64)>
where
    A: AsyncRead + AsyncWrite + Unpin + ?Sized,
    B: AsyncRead + AsyncWrite + Unpin + ?Sized,
{
    assert!(
        a_to_b_buf_size > 0,
        "`a_to_b_buf_size` must be greater than 0"
    );
    assert!(
        b_to_a_buf_size > 0,
        "`b_to_a_buf_size` must be greater than 0"
    );
    let mut a_to_b = TransferState::Running(CopyBuffer::new(a_to_b_buf_size));
    let mut b_to_a = TransferState::Running(CopyBuffer::new(b_to_a_buf_size));
    poll_fn(|cx| {
        let a_to_b = transfer(cx, &mut a_to_b, &mut *a, &mut *b)?;
        let b_to_a = transfer(cx, &mut b_to_a, &mut *b, &mut *a)?;
        let a_to_b = ready!(a_to_b);
        let b_to_a = ready!(b_to_a);
        Poll::Ready(Ok((a_to_b, b_to_a)))
    })
    .await
}

/// Advances one direction; `Ready(Ok(n))` once it is done, its writer shut down.
///
/// `Pending` is returned as `Ok(Pending)` so the caller can poll the other direction before
/// deciding.
fn transfer<R, W>(
    cx: &mut Context<'_>,
    state: &mut TransferState,
    reader: &mut R,
    writer: &mut W,
) -> io::Result<Poll<u64>>
where
    R: AsyncRead + Unpin + ?Sized,
    W: AsyncWrite + Unpin + ?Sized,
{
    loop {
        match state {
            TransferState::Running(buffer) => {
                match buffer.poll_copy(cx, Pin::new(&mut *reader), Pin::new(&mut *writer)) {
                    Poll::Pending => return Ok(Poll::Pending),
                    Poll::Ready(count) => *state = TransferState::ShuttingDown(count?),
                }
            }
            TransferState::ShuttingDown(count) => match Pin::new(&mut *writer).poll_shutdown(cx) {
                Poll::Pending => return Ok(Poll::Pending),
                Poll::Ready(result) => {
                    result?;
                    *state = TransferState::Done(*count);
                }
            },
            TransferState::Done(count) => return Ok(Poll::Ready(*count)),
        }
    }
}
