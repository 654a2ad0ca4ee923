//! Owned halves of a [`UnixStream`], from [`UnixStream::into_split`].

use crate::split_halves::owned_halves;
use crate::unix::{SocketAddr, UnixStream};

owned_halves!(UnixStream, SocketAddr);
