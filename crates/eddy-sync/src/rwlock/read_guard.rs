//! The read guard of a borrowed `RwLock`.

use crate::batch_semaphore::Semaphore;
use std::marker::PhantomData;
use std::mem;
use std::ops::Deref;

/// Shared read access to a [`RwLock`](crate::RwLock); the permit goes back on drop.
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct RwLockReadGuard<'a, T: ?Sized> {
    pub(super) semaphore: &'a Semaphore,
    pub(super) data: *const T,
    pub(super) marker: PhantomData<&'a T>,
}

// SAFETY: the guard is a `&T` plus a read permit: it may move or be shared where `&T` may.
unsafe impl<T: ?Sized + Sync> Send for RwLockReadGuard<'_, T> {}
// SAFETY: as above; sharing asks for `T: Send` as well, Tokio's (stricter) bound.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLockReadGuard<'_, T> {}

impl<'a, T: ?Sized> RwLockReadGuard<'a, T> {
    /// Narrows the guard to a part of the data.
    pub fn map<U: ?Sized, F: FnOnce(&T) -> &U>(this: Self, f: F) -> RwLockReadGuard<'a, U> {
        let data = f(&*this) as *const U;
        let semaphore = this.semaphore;
        mem::forget(this);
        RwLockReadGuard {
            semaphore,
            data,
            marker: PhantomData,
        }
    }

    /// Narrows the guard if `f` finds a part; gives the guard back if not.
    pub fn try_map<U: ?Sized, F: FnOnce(&T) -> Option<&U>>(
        this: Self,
        f: F,
    ) -> Result<RwLockReadGuard<'a, U>, Self> {
        let Some(data) = f(&*this).map(|data| data as *const U) else {
            return Err(this);
        };
        let semaphore = this.semaphore;
        mem::forget(this);
        Ok(RwLockReadGuard {
            semaphore,
            data,
            marker: PhantomData,
        })
    }
}

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds a read permit, so no writer reaches the data meanwhile.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        super::release_read(self.semaphore);
    }
}

super::forward_fmt!(RwLockReadGuard<'_, T>, [T: ?Sized], T);
