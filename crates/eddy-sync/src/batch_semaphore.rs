//! The fair semaphore core that `Semaphore`, `Mutex`, `RwLock` and the bounded `mpsc` channel
//! build on.
//!
//! # State
//!
//! One atomic word holds the free permits (shifted left by [`SHIFT`]) and two flags:
//! `CLOSED`, and `HAS_WAITERS`, which says the waiter queue is not empty. The queue itself is an
//! intrusive list (oldest first) behind a mutex.
//!
//! # Invariants
//!
//! * While `HAS_WAITERS` is set, the word holds no free permits: released permits go to the
//!   queued waiters first, oldest first, so a newcomer cannot overtake a waiter (fairness).
//! * `HAS_WAITERS` is only set or cleared by a thread holding the queue lock. Fast paths that
//!   do not take the lock (acquire with enough free permits, release with no waiter) are
//!   compare-and-swaps on the whole word, so they fail and retry when the flag changes under them.
//! * A queued waiter's `remaining` counts the permits it still needs. A releaser that satisfies
//!   it unlinks it, takes its waker, and stores `remaining = 0` with `Release` as its last access:
//!   the owner that reads 0 with `Acquire` owns its permits and may free the node at once.
//! * A waiter that gives up (its future is dropped) unlinks itself under the lock and releases
//!   what it was already assigned, so no permit is lost, and the waiters behind it get them.
//! * Closing drains the queue, waking everyone; queued waiters then fail with `AcquireError`.

use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::loom::sync::Mutex;
use crate::trace::{self, Resource, Source};
use crate::util::{AtomicWaker, WakeList};
use eddy_core::coop;
use eddy_core::linked_list::{Link, LinkedList, Pointers};
use std::fmt;
use std::future::Future;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::ptr::NonNull;
use std::task::{Context, Poll};

const CLOSED: usize = 0b01;
const HAS_WAITERS: usize = 0b10;
const SHIFT: usize = 2;

/// The largest number of permits a semaphore holds.
pub(crate) const MAX_PERMITS: usize = usize::MAX >> 3;

/// The semaphore core. See the module docs.
pub(crate) struct Semaphore {
    state: AtomicUsize,
    waiters: Mutex<Waitlist>,
    /// The `tracing` resource of the primitive built on this semaphore (zero-sized without the
    /// feature). Kept here because every guard of that primitive reaches the semaphore.
    resource: Resource,
}

struct Waitlist {
    queue: LinkedList<Waiter>,
    closed: bool,
}

/// The payload of a queued acquire.
#[derive(Debug)]
struct Waiter {
    /// Links in the waiter list, guarded by its lock.
    pointers: Pointers<Waiter>,
    remaining: AtomicUsize,
    waker: AtomicWaker,
    _pinned: PhantomPinned,
}

// SAFETY: `pointers` is a field of the waiter, and a waiter is only ever linked into the list
// of the semaphore whose `acquire` created it.
unsafe impl Link for Waiter {
    #[inline]
    fn pointers(&self) -> &Pointers<Waiter> {
        &self.pointers
    }
}

/// Why a `try_acquire` failed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TryAcquireError {
    Closed,
    NoPermits,
}

/// The semaphore was closed.
#[derive(Debug)]
pub(crate) struct AcquireError;

impl Semaphore {
    /// A semaphore with `permits` free permits.
    #[cfg(not(loom))]
    pub(crate) const fn new(permits: usize) -> Self {
        assert!(
            permits <= MAX_PERMITS,
            "a semaphore may not have more than MAX_PERMITS permits"
        );
        Semaphore {
            state: AtomicUsize::new(permits << SHIFT),
            waiters: Mutex::new(Waitlist {
                queue: LinkedList::new(),
                closed: false,
            }),
            resource: Resource::none(),
        }
    }

    /// A semaphore with `permits` free permits.
    #[cfg(loom)]
    pub(crate) fn new(permits: usize) -> Self {
        assert!(
            permits <= MAX_PERMITS,
            "a semaphore may not have more than MAX_PERMITS permits"
        );
        Semaphore {
            state: AtomicUsize::new(permits << SHIFT),
            waiters: Mutex::new(Waitlist {
                queue: LinkedList::new(),
                closed: false,
            }),
            resource: Resource::none(),
        }
    }

