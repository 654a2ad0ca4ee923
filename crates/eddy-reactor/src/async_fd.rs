//! [`AsyncFd`]: readiness for any file descriptor, with guards that clear it.

use crate::driver::Handle;
use crate::interest::Interest;
use crate::ready::Ready;
use crate::register_error::AsyncFdRegisterError;
use crate::registration::Registration;
use crate::scheduled_io::ReadyEvent;
use std::error::Error;
use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::task::{Context, Poll};

/// A file descriptor registered with the reactor, for I/O the caller does itself.
///
/// Wait for readiness with [`readable`](AsyncFd::readable) or
/// [`writable`](AsyncFd::writable), try the operation, and on `WouldBlock` call
/// [`clear_ready`](AsyncFdReadyGuard::clear_ready) on the guard (or use
/// [`try_io`](AsyncFdReadyGuard::try_io), which does that for you). The descriptor must be
/// non-blocking. Dropping the `AsyncFd` deregisters it and drops the inner value.
pub struct AsyncFd<T: AsRawFd> {
    registration: Registration,
    inner: Option<T>,
}

/// Readiness observed through a shared [`AsyncFd`].
#[must_use = "the readiness stays set unless cleared through the guard"]
pub struct AsyncFdReadyGuard<'a, T: AsRawFd> {
    async_fd: &'a AsyncFd<T>,
    observed: Observed,
}

/// Readiness observed through an exclusive [`AsyncFd`].
#[must_use = "the readiness stays set unless cleared through the guard"]
pub struct AsyncFdReadyMutGuard<'a, T: AsRawFd> {
    async_fd: &'a mut AsyncFd<T>,
    observed: Observed,
}

/// The operation passed to `try_io` would have blocked; the readiness was cleared.
#[derive(Debug)]
pub struct TryIoError(());

impl fmt::Display for TryIoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the operation would block")
    }
}

impl Error for TryIoError {}

/// Registers a raw descriptor with mio without owning it.
fn source(fd: &RawFd) -> mio::unix::SourceFd<'_> {
    mio::unix::SourceFd(fd)
}

impl<T: AsRawFd> AsyncFd<T> {
    /// Registers `inner` for reads and writes with the current reactor. On failure the error
    /// gives `inner` back ([`AsyncFdRegisterError::into_parts`]).
    ///
    /// # Safety
    ///
    /// `inner.as_raw_fd()` must be an open descriptor, and keep returning that same descriptor,
    /// open and naming the same open file description, until the `AsyncFd` is dropped, turned
    /// back with [`into_inner`](AsyncFd::into_inner) or forgotten. [`AsFd`] for `AsyncFd`
    /// borrows the descriptor on the strength of this promise.
    ///
    /// # Panics
    ///
    /// Outside a runtime, or in a runtime built without I/O.
    #[track_caller]
    pub unsafe fn register(inner: T) -> Result<Self, AsyncFdRegisterError<T>> {
        AsyncFd::register_checked(inner, Interest::READABLE | Interest::WRITABLE)
    }

    /// Like [`register`](AsyncFd::register), for the readiness in `interest` only.
    ///
    /// # Safety
    ///
    /// The same promise as [`register`](AsyncFd::register).
    ///
    /// # Panics
    ///
    /// Outside a runtime, or in a runtime built without I/O.
    #[track_caller]
    pub unsafe fn register_with_interest(
        inner: T,
        interest: Interest,
    ) -> Result<Self, AsyncFdRegisterError<T>> {
        AsyncFd::register_checked(inner, interest)
    }

    /// Registers `inner` for reads and writes with the current reactor.
    ///
    /// Safe to call, but the descriptor must stay open as [`register`](AsyncFd::register)
    /// requires, which the compiler cannot check: prefer `register`.
    ///
    /// # Panics
    ///
    /// Outside a runtime, or in a runtime built without I/O.
    #[track_caller]
    #[deprecated(note = "cannot guarantee the descriptor stays open; use `AsyncFd::register`")]
    pub fn new(inner: T) -> io::Result<Self> {
        Ok(AsyncFd::register_checked(
            inner,
            Interest::READABLE | Interest::WRITABLE,
        )?)
    }

