//! `Semaphore`: a counting semaphore whose waiters are served in FIFO order.

use crate::batch_semaphore::{self, TryAcquireError as CoreTryAcquireError};
use crate::error::{AcquireError, TryAcquireError};
use crate::trace::{Resource, Source};
use crate::util::block_on;
use std::fmt;
use std::sync::Arc;

/// A counting semaphore: a pool of permits that tasks acquire and give back.
///
/// Waiters are served fairly: an `acquire_many(n)` at the head of the queue keeps later requests
/// waiting even if they would fit. A permit goes back to the semaphore when its
/// [`SemaphorePermit`] (or [`OwnedSemaphorePermit`]) is dropped, unless it is
/// [forgotten](SemaphorePermit::forget).
///
/// ```
/// use eddy_sync::Semaphore;
///
/// let semaphore = Semaphore::new(2);
/// let first = semaphore.try_acquire().unwrap();
/// let _second = semaphore.try_acquire().unwrap();
/// assert!(semaphore.try_acquire().is_err());
/// drop(first);
/// assert_eq!(semaphore.available_permits(), 1);
/// ```
pub struct Semaphore {
    core: batch_semaphore::Semaphore,
}

/// Permits borrowed from a [`Semaphore`]; given back on drop.
#[must_use]
pub struct SemaphorePermit<'a> {
    semaphore: &'a Semaphore,
    permits: usize,
}

/// Permits taken from an `Arc<Semaphore>`; given back on drop.
#[must_use]
pub struct OwnedSemaphorePermit {
    semaphore: Arc<Semaphore>,
    permits: usize,
}

fn map_try_error(error: CoreTryAcquireError) -> TryAcquireError {
    match error {
        CoreTryAcquireError::Closed => TryAcquireError::Closed,
        CoreTryAcquireError::NoPermits => TryAcquireError::NoPermits,
    }
}

/// The permits of two merged permits. Counts are `usize`, as a semaphore's are, so merging
/// permits taken by several `acquire_many(u32)` calls never loses any; an overflow (impossible
/// with permits of one semaphore, which holds at most `MAX_PERMITS`) would be a clear panic.
#[track_caller]
fn add_held(held: usize, more: usize) -> usize {
    held.checked_add(more)
        .expect("number of permits overflowed while merging semaphore permits")
}

impl Semaphore {
    /// The largest number of permits a semaphore can hold.
    pub const MAX_PERMITS: usize = batch_semaphore::MAX_PERMITS;

    /// A semaphore with `permits` permits.
    ///
    /// # Panics
    ///
    /// If `permits` exceeds [`Semaphore::MAX_PERMITS`].
    #[track_caller]
    pub fn new(permits: usize) -> Semaphore {
        Semaphore {
            core: batch_semaphore::Semaphore::new(permits).traced(Resource::semaphore(permits)),
        }
    }

    /// A semaphore usable in a `static`.
    #[cfg(not(loom))]
    pub const fn const_new(permits: usize) -> Semaphore {
        Semaphore {
            core: batch_semaphore::Semaphore::new(permits),
        }
    }

    /// The number of free permits.
    pub fn available_permits(&self) -> usize {
        self.core.available_permits()
    }

    /// Adds `n` permits, waking waiters they satisfy.
    ///
    /// # Panics
    ///
    /// If the total would exceed [`Semaphore::MAX_PERMITS`].
    pub fn add_permits(&self, n: usize) {
        self.core.resource().permits_added(n);
        self.core.release(n);
    }

    /// Removes up to `n` free permits for good; returns how many were removed.
    pub fn forget_permits(&self, n: usize) -> usize {
        let forgotten = self.core.forget_permits(n);
        self.core.resource().permits_taken(forgotten);
        forgotten
    }

    /// Takes `n` permits if they are free now.
    fn try_acquire_permits(&self, n: u32) -> Result<(), TryAcquireError> {
        self.core.try_acquire(n as usize).map_err(map_try_error)?;
        self.core.resource().permits_taken(n as usize);
        Ok(())
    }