    /// This semaphore, carrying `resource` for the primitive built on it.
    #[inline]
    pub(crate) fn traced(self, resource: Resource) -> Self {
        Semaphore { resource, ..self }
    }

    /// The `tracing` resource of the primitive built on this semaphore.
    #[inline]
    pub(crate) fn resource(&self) -> &Resource {
        &self.resource
    }

    /// The number of free permits.
    pub(crate) fn available_permits(&self) -> usize {
        self.state.load(Ordering::Acquire) >> SHIFT
    }

    /// Whether [`Semaphore::close`] was called.
    pub(crate) fn is_closed(&self) -> bool {
        self.state.load(Ordering::Acquire) & CLOSED != 0
    }

    /// Takes `permits` free permits at once, or fails without waiting.
    pub(crate) fn try_acquire(&self, permits: usize) -> Result<(), TryAcquireError> {
        let mut current = self.state.load(Ordering::Acquire);
        loop {
            if current & CLOSED != 0 {
                return Err(TryAcquireError::Closed);
            }
            if current >> SHIFT < permits {
                return Err(TryAcquireError::NoPermits);
            }
            let next = current - (permits << SHIFT);
            match self.state.compare_exchange_weak(
                current,
                next,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return Ok(()),
                Err(actual) => current = actual,
            }
        }
    }

