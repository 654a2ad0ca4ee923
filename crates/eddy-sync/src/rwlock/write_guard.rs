//! The write guard of a borrowed `RwLock`.

use super::{RwLockMappedWriteGuard, RwLockReadGuard};
use crate::batch_semaphore::Semaphore;
use std::marker::PhantomData;
use std::mem;
use std::ops::{Deref, DerefMut};

/// Exclusive write access to a [`RwLock`](crate::RwLock); the permits go back on drop.
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct RwLockWriteGuard<'a, T: ?Sized> {
    pub(super) permits: u32,
    pub(super) semaphore: &'a Semaphore,
    pub(super) data: *mut T,
    pub(super) marker: PhantomData<&'a mut T>,
}

// SAFETY: the guard is a `&mut T` plus all permits; it may be downgraded into a shared guard,
// so moving or sharing it asks for `T: Send + Sync`.
unsafe impl<T: ?Sized + Send + Sync> Send for RwLockWriteGuard<'_, T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLockWriteGuard<'_, T> {}

impl<'a, T: ?Sized> RwLockWriteGuard<'a, T> {
    /// Narrows the guard to a part of the data.
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

    /// Narrows the guard if `f` finds a part; gives the guard back if not.
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

    /// The same access as a mapped guard over the whole data.
    pub fn into_mapped(this: Self) -> RwLockMappedWriteGuard<'a, T> {
        RwLockWriteGuard::map(this, |data| data)
    }

    /// Turns the write lock into a read lock without letting a writer in between; readers
    /// waiting behind this writer get in too.
    pub fn downgrade(self) -> RwLockReadGuard<'a, T> {
        let data = self.data as *const T;
        self.downgrade_to(data)
    }

    /// Narrows the guard to a part of the data and downgrades it to a read lock at once, as
    /// [`downgrade`](RwLockWriteGuard::downgrade) does.
    pub fn downgrade_map<F, U: ?Sized>(this: Self, f: F) -> RwLockReadGuard<'a, U>
    where
        F: FnOnce(&T) -> &U,
    {
        let data = f(&*this) as *const U;
        this.downgrade_to(data)
    }

    /// [`downgrade_map`](RwLockWriteGuard::downgrade_map) if `f` finds a part; gives the write
    /// guard back, still writing, if not.
    pub fn try_downgrade_map<F, U: ?Sized>(this: Self, f: F) -> Result<RwLockReadGuard<'a, U>, Self>
    where
        F: FnOnce(&T) -> Option<&U>,
    {
        let Some(data) = f(&*this).map(|data| data as *const U) else {
            return Err(this);
        };
        Ok(this.downgrade_to(data))
    }

    /// Gives back all permits but one and reads `data`, a part of this guard's data.
    fn downgrade_to<U: ?Sized>(self, data: *const U) -> RwLockReadGuard<'a, U> {
        let (permits, semaphore) = (self.permits, self.semaphore);
        mem::forget(self);
        super::downgrade(semaphore, permits);
        RwLockReadGuard {
            semaphore,
            data,
            marker: PhantomData,
        }
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds every permit: nobody else reaches the data.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`, exclusively through `&mut self`.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        super::release_write(self.semaphore, self.permits);
    }
}

super::forward_fmt!(RwLockWriteGuard<'_, T>, [T: ?Sized], T);
