//! `Mutex`: an asynchronous mutual-exclusion lock, fair (FIFO) and holdable across `.await`.
//!
//! The lock is a one-permit [`batch_semaphore`](crate::batch_semaphore) next to the data. An
//! uncontended lock and unlock are each one compare-and-swap on the semaphore's word; a
//! contended lock queues in FIFO order. A guard exists exactly while its permit is held, which
//! is the invariant every `unsafe` dereference below rests on.

use crate::batch_semaphore::Semaphore;
use crate::error::TryLockError;
use crate::trace::{Resource, Source};
use crate::util::block_on;
use std::cell::UnsafeCell;
use std::fmt;
use std::marker::PhantomData;
use std::mem::{self, ManuallyDrop};
use std::ops::{Deref, DerefMut};
use std::ptr;
use std::sync::Arc;

/// An asynchronous mutex. See the module docs.
///
/// ```
/// use eddy_sync::Mutex;
///
/// # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
/// let mutex = Mutex::new(1);
/// *mutex.lock().await += 1;
/// assert_eq!(*mutex.lock().await, 2);
/// # });
/// ```
pub struct Mutex<T: ?Sized> {
    semaphore: Semaphore,
    data: UnsafeCell<T>,
}

// SAFETY: the mutex hands the data to one thread at a time, so it moves between threads:
// `T: Send` is what is needed, as for `std::sync::Mutex`.
unsafe impl<T: ?Sized + Send> Send for Mutex<T> {}
// SAFETY: as above: shared access to the mutex only yields exclusive access to `T`.
unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}

/// The lock held on a borrowed [`Mutex`]; released on drop.
#[must_use = "if unused the Mutex will immediately unlock"]
pub struct MutexGuard<'a, T: ?Sized> {
    lock: &'a Mutex<T>,
}

/// The lock held on an `Arc<Mutex<T>>`; released on drop.
#[must_use = "if unused the Mutex will immediately unlock"]
pub struct OwnedMutexGuard<T: ?Sized> {
    lock: Arc<Mutex<T>>,
}

/// A [`MutexGuard`] narrowed to a part of the data by [`MutexGuard::map`].
#[must_use = "if unused the Mutex will immediately unlock"]
pub struct MappedMutexGuard<'a, T: ?Sized> {
    semaphore: &'a Semaphore,
    data: *mut T,
    marker: PhantomData<&'a mut T>,
}

/// An [`OwnedMutexGuard`] narrowed to a part of the data by [`OwnedMutexGuard::map`].
#[must_use = "if unused the Mutex will immediately unlock"]
pub struct OwnedMappedMutexGuard<T: ?Sized, U: ?Sized = T> {
    data: *mut U,
    lock: Arc<Mutex<T>>,
}

// SAFETY: sharing a guard shares `&T`: needs `T: Sync` (and `Send`, since the guard may be sent
// and drop the lock elsewhere).
unsafe impl<T: ?Sized + Send + Sync> Sync for MutexGuard<'_, T> {}
// SAFETY: as for `MutexGuard`. Without this impl the guard would be `Sync` for any `T: Send`
// (an `Arc<Mutex<T>>` is), handing `&T` of a `!Sync` value to other threads.
unsafe impl<T: ?Sized + Send + Sync> Sync for OwnedMutexGuard<T> {}
// SAFETY: a mapped guard is a `&mut T` plus a permit; sharing it shares only `&T`, and it
// keeps no reference to the mutex's other data, so `T: Sync` is enough (Tokio's bound).
unsafe impl<T: ?Sized + Sync> Sync for MappedMutexGuard<'_, T> {}
// SAFETY: as above; sending it sends the `&mut T`.
unsafe impl<T: ?Sized + Send> Send for MappedMutexGuard<'_, T> {}
// SAFETY: the owned mapped guard holds the `Arc` (needs `T: Send + Sync` to move) and `&mut U`.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Send + Sync> Sync for OwnedMappedMutexGuard<T, U> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send, U: ?Sized + Send> Send for OwnedMappedMutexGuard<T, U> {}

impl<T> Mutex<T> {
    /// A new, unlocked mutex.
    #[track_caller]
    pub fn new(t: T) -> Self {
        Mutex {
            semaphore: Semaphore::new(1).traced(Resource::mutex()),
            data: UnsafeCell::new(t),
        }
    }

    /// A new, unlocked mutex usable in a `static`.
    #[cfg(not(loom))]
    pub const fn const_new(t: T) -> Self {
        Mutex {
            semaphore: Semaphore::new(1),
            data: UnsafeCell::new(t),
        }
    }

