//! Asynchronous I/O for eddy: the traits every byte stream implements, and the utilities built on
//! them.
//!
//! The four traits are Tokio's, with the same signatures, so code written against `tokio::io`
//! compiles against this crate unchanged: [`AsyncRead`] fills a [`ReadBuf`] (a buffer that may
//! start uninitialized), [`AsyncWrite`] writes, flushes and shuts down, [`AsyncBufRead`] exposes a
//! reader's internal buffer, and [`AsyncSeek`] moves a stream's position in two steps. They are
//! poll-based and know nothing about any runtime: a socket in `eddy-net`, an in-memory pipe and a
//! `&[u8]` all implement them the same way. This crate holds no executor and no reactor; the only
//! runtime services it touches go through `eddy-core`: the cooperative budget (in-memory pipes and
//! the copy loops spend it, so an always-ready stream still lets other tasks run) and the blocking
//! hook (standard I/O runs there).
//!
//! The traits are always available. Everything else sits behind the **`util`** feature (the
//! facade's `io-util` and `io-std`):
//!
//! * extension traits with `async` methods returning named futures: [`AsyncReadExt`],
//!   [`AsyncWriteExt`], [`AsyncBufReadExt`], [`AsyncSeekExt`] (each method documents its cancel
//!   safety);
//! * buffering: [`BufReader`], [`BufWriter`], [`BufStream`]; line and segment readers
//!   [`Lines`] and [`Split`], which are also `futures_core::Stream`s (Tokio needs the
//!   `tokio-stream` wrappers for that; here the streams are built in);
//! * copying: [`copy`], [`copy_buf`], [`copy_bidirectional`];
//! * in-memory pipes [`duplex`] and [`simplex`]; [`split`] and [`join`]; [`empty`], [`sink`],
//!   [`repeat`]; and [`stdin`], [`stdout`], [`stderr`];
//! * [`read_buf`](AsyncReadExt::read_buf), [`write_buf`](AsyncWriteExt::write_buf) and
//!   [`write_all_buf`](AsyncWriteExt::write_all_buf) take the `bytes` crate's `BufMut` and
//!   `Buf`, exactly as Tokio's do, so codecs and framing code pass their `BytesMut` and `Bytes`
//!   unchanged. That is why `bytes` is a dependency of the `util` feature. Like Tokio, this
//!   crate does not re-export it: name it in your own `Cargo.toml`.
//!
//! The unsafe code is confined to `read_buf.rs` (the initialized/filled bookkeeping of
//! [`ReadBuf`]), `util/read_buf.rs` (reading into a `BufMut`'s free room) and
//! `util/read_to_end.rs` (reading into a vector's spare capacity, remembering what is
//! initialized there).
//!
//! ```
//! use eddy_io::{AsyncRead, ReadBuf};
//! use std::pin::Pin;
//! use std::sync::Arc;
//! use std::task::{Context, Poll, Wake, Waker};
//!
//! struct Noop;
//! impl Wake for Noop {
//!     fn wake(self: Arc<Self>) {}
//! }
//!
//! let mut source: &[u8] = b"hello";
//! let mut storage = [0u8; 3];
//! let mut buf = ReadBuf::new(&mut storage);
//! let waker = Waker::from(Arc::new(Noop));
//! let mut cx = Context::from_waker(&waker);
//! let polled = Pin::new(&mut source).poll_read(&mut cx, &mut buf);
//! assert!(matches!(polled, Poll::Ready(Ok(()))));
//! assert_eq!(buf.filled(), b"hel");
//! assert_eq!(source, b"lo");
//! ```
#![deny(missing_docs)]
// The docs link to the `util` items everywhere; without that feature those links have nothing
// to point at, which is expected rather than broken.
#![cfg_attr(not(feature = "util"), allow(rustdoc::broken_intra_doc_links))]

mod async_buf_read;
mod async_read;
mod async_seek;
mod async_write;
#[cfg(feature = "util")]
use eddy_core::loom;
mod read_buf;
#[cfg(feature = "util")]
mod util;

pub use async_buf_read::AsyncBufRead;
pub use async_read::AsyncRead;
pub use async_seek::AsyncSeek;
pub use async_write::AsyncWrite;
pub use read_buf::ReadBuf;
pub use std::io::{Error, ErrorKind, Result, SeekFrom};

#[cfg(feature = "util")]
pub use util::{
    async_buf_read_ext::AsyncBufReadExt,
    async_read_ext::AsyncReadExt,
    async_seek_ext::AsyncSeekExt,
    async_write_ext::AsyncWriteExt,
    buf_reader::BufReader,
    buf_stream::BufStream,
    buf_writer::BufWriter,
    chain::Chain,
    copy::copy,
    copy_bidirectional::{copy_bidirectional, copy_bidirectional_with_sizes},
    copy_buf::copy_buf,
    duplex::{duplex, DuplexStream},
    empty::{empty, Empty},
    join::{join, Join},
    lines::Lines,
    repeat::{repeat, Repeat},
    simplex::{simplex, SimplexStream},
    sink::{sink, Sink},
    split::Split,
    split_halves::{split, ReadHalf, WriteHalf},
    std_output::{stderr, stdout, Stderr, Stdout},
    stdin::{stdin, Stdin},
    take::Take,
};
