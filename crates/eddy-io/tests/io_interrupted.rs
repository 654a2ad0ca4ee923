//! The utilities that loop until a goal retry `ErrorKind::Interrupted`, as std's and Tokio's
//! do: a signal cut the call short before it did anything, so it is simply made again.

use eddy_io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufWriter, ReadBuf};
use eddy_test_support::executor::block_on;
use std::io::{self, ErrorKind};
use std::pin::Pin;
use std::task::{Context, Poll};

/// Fails every other read or write with `Interrupted`, and otherwise reads or writes one byte.
struct Flaky {
    data: Vec<u8>,
    written: Vec<u8>,
    interrupt_next: bool,
}

impl Flaky {
    fn new(data: &[u8]) -> Flaky {
        Flaky {
            data: data.to_vec(),
            written: Vec::new(),
            interrupt_next: true,
        }
    }

    fn interrupted(&mut self) -> bool {
        self.interrupt_next = !self.interrupt_next;
        !self.interrupt_next
    }
}

impl AsyncRead for Flaky {
    fn poll_read(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.interrupted() {
            return Poll::Ready(Err(ErrorKind::Interrupted.into()));
        }
        if !this.data.is_empty() {
            buf.put_slice(&[this.data.remove(0)]);
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for Flaky {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.interrupted() {
            return Poll::Ready(Err(ErrorKind::Interrupted.into()));
        }
        this.written.push(buf[0]);
        Poll::Ready(Ok(1))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[test]
fn reads_to_a_goal_retry_interrupted() {
    block_on(async {
        let mut buf = [0; 3];
        Flaky::new(b"abc").read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"abc");
        assert_eq!(Flaky::new(&[0, 0, 1, 2]).read_u32().await.unwrap(), 258);
        let mut all = Vec::new();
        Flaky::new(b"to the end")
            .read_to_end(&mut all)
            .await
            .unwrap();
        assert_eq!(all, b"to the end");
        let mut text = String::new();
        Flaky::new(b"text").read_to_string(&mut text).await.unwrap();
        assert_eq!(text, "text");
    });
}

#[test]
fn writes_to_a_goal_retry_interrupted() {
    block_on(async {
        let mut writer = Flaky::new(b"");
        writer.write_all(b"all of it").await.unwrap();
        writer.write_u16(0x0102).await.unwrap();
        assert_eq!(writer.written, b"all of it\x01\x02");

        let mut buffered = BufWriter::new(Flaky::new(b""));
        buffered.write_all(b"buffered").await.unwrap();
        buffered.flush().await.unwrap();
        assert_eq!(buffered.get_ref().written, b"buffered");
    });
}

#[test]
fn copies_retry_interrupted() {
    block_on(async {
        let mut writer = Flaky::new(b"");
        let copied = eddy_io::copy(&mut Flaky::new(b"copied"), &mut writer)
            .await
            .unwrap();
        assert_eq!((copied, &writer.written[..]), (6, &b"copied"[..]));

        let mut reader = eddy_io::BufReader::new(Flaky::new(b"buffered copy"));
        let mut writer = Flaky::new(b"");
        let copied = eddy_io::copy_buf(&mut reader, &mut writer).await.unwrap();
        assert_eq!((copied, &writer.written[..]), (13, &b"buffered copy"[..]));
    });
}

#[test]
fn a_single_read_or_write_reports_interrupted() {
    block_on(async {
        let error = Flaky::new(b"x").read(&mut [0; 1]).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Interrupted);
        let error = Flaky::new(b"").write(b"x").await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Interrupted);
    });
}
