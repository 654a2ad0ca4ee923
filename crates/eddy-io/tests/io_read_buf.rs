//! `ReadBuf`'s filled/initialized bookkeeping and the in-memory trait implementations.

use eddy_io::{AsyncBufRead, AsyncRead, AsyncSeek, AsyncWrite, ReadBuf, SeekFrom};
use eddy_test_support::waker::noop_context;
use std::io::{Cursor, IoSlice};
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::task::{Context, Poll};

#[test]
fn new_buffer_is_initialized_but_not_filled() {
    let mut storage = [7u8; 4];
    let buf = ReadBuf::new(&mut storage);
    assert_eq!(buf.capacity(), 4);
    assert_eq!(buf.remaining(), 4);
    assert!(buf.filled().is_empty());
    assert_eq!(buf.initialized(), &[7, 7, 7, 7]);
}

#[test]
fn uninit_buffer_initializes_on_demand() {
    let mut storage = [MaybeUninit::<u8>::uninit(); 8];
    let mut buf = ReadBuf::uninit(&mut storage);
    assert!(buf.initialized().is_empty());
    assert_eq!(buf.initialize_unfilled_to(3), &[0, 0, 0]);
    assert_eq!(buf.initialized().len(), 3);
    buf.initialize_unfilled_to(3).copy_from_slice(b"xyz");
    buf.advance(2);
    assert_eq!(buf.filled(), b"xy");
    assert_eq!(buf.initialized(), b"xyz");
    assert_eq!(buf.initialize_unfilled().len(), 6);
    assert_eq!(buf.initialized().len(), 8);
}

#[test]
fn put_slice_fills_and_initializes() {
    let mut storage = [MaybeUninit::<u8>::uninit(); 6];
    let mut buf = ReadBuf::uninit(&mut storage);
    buf.put_slice(b"ab");
    buf.put_slice(b"cd");
    assert_eq!(buf.filled(), b"abcd");
    assert_eq!(buf.initialized(), b"abcd");
    buf.filled_mut()[0] = b'A';
    assert_eq!(buf.filled(), b"Abcd");
    buf.clear();
    assert!(buf.filled().is_empty());
    assert_eq!(buf.initialized(), b"Abcd");
    buf.set_filled(3);
    assert_eq!(buf.filled(), b"Abc");
    buf.initialized_mut()[3] = b'D';
    assert_eq!(buf.initialized(), b"AbcD");
}

#[test]
fn assume_init_after_writing_through_unfilled_mut() {
    let mut storage = [MaybeUninit::<u8>::uninit(); 4];
    let mut buf = ReadBuf::uninit(&mut storage);
    // SAFETY: only initialized bytes are written into the unfilled part.
    let unfilled = unsafe { buf.unfilled_mut() };
    unfilled[0].write(1);
    unfilled[1].write(2);
    // SAFETY: the two bytes were just written.
    unsafe { buf.assume_init(2) };
    buf.advance(2);
    assert_eq!(buf.filled(), &[1, 2]);
    // Claiming fewer bytes than are initialized changes nothing.
    // SAFETY: zero bytes are claimed.
    unsafe { buf.assume_init(0) };
    assert_eq!(buf.initialized().len(), 2);
    // SAFETY: `inner_mut` is only read here.
    assert_eq!(unsafe { buf.inner_mut() }.len(), 4);
}

#[test]
fn take_limits_and_shares_initialization() {
    let mut storage = [0u8; 10];
    let mut buf = ReadBuf::new(&mut storage);
    buf.put_slice(b"head");
    let mut sub = buf.take(3);
    assert_eq!(sub.capacity(), 3);
    assert_eq!(sub.initialized().len(), 3);
    sub.put_slice(b"xyz");
    assert_eq!(sub.remaining(), 0);
    let n = sub.filled().len();
    buf.advance(n);
    assert_eq!(buf.filled(), b"headxyz");
    assert_eq!(buf.take(100).capacity(), 3);
}

