//! [`AsyncFdRegisterError`]: a failed registration that hands the value back.

use std::error::Error;
use std::fmt;
use std::io;

/// The error of [`AsyncFd::register`](crate::AsyncFd::register) and
/// [`AsyncFd::register_with_interest`](crate::AsyncFd::register_with_interest): why registering
/// failed, together with the value that was to be registered, so that it is not lost.
pub struct AsyncFdRegisterError<T> {
    inner: T,
    cause: io::Error,
}

/// The old name of [`AsyncFdRegisterError`], kept for code written before `register`.
#[doc(hidden)]
#[deprecated(note = "renamed to `AsyncFdRegisterError`")]
pub type AsyncFdTryNewError<T> = AsyncFdRegisterError<T>;

impl<T> AsyncFdRegisterError<T> {
    pub(crate) fn new(inner: T, cause: io::Error) -> Self {
        AsyncFdRegisterError { inner, cause }
    }

    /// The value given to `register` (or `register_with_interest`), and the error that stopped
    /// it being registered.
    pub fn into_parts(self) -> (T, io::Error) {
        (self.inner, self.cause)
    }
}

impl<T> fmt::Display for AsyncFdRegisterError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.cause, f)
    }
}

/// Shows the cause only, as Tokio does: `T` need not be `Debug`.
impl<T> fmt::Debug for AsyncFdRegisterError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.cause, f)
    }
}

impl<T> Error for AsyncFdRegisterError<T> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.cause)
    }
}

impl<T> From<AsyncFdRegisterError<T>> for io::Error {
    fn from(error: AsyncFdRegisterError<T>) -> io::Error {
        error.cause
    }
}
