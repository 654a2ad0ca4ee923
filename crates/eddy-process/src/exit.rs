//! Learning that a child exited: a pidfd on the reactor, or `SIGCHLD` through eddy-signal.
//!
//! On Linux 5.3 and later each child gets a pidfd, a descriptor that becomes readable when
//! that one process exits. It is registered with the reactor like a socket, so a wait costs no
//! signal handler and wakes exactly the task waiting for that child. Elsewhere (or where the
//! kernel refuses pidfds) the watch is a `SIGCHLD` listener: every child's exit wakes every
//! waiter, and each checks its own child with a non-blocking `waitpid`.
//!
//! Either way, the exit status is collected by std's `Child::try_wait` (`waitpid(WNOHANG)`)
//! only after the watch says the child may have exited, and the check follows the waker's
//! registration, so an exit between the two is never missed.
//!
//! A pidfd registered with a runtime that has since shut down moves to the current runtime's
//! reactor on the next poll: a child spawned in one runtime may be awaited in another.

use crate::sys::pidfd_open;
use eddy_core::context::is_shutdown_error;
use eddy_reactor::driver::Handle;
use eddy_reactor::{Interest, Registration};
use eddy_signal::unix::{signal, Signal, SignalKind};
use mio::unix::SourceFd;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::process::{Child, ExitStatus};
use std::task::{Context, Poll};

/// How a child's exit is noticed. See the module docs.
#[derive(Debug)]
pub(crate) enum ExitWatch {
    /// The child's pidfd, registered with a reactor.
    Pidfd(PidfdWatch),
    /// A `SIGCHLD` listener.
    Sigchld(Signal),
}

/// A pidfd and its registration.
#[derive(Debug)]
pub(crate) struct PidfdWatch {
    fd: OwnedFd,
    registration: Registration,
}

impl ExitWatch {
    /// Watches the child `pid` through `handle`'s reactor.
    pub(crate) fn new(pid: u32, handle: Handle) -> io::Result<ExitWatch> {
        match pidfd_open(pid) {
            Some(fd) => PidfdWatch::new(fd, handle).map(ExitWatch::Pidfd),
            None => signal(SignalKind::child()).map(ExitWatch::Sigchld),
        }
    }

    /// Waits until `child` has exited, and reaps it.
    pub(crate) fn poll_exit(
        &mut self,
        cx: &mut Context<'_>,
        child: &mut Child,
    ) -> Poll<io::Result<ExitStatus>> {
        match self {
            ExitWatch::Pidfd(watch) => watch.poll_exit(cx, child),
            ExitWatch::Sigchld(sigchld) => poll_sigchld(sigchld, cx, child),
        }
    }
}

fn poll_sigchld(
    sigchld: &mut Signal,
    cx: &mut Context<'_>,
    child: &mut Child,
) -> Poll<io::Result<ExitStatus>> {
    loop {
        let waiting = sigchld.poll_recv(cx).is_pending();
        if let Some(status) = child.try_wait()? {
            return Poll::Ready(Ok(status));
        }
        if waiting {
            return Poll::Pending;
        }
    }
}

impl PidfdWatch {
    fn new(fd: OwnedFd, handle: Handle) -> io::Result<PidfdWatch> {
        let registration = register(&fd, handle)?;
        Ok(PidfdWatch { fd, registration })
    }

    fn poll_exit(
        &mut self,
        cx: &mut Context<'_>,
        child: &mut Child,
    ) -> Poll<io::Result<ExitStatus>> {
        loop {
            match self.registration.poll_read_ready(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(event)) => {
                    if let Some(status) = child.try_wait()? {
                        return Poll::Ready(Ok(status));
                    }
                    self.registration.clear_readiness(event);
                }
                Poll::Ready(Err(error)) if is_shutdown_error(&error) => {
                    self.move_to_current_reactor(error)?;
                }
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
            }
        }
    }

    /// After the reactor shut down: registers the pidfd with the current thread's reactor, or
    /// returns `error` if there is none (or it is the one that shut down).
    fn move_to_current_reactor(&mut self, error: io::Error) -> io::Result<()> {
        let current = match Handle::try_current() {
            Ok(current) if !current.ptr_eq(self.registration.handle()) => current,
            _ => return Err(error),
        };
        let registration = register(&self.fd, current)?;
        self.deregister();
        self.registration = registration;
        Ok(())
    }

    fn deregister(&self) {
        // A failure means the old reactor is gone, which removed the pidfd already.
        let _ = self
            .registration
            .deregister(&mut SourceFd(&self.fd.as_raw_fd()));
    }
}

fn register(fd: &OwnedFd, handle: Handle) -> io::Result<Registration> {
    let raw = fd.as_raw_fd();
    Registration::new_with_handle(&mut SourceFd(&raw), Interest::READABLE, handle)
}

impl Drop for PidfdWatch {
    fn drop(&mut self) {
        self.deregister();
    }
}

#[cfg(test)]
mod tests {
    //! The `SIGCHLD` fallback, which a kernel with pidfds never selects on its own.

    use super::*;
    use std::future::poll_fn;
    use std::process::Command;
    use std::time::Duration;

    fn sigchld() -> ExitWatch {
        ExitWatch::Sigchld(signal(SignalKind::child()).unwrap())
    }

    #[test]
    fn sigchld_watch_waits_for_and_reaps_children() {
        let rt = eddy_executor::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut child = Command::new("sh").args(["-c", "exit 5"]).spawn().unwrap();
            let mut watch = sigchld();
            let status = poll_fn(|cx| watch.poll_exit(cx, &mut child)).await;
            assert_eq!(status.unwrap().code(), Some(5));

            let orphan = Command::new("sleep").arg("0.05").spawn().unwrap();
            let proc_entry = format!("/proc/{}", orphan.id());
            crate::orphan::adopt(orphan, sigchld());
            // Reaped by the SIGCHLD broadcast the reactor delivers while this loop sleeps; the
            // deadline only guards against a hang.
            let deadline = std::time::Instant::now() + Duration::from_secs(20);
            while std::path::Path::new(&proc_entry).exists() {
                assert!(std::time::Instant::now() < deadline, "orphan never reaped");
                eddy_time::sleep(Duration::from_millis(5)).await;
            }
        });
    }
}