    /// Waits for one permit.
    ///
    /// Fails only if the semaphore is closed.
    ///
    /// Cancel safety: this method uses a FIFO queue; dropping the future loses the place in it
    /// (and gives back any permits already assigned to it).
    pub async fn acquire(&self) -> Result<SemaphorePermit<'_>, AcquireError> {
        self.core
            .acquire_traced(1, Source::new("Semaphore::acquire"))
            .await
            .map_err(|_| AcquireError(()))?;
        self.core.resource().permits_taken(1);
        Ok(SemaphorePermit {
            semaphore: self,
            permits: 1,
        })
    }

    /// Waits for `n` permits, taken all at once.
    ///
    /// Cancel safety: as for [`acquire`](Semaphore::acquire).
    pub async fn acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_>, AcquireError> {
        self.core
            .acquire_traced(n as usize, Source::new("Semaphore::acquire_many"))
            .await
            .map_err(|_| AcquireError(()))?;
        self.core.resource().permits_taken(n as usize);
        Ok(SemaphorePermit {
            semaphore: self,
            permits: n as usize,
        })
    }

    /// Takes one permit if one is free now.
    pub fn try_acquire(&self) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.try_acquire_many(1)
    }

    /// Takes `n` permits if they are free now.
    pub fn try_acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.try_acquire_permits(n)?;
        Ok(SemaphorePermit {
            semaphore: self,
            permits: n as usize,
        })
    }

    /// Waits for one permit, held by an [`OwnedSemaphorePermit`] that keeps the semaphore alive.
    ///
    /// Cancel safety: as for [`acquire`](Semaphore::acquire).
    pub async fn acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, AcquireError> {
        self.core
            .acquire_traced(1, Source::new("Semaphore::acquire_owned"))
            .await
            .map_err(|_| AcquireError(()))?;
        self.core.resource().permits_taken(1);
        Ok(OwnedSemaphorePermit {
            semaphore: self,
            permits: 1,
        })
    }

    /// Waits for `n` permits, held by an [`OwnedSemaphorePermit`].
    ///
    /// Cancel safety: as for [`acquire`](Semaphore::acquire).
    pub async fn acquire_many_owned(
        self: Arc<Self>,
        n: u32,
    ) -> Result<OwnedSemaphorePermit, AcquireError> {
        self.core
            .acquire_traced(n as usize, Source::new("Semaphore::acquire_many_owned"))
            .await
            .map_err(|_| AcquireError(()))?;
        self.core.resource().permits_taken(n as usize);
        Ok(OwnedSemaphorePermit {
            semaphore: self,
            permits: n as usize,
        })
    }

    /// Takes one permit now if free, held by an [`OwnedSemaphorePermit`].
    pub fn try_acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, TryAcquireError> {
        self.try_acquire_many_owned(1)
    }

    /// Takes `n` permits now if free, held by an [`OwnedSemaphorePermit`].
    pub fn try_acquire_many_owned(
        self: Arc<Self>,
        n: u32,
    ) -> Result<OwnedSemaphorePermit, TryAcquireError> {
        self.try_acquire_permits(n)?;
        Ok(OwnedSemaphorePermit {
            semaphore: self,
            permits: n as usize,
        })
    }

    /// Waits for one permit from synchronous code, parking the thread meanwhile.
    ///
    /// # Panics
    ///
    /// When called from a thread that drives eddy's async tasks (blocking there could
    /// deadlock). Call it from plain threads or `spawn_blocking`.
    #[track_caller]
    pub fn blocking_acquire(&self) -> Result<SemaphorePermit<'_>, AcquireError> {
        block_on(self.acquire())
    }

    /// Waits for `n` permits from synchronous code, parking the thread meanwhile.
    ///
    /// # Panics
    ///
    /// As [`blocking_acquire`](Semaphore::blocking_acquire).
    #[track_caller]
    pub fn blocking_acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_>, AcquireError> {
        block_on(self.acquire_many(n))
    }

    /// Waits for one permit from synchronous code, held by an [`OwnedSemaphorePermit`].
    ///
    /// # Panics
    ///
    /// As [`blocking_acquire`](Semaphore::blocking_acquire).
    #[track_caller]
    pub fn blocking_acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, AcquireError> {
        block_on(self.acquire_owned())
    }

    /// Waits for `n` permits from synchronous code, held by an [`OwnedSemaphorePermit`].
    ///
    /// # Panics
    ///
    /// As [`blocking_acquire`](Semaphore::blocking_acquire).
    #[track_caller]
    pub fn blocking_acquire_many_owned(
        self: Arc<Self>,
        n: u32,
    ) -> Result<OwnedSemaphorePermit, AcquireError> {
        block_on(self.acquire_many_owned(n))
    }

    /// Closes the semaphore: waiting and later acquires fail. Held permits stay valid.
    pub fn close(&self) {
        self.core.close();
    }

    /// Whether the semaphore is closed.
    pub fn is_closed(&self) -> bool {
        self.core.is_closed()
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("core", &self.core)
            .finish()
    }
}

