//! `empty`, `sink` and `repeat`, and their use of the cooperative budget.

use eddy_io::{
    AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncSeekExt, AsyncWriteExt, ReadBuf, SeekFrom,
};
use eddy_test_support::executor::block_on;
use eddy_test_support::waker::with_noop_context;
use std::pin::Pin;

#[test]
fn empty_is_at_end_of_file_and_discards_writes() {
    block_on(async {
        let mut empty = eddy_io::empty();
        let mut buf = [0u8; 4];
        assert_eq!(empty.read(&mut buf).await.unwrap(), 0);
        assert!(empty.fill_buf().await.unwrap().is_empty());
        assert_eq!(empty.write(b"gone").await.unwrap(), 4);
        empty.flush().await.unwrap();
        empty.shutdown().await.unwrap();
        assert_eq!(empty.seek(SeekFrom::End(10)).await.unwrap(), 0);
    });
}

#[test]
fn sink_accepts_everything() {
    block_on(async {
        let mut sink = eddy_io::sink();
        sink.write_all(&[1u8; 10_000]).await.unwrap();
        sink.write_u64(7).await.unwrap();
        sink.shutdown().await.unwrap();
    });
}

#[test]
fn repeat_fills_every_read() {
    block_on(async {
        let mut repeat = eddy_io::repeat(b'z');
        let mut buf = [0u8; 100];
        repeat.read_exact(&mut buf).await.unwrap();
        assert!(buf.iter().all(|&b| b == b'z'));
        let mut line = String::new();
        repeat.take(5).read_to_string(&mut line).await.unwrap();
        assert_eq!(line, "zzzzz");
    });
}

#[test]
fn always_ready_readers_yield_when_the_budget_is_spent() {
    let mut repeat = eddy_io::repeat(0);
    let mut storage = [0u8; 1];
    let yielded = with_noop_context(|cx| {
        eddy_core::coop::budget(|| {
            (0..1000).any(|_| {
                let mut buf = ReadBuf::new(&mut storage);
                Pin::new(&mut repeat).poll_read(cx, &mut buf).is_pending()
            })
        })
    });
    assert!(yielded);
    let unconstrained = with_noop_context(|cx| {
        (0..1000).all(|_| {
            let mut buf = ReadBuf::new(&mut storage);
            Pin::new(&mut eddy_io::empty())
                .poll_read(cx, &mut buf)
                .is_ready()
        })
    });
    assert!(unconstrained, "outside an executor's budget nothing yields");
}
