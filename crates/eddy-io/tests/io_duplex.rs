//! `duplex` and `simplex`: in-memory pipes between threads, back-pressure, half-close, drop.

mod support;

use eddy_io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use eddy_test_support::executor::block_on;
use eddy_test_support::waker::with_noop_context;
use std::io::{ErrorKind, IoSlice};
use std::pin::Pin;
use std::thread;
use support::pattern;

#[test]
fn ping_pong_between_threads() {
    let (mut client, mut server) = eddy_io::duplex(16);
    let echo = thread::spawn(move || {
        block_on(async move {
            let mut buf = [0u8; 8];
            loop {
                let n = server.read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                server.write_all(&buf[..n]).await.unwrap();
            }
        })
    });
    // Fewer rounds under miri, where each hand-off between threads costs milliseconds.
    let rounds: u32 = if cfg!(miri) { 20 } else { 200 };
    block_on(async {
        for round in 0..rounds {
            let message = round.to_be_bytes();
            client.write_all(&message).await.unwrap();
            let mut back = [0u8; 4];
            client.read_exact(&mut back).await.unwrap();
            assert_eq!(back, message);
        }
        client.shutdown().await.unwrap();
    });
    echo.join().unwrap();
}

#[test]
fn a_full_pipe_holds_the_writer_until_the_reader_drains_it() {
    // Still hundreds of fills of the 64-byte pipe under miri, where each costs milliseconds.
    let data = pattern(if cfg!(miri) { 16_000 } else { 100_000 });
    let (mut writer, mut reader) = eddy_io::duplex(64);
    let expected = data.clone();
    let producer = thread::spawn(move || {
        block_on(async move {
            writer.write_all(&data).await.unwrap();
            writer.shutdown().await.unwrap();
        })
    });
    let received = block_on(async move {
        let mut received = Vec::new();
        reader.read_to_end(&mut received).await.unwrap();
        received
    });
    producer.join().unwrap();
    assert_eq!(received, expected);
}

#[test]
fn writes_stop_at_the_buffer_limit() {
    let (mut a, _b) = eddy_io::duplex(4);
    with_noop_context(|cx| {
        let polled = Pin::new(&mut a).poll_write(cx, b"abcdef");
        assert!(matches!(polled, std::task::Poll::Ready(Ok(4))));
        assert!(Pin::new(&mut a).poll_write(cx, b"g").is_pending());
    });
}

#[test]
fn shutdown_is_a_half_close() {
    block_on(async {
        let (mut a, mut b) = eddy_io::duplex(64);
        a.write_all(b"last words").await.unwrap();
        a.shutdown().await.unwrap();
        let mut got = String::new();
        b.read_to_string(&mut got).await.unwrap();
        assert_eq!(got, "last words", "buffered bytes arrive, then end of file");
        // The other direction still works.
        b.write_all(b"reply").await.unwrap();
        let mut reply = [0u8; 5];
        a.read_exact(&mut reply).await.unwrap();
        assert_eq!(&reply, b"reply");
        // Writing after shutdown is a broken pipe.
        assert_eq!(
            a.write(b"x").await.unwrap_err().kind(),
            ErrorKind::BrokenPipe
        );
    });
}

#[test]
fn dropping_one_end_is_end_of_file_and_broken_pipe() {
    block_on(async {
        let (mut a, mut b) = eddy_io::duplex(64);
        a.write_all(b"sent before drop").await.unwrap();
        drop(a);
        let mut got = Vec::new();
        b.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, b"sent before drop");
        assert_eq!(
            b.write(b"x").await.unwrap_err().kind(),
            ErrorKind::BrokenPipe
        );
    });
}

#[test]
fn dropping_the_reader_wakes_a_blocked_writer() {
    let (mut writer, reader) = eddy_io::duplex(8);
    let blocked = thread::spawn(move || {
        block_on(async move { writer.write_all(&[0u8; 64]).await.unwrap_err().kind() })
    });
    // Wait until the writer has filled the pipe (it then waits for room), then drop the
    // reader; the writer must wake up with an error instead of hanging.
    let mut reader = reader;
    block_on(async {
        let mut first = [0u8; 1];
        reader.read_exact(&mut first).await.unwrap();
    });
    drop(reader);
    assert_eq!(blocked.join().unwrap(), ErrorKind::BrokenPipe);
}

#[test]
fn reads_and_writes_wrap_around_the_ring() {
    block_on(async {
        let (mut a, mut b) = eddy_io::duplex(5);
        let mut buf = [0u8; 3];
        for round in 0..20u8 {
            let chunk = [round, round.wrapping_add(1), round.wrapping_add(2)];
            a.write_all(&chunk).await.unwrap();
            b.read_exact(&mut buf).await.unwrap();
            assert_eq!(buf, chunk);
        }
    });
}

#[test]
fn vectored_writes_gather_up_to_the_limit() {
    block_on(async {
        let (mut a, mut b) = eddy_io::duplex(5);
        assert!(a.is_write_vectored());
        let bufs = [IoSlice::new(b"abc"), IoSlice::new(b"defg")];
        assert_eq!(a.write_vectored(&bufs).await.unwrap(), 5);
        let mut got = [0u8; 5];
        b.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"abcde");
    });
}

#[test]
fn reading_into_a_full_buffer_reads_nothing() {
    let (mut a, mut b) = eddy_io::duplex(8);
    block_on(async { a.write_all(b"data").await.unwrap() });
    with_noop_context(|cx| {
        let mut empty: [u8; 0] = [];
        let mut buf = ReadBuf::new(&mut empty);
        assert!(Pin::new(&mut b).poll_read(cx, &mut buf).is_ready());
    });
    block_on(async {
        let mut got = [0u8; 4];
        b.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"data");
    });
}

#[test]
#[should_panic(expected = "max_buf_size must be greater than zero")]
fn a_zero_sized_duplex_is_refused() {
    let _ = eddy_io::duplex(0);
}

#[test]
fn pipe_operations_spend_the_cooperative_budget() {
    let (mut a, _b) = eddy_io::duplex(1 << 20);
    let before = eddy_core::coop::forced_yield_count();
    let pending = with_noop_context(|cx| {
        eddy_core::coop::budget(|| {
            // Every write succeeds, so only the budget can stop this loop.
            (0..1000).any(|_| Pin::new(&mut a).poll_write(cx, b"x").is_pending())
        })
    });
    assert!(pending, "the pipe yielded once the budget was spent");
    assert_eq!(eddy_core::coop::forced_yield_count(), before + 1);
}

#[test]
fn simplex_carries_bytes_one_way() {
    let (mut reader, mut writer) = eddy_io::simplex(16);
    let data = pattern(10_000);
    let expected = data.clone();
    let producer = thread::spawn(move || {
        block_on(async move {
            writer.write_all(&data).await.unwrap();
            writer.shutdown().await.unwrap();
        })
    });
    let mut received = Vec::new();
    block_on(reader.read_to_end(&mut received)).unwrap();
    producer.join().unwrap();
    assert_eq!(received, expected);
}

#[test]
fn an_unsplit_simplex_reads_back_what_it_wrote() {
    block_on(async {
        let mut pipe = eddy_io::SimplexStream::new_unsplit(8);
        pipe.write_all(b"loop").await.unwrap();
        let mut got = [0u8; 4];
        pipe.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"loop");
        pipe.shutdown().await.unwrap();
        assert_eq!(pipe.read(&mut got).await.unwrap(), 0);
    });
}
