//! `SetOnce`: a cell that is written once, and that tasks can wait on until it is.
//!
//! The value sits in an `UnsafeCell<Option<T>>` guarded by one state word that only moves
//! forward: `EMPTY`, then `WRITING` (one setter won the compare-and-swap and is the only party
//! allowed to touch the cell), then `SET` (stored with `Release` after the write). Readers read
//! the cell only after seeing `SET` with `Acquire`, and nobody writes it after that, so a read
//! never meets a write. A second `set` that arrives while the first is writing fails at once,
//! as it would a moment later. Waiters sleep on a [`Notify`]: the setter calls
//! `notify_waiters` after publishing `SET`, and a waiter checks the state again after it has
//! enabled its `Notified` (which then cannot miss that call), so no wake-up is lost.
//!
//! Unlike [`OnceCell`](crate::OnceCell), nothing here runs an initializer: the cell is an event
//! that carries a value.

use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::notify::Notify;
use std::cell::UnsafeCell;
use std::error::Error;
use std::fmt;
use std::pin::pin;

const EMPTY: usize = 0;
const WRITING: usize = 1;
const SET: usize = 2;

/// A thread-safe cell written at most once, that tasks can [`wait`](SetOnce::wait) on.
///
/// ```
/// use eddy_sync::SetOnce;
/// use std::sync::Arc;
///
/// let ready = Arc::new(SetOnce::new());
/// let setter = ready.clone();
/// std::thread::spawn(move || setter.set("configured").unwrap());
/// # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
/// assert_eq!(*ready.wait().await, "configured");
/// assert!(ready.set("again").is_err());
/// # });
/// ```
pub struct SetOnce<T> {
    state: AtomicUsize,
    value: UnsafeCell<Option<T>>,
    notify: Notify,
}

// SAFETY: the cell owns a `T` and drops it on whichever thread drops the cell: `T: Send`.
unsafe impl<T: Send> Send for SetOnce<T> {}
// SAFETY: shared access hands `&T` to many threads (`T: Sync`) and lets any thread store a `T`
// made on it (`T: Send`); the state word orders the one write before every read (module docs).
unsafe impl<T: Send + Sync> Sync for SetOnce<T> {}

/// The error of [`SetOnce::set`]: the cell already held a value (or was being written); the
/// rejected value comes back.
#[derive(Debug, PartialEq, Eq)]
pub struct SetOnceError<T>(pub T);

impl<T> fmt::Display for SetOnceError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SetOnceError")
    }
}

impl<T: fmt::Debug> Error for SetOnceError<T> {}

impl<T> SetOnce<T> {
    /// An empty cell.
    pub fn new() -> Self {
        SetOnce::with_state(EMPTY, None)
    }

    /// An empty cell usable in a `static`.
    #[cfg(not(loom))]
    pub const fn const_new() -> Self {
        SetOnce {
            state: AtomicUsize::new(EMPTY),
            value: UnsafeCell::new(None),
            notify: Notify::const_new(),
        }
    }

    /// A cell holding `value`, usable in a `static`.
    #[cfg(not(loom))]
    pub const fn const_new_with(value: T) -> Self {
        SetOnce {
            state: AtomicUsize::new(SET),
            value: UnsafeCell::new(Some(value)),
            notify: Notify::const_new(),
        }
    }

    /// A cell holding `value` if it is `Some`, empty otherwise.
    pub fn new_with(value: Option<T>) -> Self {
        match value {
            Some(value) => SetOnce::from(value),
            None => SetOnce::new(),
        }
    }

    fn with_state(state: usize, value: Option<T>) -> Self {
        SetOnce {
            state: AtomicUsize::new(state),
            value: UnsafeCell::new(value),
            notify: Notify::new(),
        }
    }

    /// Whether the value is set.
    pub fn initialized(&self) -> bool {
        self.state.load(Ordering::Acquire) == SET
    }

    /// The value, if it is set.
    pub fn get(&self) -> Option<&T> {
        if !self.initialized() {
            return None;
        }
        // SAFETY: `SET` was seen with `Acquire`, after the setter's last write (`Release`); the
        // cell is never written again while `&self` lives.
        unsafe { (*self.value.get()).as_ref() }
    }

    /// Sets the value and wakes every waiter, or hands `value` back if the cell already holds
    /// one (or another thread is storing one right now).
    pub fn set(&self, value: T) -> Result<(), SetOnceError<T>> {
        if self
            .state
            .compare_exchange(EMPTY, WRITING, Ordering::Acquire, Ordering::Acquire)
            .is_err()
        {
            return Err(SetOnceError(value));
        }
        // SAFETY: we moved the state from `EMPTY` to `WRITING`: nobody else writes the cell, and
        // readers wait for `SET`.
        unsafe { *self.value.get() = Some(value) };
        self.state.store(SET, Ordering::Release);
        self.notify.notify_waiters();
        Ok(())
    }

    /// Takes the value out of the cell, if it is set.
    pub fn into_inner(self) -> Option<T> {
        self.value.into_inner()
    }

    /// Waits until the value is set, and returns it.
    ///
    /// Cancel safety: cancel safe.
    pub async fn wait(&self) -> &T {
        loop {
            if let Some(value) = self.get() {
                return value;
            }
            let mut notified = pin!(self.notify.notified());
            notified.as_mut().enable();
            if let Some(value) = self.get() {
                return value;
            }
            notified.await;
        }
    }
}

impl<T> Default for SetOnce<T> {
    fn default() -> Self {
        SetOnce::new()
    }
}

impl<T> From<T> for SetOnce<T> {
    fn from(value: T) -> Self {
        SetOnce::with_state(SET, Some(value))
    }
}

impl<T: Clone> Clone for SetOnce<T> {
    fn clone(&self) -> Self {
        SetOnce::new_with(self.get().cloned())
    }
}

impl<T: PartialEq> PartialEq for SetOnce<T> {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl<T: Eq> Eq for SetOnce<T> {}

impl<T: fmt::Debug> fmt::Debug for SetOnce<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetOnce")
            .field("value", &self.get())
            .finish()
    }
}