    /// Registers `inner` for `interest` with the current reactor. See [`new`](AsyncFd::new).
    ///
    /// # Panics
    ///
    /// Outside a runtime, or in a runtime built without I/O.
    #[track_caller]
    #[deprecated(
        note = "cannot guarantee the descriptor stays open; use `AsyncFd::register_with_interest`"
    )]
    pub fn with_interest(inner: T, interest: Interest) -> io::Result<Self> {
        Ok(AsyncFd::register_checked(inner, interest)?)
    }

    /// Registers `inner` for `interest` with the reactor of `handle` (eddy only). The
    /// descriptor must stay open as [`register`](AsyncFd::register) requires.
    pub fn with_interest_and_handle(
        inner: T,
        interest: Interest,
        handle: Handle,
    ) -> io::Result<Self> {
        Ok(AsyncFd::register_with_handle(inner, interest, handle)?)
    }

    /// Like the deprecated [`new`](AsyncFd::new), but a failure gives `inner` back.
    ///
    /// # Panics
    ///
    /// Outside a runtime, or in a runtime built without I/O.
    #[track_caller]
    #[deprecated(note = "cannot guarantee the descriptor stays open; use `AsyncFd::register`")]
    pub fn try_new(inner: T) -> Result<Self, AsyncFdRegisterError<T>> {
        AsyncFd::register_checked(inner, Interest::READABLE | Interest::WRITABLE)
    }

    /// Like the deprecated [`with_interest`](AsyncFd::with_interest), but a failure gives
    /// `inner` back.
    ///
    /// # Panics
    ///
    /// Outside a runtime, or in a runtime built without I/O.
    #[track_caller]
    #[deprecated(
        note = "cannot guarantee the descriptor stays open; use `AsyncFd::register_with_interest`"
    )]
    pub fn try_with_interest(
        inner: T,
        interest: Interest,
    ) -> Result<Self, AsyncFdRegisterError<T>> {
        AsyncFd::register_checked(inner, interest)
    }

    /// What every constructor does with the current reactor; the promise about the
    /// descriptor is the caller's.
    #[track_caller]
    fn register_checked(inner: T, interest: Interest) -> Result<Self, AsyncFdRegisterError<T>> {
        AsyncFd::register_with_handle(inner, interest, Handle::current())
    }

    fn register_with_handle(
        inner: T,
        interest: Interest,
        handle: Handle,
    ) -> Result<Self, AsyncFdRegisterError<T>> {
        let fd = inner.as_raw_fd();
        match Registration::new_with_handle(&mut source(&fd), interest, handle) {
            Ok(registration) => Ok(AsyncFd {
                registration,
                inner: Some(inner),
            }),
            Err(cause) => Err(AsyncFdRegisterError::new(inner, cause)),
        }
    }

    /// The inner value.
    pub fn get_ref(&self) -> &T {
        self.inner.as_ref().expect("eddy: present until drop")
    }

    /// The inner value, mutably.
    pub fn get_mut(&mut self) -> &mut T {
        self.inner.as_mut().expect("eddy: present until drop")
    }

    /// Deregisters the descriptor and returns the inner value.
    pub fn into_inner(mut self) -> T {
        self.take_inner().expect("eddy: present until drop")
    }

    fn take_inner(&mut self) -> Option<T> {
        let inner = self.inner.take()?;
        let fd = inner.as_raw_fd();
        // Deregistration fails only if the fd is already gone from epoll; nothing to undo.
        let _ = self.registration.deregister(&mut source(&fd));
        Some(inner)
    }

    /// Polls for read readiness (one waiting task at a time).
    pub fn poll_read_ready<'a>(
        &'a self,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<AsyncFdReadyGuard<'a, T>>> {
        self.registration
            .poll_read_ready(cx)
            .map_ok(|event| self.guard(event))
    }

    /// Polls for write readiness (one waiting task at a time).
    pub fn poll_write_ready<'a>(
        &'a self,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<AsyncFdReadyGuard<'a, T>>> {
        self.registration
            .poll_write_ready(cx)
            .map_ok(|event| self.guard(event))
    }

    /// Polls for read readiness, with a guard that gives `&mut` access.
    pub fn poll_read_ready_mut<'a>(
        &'a mut self,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<AsyncFdReadyMutGuard<'a, T>>> {
        let polled = self.registration.poll_read_ready(cx);
        polled.map_ok(|event| self.guard_mut(event))
    }

    /// Polls for write readiness, with a guard that gives `&mut` access.
    pub fn poll_write_ready_mut<'a>(
        &'a mut self,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<AsyncFdReadyMutGuard<'a, T>>> {
        let polled = self.registration.poll_write_ready(cx);
        polled.map_ok(|event| self.guard_mut(event))
    }

    /// Waits for any readiness in `interest`.
    pub async fn ready(&self, interest: Interest) -> io::Result<AsyncFdReadyGuard<'_, T>> {
        let event = self.registration.readiness(interest).await?;
        Ok(self.guard(event))
    }

    /// Waits for any readiness in `interest`, with a guard that gives `&mut` access.
    pub async fn ready_mut(
        &mut self,
        interest: Interest,
    ) -> io::Result<AsyncFdReadyMutGuard<'_, T>> {
        let event = self.registration.readiness(interest).await?;
        Ok(self.guard_mut(event))
    }

    fn guard(&self, event: ReadyEvent) -> AsyncFdReadyGuard<'_, T> {
        AsyncFdReadyGuard {
            async_fd: self,
            observed: Observed::new(event),
        }
    }

    fn guard_mut(&mut self, event: ReadyEvent) -> AsyncFdReadyMutGuard<'_, T> {
        AsyncFdReadyMutGuard {
            async_fd: self,
            observed: Observed::new(event),
        }
    }

    /// Waits until the descriptor is readable.
    pub async fn readable(&self) -> io::Result<AsyncFdReadyGuard<'_, T>> {
        self.ready(Interest::READABLE).await
    }

    /// Waits until the descriptor is readable, with `&mut` access.
    pub async fn readable_mut(&mut self) -> io::Result<AsyncFdReadyMutGuard<'_, T>> {
        self.ready_mut(Interest::READABLE).await
    }

    /// Waits until the descriptor is writable.
    pub async fn writable(&self) -> io::Result<AsyncFdReadyGuard<'_, T>> {
        self.ready(Interest::WRITABLE).await
    }

    /// Waits until the descriptor is writable, with `&mut` access.
    pub async fn writable_mut(&mut self) -> io::Result<AsyncFdReadyMutGuard<'_, T>> {
        self.ready_mut(Interest::WRITABLE).await
    }

    /// Runs `f` until it does not block, waiting for `interest` between tries.
    pub async fn async_io<R>(
        &self,
        interest: Interest,
        mut f: impl FnMut(&T) -> io::Result<R>,
    ) -> io::Result<R> {
        let inner = self.get_ref();
        self.registration.async_io(interest, || f(inner)).await
    }

    /// Runs `f` until it does not block, with `&mut` access to the inner value.
    pub async fn async_io_mut<R>(
        &mut self,
        interest: Interest,
        mut f: impl FnMut(&mut T) -> io::Result<R>,
    ) -> io::Result<R> {
        let inner = self.inner.as_mut().expect("eddy: present until drop");
        self.registration.async_io(interest, || f(inner)).await
    }

    /// Runs `f` once if the descriptor is ready for `interest`, clearing the readiness if it
    /// would block.
    pub fn try_io<R>(
        &self,
        interest: Interest,
        f: impl FnOnce(&T) -> io::Result<R>,
    ) -> io::Result<R> {
        self.registration.try_io(interest, || f(self.get_ref()))
    }

    /// Like [`try_io`](AsyncFd::try_io), with `&mut` access to the inner value.
    pub fn try_io_mut<R>(
        &mut self,
        interest: Interest,
        f: impl FnOnce(&mut T) -> io::Result<R>,
    ) -> io::Result<R> {
        let inner = self.inner.as_mut().expect("eddy: present until drop");
        self.registration.try_io(interest, || f(inner))
    }
}

