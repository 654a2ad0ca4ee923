//! The mapped write guard of a borrowed `RwLock`.

use crate::batch_semaphore::Semaphore;
use std::marker::PhantomData;
use std::mem;
use std::ops::{Deref, DerefMut};

/// A [`RwLockWriteGuard`](crate::RwLockWriteGuard) narrowed to a part of the data.
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct RwLockMappedWriteGuard<'a, T: ?Sized> {
    pub(super) permits: u32,
    pub(super) semaphore: &'a Semaphore,
    pub(super) data: *mut T,
    pub(super) marker: PhantomData<&'a mut T>,
}

// SAFETY: the guard is a `&mut T` plus all permits.
unsafe impl<T: ?Sized + Send + Sync> Send for RwLockMappedWriteGuard<'_, T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLockMappedWriteGuard<'_, T> {}

impl<'a, T: ?Sized> RwLockMappedWriteGuard<'a, T> {
    /// Narrows the guard further.
    pub fn map<U: ?Sized, F: FnOnce(&mut T) -> &mut U>(
        mut this: Self,
        f: F,
    ) -> RwLockMappedWriteGuard<'a, U> {
        let data = f(&mut *this) as *mut U;
        let (permits, semaphore) = (this.permits, this.semaphore);
        mem::forget(this);
        RwLockMappedWriteGuard {
            permits,
            semaphore,
            data,
            marker: PhantomData,
        }
    }

    /// Narrows the guard further if `f` finds a part; gives the guard back if not.
    pub fn try_map<U: ?Sized, F: FnOnce(&mut T) -> Option<&mut U>>(
        mut this: Self,
        f: F,
    ) -> Result<RwLockMappedWriteGuard<'a, U>, Self> {
        let Some(data) = f(&mut *this).map(|data| data as *mut U) else {
            return Err(this);
        };
        let (permits, semaphore) = (this.permits, this.semaphore);
        mem::forget(this);
        Ok(RwLockMappedWriteGuard {
            permits,
            semaphore,
            data,
            marker: PhantomData,
        })
    }
}

impl<T: ?Sized> Deref for RwLockMappedWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: `data` points into the locked data, and the guard holds every permit.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> DerefMut for RwLockMappedWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`, exclusively through `&mut self`.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized> Drop for RwLockMappedWriteGuard<'_, T> {
    fn drop(&mut self) {
        super::release_write(self.semaphore, self.permits);
    }
}

super::forward_fmt!(RwLockMappedWriteGuard<'_, T>, [T: ?Sized], T);