#[test]
#[should_panic(expected = "must fit in remaining")]
fn put_slice_past_capacity_panics() {
    let mut storage = [0u8; 2];
    ReadBuf::new(&mut storage).put_slice(b"abc");
}

#[test]
#[should_panic(expected = "must not become larger than initialized")]
fn advance_past_initialized_panics() {
    let mut storage = [MaybeUninit::<u8>::uninit(); 4];
    ReadBuf::uninit(&mut storage).advance(1);
}

#[test]
#[should_panic(expected = "more than the remaining capacity")]
fn initialize_unfilled_to_past_capacity_panics() {
    let mut storage = [0u8; 2];
    ReadBuf::new(&mut storage).initialize_unfilled_to(3);
}

#[test]
fn debug_shows_the_marks() {
    let mut storage = [0u8; 3];
    let mut buf = ReadBuf::new(&mut storage);
    buf.advance(1);
    assert_eq!(
        format!("{buf:?}"),
        "ReadBuf { filled: 1, initialized: 3, capacity: 3 }"
    );
}

#[test]
fn slice_reads_from_its_front_and_ends() {
    let mut source: &[u8] = b"abcdef";
    let mut storage = [0u8; 4];
    let mut buf = ReadBuf::new(&mut storage);
    assert!(Pin::new(&mut source)
        .poll_read(&mut noop_context(), &mut buf)
        .is_ready());
    assert_eq!(buf.filled(), b"abcd");
    buf.clear();
    assert!(Pin::new(&mut source)
        .poll_read(&mut noop_context(), &mut buf)
        .is_ready());
    assert_eq!(buf.filled(), b"ef");
    buf.clear();
    assert!(Pin::new(&mut source)
        .poll_read(&mut noop_context(), &mut buf)
        .is_ready());
    assert!(buf.filled().is_empty(), "an empty slice is at end of file");
}

#[test]
fn cursor_reads_seeks_and_buffers() {
    let mut cursor = Cursor::new(b"0123456789".to_vec());
    let mut storage = [0u8; 3];
    let mut buf = ReadBuf::new(&mut storage);
    assert!(Pin::new(&mut cursor)
        .poll_read(&mut noop_context(), &mut buf)
        .is_ready());
    assert_eq!(buf.filled(), b"012");

    Pin::new(&mut cursor).start_seek(SeekFrom::End(-2)).unwrap();
    match Pin::new(&mut cursor).poll_complete(&mut noop_context()) {
        Poll::Ready(Ok(position)) => assert_eq!(position, 8),
        other => panic!("seek did not complete: {other:?}"),
    }
    match Pin::new(&mut cursor).poll_fill_buf(&mut noop_context()) {
        Poll::Ready(Ok(bytes)) => assert_eq!(bytes, b"89"),
        other => panic!("fill_buf: {other:?}"),
    }
    Pin::new(&mut cursor).consume(1);
    assert_eq!(cursor.position(), 9);

    cursor.set_position(100);
    buf.clear();
    assert!(Pin::new(&mut cursor)
        .poll_read(&mut noop_context(), &mut buf)
        .is_ready());
    assert!(
        buf.filled().is_empty(),
        "a position past the end reads nothing"
    );
    assert!(Pin::new(&mut cursor)
        .start_seek(SeekFrom::Current(-200))
        .is_err());
}