    /// The data, consuming the mutex.
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Locks the mutex, waiting in FIFO order if it is held.
    ///
    /// Cancel safety: this method uses a FIFO queue; dropping the future loses the place in it.
    pub async fn lock(&self) -> MutexGuard<'_, T> {
        self.acquire(Source::new("Mutex::lock")).await;
        self.semaphore.resource().locked(true);
        MutexGuard { lock: self }
    }

    /// Locks the mutex from synchronous code, parking the thread meanwhile.
    ///
    /// # Panics
    ///
    /// When called from a thread that drives eddy's async tasks (inside a task or `block_on`):
    /// blocking there could deadlock. Call it from plain threads or `spawn_blocking`.
    #[track_caller]
    pub fn blocking_lock(&self) -> MutexGuard<'_, T> {
        block_on(self.lock())
    }

    /// [`blocking_lock`](Mutex::blocking_lock) for an `Arc<Mutex<T>>`.
    pub fn blocking_lock_owned(self: Arc<Self>) -> OwnedMutexGuard<T> {
        block_on(self.lock_owned())
    }

    /// Locks an `Arc<Mutex<T>>`, giving a guard that keeps the mutex alive.
    ///
    /// Cancel safety: as for [`lock`](Mutex::lock).
    pub async fn lock_owned(self: Arc<Self>) -> OwnedMutexGuard<T> {
        self.acquire(Source::new("Mutex::lock_owned")).await;
        self.semaphore.resource().locked(true);
        OwnedMutexGuard { lock: self }
    }

    /// Takes the semaphore's permit; `source` names the operation for `tracing`.
    ///
    /// The callers report the lock to `tracing`: using `self` after the `.await` here would
    /// keep it in the future, which would then be larger, with the feature or without.
    async fn acquire(&self, source: Source) {
        if self.semaphore.acquire_traced(1, source).await.is_err() {
            unreachable!("a mutex's semaphore is never closed");
        }
    }

    /// Takes the permit if it is free now.
    fn try_acquire(&self) -> Result<(), TryLockError> {
        self.semaphore
            .try_acquire(1)
            .map_err(|_| TryLockError(()))?;
        self.semaphore.resource().locked(true);
        Ok(())
    }

    /// Locks the mutex if it is free now.
    pub fn try_lock(&self) -> Result<MutexGuard<'_, T>, TryLockError> {
        self.try_acquire()?;
        Ok(MutexGuard { lock: self })
    }

    /// Locks an `Arc<Mutex<T>>` if it is free now.
    pub fn try_lock_owned(self: Arc<Self>) -> Result<OwnedMutexGuard<T>, TryLockError> {
        self.try_acquire()?;
        Ok(OwnedMutexGuard { lock: self })
    }

    /// The data, through exclusive access to the mutex (no locking needed).
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }
}

impl<T: Default> Default for Mutex<T> {
    #[track_caller]
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T> From<T> for Mutex<T> {
    #[track_caller]
    fn from(t: T) -> Self {
        Mutex::new(t)
    }
}

/// Gives the permit back, reporting the unlock first (see `trace`'s module docs).
#[inline]
fn unlock(semaphore: &Semaphore) {
    semaphore.resource().locked(false);
    semaphore.release(1);
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Mutex");
        match self.try_lock() {
            Ok(guard) => d.field("data", &&*guard),
            Err(_) => d.field("data", &format_args!("<locked>")),
        };
        d.finish()
    }
}

impl<'a, T: ?Sized> MutexGuard<'a, T> {
    /// Narrows the guard to a part of the data.
    pub fn map<U: ?Sized, F: FnOnce(&mut T) -> &mut U>(
        mut this: Self,
        f: F,
    ) -> MappedMutexGuard<'a, U> {
        let data = f(&mut *this) as *mut U;
        let semaphore = &this.lock.semaphore;
        mem::forget(this);
        MappedMutexGuard {
            semaphore,
            data,
            marker: PhantomData,
        }
    }

    /// Narrows the guard to a part of the data if `f` finds one; gives the guard back if not.
    pub fn try_map<U: ?Sized, F: FnOnce(&mut T) -> Option<&mut U>>(
        mut this: Self,
        f: F,
    ) -> Result<MappedMutexGuard<'a, U>, Self> {
        let Some(data) = f(&mut *this).map(|data| data as *mut U) else {
            return Err(this);
        };
        let semaphore = &this.lock.semaphore;
        mem::forget(this);
        Ok(MappedMutexGuard {
            semaphore,
            data,
            marker: PhantomData,
        })
    }

    /// The mutex this guard locks.
    pub fn mutex(this: &Self) -> &'a Mutex<T> {
        this.lock
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the mutex's only permit: nobody else reaches the data.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`, and `&mut self` makes the access exclusive.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        unlock(&self.lock.semaphore);
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T: ?Sized> OwnedMutexGuard<T> {
    /// Narrows the guard to a part of the data.
    pub fn map<U: ?Sized, F: FnOnce(&mut T) -> &mut U>(
        mut this: Self,
        f: F,
    ) -> OwnedMappedMutexGuard<T, U> {
        let data = f(&mut *this) as *mut U;
        OwnedMappedMutexGuard {
            data,
            lock: into_lock(this),
        }
    }

    /// Narrows the guard to a part of the data if `f` finds one; gives the guard back if not.
    pub fn try_map<U: ?Sized, F: FnOnce(&mut T) -> Option<&mut U>>(
        mut this: Self,
        f: F,
    ) -> Result<OwnedMappedMutexGuard<T, U>, Self> {
        let Some(data) = f(&mut *this).map(|data| data as *mut U) else {
            return Err(this);
        };
        Ok(OwnedMappedMutexGuard {
            data,
            lock: into_lock(this),
        })
    }

    /// The mutex this guard locks.
    pub fn mutex(this: &Self) -> &Arc<Mutex<T>> {
        &this.lock
    }
}

