//! [`AsyncFdTryNewError`]: a failed registration that hands the value back.

use std::error::Error;
use std::fmt;
use std::io;

/// The error of [`AsyncFd::try_new`](crate::AsyncFd::try_new) and
/// [`AsyncFd::try_with_interest`](crate::AsyncFd::try_with_interest): why registering failed,
/// together with the value that was to be registered, so that it is not lost.
pub struct AsyncFdTryNewError<T> {
    inner: T,
    cause: io::Error,
}

impl<T> AsyncFdTryNewError<T> {
    pub(crate) fn new(inner: T, cause: io::Error) -> Self {
        AsyncFdTryNewError { inner, cause }
    }

    /// The value given to `try_new` or `try_with_interest`, and the error that stopped it
    /// being registered.
    pub fn into_parts(self) -> (T, io::Error) {
        (self.inner, self.cause)
    }
}

impl<T> fmt::Display for AsyncFdTryNewError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.cause, f)
    }
}

impl<T> fmt::Debug for AsyncFdTryNewError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncFdTryNewError")
            .field("cause", &self.cause)
            .finish_non_exhaustive()
    }
}

impl<T> Error for AsyncFdTryNewError<T> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.cause)
    }
}

impl<T> From<AsyncFdTryNewError<T>> for io::Error {
    fn from(error: AsyncFdTryNewError<T>) -> io::Error {
        error.cause
    }
}
