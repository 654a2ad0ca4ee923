//! The one system call std and mio do not offer: `pidfd_open` (Linux 5.3).

use std::os::fd::OwnedFd;

/// A descriptor that becomes readable when process `pid` exits, or `None` where the kernel
/// has no pidfds (then callers fall back to `SIGCHLD`).
#[cfg(target_os = "linux")]
pub(crate) fn pidfd_open(pid: u32) -> Option<OwnedFd> {
    use std::io;
    use std::os::fd::FromRawFd;
    // std's atomic, not a loom shim's: a `static` needs a `const` constructor, and this
    // one-way hint orders nothing.
    use std::sync::atomic::{AtomicBool, Ordering};

    // Set once the kernel said it lacks the call, so later spawns skip the attempt.
    static UNSUPPORTED: AtomicBool = AtomicBool::new(false);
    if UNSUPPORTED.load(Ordering::Relaxed) {
        return None;
    }
    let pid = libc::pid_t::try_from(pid).ok()?;
    // SAFETY: `pidfd_open(pid, 0)` takes two integers and returns a new descriptor or -1; it
    // touches no memory of ours.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd < 0 {
        if io::Error::last_os_error().raw_os_error() == Some(libc::ENOSYS) {
            UNSUPPORTED.store(true, Ordering::Relaxed);
        }
        return None;
    }
    let fd = i32::try_from(fd).ok()?;
    // SAFETY: the kernel just returned `fd` as a new descriptor (close-on-exec) that nothing
    // else owns, so the `OwnedFd` is its only owner.
    Some(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Other systems have no pidfds: always the `SIGCHLD` fallback.
#[cfg(not(target_os = "linux"))]
pub(crate) fn pidfd_open(_pid: u32) -> Option<OwnedFd> {
    None
}
