//! eddy's sockets: TCP, UDP and Unix domain sockets driven by the eddy reactor.
//!
//! Each socket is a mio socket registered once, edge-triggered, with the current thread's
//! reactor (`eddy_reactor::PollEvented`). An operation tries its syscall while the socket is
//! marked ready and waits for the reactor only after `WouldBlock`, so a busy connection costs
//! one syscall per read or write and no `epoll_ctl`. Streams implement `eddy_io::AsyncRead` and
//! `AsyncWrite`; `async fn`s on `&self` (`accept`, `send_to`, `readable`...) may be awaited by
//! several tasks at once. Every socket is non-blocking and close-on-exec, and OS errors come back
//! as `io::Error`. Host names resolve on the runtime's blocking pool ([`lookup_host`]).
//!
//! Sockets must be created inside a runtime with I/O enabled (or after
//! `eddy_reactor::driver::enter`); outside one the constructors panic.
//!
//! ```
//! use eddy_core::block_on::block_on;
//! use eddy_io::{AsyncReadExt, AsyncWriteExt};
//! use eddy_net::{TcpListener, TcpStream};
//! use eddy_reactor::driver::{self, Driver};
//!
//! let (mut driver, handle) = Driver::new().unwrap();
//! let _reactor = driver::enter(Some(handle));
//! block_on(&mut driver, async {
//!     let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
//!     let addr = listener.local_addr().unwrap();
//!     let mut client = TcpStream::connect(addr).await.unwrap();
//!     let (mut server, _) = listener.accept().await.unwrap();
//!     client.write_all(b"hello").await.unwrap();
//!     let mut buf = [0; 5];
//!     server.read_exact(&mut buf).await.unwrap();
//!     assert_eq!(&buf, b"hello");
//! });
//! ```
#![deny(missing_docs)]

mod addr;
mod datagram_methods;
mod ip_options;
mod socket_recv;
mod split_halves;
mod stream_core;
mod sys;
pub mod tcp;
mod udp;
pub mod unix;

pub use addr::{lookup_host, ToSocketAddrs};
pub use tcp::{TcpListener, TcpSocket, TcpStream};
pub use udp::UdpSocket;
pub use unix::{UnixDatagram, UnixListener, UnixSocket, UnixStream};
