//! [`UCred`]: the credentials of a Unix socket's peer.

use crate::sys::{self, Ucred};
use std::io;
use std::os::fd::BorrowedFd;

/// The user, group and process of the peer of a Unix stream, as of when it connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UCred {
    pid: Option<i32>,
    uid: u32,
    gid: u32,
}

impl UCred {
    /// The peer's user id.
    pub fn uid(&self) -> u32 {
        self.uid
    }

    /// The peer's group id.
    pub fn gid(&self) -> u32 {
        self.gid
    }

    /// The peer's process id.
    pub fn pid(&self) -> Option<i32> {
        self.pid
    }
}

pub(crate) fn peer_cred(fd: BorrowedFd<'_>) -> io::Result<UCred> {
    let cred: Ucred = sys::get_option(fd, sys::SOL_SOCKET, sys::SO_PEERCRED)?;
    Ok(UCred {
        pid: Some(cred.pid),
        uid: cred.uid,
        gid: cred.gid,
    })
}