#[test]
fn vec_and_cursor_writes() {
    let mut out = Vec::new();
    assert!(matches!(
        Pin::new(&mut out).poll_write(&mut noop_context(), b"ab"),
        Poll::Ready(Ok(2))
    ));
    let bufs = [IoSlice::new(b"c"), IoSlice::new(b""), IoSlice::new(b"de")];
    assert!(out.is_write_vectored());
    assert!(matches!(
        Pin::new(&mut out).poll_write_vectored(&mut noop_context(), &bufs),
        Poll::Ready(Ok(3))
    ));
    assert!(Pin::new(&mut out)
        .poll_flush(&mut noop_context())
        .is_ready());
    assert!(Pin::new(&mut out)
        .poll_shutdown(&mut noop_context())
        .is_ready());
    assert_eq!(out, b"abcde");

    let mut storage = [0u8; 3];
    let mut cursor = Cursor::new(&mut storage[..]);
    assert!(matches!(
        Pin::new(&mut cursor).poll_write(&mut noop_context(), b"wxyz"),
        Poll::Ready(Ok(3))
    ));
    assert!(matches!(
        Pin::new(&mut cursor).poll_write(&mut noop_context(), b"z"),
        Poll::Ready(Ok(0))
    ));
    assert_eq!(&storage, b"wxy");
}

/// A writer that keeps the default `poll_write_vectored`.
struct FirstBufferOnly(Vec<u8>);

impl AsyncWrite for FirstBufferOnly {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.0.extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[test]
fn default_vectored_write_takes_the_first_non_empty_buffer() {
    let mut writer = FirstBufferOnly(Vec::new());
    assert!(!writer.is_write_vectored());
    let bufs = [IoSlice::new(b""), IoSlice::new(b"ab"), IoSlice::new(b"cd")];
    assert!(matches!(
        Pin::new(&mut writer).poll_write_vectored(&mut noop_context(), &bufs),
        Poll::Ready(Ok(2))
    ));
    assert_eq!(writer.0, b"ab");
}

#[test]
fn blanket_impls_forward() {
    fn read_all<R: AsyncRead + Unpin>(mut reader: R) -> Vec<u8> {
        let mut storage = [0u8; 16];
        let mut buf = ReadBuf::new(&mut storage);
        assert!(Pin::new(&mut reader)
            .poll_read(&mut noop_context(), &mut buf)
            .is_ready());
        buf.filled().to_vec()
    }
    let slice: &mut &[u8] = &mut &b"ref"[..];
    assert_eq!(read_all(slice), b"ref");
    assert_eq!(read_all(Box::new(&b"box"[..])), b"box");
    let mut boxed: Box<dyn AsyncRead + Unpin> = Box::new(&b"dyn"[..]);
    assert_eq!(read_all(&mut boxed), b"dyn");
    assert_eq!(read_all(Box::pin(&b"pin"[..])), b"pin");

    let mut out = Vec::new();
    let mut pinned = Pin::new(&mut out);
    assert!(Pin::new(&mut pinned)
        .poll_write(&mut noop_context(), b"x")
        .is_ready());
    let mut boxed: Box<dyn AsyncWrite + Unpin> = Box::new(Vec::new());
    assert!(Pin::new(&mut boxed)
        .poll_write(&mut noop_context(), b"y")
        .is_ready());
    assert!(boxed.is_write_vectored(), "Box forwards is_write_vectored");
    assert_eq!(out, b"x");
}

#[test]
fn a_read_buf_is_a_buf_mut_over_its_unfilled_part() {
    use bytes::BufMut;

    let mut storage = [MaybeUninit::uninit(); 8];
    let mut buf = ReadBuf::uninit(&mut storage);
    assert_eq!(buf.remaining_mut(), 8);
    assert_eq!(buf.chunk_mut().len(), 8);
    buf.put_u8(1);
    buf.put_u16(0x0203);
    assert_eq!(buf.remaining_mut(), 5);
    assert_eq!(buf.chunk_mut().len(), 5);
    buf.chunk_mut()[..2].copy_from_slice(&[4, 5]);
    // SAFETY: the two bytes were just written through `chunk_mut`.
    unsafe { buf.advance_mut(2) };
    assert_eq!(buf.filled(), &[1, 2, 3, 4, 5]);
    assert_eq!(buf.initialized().len(), 5);
    buf.put_bytes(6, 3);
    assert_eq!(buf.remaining_mut(), 0);
    assert_eq!(buf.chunk_mut().len(), 0);
    assert_eq!(buf.filled(), &[1, 2, 3, 4, 5, 6, 6, 6]);
}
