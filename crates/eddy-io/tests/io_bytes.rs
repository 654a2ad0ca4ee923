//! `read_buf`, `write_buf` and `write_all_buf` with the `bytes` crate's buffers, as codecs and
//! framing code use them with Tokio.

mod support;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use eddy_io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};
use eddy_test_support::executor::block_on;
use eddy_test_support::waker::with_noop_context;
use std::future::Future;
use std::io::{self, IoSlice};
use std::pin::{pin, Pin};
use std::task::{Context, Poll};
use std::thread;
use support::{pattern, Trickle};

#[test]
fn read_buf_grows_an_empty_bytes_mut_until_end_of_file() {
    block_on(async {
        let data = pattern(5_000);
        let mut reader = Trickle::new(&data[..]);
        let mut buf = BytesMut::new();
        let first = reader.read_buf(&mut buf).await.unwrap();
        assert!(first > 0, "an empty BytesMut reserves room");
        while reader.read_buf(&mut buf).await.unwrap() > 0 {}
        assert_eq!(&buf[..], &data[..]);
    });
}

#[test]
fn read_buf_appends_after_what_the_bytes_mut_holds() {
    block_on(async {
        let mut reader: &[u8] = b" world";
        let mut buf = BytesMut::from(&b"hello"[..]);
        while reader.read_buf(&mut buf).await.unwrap() > 0 {}
        assert_eq!(&buf[..], b"hello world");
    });
}

#[test]
fn read_buf_into_a_slice_stops_when_it_is_full() {
    block_on(async {
        let mut reader: &[u8] = b"abcdef";
        let mut storage = [0u8; 4];
        let mut dst = &mut storage[..];
        assert_eq!(reader.read_buf(&mut dst).await.unwrap(), 4);
        assert_eq!(
            dst.remaining_mut(),
            0,
            "the slice advanced past what was read"
        );
        assert_eq!(reader.read_buf(&mut dst).await.unwrap(), 0, "no room left");
        assert_eq!(&storage, b"abcd");
        assert_eq!(reader, b"ef", "nothing more was taken from the reader");
    });
}

#[test]
fn read_buf_into_a_limited_vector_reads_no_more_than_the_limit() {
    block_on(async {
        let mut reader: &[u8] = b"0123456789";
        let mut out = Vec::new();
        let mut limited = (&mut out).limit(3);
        assert_eq!(reader.read_buf(&mut limited).await.unwrap(), 3);
        assert_eq!(reader.read_buf(&mut limited).await.unwrap(), 0);
        assert_eq!(out, b"012");
    });
}

#[test]
fn write_buf_advances_bytes_by_what_was_written() {
    block_on(async {
        let mut writer = Trickle::new(Vec::new());
        let mut src = Bytes::from_static(b"hello");
        assert_eq!(writer.write_buf(&mut src).await.unwrap(), 1);
        assert_eq!(&src[..], b"ello");
        let mut whole = Vec::new();
        assert_eq!(whole.write_buf(&mut src).await.unwrap(), 4);
        assert!(!src.has_remaining());
        assert_eq!(writer.write_buf(&mut src).await.unwrap(), 0, "nothing left");
    });
}

#[test]
fn write_all_buf_drains_a_chain_of_buffers_in_order() {
    block_on(async {
        let head = Bytes::from_static(b"head:");
        let mut body = BytesMut::new();
        body.put_slice(b"body;");
        body.put_u16(0x4142);
        let mut src = head.chain(body).chain(&b";tail"[..]);
        let mut writer = Trickle::new(Vec::new());
        writer.write_all_buf(&mut src).await.unwrap();
        assert!(!src.has_remaining());
        assert_eq!(writer.into_inner(), b"head:body;AB;tail");
    });
}

#[test]
fn write_all_buf_dropped_midway_leaves_the_buffer_at_what_was_written() {
    let (mut a, mut b) = eddy_io::duplex(4);
    let data = pattern(10);
    let mut src = Bytes::from(data.clone());
    {
        let mut write = pin!(a.write_all_buf(&mut src));
        let polled = with_noop_context(|cx| write.as_mut().poll(cx));
        assert!(polled.is_pending(), "the pipe holds only 4 bytes");
    }
    assert_eq!(
        src.remaining(),
        6,
        "advanced past exactly the bytes written"
    );
    let reader = thread::spawn(move || {
        block_on(async move {
            let mut got = Vec::new();
            b.read_to_end(&mut got).await.unwrap();
            got
        })
    });
    block_on(async {
        a.write_all_buf(&mut src).await.unwrap();
        a.shutdown().await.unwrap();
    });
    assert_eq!(
        reader.join().unwrap(),
        data,
        "resuming delivered every byte once"
    );
}