    /// Waits for `permits` permits, in FIFO order with other waiters.
    pub(crate) fn acquire(&self, permits: usize) -> Acquire<'_> {
        Acquire {
            semaphore: self,
            node: Waiter {
                pointers: Pointers::new(),
                remaining: AtomicUsize::new(permits),
                waker: AtomicWaker::new(),
                _pinned: PhantomPinned,
            },
            permits,
            queued: false,
        }
    }

    /// [`acquire`](Semaphore::acquire) as an async operation named `source` on the resource
    /// of the primitive built on this semaphore. Without the `tracing` feature it is `acquire`.
    #[inline]
    pub(crate) fn acquire_traced(
        &self,
        permits: usize,
        source: Source,
    ) -> impl Future<Output = Result<(), AcquireError>> + '_ {
        trace::async_op(&self.resource, source, self.acquire(permits))
    }

    /// Returns `permits` permits: to the oldest waiters first, the rest to the free pool.
    ///
    /// # Panics
    ///
    /// If the free permits would exceed [`MAX_PERMITS`].
    pub(crate) fn release(&self, permits: usize) {
        if permits == 0 {
            return;
        }
        let mut current = self.state.load(Ordering::Relaxed);
        loop {
            if current & HAS_WAITERS != 0 {
                self.release_locked(permits, self.waiters.lock());
                return;
            }
            let next = add_free(current, permits);
            match self.state.compare_exchange_weak(
                current,
                next,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => return,
                Err(actual) => current = actual,
            }
        }
    }

    /// Hands `permits` to the queued waiters in order, then frees what is left; with the queue
    /// empty, clears `HAS_WAITERS`. Wakes the satisfied waiters after unlocking.
    fn release_locked(
        &self,
        mut permits: usize,
        mut waitlist: impl std::ops::DerefMut<Target = Waitlist>,
    ) {
        let mut wakers = WakeList::new();
        while permits > 0 {
            let Some(head) = waitlist.queue.front() else {
                break;
            };
            let needed = head.remaining.load(Ordering::Relaxed);
            if needed > permits {
                head.remaining.store(needed - permits, Ordering::Release);
                permits = 0;
                break;
            }
            permits -= needed;
            let head = waitlist.queue.pop_front().expect("the head was just seen");
            // SAFETY: the waiter's owner frees it only after taking this lock or after seeing
            // `remaining == 0`, which the store below makes as our last access.
            let head = unsafe { head.as_ref() };
            if let Some(waker) = head.waker.take() {
                wakers.push(waker);
            }
            // The last access to the unlinked node (see the module docs).
            head.remaining.store(0, Ordering::Release);
        }
        if waitlist.queue.is_empty() {
            let mut current = self.state.load(Ordering::Relaxed);
            loop {
                let next = add_free(current, permits) & !HAS_WAITERS;
                match self.state.compare_exchange_weak(
                    current,
                    next,
                    Ordering::AcqRel,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => break,
                    Err(actual) => current = actual,
                }
            }
        }
        drop(waitlist);
        wakers.wake_all();
    }

    /// Closes the semaphore: pending and future acquires fail. Permits can still be released.
    pub(crate) fn close(&self) {
        let mut waitlist = self.waiters.lock();
        waitlist.closed = true;
        self.state.fetch_or(CLOSED, Ordering::AcqRel);
        let mut wakers = WakeList::new();
        while let Some(waiter) = waitlist.queue.pop_front() {
            // SAFETY: an unlinked waiter's owner frees it only after taking this lock (its
            // `remaining` stays non-zero), and we hold the lock.
            let waiter = unsafe { waiter.as_ref() };
            if let Some(waker) = waiter.waker.take() {
                wakers.push(waker);
            }
        }
        self.state.fetch_and(!HAS_WAITERS, Ordering::AcqRel);
        drop(waitlist);
        wakers.wake_all();
    }

    /// Removes up to `permits` free permits for good; returns how many were removed.
    pub(crate) fn forget_permits(&self, permits: usize) -> usize {
        let mut current = self.state.load(Ordering::Acquire);
        loop {
            let forgotten = (current >> SHIFT).min(permits);
            let next = current - (forgotten << SHIFT);
            match self.state.compare_exchange_weak(
                current,
                next,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return forgotten,
                Err(actual) => current = actual,
            }
        }
    }

    /// The lock-free attempt: take `permits` if they are free and nobody is queued.
    fn try_acquire_fast(&self, permits: usize) -> Option<Result<(), AcquireError>> {
        match self.try_acquire(permits) {
            Ok(()) => Some(Ok(())),
            Err(TryAcquireError::Closed) => Some(Err(AcquireError)),
            Err(TryAcquireError::NoPermits) => None,
        }
    }

    /// Under the lock: takes the permits if free, or takes what is free and queues the node.
    fn acquire_or_enqueue(
        &self,
        node: Pin<&Waiter>,
        permits: usize,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), AcquireError>> {
        let mut waitlist = self.waiters.lock();
        let mut current = self.state.load(Ordering::Acquire);
        let taken = loop {
            if current & CLOSED != 0 {
                return Poll::Ready(Err(AcquireError));
            }
            let free = current >> SHIFT;
            let (next, taken) = if free >= permits {
                (current - (permits << SHIFT), permits)
            } else {
                ((current & CLOSED) | HAS_WAITERS, free)
            };
            match self.state.compare_exchange_weak(
                current,
                next,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => break taken,
                Err(actual) => current = actual,
            }
        };
        if taken == permits {
            return Poll::Ready(Ok(()));
        }
        let waiter = node.get_ref();
        waiter.remaining.store(permits - taken, Ordering::Relaxed);
        let after = waiter.waker.register_under_lock(cx.waker());
        // SAFETY: the node lives pinned in an `Acquire`, which only ever queues it here, and
        // whose drop unlinks it under this lock unless it saw `remaining == 0` (the last access
        // of whoever unlinked it).
        unsafe { waitlist.queue.push_back(NonNull::from(node.get_ref())) };
        drop(waitlist);
        drop(after);
        Poll::Pending
    }

    /// Re-checks a queued node under the lock, refreshing its waker.
    fn poll_queued(
        &self,
        node: Pin<&Waiter>,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), AcquireError>> {
        let waitlist = self.waiters.lock();
        let waiter = node.get_ref();
        if waiter.remaining.load(Ordering::Acquire) == 0 {
            return Poll::Ready(Ok(()));
        }
        if waitlist.closed {
            return Poll::Ready(Err(AcquireError));
        }
        let after = waiter.waker.register_under_lock(cx.waker());
        drop(waitlist);
        drop(after);
        Poll::Pending
    }

    /// A queued acquire gives up: unlink it and hand back what it was assigned.
    fn cancel(&self, node: Pin<&Waiter>, permits: usize) {
        let waiter = node.get_ref();
        if waiter.remaining.load(Ordering::Acquire) == 0 {
            // Fully assigned and unlinked already: the permits are ours to return.
            self.release(permits);
            return;
        }
        let mut waitlist = self.waiters.lock();
        // SAFETY: the node was only ever pushed into this semaphore's queue.
        unsafe { waitlist.queue.remove(NonNull::from(node.get_ref())) };
        let assigned = permits - waiter.remaining.load(Ordering::Acquire);
        self.release_locked(assigned, waitlist);
    }
}

