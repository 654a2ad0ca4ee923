//! The write guard of an `Arc<RwLock<T>>`.

use super::{OwnedRwLockMappedWriteGuard, OwnedRwLockReadGuard, RwLock};
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use std::ptr;
use std::sync::Arc;

/// Exclusive write access that keeps its [`RwLock`] alive; the permits go back on drop.
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct OwnedRwLockWriteGuard<T: ?Sized> {
    permits: u32,
    lock: Arc<RwLock<T>>,
    data: *mut T,
}

// SAFETY: the guard is an `Arc<RwLock<T>>` and a `&mut T`; it may be downgraded to shared.
unsafe impl<T: ?Sized + Send + Sync> Send for OwnedRwLockWriteGuard<T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send + Sync> Sync for OwnedRwLockWriteGuard<T> {}

impl<T: ?Sized> OwnedRwLockWriteGuard<T> {
    pub(super) fn new(lock: Arc<RwLock<T>>) -> Self {
        let data = lock.data.get();
        OwnedRwLockWriteGuard {
            permits: lock.max_readers,
            lock,
            data,
        }
    }

    /// Narrows the guard to a part of the data.
    pub fn map<U: ?Sized, F: FnOnce(&mut T) -> &mut U>(
        mut this: Self,
        f: F,
    ) -> OwnedRwLockMappedWriteGuard<T, U> {
        let data = f(&mut *this) as *mut U;
        let permits = this.permits;
        OwnedRwLockMappedWriteGuard::new(permits, into_lock(this), data)
    }

    /// Narrows the guard if `f` finds a part; gives the guard back if not.
    pub fn try_map<U: ?Sized, F: FnOnce(&mut T) -> Option<&mut U>>(
        mut this: Self,
        f: F,
    ) -> Result<OwnedRwLockMappedWriteGuard<T, U>, Self> {
        let Some(data) = f(&mut *this).map(|data| data as *mut U) else {
            return Err(this);
        };
        let permits = this.permits;
        Ok(OwnedRwLockMappedWriteGuard::new(
            permits,
            into_lock(this),
            data,
        ))
    }

    /// The same access as a mapped guard over the whole data.
    pub fn into_mapped(this: Self) -> OwnedRwLockMappedWriteGuard<T> {
        OwnedRwLockWriteGuard::map(this, |data| data)
    }

    /// Turns the write lock into a read lock without letting a writer in between.
    pub fn downgrade(self) -> OwnedRwLockReadGuard<T> {
        let data = self.data as *const T;
        self.downgrade_to(data)
    }

    /// Narrows the guard to a part of the data and downgrades it to a read lock at once, as
    /// [`downgrade`](OwnedRwLockWriteGuard::downgrade) does.
    pub fn downgrade_map<F, U: ?Sized>(this: Self, f: F) -> OwnedRwLockReadGuard<T, U>
    where
        F: FnOnce(&T) -> &U,
    {
        let data = f(&*this) as *const U;
        this.downgrade_to(data)
    }

    /// [`downgrade_map`](OwnedRwLockWriteGuard::downgrade_map) if `f` finds a part; gives the
    /// write guard back, still writing, if not.
    pub fn try_downgrade_map<F, U: ?Sized>(
        this: Self,
        f: F,
    ) -> Result<OwnedRwLockReadGuard<T, U>, Self>
    where
        F: FnOnce(&T) -> Option<&U>,
    {
        let Some(data) = f(&*this).map(|data| data as *const U) else {
            return Err(this);
        };
        Ok(this.downgrade_to(data))
    }

    /// Gives back all permits but one and reads `data`, a part of this guard's data.
    fn downgrade_to<U: ?Sized>(self, data: *const U) -> OwnedRwLockReadGuard<T, U> {
        let permits = self.permits;
        let lock = into_lock(self);
        super::downgrade(&lock.semaphore, permits);
        OwnedRwLockReadGuard::from_parts(lock, data)
    }

    /// The lock this guard writes.
    pub fn rwlock(this: &Self) -> &Arc<RwLock<T>> {
        &this.lock
    }
}

/// Takes the `Arc` out of a guard without giving its permits back.
fn into_lock<T: ?Sized>(guard: OwnedRwLockWriteGuard<T>) -> Arc<RwLock<T>> {
    let guard = ManuallyDrop::new(guard);
    // SAFETY: the guard is never used or dropped again: the `Arc` moves out exactly once.
    unsafe { ptr::read(&guard.lock) }
}

impl<T: ?Sized> Deref for OwnedRwLockWriteGuard<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds every permit: nobody else reaches the data.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> DerefMut for OwnedRwLockWriteGuard<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`, exclusively through `&mut self`.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized> Drop for OwnedRwLockWriteGuard<T> {
    fn drop(&mut self) {
        super::release_write(&self.lock.semaphore, self.permits);
    }
}

super::forward_fmt!(OwnedRwLockWriteGuard<T>, [T: ?Sized], T);
