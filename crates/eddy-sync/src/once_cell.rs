//! `OnceCell`: a cell written at most once, with asynchronous initialization.
//!
//! The value sits in an `UnsafeCell<Option<T>>` next to an `initialized` flag, and a one-permit
//! [`Semaphore`](crate::batch_semaphore) serializes initializers. Whoever holds the permit may
//! write the cell; once written, the flag is set (`Release`) and the semaphore closed for good,
//! so every waiting and later initializer fails to acquire and reads the value instead. Readers
//! read the cell only after seeing the flag (`Acquire`), and nobody writes it after that, so the
//! cell is never written while read. An initializer that is cancelled or fails drops its permit,
//! and the next waiting initializer gets its turn.

use crate::batch_semaphore::{Semaphore, TryAcquireError};
use crate::loom::sync::atomic::{AtomicBool, Ordering};
use std::cell::UnsafeCell;
use std::error::Error;
use std::fmt;
use std::future::Future;

/// A thread-safe cell written once. See the module docs.
///
/// ```
/// use eddy_sync::OnceCell;
///
/// static CONFIG: OnceCell<u32> = OnceCell::const_new();
///
/// # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
/// let value = CONFIG.get_or_init(|| async { 42 }).await;
/// assert_eq!(*value, 42);
/// assert_eq!(CONFIG.get(), Some(&42));
/// # });
/// ```
pub struct OnceCell<T> {
    initialized: AtomicBool,
    value: UnsafeCell<Option<T>>,
    semaphore: Semaphore,
}

// SAFETY: the cell moves `T` into the thread that drops it: `T: Send`.
unsafe impl<T: Send> Send for OnceCell<T> {}
// SAFETY: shared access hands `&T` to many threads (`T: Sync`) and lets one thread store a `T`
// made elsewhere (`T: Send`).
unsafe impl<T: Send + Sync> Sync for OnceCell<T> {}

/// Why [`OnceCell::set`] failed; the value comes back.
#[derive(PartialEq, Eq)]
pub enum SetError<T> {
    /// The cell already holds a value.
    AlreadyInitializedError(T),
    /// Another task is initializing the cell right now.
    InitializingError(T),
}

impl<T> SetError<T> {
    /// Whether the cell already held a value.
    pub fn is_already_init_err(&self) -> bool {
        matches!(self, SetError::AlreadyInitializedError(_))
    }

    /// Whether another task was initializing the cell.
    pub fn is_initializing_err(&self) -> bool {
        matches!(self, SetError::InitializingError(_))
    }
}

impl<T> fmt::Debug for SetError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetError::AlreadyInitializedError(_) => write!(f, "AlreadyInitializedError(..)"),
            SetError::InitializingError(_) => write!(f, "InitializingError(..)"),
        }
    }
}

impl<T> fmt::Display for SetError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetError::AlreadyInitializedError(_) => write!(f, "cell already initialized"),
            SetError::InitializingError(_) => write!(f, "cell is being initialized"),
        }
    }
}

impl<T> Error for SetError<T> {}

/// Gives the permit back unless initialization completed (then the semaphore is closed).
struct InitPermit<'a>(&'a Semaphore);

impl Drop for InitPermit<'_> {
    fn drop(&mut self) {
        self.0.release(1);
    }
}

impl<T> OnceCell<T> {
    /// An empty cell.
    pub fn new() -> Self {
        OnceCell {
            initialized: AtomicBool::new(false),
            value: UnsafeCell::new(None),
            semaphore: Semaphore::new(1),
        }
    }

    /// An empty cell usable in a `static`.
    #[cfg(not(loom))]
    pub const fn const_new() -> Self {
        OnceCell {
            initialized: AtomicBool::new(false),
            value: UnsafeCell::new(None),
            semaphore: Semaphore::new(1),
        }
    }

    /// A cell holding `value` if it is `Some`.
    pub fn new_with(value: Option<T>) -> Self {
        match value {
            Some(value) => OnceCell::from(value),
            None => OnceCell::new(),
        }
    }

    /// A cell holding `value`, usable in a `static`.
    #[cfg(not(loom))]
    pub const fn const_new_with(value: T) -> Self {
        let semaphore = Semaphore::new(0);
        OnceCell {
            initialized: AtomicBool::new(true),
            value: UnsafeCell::new(Some(value)),
            semaphore,
        }
    }