/// Takes the `Arc` out of a guard without releasing the lock.
fn into_lock<T: ?Sized>(guard: OwnedMutexGuard<T>) -> Arc<Mutex<T>> {
    let guard = ManuallyDrop::new(guard);
    // SAFETY: the guard is never used or dropped again, so the `Arc` is moved out exactly once.
    unsafe { ptr::read(&guard.lock) }
}

impl<T: ?Sized> Deref for OwnedMutexGuard<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the mutex's only permit.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> DerefMut for OwnedMutexGuard<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`, exclusively through `&mut self`.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for OwnedMutexGuard<T> {
    fn drop(&mut self) {
        unlock(&self.lock.semaphore);
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for OwnedMutexGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for OwnedMutexGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<'a, T: ?Sized> MappedMutexGuard<'a, T> {
    /// Narrows the guard further.
    pub fn map<U: ?Sized, F: FnOnce(&mut T) -> &mut U>(
        mut this: Self,
        f: F,
    ) -> MappedMutexGuard<'a, U> {
        let data = f(&mut *this) as *mut U;
        let semaphore = this.semaphore;
        mem::forget(this);
        MappedMutexGuard {
            semaphore,
            data,
            marker: PhantomData,
        }
    }

    /// Narrows the guard further if `f` finds a part; gives the guard back if not.
    pub fn try_map<U: ?Sized, F: FnOnce(&mut T) -> Option<&mut U>>(
        mut this: Self,
        f: F,
    ) -> Result<MappedMutexGuard<'a, U>, Self> {
        let Some(data) = f(&mut *this).map(|data| data as *mut U) else {
            return Err(this);
        };
        let semaphore = this.semaphore;
        mem::forget(this);
        Ok(MappedMutexGuard {
            semaphore,
            data,
            marker: PhantomData,
        })
    }
}

impl<T: ?Sized> Deref for MappedMutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: `data` points into the locked data, and the guard holds the permit.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> DerefMut for MappedMutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`, exclusively through `&mut self`.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized> Drop for MappedMutexGuard<'_, T> {
    fn drop(&mut self) {
        unlock(self.semaphore);
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MappedMutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for MappedMutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T: ?Sized, U: ?Sized> OwnedMappedMutexGuard<T, U> {
    /// Narrows the guard further.
    pub fn map<S: ?Sized, F: FnOnce(&mut U) -> &mut S>(
        mut this: Self,
        f: F,
    ) -> OwnedMappedMutexGuard<T, S> {
        let data = f(&mut *this) as *mut S;
        OwnedMappedMutexGuard {
            data,
            lock: into_mapped_lock(this),
        }
    }

    /// Narrows the guard further if `f` finds a part; gives the guard back if not.
    pub fn try_map<S: ?Sized, F: FnOnce(&mut U) -> Option<&mut S>>(
        mut this: Self,
        f: F,
    ) -> Result<OwnedMappedMutexGuard<T, S>, Self> {
        let Some(data) = f(&mut *this).map(|data| data as *mut S) else {
            return Err(this);
        };
        Ok(OwnedMappedMutexGuard {
            data,
            lock: into_mapped_lock(this),
        })
    }

    /// The mutex this guard locks.
    pub fn mutex(this: &Self) -> &Arc<Mutex<T>> {
        &this.lock
    }
}

/// Takes the `Arc` out of a mapped guard without releasing the lock.
fn into_mapped_lock<T: ?Sized, U: ?Sized>(guard: OwnedMappedMutexGuard<T, U>) -> Arc<Mutex<T>> {
    let guard = ManuallyDrop::new(guard);
    // SAFETY: the guard is never used or dropped again, so the `Arc` is moved out exactly once.
    unsafe { ptr::read(&guard.lock) }
}

impl<T: ?Sized, U: ?Sized> Deref for OwnedMappedMutexGuard<T, U> {
    type Target = U;
    fn deref(&self) -> &U {
        // SAFETY: `data` points into the locked data, and the guard holds the permit.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized, U: ?Sized> DerefMut for OwnedMappedMutexGuard<T, U> {
    fn deref_mut(&mut self) -> &mut U {
        // SAFETY: as for `deref`, exclusively through `&mut self`.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized, U: ?Sized> Drop for OwnedMappedMutexGuard<T, U> {
    fn drop(&mut self) {
        unlock(&self.lock.semaphore);
    }
}

impl<T: ?Sized, U: ?Sized + fmt::Debug> fmt::Debug for OwnedMappedMutexGuard<T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized, U: ?Sized + fmt::Display> fmt::Display for OwnedMappedMutexGuard<T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
