//! `RwLock`: an asynchronous reader-writer lock, fair and write-preferring.
//!
//! The lock is a [`batch_semaphore`](crate::batch_semaphore) holding `max_readers` permits. A
//! reader takes one permit, a writer takes all of them. Because the semaphore serves its queue in
//! FIFO order and a queued writer holds back every request behind it, a stream of readers
//! cannot starve a writer. A guard exists exactly while its permits are held, which is the
//! invariant every `unsafe` dereference in the guards rests on.

mod owned_read_guard;
mod owned_write_guard;
mod owned_write_guard_mapped;
mod read_guard;
mod write_guard;
mod write_guard_mapped;

pub use owned_read_guard::OwnedRwLockReadGuard;
pub use owned_write_guard::OwnedRwLockWriteGuard;
pub use owned_write_guard_mapped::OwnedRwLockMappedWriteGuard;
pub use read_guard::RwLockReadGuard;
pub use write_guard::RwLockWriteGuard;
pub use write_guard_mapped::RwLockMappedWriteGuard;

use crate::batch_semaphore::Semaphore;
use crate::error::TryLockError;
use crate::trace::{Resource, Source};
use crate::util::block_on;
use std::cell::UnsafeCell;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

/// The most readers a lock may allow at once.
const MAX_READS: u32 = u32::MAX >> 3;

/// An asynchronous reader-writer lock. See the module docs.
///
/// ```
/// use eddy_sync::RwLock;
///
/// # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
/// let lock = RwLock::new(5);
/// {
///     let (r1, r2) = (lock.read().await, lock.read().await);
///     assert_eq!(*r1 + *r2, 10);
/// }
/// *lock.write().await += 1;
/// assert_eq!(*lock.read().await, 6);
/// # });
/// ```
pub struct RwLock<T: ?Sized> {
    max_readers: u32,
    semaphore: Semaphore,
    data: UnsafeCell<T>,
}

// SAFETY: the lock moves `T` between threads (a writer anywhere): `T: Send`.
unsafe impl<T: ?Sized + Send> Send for RwLock<T> {}
// SAFETY: shared access hands out `&T` to several threads (`T: Sync`) and `&mut T` to one at a
// time (`T: Send`).
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLock<T> {}

impl<T> RwLock<T> {
    /// A new, unlocked lock allowing up to `u32::MAX >> 3` readers at once.
    #[track_caller]
    pub fn new(value: T) -> RwLock<T> {
        RwLock::with_max_readers(value, MAX_READS)
    }

    /// A new, unlocked lock allowing up to `max_reads` readers at once.
    ///
    /// # Panics
    ///
    /// If `max_reads` is 0 or more than `u32::MAX >> 3`.
    #[track_caller]
    pub fn with_max_readers(value: T, max_reads: u32) -> RwLock<T> {
        assert_max_reads(max_reads);
        RwLock {
            max_readers: max_reads,
            semaphore: Semaphore::new(max_reads as usize).traced(Resource::rwlock(max_reads)),
            data: UnsafeCell::new(value),
        }
    }

    /// A new, unlocked lock usable in a `static`.
    #[cfg(not(loom))]
    pub const fn const_new(value: T) -> RwLock<T> {
        RwLock::const_with_max_readers(value, MAX_READS)
    }

    /// [`with_max_readers`](RwLock::with_max_readers), usable in a `static`.
    #[cfg(not(loom))]
    #[track_caller]
    pub const fn const_with_max_readers(value: T, max_reads: u32) -> RwLock<T> {
        assert_max_reads(max_reads);
        RwLock {
            max_readers: max_reads,
            semaphore: Semaphore::new(max_reads as usize),
            data: UnsafeCell::new(value),
        }
    }

    /// The data, consuming the lock.
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

/// Panics, at the caller's location and with Tokio's words, on a reader limit out of range.
#[track_caller]
const fn assert_max_reads(max_reads: u32) {
    assert!(max_reads > 0, "a RwLock may not be created with 0 readers");
    assert!(
        max_reads <= MAX_READS,
        "a RwLock may not be created with more than 536870911 readers"
    );
}

impl<T: ?Sized> RwLock<T> {
    /// Takes `permits` permits; `source` names the operation for `tracing`.
    ///
    /// The callers report the outcome to `tracing`: a further `async fn` layer here would make
    /// every lock future larger, with the feature or without.
    async fn acquire(&self, permits: u32, source: Source) {
        if self
            .semaphore
            .acquire_traced(permits as usize, source)
            .await
            .is_err()
        {
            unreachable!("a RwLock's semaphore is never closed");
        }
    }

    fn try_acquire(&self, permits: u32) -> Result<(), TryLockError> {
        self.semaphore
            .try_acquire(permits as usize)
            .map_err(|_| TryLockError(()))
    }

    fn try_acquire_read(&self) -> Result<(), TryLockError> {
        self.try_acquire(1)?;
        self.semaphore.resource().reader_added();
        Ok(())
    }

    fn try_acquire_write(&self) -> Result<(), TryLockError> {
        self.try_acquire(self.max_readers)?;
        self.semaphore.resource().write_locked(true);
        Ok(())
    }

    /// Takes a shared read lock, waiting (in FIFO order) behind any queued writer.
    ///
    /// Cancel safety: this method uses a FIFO queue; dropping the future loses the place in it.
    pub async fn read(&self) -> RwLockReadGuard<'_, T> {
        self.acquire(1, Source::new("RwLock::read")).await;
        self.semaphore.resource().reader_added();
        self.read_guard()
    }

