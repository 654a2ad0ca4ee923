//! Borrowed halves of a [`UnixStream`], from [`UnixStream::split`].

use crate::split_halves::borrowed_halves;
use crate::unix::{SocketAddr, UnixStream};

borrowed_halves!(UnixStream, SocketAddr);
