//! The mapped write guard of an `Arc<RwLock<T>>`.

use super::RwLock;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use std::ptr;
use std::sync::Arc;

/// An [`OwnedRwLockWriteGuard`](crate::OwnedRwLockWriteGuard) narrowed to a part of the data.
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct OwnedRwLockMappedWriteGuard<T: ?Sized, U: ?Sized = T> {
    permits: u32,
    lock: Arc<RwLock<T>>,
    data: *mut U,
}

// SAFETY: the guard is an `Arc<RwLock<T>>` and a `&mut U`.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Send + Sync> Send
    for OwnedRwLockMappedWriteGuard<T, U>
{
}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Send + Sync> Sync
    for OwnedRwLockMappedWriteGuard<T, U>
{
}

impl<T: ?Sized, U: ?Sized> OwnedRwLockMappedWriteGuard<T, U> {
    pub(super) fn new(permits: u32, lock: Arc<RwLock<T>>, data: *mut U) -> Self {
        OwnedRwLockMappedWriteGuard {
            permits,
            lock,
            data,
        }
    }

    /// Narrows the guard further.
    pub fn map<V: ?Sized, F: FnOnce(&mut U) -> &mut V>(
        mut this: Self,
        f: F,
    ) -> OwnedRwLockMappedWriteGuard<T, V> {
        let data = f(&mut *this) as *mut V;
        let permits = this.permits;
        OwnedRwLockMappedWriteGuard {
            permits,
            lock: into_lock(this),
            data,
        }
    }

    /// Narrows the guard further if `f` finds a part; gives the guard back if not.
    pub fn try_map<V: ?Sized, F: FnOnce(&mut U) -> Option<&mut V>>(
        mut this: Self,
        f: F,
    ) -> Result<OwnedRwLockMappedWriteGuard<T, V>, Self> {
        let Some(data) = f(&mut *this).map(|data| data as *mut V) else {
            return Err(this);
        };
        let permits = this.permits;
        Ok(OwnedRwLockMappedWriteGuard {
            permits,
            lock: into_lock(this),
            data,
        })
    }

    /// The lock this guard writes.
    pub fn rwlock(this: &Self) -> &Arc<RwLock<T>> {
        &this.lock
    }
}

/// Takes the `Arc` out of a guard without giving its permits back.
fn into_lock<T: ?Sized, U: ?Sized>(guard: OwnedRwLockMappedWriteGuard<T, U>) -> Arc<RwLock<T>> {
    let guard = ManuallyDrop::new(guard);
    // SAFETY: the guard is never used or dropped again: the `Arc` moves out exactly once.
    unsafe { ptr::read(&guard.lock) }
}

impl<T: ?Sized, U: ?Sized> Deref for OwnedRwLockMappedWriteGuard<T, U> {
    type Target = U;
    fn deref(&self) -> &U {
        // SAFETY: `data` points into the locked data, and the guard holds every permit.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized, U: ?Sized> DerefMut for OwnedRwLockMappedWriteGuard<T, U> {
    fn deref_mut(&mut self) -> &mut U {
        // SAFETY: as for `deref`, exclusively through `&mut self`.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized, U: ?Sized> Drop for OwnedRwLockMappedWriteGuard<T, U> {
    fn drop(&mut self) {
        super::release_write(&self.lock.semaphore, self.permits);
    }
}

super::forward_fmt!(OwnedRwLockMappedWriteGuard<T, U>, [T: ?Sized, U: ?Sized], U);
