//! Edge cases of the utilities where Tokio 1.54's behaviour is the reference: empty reads and
//! writes, vectored sinks and `write_buf`, zero buffer sizes, a reader that swaps its buffer,
//! and what `read_to_string`, `read_line` and `lines` report on bad input.

use eddy_io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use eddy_test_support::executor::block_on;
use eddy_test_support::waker::with_noop_context;
use std::io::{self, ErrorKind, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};

#[test]
fn an_empty_read_from_an_empty_pipe_is_done_at_once() {
    let (mut reader, _writer) = eddy_io::duplex(1);
    let polled =
        with_noop_context(|cx| Pin::new(&mut reader).poll_read(cx, &mut ReadBuf::new(&mut [])));
    assert!(matches!(polled, Poll::Ready(Ok(()))));
}

#[test]
fn the_sink_takes_vectored_writes_whole() {
    let mut sink = eddy_io::sink();
    assert!(sink.is_write_vectored());
    let bufs = [
        IoSlice::new(b"hello"),
        IoSlice::new(b""),
        IoSlice::new(b"world"),
    ];
    assert_eq!(block_on(sink.write_vectored(&bufs)).unwrap(), 10);
}

/// Accepts only vectored writes.
struct VectoredOnly(Vec<u8>);

impl AsyncWrite for VectoredOnly {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, _: &[u8]) -> Poll<io::Result<usize>> {
        panic!("a vectored writer was given a plain write");
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        bufs.iter().for_each(|buf| this.0.extend_from_slice(buf));
        Poll::Ready(Ok(bufs.iter().map(|buf| buf.len()).sum()))
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[test]
fn write_buf_writes_vectored_when_the_writer_prefers_it() {
    let mut writer = VectoredOnly(Vec::new());
    let mut chained = bytes::Buf::chain(&b"two "[..], &b"chunks"[..]);
    let n = block_on(writer.write_buf(&mut chained)).unwrap();
    assert_eq!((n, &writer.0[..]), (10, &b"two chunks"[..]));
}

#[test]
fn copy_bidirectional_refuses_a_zero_buffer() {
    for (a_to_b, b_to_a, expected) in [
        (0, 8, "`a_to_b_buf_size` must be greater than 0"),
        (8, 0, "`b_to_a_buf_size` must be greater than 0"),
    ] {
        let panic = std::panic::catch_unwind(|| {
            let (mut a, _a) = eddy_io::duplex(8);
            let (mut b, _b) = eddy_io::duplex(8);
            block_on(eddy_io::copy_bidirectional_with_sizes(
                &mut a, &mut b, a_to_b, b_to_a,
            ))
        })
        .unwrap_err();
        assert_eq!(panic.downcast_ref::<&str>().copied(), Some(expected));
    }
}

/// Swaps the `ReadBuf` it is given for one of its own.
struct Swapper(&'static mut [u8]);

impl AsyncRead for Swapper {
    fn poll_read(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let own = std::mem::take(&mut self.get_mut().0);
        let mut swapped = ReadBuf::new(own);
        swapped.put_slice(&[1; 4]);
        *buf = swapped;
        Poll::Ready(Ok(()))
    }
}

#[test]
fn take_refuses_a_reader_that_swaps_its_buffer() {
    let panic = std::panic::catch_unwind(|| {
        let mut buf = Vec::with_capacity(8);
        let leaked: &'static mut [u8] = Vec::leak(vec![0; 4]);
        block_on(Swapper(leaked).take(8).read_buf(&mut buf))
    });
    assert!(panic.is_err());
}

#[test]
fn read_to_string_keeps_the_string_on_errors() {
    block_on(async {
        let mut text = "abc".to_string();
        let error = (&[0xff_u8, 0xfe][..])
            .read_to_string(&mut text)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidData);
        let utf8 = error
            .into_inner()
            .unwrap()
            .downcast::<std::str::Utf8Error>()
            .unwrap();
        assert_eq!(utf8.valid_up_to(), 3, "counted over the whole string");
        assert_eq!(text, "abc");

        let mut failing = (&b"def"[..]).chain(Failing);
        let error = failing.read_to_string(&mut text).await.unwrap_err();
        assert_eq!(error.to_string(), "whoops");
        assert_eq!(text, "abc", "nothing half-read is kept");
    });
}

/// Fails every read.
struct Failing;

impl AsyncRead for Failing {
    fn poll_read(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        _: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Poll::Ready(Err(io::Error::other("whoops")))
    }
}

#[test]
fn an_invalid_line_is_reported_once_with_its_bytes() {
    block_on(async {
        let mut lines = (&b"ok\n\xff\xfe\nnext\n"[..]).lines();
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("ok"));
        let error = lines.next_line().await.unwrap_err();
        let invalid = error
            .into_inner()
            .unwrap()
            .downcast::<std::string::FromUtf8Error>()
            .unwrap();
        assert_eq!(invalid.into_bytes(), b"\xff\xfe");
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("next"));

        let mut line = "Foo".to_string();
        let mut reader = &b"Wor\xffld\n"[..];
        let error = reader.read_line(&mut line).await.unwrap_err();
        let utf8 = error
            .into_inner()
            .unwrap()
            .downcast::<std::str::Utf8Error>()
            .unwrap();
        assert_eq!(utf8.valid_up_to(), 6);
        assert_eq!(line, "Foo");
    });
}

/// Reports end of file once, then would start a new read (`Pending`) if asked again, as a
/// file on the blocking pool does.
struct EndsOnce {
    asked: usize,
}

impl AsyncRead for EndsOnce {
    fn poll_read(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        _: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.asked += 1;
        if this.asked == 1 {
            Poll::Ready(Ok(()))
        } else {
            Poll::Pending
        }
    }
}

#[test]
fn fill_buf_at_end_of_file_asks_the_reader_once() {
    let mut reader = eddy_io::BufReader::new(EndsOnce { asked: 0 });
    let filled = block_on(reader.fill_buf()).unwrap();
    assert!(filled.is_empty());
    assert_eq!(reader.get_ref().asked, 1);
}

#[test]
fn read_to_end_keeps_an_exactly_sized_vector() {
    block_on(async {
        let data: Vec<u8> = (0..100).collect();
        for capacity in [40, 100, 150] {
            let mut buf = Vec::with_capacity(capacity);
            let n = (&data[..]).read_to_end(&mut buf).await.unwrap();
            assert_eq!((n, &buf[..]), (100, &data[..]));
            if capacity >= 100 {
                assert_eq!(
                    buf.capacity(),
                    capacity,
                    "no reallocation to learn of the end"
                );
            }
        }
    });
}

/// Initializes two bytes ahead of what it fills, and checks it is told what it initialized.
struct InitializesAhead {
    ahead: usize,
    calls: usize,
}

impl AsyncRead for InitializesAhead {
    fn poll_read(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        assert_eq!(buf.initialized().len() - buf.filled().len(), this.ahead);
        if this.calls < 10 {
            buf.initialize_unfilled_to(this.ahead + 2);
            buf.advance(1);
            this.ahead += 1;
            this.calls += 1;
        }
        Poll::Ready(Ok(()))
    }
}

#[test]
fn read_to_end_remembers_what_the_reader_initialized() {
    let mut buf = Vec::with_capacity(64);
    let mut reader = InitializesAhead { ahead: 0, calls: 0 };
    assert_eq!(block_on(reader.read_to_end(&mut buf)).unwrap(), 10);
}
