//! The methods `UdpSocket` and `UnixDatagram` share word for word (waiting for readiness, and
//! receiving into a `BufMut`), written once as a macro for their `impl` blocks.
//!
//! The macro asks three things of the type it expands in: a field `io` holding the socket's
//! `PollEvented`, and private `read_io`/`try_read_io` methods that run a receive with the
//! readiness the type waits for (UDP also wakes for a pending socket error; Unix datagram
//! sockets have none to report). Everything that differs between the two (addresses, sending)
//! stays in their own files.

/// `ready`, `readable`, `writable`, `poll_recv_ready`, `poll_send_ready`, and with the `util`
/// feature `try_recv_buf` and `recv_buf`.
macro_rules! datagram_methods {
    () => {
        /// Waits for any readiness in `interest`.
        pub async fn ready(
            &self,
            interest: ::eddy_reactor::Interest,
        ) -> ::std::io::Result<::eddy_reactor::Ready> {
            let event = self.io.registration().readiness(interest).await?;
            Ok(event.ready())
        }

        /// Waits until a datagram may be received.
        pub async fn readable(&self) -> ::std::io::Result<()> {
            self.ready(::eddy_reactor::Interest::READABLE)
                .await
                .map(drop)
        }

        /// Waits until a datagram may be sent.
        pub async fn writable(&self) -> ::std::io::Result<()> {
            self.ready(::eddy_reactor::Interest::WRITABLE)
                .await
                .map(drop)
        }

        /// Polls for read readiness (one polling task at a time).
        pub fn poll_recv_ready(
            &self,
            cx: &mut ::std::task::Context<'_>,
        ) -> ::std::task::Poll<::std::io::Result<()>> {
            self.io.registration().poll_read_ready(cx).map_ok(drop)
        }

        /// Polls for write readiness (one polling task at a time).
        pub fn poll_send_ready(
            &self,
            cx: &mut ::std::task::Context<'_>,
        ) -> ::std::task::Poll<::std::io::Result<()>> {
            self.io.registration().poll_write_ready(cx).map_ok(drop)
        }

        /// Receives a datagram from the connected peer into the free room of `buf` (which grows
        /// by the bytes received) without waiting. Bytes that do not fit are discarded.
        #[cfg(feature = "util")]
        pub fn try_recv_buf<B: ::bytes::BufMut>(&self, buf: &mut B) -> ::std::io::Result<usize> {
            self.try_read_io(|| $crate::socket_recv::recv_buf(&*self.io, buf))
        }

        /// Receives a datagram from the connected peer into the free room of `buf`.
        #[cfg(feature = "util")]
        pub async fn recv_buf<B: ::bytes::BufMut>(&self, buf: &mut B) -> ::std::io::Result<usize> {
            self.read_io(|| $crate::socket_recv::recv_buf(&*self.io, buf))
                .await
        }
    };
}
pub(crate) use datagram_methods;
