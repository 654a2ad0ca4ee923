//! A source's registration with the driver, and the readiness protocol operations follow.
//!
//! Every operation on a registered source goes the same way:
//!
//! 1. Wait for readiness in the operation's direction ([`Registration::poll_read_ready`],
//!    [`Registration::readiness`]). This is one atomic load when the source is already ready;
//!    a source is ready from the first event the OS reports until an operation observes
//!    `WouldBlock`. Each `poll_*_ready` wait spends one unit of the task's cooperative budget;
//!    the `readiness` future does not (as in Tokio, where only the poll-based path is
//!    cooperative).
//! 2. Try the syscall.
//! 3. On `WouldBlock`, clear the readiness observed in step 1 (unless the driver reported new
//!    readiness since: then retry at once) and go back to 1.
//!
//! The source is registered edge-triggered once, for both directions, and never re-armed: no
//! `epoll_ctl` happens on the hot path.

use crate::driver::Handle;
use crate::interest::Interest;
use crate::ready::Ready;
use crate::scheduled_io::{Direction, ReadyEvent, ScheduledIo};
use eddy_core::context::shutdown_error;
use eddy_core::coop;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

/// A source's slot in the driver: its readiness and waiters.
///
/// Dropping the registration frees the slot; deregister the source from the OS first with
/// [`Registration::deregister`].
pub struct Registration {
    handle: Handle,
    io: Arc<ScheduledIo>,
    token: mio::Token,
}

impl Registration {
    /// Registers `source` with the current thread's reactor.
    ///
    /// # Panics
    ///
    /// Outside a runtime, or in a runtime built without I/O.
    #[track_caller]
    pub fn new(source: &mut impl mio::event::Source, interest: Interest) -> io::Result<Self> {
        Registration::new_with_handle(source, interest, Handle::current())
    }

    /// Registers `source` with the driver of `handle`.
    pub fn new_with_handle(
        source: &mut impl mio::event::Source,
        interest: Interest,
        handle: Handle,
    ) -> io::Result<Self> {
        let (io, token) = handle.register(source, interest)?;
        Ok(Registration { handle, io, token })
    }

    /// The driver this source is registered with.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// Removes `source` from the OS's interest list.
    pub fn deregister(&self, source: &mut impl mio::event::Source) -> io::Result<()> {
        self.handle.deregister(source)
    }

    /// Waits until the source is readable (or the driver shut down: an error).
    pub fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<ReadyEvent>> {
        self.poll_ready(cx, Direction::Read)
    }

    /// Waits until the source is writable (or the driver shut down: an error).
    pub fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<ReadyEvent>> {
        self.poll_ready(cx, Direction::Write)
    }

    fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
    ) -> Poll<io::Result<ReadyEvent>> {
        let budget = ready!(coop::poll_proceed(cx));
        let event = ready!(self.io.poll_readiness(cx, direction));
        budget.made_progress();
        Poll::Ready(checked(event))
    }

    /// Marks the source ready for `ready` without waiting for the OS to say so, for a source
    /// known (or likely) to be ready at registration: an accepted connection, a fresh socket
    /// pair. A wrong guess costs one `WouldBlock`.
    pub fn assume_ready(&self, ready: Ready) {
        self.io.assume_ready(ready);
    }

    /// Forgets the readiness in `event`, unless newer readiness arrived since it was observed.
    pub fn clear_readiness(&self, event: ReadyEvent) {
        self.io.clear_readiness(event);
    }

    /// Runs the read operation `op` until it does not block, waiting for readiness between
    /// tries. Only the single read waiter slot is used: one task reads at a time.
    pub fn poll_read_io<R>(
        &self,
        cx: &mut Context<'_>,
        op: impl FnMut() -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        self.poll_io(cx, Direction::Read, op)
    }

    /// Like [`Self::poll_read_io`], for writes.
    pub fn poll_write_io<R>(
        &self,
        cx: &mut Context<'_>,
        op: impl FnMut() -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        self.poll_io(cx, Direction::Write, op)
    }

    fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        mut op: impl FnMut() -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        loop {
            let event = ready!(self.poll_ready(cx, direction))?;
            match op() {
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.clear_readiness(event);
                }
                result => return Poll::Ready(result),
            }
        }
    }

    /// Runs `op` once if the source is ready for `interest`; `WouldBlock` otherwise (and if
    /// `op` would block, the readiness is cleared).
    pub fn try_io<R>(
        &self,
        interest: Interest,
        op: impl FnOnce() -> io::Result<R>,
    ) -> io::Result<R> {
        // Only the readiness bits decide, as in Tokio: after the driver shut down, readiness
        // observed before still lets the syscall run (and report what the socket holds); with
        // none, the caller gets `WouldBlock` and its next wait reports the shutdown.
        let ready = self.io.ready_now(interest);
        let Some(event) = ready.filter(|event| !event.ready().is_empty()) else {
            return Err(io::ErrorKind::WouldBlock.into());
        };
        let result = op();
        if matches!(&result, Err(error) if error.kind() == io::ErrorKind::WouldBlock) {
            self.clear_readiness(event);
        }
        result
    }

    /// Waits until the source is ready for `interest`. Any number of tasks may wait at once.
    pub fn readiness(&self, interest: Interest) -> Readiness<'_> {
        Readiness {
            io: &self.io,
            interest,
            waiter: None,
        }
    }

    /// Runs `op` until it does not block, waiting for `interest` between tries. Any number
    /// of tasks may run operations at once. Unlike a bare readiness wait, each operation
    /// spends one unit of the task's cooperative budget (and gives it back if it blocked), so
    /// a loop of sends and receives on an always-ready socket still yields to other tasks.
    pub async fn async_io<R>(
        &self,
        interest: Interest,
        mut op: impl FnMut() -> io::Result<R>,
    ) -> io::Result<R> {
        loop {
            let event = self.readiness(interest).await?;
            let budget = std::future::poll_fn(coop::poll_proceed).await;
            match op() {
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.clear_readiness(event);
                }
                result => {
                    budget.made_progress();
                    return result;
                }
            }
        }
    }
}

fn checked(event: ReadyEvent) -> io::Result<ReadyEvent> {
    if event.is_shutdown() {
        Err(shutdown_error())
    } else {
        Ok(event)
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.handle.release(self.token);
    }
}

impl fmt::Debug for Registration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registration")
            .field("token", &self.token)
            .field("io", &self.io)
            .finish()
    }
}

/// The future of [`Registration::readiness`].
#[must_use = "futures do nothing unless polled"]
pub struct Readiness<'a> {
    io: &'a ScheduledIo,
    interest: Interest,
    waiter: Option<u64>,
}

impl Future for Readiness<'_> {
    type Output = io::Result<ReadyEvent>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        // Unlike the `poll_*_ready` path this spends no budget, as in Tokio: a task that only
        // checks readiness (`writable().await` before each `try_write`) is not made to yield.
        let event = ready!(this.io.poll_interest(cx, this.interest, &mut this.waiter));
        Poll::Ready(checked(event))
    }
}

impl Drop for Readiness<'_> {
    fn drop(&mut self) {
        self.io.cancel_waiter(&mut self.waiter);
    }
}

impl fmt::Debug for Readiness<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Readiness")
            .field("interest", &self.interest)
            .finish_non_exhaustive()
    }
}
