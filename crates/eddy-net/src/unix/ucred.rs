//! [`UCred`]: the credentials of a Unix socket's peer.

use crate::sys;
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

    /// The peer's process id, where the platform reports it (Linux and Android do).
    pub fn pid(&self) -> Option<i32> {
        self.pid
    }
}

pub(crate) fn peer_cred(fd: BorrowedFd<'_>) -> io::Result<UCred> {
    let cred = sys::peer_cred(fd)?;
    Ok(UCred {
        pid: cred.pid,
        uid: cred.uid,
        gid: cred.gid,
    })
}