#[test]
fn length_prefixed_frames_cross_a_pipe_between_threads() {
    // A tiny codec: a u32 length, then that many bytes. The writer sends each frame as a chain
    // of two buffers; the reader accumulates in a BytesMut and splits whole frames off it.
    let frames: Vec<Bytes> = (0..40).map(|i| Bytes::from(pattern(i * 37))).collect();
    let (mut tx, mut rx) = eddy_io::duplex(100);
    let sent = frames.clone();
    let writer = thread::spawn(move || {
        block_on(async move {
            for frame in sent {
                let mut header = BytesMut::new();
                header.put_u32(frame.len() as u32);
                tx.write_all_buf(&mut header.chain(frame)).await.unwrap();
            }
            tx.shutdown().await.unwrap();
        })
    });
    let received = block_on(async move {
        let mut buf = BytesMut::with_capacity(64);
        let mut received = Vec::new();
        loop {
            while let Some(frame) = split_frame(&mut buf) {
                received.push(frame);
            }
            if rx.read_buf(&mut buf).await.unwrap() == 0 {
                assert!(buf.is_empty(), "no partial frame is left at the end");
                return received;
            }
        }
    });
    writer.join().unwrap();
    assert_eq!(received, frames);
}

/// Takes one whole frame off the front of `buf`, if it holds one.
fn split_frame(buf: &mut BytesMut) -> Option<Bytes> {
    let len = u32::from_be_bytes(buf.get(..4)?.try_into().unwrap()) as usize;
    if buf.len() < 4 + len {
        return None;
    }
    buf.advance(4);
    Some(buf.split_to(len).freeze())
}

#[test]
fn read_buf_on_a_pending_reader_leaves_the_buffer_alone() {
    let (_a, mut b) = eddy_io::duplex(8);
    let mut buf = BytesMut::from(&b"kept"[..]);
    {
        let mut read = pin!(b.read_buf(&mut buf));
        let polled = with_noop_context(|cx| read.as_mut().poll(cx));
        assert!(matches!(polled, Poll::Pending));
    }
    assert_eq!(&buf[..], b"kept");
}

/// Takes at most `limit` bytes per write, gathers vectored writes when `vectored` is set, and
/// records how many slices each write was handed.
struct Gather {
    out: Vec<u8>,
    limit: usize,
    vectored: bool,
    slices_per_write: Vec<usize>,
}

impl Gather {
    fn new(limit: usize, vectored: bool) -> Gather {
        Gather {
            out: Vec::new(),
            limit,
            vectored,
            slices_per_write: Vec::new(),
        }
    }
}

impl AsyncWrite for Gather {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_write_vectored(cx, &[IoSlice::new(buf)])
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.slices_per_write.push(bufs.len());
        let mut room = this.limit;
        for slice in bufs {
            let take = slice.len().min(room);
            this.out.extend_from_slice(&slice[..take]);
            room -= take;
        }
        Poll::Ready(Ok(this.limit - room))
    }

    fn is_write_vectored(&self) -> bool {
        self.vectored
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

fn three_chunks() -> impl Buf {
    Bytes::from_static(b"one,")
        .chain(BytesMut::from(&b"two,"[..]))
        .chain(&b"three"[..])
}

#[test]
fn write_all_buf_gathers_chunks_for_a_vectored_writer() {
    block_on(async {
        let mut writer = Gather::new(100, true);
        let mut src = three_chunks();
        writer.write_all_buf(&mut src).await.unwrap();
        assert_eq!(
            writer.slices_per_write,
            [3],
            "one write for all three chunks"
        );
        assert_eq!(writer.out, b"one,two,three");
        assert!(!src.has_remaining());
    });
}

#[test]
fn write_all_buf_resumes_mid_chunk_after_partial_vectored_writes() {
    block_on(async {
        let mut writer = Gather::new(3, true);
        let mut src = three_chunks();
        writer.write_all_buf(&mut src).await.unwrap();
        assert_eq!(writer.out, b"one,two,three");
        assert_eq!(writer.slices_per_write.len(), 5, "13 bytes, 3 per write");
        assert_eq!(writer.slices_per_write[0], 3);
    });
}

#[test]
fn write_all_buf_writes_chunk_by_chunk_to_a_plain_writer() {
    block_on(async {
        let mut writer = Gather::new(100, false);
        let mut src = three_chunks();
        writer.write_all_buf(&mut src).await.unwrap();
        assert_eq!(writer.slices_per_write, [1, 1, 1], "one write per chunk");
        assert_eq!(writer.out, b"one,two,three");
    });
}