impl<T: AsRawFd> AsRawFd for AsyncFd<T> {
    fn as_raw_fd(&self) -> RawFd {
        self.get_ref().as_raw_fd()
    }
}

impl<T: AsRawFd> AsFd for AsyncFd<T> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        // SAFETY: every constructor requires (`register`'s contract; the deprecated safe ones
        // document the same requirement) that the descriptor stays open and the same until the
        // `AsyncFd` is dropped or unwrapped, which the borrow of `self` outlives.
        unsafe { BorrowedFd::borrow_raw(self.as_raw_fd()) }
    }
}

impl<T: AsRawFd> Drop for AsyncFd<T> {
    fn drop(&mut self) {
        drop(self.take_inner());
    }
}

impl<T: AsRawFd + fmt::Debug> fmt::Debug for AsyncFd<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncFd")
            .field("inner", &self.inner)
            .finish()
    }
}

/// What both guards share: the readiness they observed, until it is cleared.
#[derive(Clone, Copy)]
struct Observed(Option<ReadyEvent>);

impl Observed {
    fn new(event: ReadyEvent) -> Observed {
        Observed(Some(event))
    }

    fn ready(self) -> Ready {
        self.0.map_or(Ready::EMPTY, |event| event.ready())
    }

    /// Clears the states in `matching` (all if `None`) of the observed readiness; the guard
    /// goes on reporting the states it did not clear.
    fn clear(&mut self, registration: &Registration, matching: Option<Ready>) {
        let Some(observed) = self.0.take() else {
            return;
        };
        let cleared = matching.map_or(observed.ready(), |ready| observed.ready() & ready);
        registration.clear_readiness(observed.with_ready(cleared));
        let kept = observed.ready() - cleared;
        self.0 = (!kept.is_empty()).then(|| observed.with_ready(kept));
    }