    /// Whether the cell holds a value.
    pub fn initialized(&self) -> bool {
        self.initialized.load(Ordering::Acquire)
    }

    /// The value, if set.
    pub fn get(&self) -> Option<&T> {
        if !self.initialized() {
            return None;
        }
        // SAFETY: `initialized` (Acquire) says the value was written, and nobody writes it again
        // while the cell is shared.
        unsafe { (*self.value.get()).as_ref() }
    }

    /// The value, through exclusive access.
    pub fn get_mut(&mut self) -> Option<&mut T> {
        self.value.get_mut().as_mut()
    }

    /// Stores the value held by this permit's owner, and closes the door behind it.
    fn store(&self, permit: InitPermit<'_>, value: T) -> &T {
        // SAFETY: we hold the only permit and `initialized` is not set: nobody reads or writes
        // the cell now.
        unsafe { *self.value.get() = Some(value) };
        self.initialized.store(true, Ordering::Release);
        std::mem::forget(permit);
        self.semaphore.close();
        self.get().expect("the value was just stored")
    }

    /// Stores `value` if the cell is empty and nobody is initializing it.
    pub fn set(&self, value: T) -> Result<(), SetError<T>> {
        if self.initialized() {
            return Err(SetError::AlreadyInitializedError(value));
        }
        match self.semaphore.try_acquire(1) {
            Ok(()) => {
                self.store(InitPermit(&self.semaphore), value);
                Ok(())
            }
            Err(TryAcquireError::NoPermits) => Err(SetError::InitializingError(value)),
            Err(TryAcquireError::Closed) => Err(SetError::AlreadyInitializedError(value)),
        }
    }

    /// The value, initializing it with `f` if the cell is empty. Concurrent callers wait for the
    /// one initializer; if it is cancelled, the next caller in line runs its own `f`.
    ///
    /// Cancel safety: cancel safe; a cancelled initializer leaves the cell empty.
    pub async fn get_or_init<F, Fut>(&self, f: F) -> &T
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = T>,
    {
        match self
            .get_or_try_init(|| async { Ok::<T, std::convert::Infallible>(f().await) })
            .await
        {
            Ok(value) => value,
            Err(never) => match never {},
        }
    }

    /// The value, initializing it with `f` if the cell is empty; an error from `f` leaves the
    /// cell empty and is returned.
    ///
    /// Cancel safety: cancel safe; a cancelled initializer leaves the cell empty.
    pub async fn get_or_try_init<E, F, Fut>(&self, f: F) -> Result<&T, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        if let Some(value) = self.get() {
            return Ok(value);
        }
        if self.semaphore.acquire(1).await.is_err() {
            // Closed: someone finished initializing.
            return Ok(self
                .get()
                .expect("a closed cell semaphore means initialized"));
        }
        let permit = InitPermit(&self.semaphore);
        if let Some(value) = self.get() {
            return Ok(value);
        }
        let value = f().await?;
        Ok(self.store(permit, value))
    }

    /// The value, consuming the cell.
    pub fn into_inner(self) -> Option<T> {
        self.value.into_inner()
    }

    /// Takes the value out, leaving the cell empty.
    pub fn take(&mut self) -> Option<T> {
        std::mem::take(self).into_inner()
    }
}

impl<T> Default for OnceCell<T> {
    fn default() -> Self {
        OnceCell::new()
    }
}

impl<T> From<T> for OnceCell<T> {
    fn from(value: T) -> Self {
        OnceCell {
            initialized: AtomicBool::new(true),
            value: UnsafeCell::new(Some(value)),
            semaphore: Semaphore::new(0),
        }
    }
}

impl<T: Clone> Clone for OnceCell<T> {
    fn clone(&self) -> Self {
        OnceCell::new_with(self.get().cloned())
    }
}

impl<T: PartialEq> PartialEq for OnceCell<T> {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl<T: Eq> Eq for OnceCell<T> {}

impl<T: fmt::Debug> fmt::Debug for OnceCell<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnceCell")
            .field("value", &self.get())
            .finish()
    }
}