impl<'a> SemaphorePermit<'a> {
    /// Keeps the permits out of the semaphore for good.
    pub fn forget(mut self) {
        self.permits = 0;
    }

    /// Merges `other`'s permits into this one.
    ///
    /// # Panics
    ///
    /// If the permits come from different semaphores.
    #[track_caller]
    pub fn merge(&mut self, mut other: Self) {
        assert!(
            std::ptr::eq(self.semaphore, other.semaphore),
            "merging permits from different semaphores"
        );
        self.permits = add_held(self.permits, other.permits);
        other.permits = 0;
    }

    /// Splits `n` permits off into a new permit; `None` if this one holds fewer than `n`.
    pub fn split(&mut self, n: usize) -> Option<Self> {
        if n > self.permits {
            return None;
        }
        self.permits -= n;
        Some(SemaphorePermit {
            semaphore: self.semaphore,
            permits: n,
        })
    }

    /// The semaphore the permits came from.
    pub fn semaphore(&self) -> &Semaphore {
        self.semaphore
    }

    /// The number of permits held.
    pub fn num_permits(&self) -> usize {
        self.permits
    }
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        self.semaphore.add_permits(self.permits);
    }
}

impl fmt::Debug for SemaphorePermit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit")
            .field("permits", &self.permits)
            .finish()
    }
}

impl OwnedSemaphorePermit {
    /// Keeps the permits out of the semaphore for good.
    pub fn forget(mut self) {
        self.permits = 0;
    }

    /// Merges `other`'s permits into this one.
    ///
    /// # Panics
    ///
    /// If the permits come from different semaphores.
    #[track_caller]
    pub fn merge(&mut self, mut other: Self) {
        assert!(
            Arc::ptr_eq(&self.semaphore, &other.semaphore),
            "merging permits from different semaphores"
        );
        self.permits = add_held(self.permits, other.permits);
        other.permits = 0;
    }

    /// Splits `n` permits off into a new permit; `None` if this one holds fewer than `n`.
    pub fn split(&mut self, n: usize) -> Option<Self> {
        if n > self.permits {
            return None;
        }
        self.permits -= n;
        Some(OwnedSemaphorePermit {
            semaphore: self.semaphore.clone(),
            permits: n,
        })
    }

    /// The semaphore the permits came from.
    pub fn semaphore(&self) -> &Arc<Semaphore> {
        &self.semaphore
    }

    /// The number of permits held.
    pub fn num_permits(&self) -> usize {
        self.permits
    }
}

impl Drop for OwnedSemaphorePermit {
    fn drop(&mut self) {
        self.semaphore.add_permits(self.permits);
    }
}

impl fmt::Debug for OwnedSemaphorePermit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedSemaphorePermit")
            .field("permits", &self.permits)
            .finish()
    }
}