    /// The outcome of a guard's `try_io`: `WouldBlock` clears the readiness and becomes `Err`.
    fn try_io<R>(
        &mut self,
        registration: &Registration,
        result: io::Result<R>,
    ) -> Result<io::Result<R>, TryIoError> {
        match result {
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                self.clear(registration, None);
                Err(TryIoError(()))
            }
            result => Ok(result),
        }
    }
}

/// The readiness methods both guard types have, over their `async_fd` and `observed` fields.
macro_rules! guard_readiness_methods {
    () => {
        /// Forgets the observed readiness: the next wait blocks until the OS reports new
        /// readiness. Call it after an operation returned `WouldBlock`.
        pub fn clear_ready(&mut self) {
            self.observed.clear(&self.async_fd.registration, None);
        }

        /// Forgets only the states in `ready` of the observed readiness.
        pub fn clear_ready_matching(&mut self, ready: Ready) {
            self.observed
                .clear(&self.async_fd.registration, Some(ready));
        }

        /// Keeps the readiness set (what dropping the guard does anyway).
        pub fn retain_ready(&mut self) {}

        /// The readiness this guard observed.
        pub fn ready(&self) -> Ready {
            self.observed.ready()
        }
    };
}

impl<'a, T: AsRawFd> AsyncFdReadyGuard<'a, T> {
    guard_readiness_methods!();

    /// Runs `f`; if it returns `WouldBlock`, clears the readiness and returns `Err`.
    pub fn try_io<R>(
        &mut self,
        f: impl FnOnce(&'a AsyncFd<T>) -> io::Result<R>,
    ) -> Result<io::Result<R>, TryIoError> {
        let result = f(self.async_fd);
        self.observed.try_io(&self.async_fd.registration, result)
    }

    /// The `AsyncFd` this guard came from.
    pub fn get_ref(&self) -> &'a AsyncFd<T> {
        self.async_fd
    }

    /// The inner value of the `AsyncFd`.
    pub fn get_inner(&self) -> &'a T {
        self.async_fd.get_ref()
    }
}

impl<T: AsRawFd> AsyncFdReadyMutGuard<'_, T> {
    guard_readiness_methods!();

    /// Runs `f`; if it returns `WouldBlock`, clears the readiness and returns `Err`.
    pub fn try_io<R>(
        &mut self,
        f: impl FnOnce(&mut AsyncFd<T>) -> io::Result<R>,
    ) -> Result<io::Result<R>, TryIoError> {
        let result = f(self.async_fd);
        self.observed.try_io(&self.async_fd.registration, result)
    }

    /// The `AsyncFd` this guard came from.
    pub fn get_ref(&self) -> &AsyncFd<T> {
        self.async_fd
    }

    /// The `AsyncFd` this guard came from, mutably.
    pub fn get_mut(&mut self) -> &mut AsyncFd<T> {
        self.async_fd
    }

    /// The inner value.
    pub fn get_inner(&self) -> &T {
        self.async_fd.get_ref()
    }

    /// The inner value, mutably.
    pub fn get_inner_mut(&mut self) -> &mut T {
        self.async_fd.get_mut()
    }
}

impl<T: AsRawFd + fmt::Debug> fmt::Debug for AsyncFdReadyGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncFdReadyGuard")
            .field("async_fd", self.async_fd)
            .field("ready", &self.ready())
            .finish()
    }
}

impl<T: AsRawFd + fmt::Debug> fmt::Debug for AsyncFdReadyMutGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncFdReadyMutGuard")
            .field("async_fd", &*self.async_fd)
            .field("ready", &self.ready())
            .finish()
    }
}