    /// [`read`](RwLock::read) from synchronous code, parking the thread.
    ///
    /// # Panics
    ///
    /// When called from a thread that drives eddy's async tasks (inside a task or `block_on`):
    /// blocking there could deadlock. Call it from plain threads or `spawn_blocking`.
    #[track_caller]
    pub fn blocking_read(&self) -> RwLockReadGuard<'_, T> {
        block_on(self.read())
    }

    /// [`read`](RwLock::read) on an `Arc<RwLock<T>>`, giving a guard that keeps the lock alive.
    ///
    /// Cancel safety: as for [`read`](RwLock::read).
    pub async fn read_owned(self: Arc<Self>) -> OwnedRwLockReadGuard<T> {
        self.acquire(1, Source::new("RwLock::read_owned")).await;
        self.semaphore.resource().reader_added();
        OwnedRwLockReadGuard::new(self)
    }

    /// Takes a read lock if no writer holds or waits for the lock.
    pub fn try_read(&self) -> Result<RwLockReadGuard<'_, T>, TryLockError> {
        self.try_acquire_read()?;
        Ok(self.read_guard())
    }

    /// [`try_read`](RwLock::try_read) on an `Arc<RwLock<T>>`.
    pub fn try_read_owned(self: Arc<Self>) -> Result<OwnedRwLockReadGuard<T>, TryLockError> {
        self.try_acquire_read()?;
        Ok(OwnedRwLockReadGuard::new(self))
    }

    /// Takes the exclusive write lock, waiting in FIFO order.
    ///
    /// Cancel safety: as for [`read`](RwLock::read).
    pub async fn write(&self) -> RwLockWriteGuard<'_, T> {
        self.acquire(self.max_readers, Source::new("RwLock::write"))
            .await;
        self.semaphore.resource().write_locked(true);
        self.write_guard()
    }

    /// [`write`](RwLock::write) from synchronous code, parking the thread.
    ///
    /// # Panics
    ///
    /// When called from a thread that drives eddy's async tasks (inside a task or `block_on`):
    /// blocking there could deadlock. Call it from plain threads or `spawn_blocking`.
    #[track_caller]
    pub fn blocking_write(&self) -> RwLockWriteGuard<'_, T> {
        block_on(self.write())
    }

    /// [`write`](RwLock::write) on an `Arc<RwLock<T>>`.
    ///
    /// Cancel safety: as for [`read`](RwLock::read).
    pub async fn write_owned(self: Arc<Self>) -> OwnedRwLockWriteGuard<T> {
        self.acquire(self.max_readers, Source::new("RwLock::write_owned"))
            .await;
        self.semaphore.resource().write_locked(true);
        OwnedRwLockWriteGuard::new(self)
    }

    /// Takes the write lock if nobody holds or waits for the lock.
    pub fn try_write(&self) -> Result<RwLockWriteGuard<'_, T>, TryLockError> {
        self.try_acquire_write()?;
        Ok(self.write_guard())
    }

    /// [`try_write`](RwLock::try_write) on an `Arc<RwLock<T>>`.
    pub fn try_write_owned(self: Arc<Self>) -> Result<OwnedRwLockWriteGuard<T>, TryLockError> {
        self.try_acquire_write()?;
        Ok(OwnedRwLockWriteGuard::new(self))
    }

    /// The data, through exclusive access to the lock (no locking needed).
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    fn read_guard(&self) -> RwLockReadGuard<'_, T> {
        RwLockReadGuard {
            semaphore: &self.semaphore,
            data: self.data.get(),
            marker: PhantomData,
        }
    }

    fn write_guard(&self) -> RwLockWriteGuard<'_, T> {
        RwLockWriteGuard {
            permits: self.max_readers,
            semaphore: &self.semaphore,
            data: self.data.get(),
            marker: PhantomData,
        }
    }
}

impl<T: Default> Default for RwLock<T> {
    #[track_caller]
    fn default() -> Self {
        RwLock::new(T::default())
    }
}

impl<T> From<T> for RwLock<T> {
    #[track_caller]
    fn from(value: T) -> Self {
        RwLock::new(value)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("RwLock");
        match self.try_read() {
            Ok(guard) => d.field("data", &&*guard),
            Err(_) => d.field("data", &format_args!("<locked>")),
        };
        d.finish()
    }
}

/// A read guard gives its permit back, reporting it first (see `trace`'s module docs).
#[inline]
fn release_read(semaphore: &Semaphore) {
    semaphore.resource().reader_left();
    semaphore.release(1);
}

/// A write guard gives its `permits` back, reporting it first.
#[inline]
fn release_write(semaphore: &Semaphore, permits: u32) {
    semaphore.resource().write_locked(false);
    semaphore.release(permits as usize);
}

/// A write guard holding `permits` keeps one of them as a read guard.
#[inline]
fn downgrade(semaphore: &Semaphore, permits: u32) {
    semaphore.resource().write_locked(false);
    semaphore.resource().reader_added();
    semaphore.release(permits as usize - 1);
}

/// Implements `Debug` and `Display` for a guard by forwarding to its target.
macro_rules! forward_fmt {
    ($guard:ty, [$($generics:tt)*], $target:ident) => {
        impl<$($generics)*> std::fmt::Debug for $guard
        where
            $target: std::fmt::Debug,
        {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&**self, f)
            }
        }

        impl<$($generics)*> std::fmt::Display for $guard
        where
            $target: std::fmt::Display,
        {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&**self, f)
            }
        }
    };
}
use forward_fmt;
