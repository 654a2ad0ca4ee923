//! Unix domain sockets: [`UnixListener`], [`UnixStream`] (with split halves),
//! [`UnixDatagram`], and their [`SocketAddr`] and peer credentials ([`UCred`]).

mod datagram;
mod listener;
mod socket_addr;
mod split;
mod split_owned;
mod stream;
mod ucred;

pub use datagram::UnixDatagram;
pub use listener::UnixListener;
pub use socket_addr::SocketAddr;
pub use split::{ReadHalf, WriteHalf};
pub use split_owned::{OwnedReadHalf, OwnedWriteHalf, ReuniteError};
pub use stream::UnixStream;
pub use ucred::UCred;
