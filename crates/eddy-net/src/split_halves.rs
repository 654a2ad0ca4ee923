//! The split halves of a stream, written once for `TcpStream` and `UnixStream`.
//!
//! Each stream family has its own public half types (`tcp::ReadHalf`, `unix::ReadHalf`...), as
//! in Tokio, so they cannot be one generic type without changing the public API; these macros
//! write them instead. A stream passed to them needs `ready`, `readable`, `writable`, the
//! `try_read*`/`try_write*` methods, `peer_addr`/`local_addr` returning `$addr`, and
//! `stream_core()`. Invariants: a borrowed pair shares `&Stream` (reads and writes may run at
//! once from one task); an owned pair shares an `Arc`, holds its only two references, and the
//! write half shuts the write side down when dropped unless reunited or forgotten.

/// Writes `ReadHalf<'a>`, `WriteHalf<'a>` and `split` for `$stream`.
macro_rules! borrowed_halves {
    ($stream:ident, $addr:ty) => {
        #[doc = concat!("The read half of a borrowed [`", stringify!($stream), "`].")]
        #[derive(Debug)]
        pub struct ReadHalf<'a>(&'a $stream);

        #[doc = concat!("The write half of a borrowed [`", stringify!($stream), "`]. ")]
        #[doc = "Shutting it down shuts the stream's write side."]
        #[derive(Debug)]
        pub struct WriteHalf<'a>(&'a $stream);

        pub(crate) fn split(stream: &mut $stream) -> (ReadHalf<'_>, WriteHalf<'_>) {
            (ReadHalf(stream), WriteHalf(stream))
        }

        $crate::split_halves::read_half_methods!(ReadHalf<'_>, |this| this.0, $addr);
        $crate::split_halves::write_half_methods!(WriteHalf<'_>, |this| this.0, $addr);
        $crate::stream_core::impl_async_read!(ReadHalf<'_>, |this| this.0.stream_core());
        $crate::stream_core::impl_async_write!(WriteHalf<'_>, |this| this.0.stream_core());

        impl AsRef<$stream> for ReadHalf<'_> {
            fn as_ref(&self) -> &$stream {
                self.0
            }
        }

        impl AsRef<$stream> for WriteHalf<'_> {
            fn as_ref(&self) -> &$stream {
                self.0
            }
        }
    };
}
pub(crate) use borrowed_halves;

/// Writes `OwnedReadHalf`, `OwnedWriteHalf`, `ReuniteError` and `split_owned` for `$stream`.
macro_rules! owned_halves {
    ($stream:ident, $addr:ty) => {
        #[doc = concat!("The read half of a [`", stringify!($stream), "`], owned.")]
        #[derive(Debug)]
        pub struct OwnedReadHalf {
            inner: ::std::sync::Arc<$stream>,
        }

        #[doc = concat!("The write half of a [`", stringify!($stream), "`], owned. ")]
        #[doc = "Dropping it shuts the write side down (unless"]
        #[doc = "[`forget`](OwnedWriteHalf::forget) is used); the stream closes once both halves"]
        #[doc = "are gone."]
        #[derive(Debug)]
        pub struct OwnedWriteHalf {
            inner: ::std::sync::Arc<$stream>,
            shutdown_on_drop: bool,
        }

        /// The halves given to [`OwnedReadHalf::reunite`] came from different streams; here they
        /// are back.
        #[derive(Debug)]
        pub struct ReuniteError(pub OwnedReadHalf, pub OwnedWriteHalf);

        impl ::std::fmt::Display for ReuniteError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("tried to reunite halves that are not from the same socket")
            }
        }

        impl ::std::error::Error for ReuniteError {}

        pub(crate) fn split_owned(stream: $stream) -> (OwnedReadHalf, OwnedWriteHalf) {
            let inner = ::std::sync::Arc::new(stream);
            let read = OwnedReadHalf {
                inner: inner.clone(),
            };
            let write = OwnedWriteHalf {
                inner,
                shutdown_on_drop: true,
            };
            (read, write)
        }

        impl OwnedReadHalf {
            /// Puts the halves back together, if they came from the same stream.
            pub fn reunite(self, mut other: OwnedWriteHalf) -> Result<$stream, ReuniteError> {
                if !::std::sync::Arc::ptr_eq(&self.inner, &other.inner) {
                    return Err(ReuniteError(self, other));
                }
                other.shutdown_on_drop = false;
                drop(other);
                Ok(::std::sync::Arc::try_unwrap(self.inner)
                    .expect("eddy: the two halves held the only references to the stream"))
            }
        }

        impl OwnedWriteHalf {
            /// Puts the halves back together, if they came from the same stream.
            pub fn reunite(self, other: OwnedReadHalf) -> Result<$stream, ReuniteError> {
                other.reunite(self)
            }

            /// Drops the half without shutting the write side down.
            pub fn forget(mut self) {
                self.shutdown_on_drop = false;
            }

            /// Shuts the write side down; once that worked, dropping does not do it again.
            fn shutdown_once(&mut self) -> ::std::io::Result<()> {
                let result = self.inner.stream_core().shutdown_write();
                if result.is_ok() {
                    self.shutdown_on_drop = false;
                }
                result
            }
        }

        impl Drop for OwnedWriteHalf {
            fn drop(&mut self) {
                if self.shutdown_on_drop {
                    // The peer may be gone already; there is no one to report an error to.
                    let _ = self.inner.stream_core().shutdown_write();
                }
            }
        }

        $crate::split_halves::read_half_methods!(OwnedReadHalf, |this| this.inner, $addr);
        $crate::split_halves::write_half_methods!(OwnedWriteHalf, |this| this.inner, $addr);
        $crate::stream_core::impl_async_read!(OwnedReadHalf, |this| this.inner.stream_core());
        $crate::stream_core::impl_async_write!(
            OwnedWriteHalf,
            |this| this.inner.stream_core(),
            shutdown: this.shutdown_once()
        );

        impl AsRef<$stream> for OwnedReadHalf {
            fn as_ref(&self) -> &$stream {
                &self.inner
            }
        }

        impl AsRef<$stream> for OwnedWriteHalf {
            fn as_ref(&self) -> &$stream {
                &self.inner
            }
        }
    };
}
pub(crate) use owned_halves;