fn add_free(state: usize, permits: usize) -> usize {
    let free = state >> SHIFT;
    assert!(
        permits <= MAX_PERMITS - free,
        "a semaphore may not have more than MAX_PERMITS permits ({MAX_PERMITS})"
    );
    state + (permits << SHIFT)
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("permits", &self.available_permits())
            .finish()
    }
}

pin_project_lite::pin_project! {
    /// The future of [`Semaphore::acquire`]. Cancel safe: dropped while queued, it gives up its
    /// place and returns whatever permits were already assigned to it.
    pub(crate) struct Acquire<'a> {
        semaphore: &'a Semaphore,
        #[pin]
        node: Waiter,
        permits: usize,
        queued: bool,
    }

    impl PinnedDrop for Acquire<'_> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            if *this.queued {
                this.semaphore.cancel(this.node.as_ref(), *this.permits);
            }
        }
    }
}

/// Whether a first poll yields at once, without taking anything: the task's budget is spent
/// and the permits are free (so nobody waits, and there is no place in line to keep). Taking
/// them and yielding, as Tokio does, would hold a lock across the yield, and every task that
/// tries it meanwhile would queue behind: a convoy that turns each contended lock into a
/// hand-off. An acquire that would wait anyway goes on and queues. When this says yes,
/// `poll_proceed` has arranged the task's wake-up.
fn yield_before_acquiring(semaphore: &Semaphore, permits: usize, cx: &mut Context<'_>) -> bool {
    !coop::has_budget_remaining()
        && semaphore.available_permits() >= permits
        && coop::poll_proceed(cx).is_pending()
}

impl Future for Acquire<'_> {
    type Output = Result<(), AcquireError>;

    /// Takes its place in the queue (or the permits) first, and only then asks the cooperative
    /// budget, as Tokio's does: a task out of budget still queues in FIFO order. If the budget
    /// says "yield" after the permits were taken, the future holds them (marked fully assigned
    /// and `queued`, so that dropping it gives them back) and completes on its next poll. The
    /// one exception is [`yield_before_acquiring`].
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let node = this.node.as_ref();
        let result = if *this.queued {
            // A closed semaphore fails even an acquire that was already given its permits (as
            // Tokio's does); it stays `queued`, so dropping it gives them back.
            if this.semaphore.is_closed() {
                Poll::Ready(Err(AcquireError))
            } else if node.get_ref().remaining.load(Ordering::Acquire) == 0 {
                Poll::Ready(Ok(()))
            } else {
                this.semaphore.poll_queued(node, cx)
            }
        } else if yield_before_acquiring(this.semaphore, *this.permits, cx) {
            return Poll::Pending;
        } else if let Some(result) = this.semaphore.try_acquire_fast(*this.permits) {
            Poll::Ready(result)
        } else {
            let result = this.semaphore.acquire_or_enqueue(node, *this.permits, cx);
            *this.queued = result.is_pending();
            result
        };
        let Poll::Ready(result) = result else {
            return Poll::Pending;
        };
        if result.is_ok() {
            let Poll::Ready(coop) = coop::poll_proceed(cx) else {
                node.get_ref().remaining.store(0, Ordering::Relaxed);
                *this.queued = true;
                return Poll::Pending;
            };
            coop.made_progress();
        }
        // Whatever the outcome, the permits (if any) now belong to the caller.
        *this.queued = result.is_err() && *this.queued;
        Poll::Ready(result)
    }
}
