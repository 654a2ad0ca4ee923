//! `split`/`unsplit` halves and `join`.

mod support;

use eddy_io::{
    AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, ReadBuf,
};
use eddy_test_support::executor::block_on;
use std::io;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::thread;
use support::pattern;

#[test]
fn halves_work_from_different_threads() {
    let (stream, mut peer) = eddy_io::duplex(32);
    let (mut reader, mut writer) = eddy_io::split(stream);
    assert!(reader.is_pair_of(&writer));
    assert!(writer.is_pair_of(&reader));
    let outgoing = pattern(5_000);
    let incoming = pattern(7_000);

    let expected_out = outgoing.clone();
    let peer_thread = thread::spawn(move || {
        block_on(async move {
            let (mut peer_reader, mut peer_writer) = eddy_io::split(&mut peer);
            peer_writer.write_all(&pattern(7_000)).await.unwrap();
            peer_writer.shutdown().await.unwrap();
            let mut got = Vec::new();
            peer_reader.read_to_end(&mut got).await.unwrap();
            assert_eq!(got, expected_out);
        })
    });
    let writer_thread = thread::spawn(move || {
        block_on(async move {
            writer.write_all(&outgoing).await.unwrap();
            writer.shutdown().await.unwrap();
            writer
        })
    });
    let mut got = Vec::new();
    block_on(reader.read_to_end(&mut got)).unwrap();
    assert_eq!(got, incoming);
    let writer = writer_thread.join().unwrap();
    peer_thread.join().unwrap();
    let _stream: eddy_io::DuplexStream = reader.unsplit(writer);
}

#[test]
fn halves_of_different_streams_are_not_a_pair() {
    let (one, two) = eddy_io::duplex(8);
    let (reader_one, writer_one) = eddy_io::split(one);
    let (reader_two, writer_two) = eddy_io::split(two);
    assert!(!reader_one.is_pair_of(&writer_two));
    assert!(!writer_two.is_pair_of(&reader_one));
    assert!(reader_two.is_pair_of(&writer_two));
    drop((writer_one, reader_two));
}

#[test]
#[should_panic(expected = "unrelated `WriteHalf` passed to `ReadHalf::unsplit`")]
fn unsplitting_unrelated_halves_panics() {
    let (one, two) = eddy_io::duplex(8);
    let (reader_one, _writer_one) = eddy_io::split(one);
    let (_reader_two, writer_two) = eddy_io::split(two);
    let _ = reader_one.unsplit(writer_two);
}

pin_project_lite::pin_project! {
    /// A stream that must not move once pinned, like one built around an `async` block.
    struct Pinned<T> {
        #[pin]
        inner: T,
        #[pin]
        _pinned: PhantomPinned,
    }
}

impl<T: AsyncRead> AsyncRead for Pinned<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.project().inner.poll_read(cx, buf)
    }
}

impl<T: AsyncWrite> AsyncWrite for Pinned<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.project().inner.poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().inner.poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().inner.poll_shutdown(cx)
    }
}

#[test]
fn split_works_for_a_stream_that_is_not_unpin() {
    let (stream, mut peer) = eddy_io::duplex(64);
    let pinned = Pinned {
        inner: BufReader::new(stream),
        _pinned: PhantomPinned,
    };
    let (reader, mut writer) = eddy_io::split(pinned);
    block_on(async {
        peer.write_all(b"line\n").await.unwrap();
        writer.write_all(b"back").await.unwrap();
        let mut reader = BufReader::new(reader);
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        assert_eq!(line, "line\n");
        let mut back = [0u8; 4];
        peer.read_exact(&mut back).await.unwrap();
        assert_eq!(&back, b"back");
    });
}

#[test]
fn join_reads_from_one_and_writes_to_the_other() {
    block_on(async {
        let (joined_reader, mut to_joined) = eddy_io::simplex(64);
        let (mut from_joined, joined_writer) = eddy_io::simplex(64);
        let mut joined = eddy_io::join(joined_reader, joined_writer);
        to_joined.write_all(b"in").await.unwrap();
        let mut buf = [0u8; 2];
        joined.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"in");
        joined.write_all(b"out").await.unwrap();
        joined.flush().await.unwrap();
        let mut out = [0u8; 3];
        from_joined.read_exact(&mut out).await.unwrap();
        assert_eq!(&out, b"out");
        let _ = joined.reader();
        let _ = joined.writer_mut();
        let (_reader, _writer) = joined.into_inner();
    });
}