/// The read side's forwarding methods, on a half whose stream is `$stream` (given `$this`).
macro_rules! read_half_methods {
    ($half:ty, |$this:ident| $stream:expr, $addr:ty) => {
        impl $half {
            /// Waits until the stream may be readable.
            pub async fn readable(&self) -> ::std::io::Result<()> {
                let $this = self;
                $stream.readable().await
            }

            /// Reads what is there without waiting.
            pub fn try_read(&self, buf: &mut [u8]) -> ::std::io::Result<usize> {
                let $this = self;
                $stream.try_read(buf)
            }

            /// Reads what is there into several buffers without waiting.
            pub fn try_read_vectored(
                &self,
                bufs: &mut [::std::io::IoSliceMut<'_>],
            ) -> ::std::io::Result<usize> {
                let $this = self;
                $stream.try_read_vectored(bufs)
            }

            /// Reads what is there into the free room of `buf` without waiting.
            #[cfg(feature = "util")]
            pub fn try_read_buf<B: ::bytes::BufMut>(
                &self,
                buf: &mut B,
            ) -> ::std::io::Result<usize> {
                let $this = self;
                $stream.try_read_buf(buf)
            }

            $crate::split_halves::shared_half_methods!(|$this| $stream, $addr);
        }
    };
}
pub(crate) use read_half_methods;

/// The write side's forwarding methods, on a half whose stream is `$stream` (given `$this`).
macro_rules! write_half_methods {
    ($half:ty, |$this:ident| $stream:expr, $addr:ty) => {
        impl $half {
            /// Waits until the stream may be writable.
            pub async fn writable(&self) -> ::std::io::Result<()> {
                let $this = self;
                $stream.writable().await
            }

            /// Writes what fits without waiting.
            pub fn try_write(&self, buf: &[u8]) -> ::std::io::Result<usize> {
                let $this = self;
                $stream.try_write(buf)
            }

            /// Writes what fits from several buffers without waiting.
            pub fn try_write_vectored(
                &self,
                bufs: &[::std::io::IoSlice<'_>],
            ) -> ::std::io::Result<usize> {
                let $this = self;
                $stream.try_write_vectored(bufs)
            }

            $crate::split_halves::shared_half_methods!(|$this| $stream, $addr);
        }
    };
}
pub(crate) use write_half_methods;

/// `ready`, `peer_addr` and `local_addr`, which both halves forward to the stream.
macro_rules! shared_half_methods {
    (|$this:ident| $stream:expr, $addr:ty) => {
        /// Waits for any readiness in `interest`.
        pub async fn ready(
            &self,
            interest: ::eddy_reactor::Interest,
        ) -> ::std::io::Result<::eddy_reactor::Ready> {
            let $this = self;
            $stream.ready(interest).await
        }

        /// The remote address.
        pub fn peer_addr(&self) -> ::std::io::Result<$addr> {
            let $this = self;
            $stream.peer_addr()
        }

        /// The local address.
        pub fn local_addr(&self) -> ::std::io::Result<$addr> {
            let $this = self;
            $stream.local_addr()
        }
    };
}
pub(crate) use shared_half_methods;
