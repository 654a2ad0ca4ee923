//! Unix domain sockets: [`UnixListener`], [`UnixStream`] (with split halves),
//! [`UnixDatagram`], [`UnixSocket`] to configure one before use, their [`SocketAddr`] and peer
//! credentials ([`UCred`]), and the named and anonymous pipes of [`pipe`].

#[path = "datagram.rs"]
mod datagram_socket;
mod listener;
pub mod pipe;
mod socket;
mod socket_addr;
mod split;
mod split_owned;
mod stream;
mod ucred;

pub use datagram_socket::UnixDatagram;
pub use listener::UnixListener;
pub use socket::UnixSocket;
pub use socket_addr::SocketAddr;
pub use split::{ReadHalf, WriteHalf};
pub use split_owned::{OwnedReadHalf, OwnedWriteHalf, ReuniteError};
pub use stream::UnixStream;
pub use ucred::UCred;

/// Tokio has this module public by accident and empty; kept so that paths into it resolve.
#[doc(hidden)]
pub mod datagram {}

/// A user id, as [`UCred`] reports it.
#[allow(non_camel_case_types)]
pub type uid_t = u32;

/// A group id, as [`UCred`] reports it.
#[allow(non_camel_case_types)]
pub type gid_t = u32;

/// A process (or process group) id, as [`UCred`] reports it.
#[allow(non_camel_case_types)]
pub type pid_t = i32;
