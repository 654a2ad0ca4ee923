//! The read guard of an `Arc<RwLock<T>>`.

use super::RwLock;
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::ptr;
use std::sync::Arc;

/// Shared read access that keeps its [`RwLock`] alive; the permit goes back on drop.
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct OwnedRwLockReadGuard<T: ?Sized, U: ?Sized = T> {
    lock: Arc<RwLock<T>>,
    data: *const U,
}

// SAFETY: the guard is an `Arc<RwLock<T>>` (needs `T: Send + Sync`) and a `&U` (`U: Sync`).
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Sync> Send for OwnedRwLockReadGuard<T, U> {}
// SAFETY: as above; sharing asks for `U: Send` as well, Tokio's (stricter) bound.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Send + Sync> Sync for OwnedRwLockReadGuard<T, U> {}

impl<T: ?Sized> OwnedRwLockReadGuard<T> {
    pub(super) fn new(lock: Arc<RwLock<T>>) -> Self {
        let data = lock.data.get() as *const T;
        OwnedRwLockReadGuard { lock, data }
    }
}

impl<T: ?Sized, U: ?Sized> OwnedRwLockReadGuard<T, U> {
    /// A guard over `data`, a part of `lock`'s data, whose read permit the caller holds.
    pub(super) fn from_parts(lock: Arc<RwLock<T>>, data: *const U) -> Self {
        OwnedRwLockReadGuard { lock, data }
    }

    /// Narrows the guard to a part of the data.
    pub fn map<V: ?Sized, F: FnOnce(&U) -> &V>(this: Self, f: F) -> OwnedRwLockReadGuard<T, V> {
        let data = f(&*this) as *const V;
        OwnedRwLockReadGuard {
            data,
            lock: into_lock(this),
        }
    }

    /// Narrows the guard if `f` finds a part; gives the guard back if not.
    pub fn try_map<V: ?Sized, F: FnOnce(&U) -> Option<&V>>(
        this: Self,
        f: F,
    ) -> Result<OwnedRwLockReadGuard<T, V>, Self> {
        let Some(data) = f(&*this).map(|data| data as *const V) else {
            return Err(this);
        };
        Ok(OwnedRwLockReadGuard {
            data,
            lock: into_lock(this),
        })
    }

    /// The lock this guard reads.
    pub fn rwlock(this: &Self) -> &Arc<RwLock<T>> {
        &this.lock
    }
}

/// Takes the `Arc` out of a guard without giving its permit back.
fn into_lock<T: ?Sized, U: ?Sized>(guard: OwnedRwLockReadGuard<T, U>) -> Arc<RwLock<T>> {
    let guard = ManuallyDrop::new(guard);
    // SAFETY: the guard is never used or dropped again: the `Arc` moves out exactly once.
    unsafe { ptr::read(&guard.lock) }
}

impl<T: ?Sized, U: ?Sized> Deref for OwnedRwLockReadGuard<T, U> {
    type Target = U;
    fn deref(&self) -> &U {
        // SAFETY: the guard holds a read permit, so no writer reaches the data meanwhile.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized, U: ?Sized> Drop for OwnedRwLockReadGuard<T, U> {
    fn drop(&mut self) {
        super::release_read(&self.lock.semaphore);
    }
}

super::forward_fmt!(OwnedRwLockReadGuard<T, U>, [T: ?Sized, U: ?Sized], U);
