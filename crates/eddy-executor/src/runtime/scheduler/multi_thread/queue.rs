//! The per-worker local run queue: a fixed-capacity ring the owner uses without locks and other
//! workers steal from in batches.
//!
//! # Layout
//!
//! The ring holds [`CAPACITY`] slots. Positions are `u32` counters that only grow (wrapping);
//! a position maps to the slot `position % CAPACITY`. Two atomics describe the live range:
//!
//! * `tail` (`AtomicU32`): the position the owner writes next. Only the owner stores it.
//! * `head` (`AtomicU64`): two positions packed in one word so that every consumer races on a
//!   single compare-and-swap:
//!   * `real` (low half): the first task not yet claimed. Claiming tasks (the owner popping,
//!     a stealer taking a batch, the owner moving a batch to the injection queue) is a CAS that
//!     advances `real`.
//!   * `steal` (high half): the first slot that may still be read. It equals `real` except while
//!     a stealer copies the batch it claimed, during which `steal` stays at the batch's start.
//!
//! # Invariants
//!
//! * `steal <= real <= tail` (in wrapping order) and `tail - steal <= CAPACITY`.
//! * Slots in `[real, tail)` hold initialised tasks owned by the queue.
//! * Slots in `[steal, real)` hold tasks being copied out by the one stealer that claimed them;
//!   nobody else reads or writes them until that stealer stores `steal = real`.
//! * Only the owner writes slots, and only at `tail`, and only when `tail - steal < CAPACITY`,
//!   so it never overwrites a slot a stealer is still reading.
//! * At most one steal is in flight per queue: a stealer that sees `steal != real` gives up.
//!
//! # Orderings
//!
//! The owner writes a slot, then stores `tail` with `Release`; a stealer loads `tail` with
//! `Acquire` before reading slots below it. A stealer finishes with a `Release` CAS on `head`
//! that moves `steal`; the owner loads `head` with `Acquire` before reusing those slots.
//!
//! # Overflow
//!
//! When the ring is full and no steal is in flight, the owner claims the older half with one CAS
//! and hands it, plus the task it was pushing, to the injection queue as one batch, so a busy
//! worker pays the shared queue's lock once per `CAPACITY / 2` tasks.

use super::inject::Inject;
use crate::loom::cell::UnsafeCell;
use crate::loom::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use crate::loom::sync::Arc;
use std::fmt;
use std::mem::MaybeUninit;

/// Slots per local queue. Small under loom so that models can fill it.
#[cfg(not(loom))]
pub(crate) const CAPACITY: usize = 256;
#[cfg(loom)]
pub(crate) const CAPACITY: usize = 4;

const MASK: usize = CAPACITY - 1;

/// The owner's end of a local queue. Not `Clone`: exactly one worker owns it.
pub(crate) struct Local<T: 'static> {
    inner: Arc<Inner<T>>,
}

/// The stealers' end of a local queue; any worker may hold a clone.
pub(crate) struct Steal<T: 'static>(Arc<Inner<T>>);

struct Inner<T: 'static> {
    /// `steal` in the high 32 bits, `real` in the low 32 bits.
    head: AtomicU64,
    tail: AtomicU32,
    buffer: Box<[UnsafeCell<MaybeUninit<T>>]>,
}

// SAFETY: tasks move between threads through the queue, so `T: Send` is required and enough;
// the slots are only accessed under the ownership protocol in the module docs.
unsafe impl<T: Send> Send for Inner<T> {}
// SAFETY: as above; shared access to a slot is serialised by the `head`/`tail` protocol.
unsafe impl<T: Send> Sync for Inner<T> {}

/// Creates a local queue, returning the stealers' end and the owner's end.
pub(crate) fn local<T: 'static>() -> (Steal<T>, Local<T>) {
    let buffer = (0..CAPACITY)
        .map(|_| UnsafeCell::new(MaybeUninit::uninit()))
        .collect();
    let inner = Arc::new(Inner {
        head: AtomicU64::new(0),
        tail: AtomicU32::new(0),
        buffer,
    });
    (Steal(inner.clone()), Local { inner })
}

fn pack(steal: u32, real: u32) -> u64 {
    (u64::from(steal) << 32) | u64::from(real)
}

fn unpack(head: u64) -> (u32, u32) {
    ((head >> 32) as u32, head as u32)
}

impl<T: 'static> Inner<T> {
    fn slot(&self, position: u32) -> &UnsafeCell<MaybeUninit<T>> {
        &self.buffer[position as usize & MASK]
    }

    /// Moves the task out of the slot at `position`.
    ///
    /// # Safety
    ///
    /// The caller has claimed `position` (it lies in a range it advanced `real` past, or it is the
    /// owner reading a slot below `tail` that nobody else can claim), and the slot is initialised.
    unsafe fn take(&self, position: u32) -> T {
        // SAFETY: the caller owns the slot and it holds an initialised task (contract above).
        self.slot(position)
            .with(|ptr| unsafe { (*ptr).assume_init_read() })
    }

    /// Writes `task` into the slot at `position`.
    ///
    /// # Safety
    ///
    /// Only the owner calls this, with `position` in `[tail, steal + CAPACITY)`, a range no other
    /// thread reads until `tail` is published past it.
    unsafe fn put(&self, position: u32, task: T) {
        // SAFETY: the caller has exclusive access to the slot (contract above).
        self.slot(position)
            .with_mut(|ptr| unsafe { (*ptr).write(task) });
    }

    fn len(&self) -> usize {
        let (_, real) = unpack(self.head.load(Ordering::Acquire));
        let tail = self.tail.load(Ordering::Acquire);
        tail.wrapping_sub(real) as usize
    }
}

impl<T: 'static> Local<T> {
    /// Whether the queue holds tasks that stealers could take.
    pub(crate) fn has_tasks(&self) -> bool {
        self.inner.len() > 0
    }

    /// The number of queued tasks (a snapshot).
    pub(crate) fn len(&self) -> usize {
        self.inner.len()
    }

    /// How many tasks [`push_back_batch`](Local::push_back_batch) may add without overflowing.
    pub(crate) fn remaining_slots(&self) -> usize {
        let (steal, _) = unpack(self.inner.head.load(Ordering::Acquire));
        let tail = self.inner.tail.load(Ordering::Relaxed);
        CAPACITY - tail.wrapping_sub(steal) as usize
    }

    /// Pushes tasks that are known to fit (see [`remaining_slots`](Local::remaining_slots)),
    /// publishing them with one store.
    ///
    /// # Panics
    ///
    /// If `tasks` yields more than the free slots.
    pub(crate) fn push_back_batch(&mut self, tasks: impl Iterator<Item = T>) {
        let (steal, _) = unpack(self.inner.head.load(Ordering::Acquire));
        // Only this thread stores `tail`, so a relaxed load reads our own last store.
        let mut tail = self.inner.tail.load(Ordering::Relaxed);
        for task in tasks {
            assert!(
                (tail.wrapping_sub(steal) as usize) < CAPACITY,
                "eddy: local run queue batch does not fit"
            );
            // SAFETY: we are the owner and `tail - steal < CAPACITY`: no stealer reads this slot.
            unsafe { self.inner.put(tail, task) };
            tail = tail.wrapping_add(1);
        }
        self.inner.tail.store(tail, Ordering::Release);
    }

    /// Pushes a task; when the ring is full, moves half of it and `task` to `inject` in one batch.
    pub(crate) fn push_back_or_overflow(&mut self, mut task: T, inject: &Inject<T>) {
        loop {
            let (steal, real) = unpack(self.inner.head.load(Ordering::Acquire));
            let tail = self.inner.tail.load(Ordering::Relaxed);
            if (tail.wrapping_sub(steal) as usize) < CAPACITY {
                // SAFETY: we are the owner and `tail - steal < CAPACITY`: no stealer reads it.
                unsafe { self.inner.put(tail, task) };
                self.inner
                    .tail
                    .store(tail.wrapping_add(1), Ordering::Release);
                return;
            }
            if steal != real {
                // A stealer is making room right now; the shared queue takes this one task.
                inject.push_batch(std::iter::once(task));
                return;
            }
            match self.overflow_half(task, real, tail, inject) {
                Ok(()) => return,
                Err(returned) => task = returned,
            }
        }
    }

    /// Claims the older half of a full ring and moves it, then `task`, to `inject`. Fails (giving
    /// `task` back) if a stealer claimed tasks first; the caller then finds room and retries.
    fn overflow_half(
        &mut self,
        task: T,
        real: u32,
        tail: u32,
        inject: &Inject<T>,
    ) -> Result<(), T> {
        const HALF: u32 = (CAPACITY / 2) as u32;
        debug_assert_eq!(tail.wrapping_sub(real) as usize, CAPACITY);
        let claimed = real.wrapping_add(HALF);
        if self
            .inner
            .head
            .compare_exchange(
                pack(real, real),
                pack(claimed, claimed),
                Ordering::Release,
                Ordering::Relaxed,
            )
            .is_err()
        {
            return Err(task);
        }
        let inner = &*self.inner;
        let batch = (0..HALF).map(|offset| {
            // SAFETY: the CAS moved `real` and `steal` past `[real, claimed)`, so no stealer can
            // reach these slots; we are the only thread that writes slots and they are
            // initialised because they were below `tail`.
            unsafe { inner.take(real.wrapping_add(offset)) }
        });
        inject.push_batch(batch.chain(std::iter::once(task)));
        Ok(())
    }

    /// Pops the oldest task.
    pub(crate) fn pop(&mut self) -> Option<T> {
        let mut head = self.inner.head.load(Ordering::Acquire);
        loop {
            let (steal, real) = unpack(head);
            let tail = self.inner.tail.load(Ordering::Relaxed);
            if real == tail {
                return None;
            }
            let next_real = real.wrapping_add(1);
            // Leave `steal` alone while a stealer copies; otherwise it follows `real`.
            let next = if steal == real {
                pack(next_real, next_real)
            } else {
                pack(steal, next_real)
            };
            match self.inner.head.compare_exchange_weak(
                head,
                next,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                // SAFETY: the CAS claimed `real`, which is below `tail` and so initialised; the
                // owner (us) is the only writer and will not reuse it before this read.
                Ok(_) => return Some(unsafe { self.inner.take(real) }),
                Err(actual) => head = actual,
            }
        }
    }
}

impl<T: 'static> Steal<T> {
    /// Whether the victim looks empty (a snapshot, for cheap skipping).
    pub(crate) fn is_empty(&self) -> bool {
        self.0.len() == 0
    }

    /// The number of queued tasks (a snapshot, for metrics).
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Moves about half of this queue's tasks into `dst` and returns one of them to run now.
    ///
    /// Returns `None` if the victim is empty, another steal from it is in flight, or `dst` is more
    /// than half full.
    pub(crate) fn steal_into(&self, dst: &mut Local<T>) -> Option<T> {
        let dst_tail = dst.inner.tail.load(Ordering::Relaxed);
        let (dst_steal, _) = unpack(dst.inner.head.load(Ordering::Acquire));
        if dst_tail.wrapping_sub(dst_steal) as usize > CAPACITY / 2 {
            return None;
        }
        let count = self.claim_half()?;
        self.copy_claimed(count, dst, dst_tail);
        // Hand the newest stolen task to the caller, publish the rest to `dst`'s stealers.
        let last = dst_tail.wrapping_add(count - 1);
        // SAFETY: `dst` is ours; `last` was written by `copy_claimed` and is not yet published,
        // so no stealer of `dst` can see it.
        let task = unsafe { dst.inner.take(last) };
        if count > 1 {
            dst.inner.tail.store(last, Ordering::Release);
        }
        Some(task)
    }

    /// Claims the older half (rounded up) of the victim's tasks by advancing `real` and leaving
    /// `steal` behind. Returns how many were claimed.
    fn claim_half(&self) -> Option<u32> {
        let mut head = self.0.head.load(Ordering::Acquire);
        loop {
            let (steal, real) = unpack(head);
            if steal != real {
                return None;
            }
            let tail = self.0.tail.load(Ordering::Acquire);
            let available = tail.wrapping_sub(real);
            let count = available - available / 2;
            if count == 0 {
                return None;
            }
            let claimed = pack(steal, real.wrapping_add(count));
            match self
                .0
                .head
                .compare_exchange(head, claimed, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => return Some(count),
                Err(actual) => head = actual,
            }
        }
    }

    /// Copies the `count` claimed tasks (starting at the victim's `steal`) into `dst` starting at
    /// `dst_tail`, then releases them by moving the victim's `steal` up to its current `real`.
    fn copy_claimed(&self, count: u32, dst: &mut Local<T>, dst_tail: u32) {
        let (first, _) = unpack(self.0.head.load(Ordering::Acquire));
        for offset in 0..count {
            // SAFETY: `[first, first + count)` was claimed by our CAS and stays reserved while
            // `steal == first`; the slots are initialised (they were below the victim's `tail`).
            let task = unsafe { self.0.take(first.wrapping_add(offset)) };
            // SAFETY: `dst` is ours and had at most `CAPACITY / 2` tasks, so these slots are free
            // and unpublished.
            unsafe { dst.inner.put(dst_tail.wrapping_add(offset), task) };
        }
        let mut head = self.0.head.load(Ordering::Acquire);
        loop {
            let (steal, real) = unpack(head);
            debug_assert_eq!(steal, first, "eddy: two steals in flight on one queue");
            match self.0.head.compare_exchange(
                head,
                pack(real, real),
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return,
                Err(actual) => head = actual,
            }
        }
    }
}

impl<T: 'static> Clone for Steal<T> {
    fn clone(&self) -> Steal<T> {
        Steal(self.0.clone())
    }
}

impl<T: 'static> Drop for Inner<T> {
    /// Drops the tasks still queued; by now no other thread holds the queue.
    fn drop(&mut self) {
        let (_, real) = unpack(self.head.load(Ordering::Relaxed));
        let tail = self.tail.load(Ordering::Relaxed);
        let mut position = real;
        while position != tail {
            // SAFETY: we are the last owner (this is `Drop` of the shared state), no steal is in
            // flight, and `[real, tail)` holds initialised tasks.
            drop(unsafe { self.take(position) });
            position = position.wrapping_add(1);
        }
    }
}

impl<T: 'static> fmt::Debug for Local<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Local")
            .field("len", &self.inner.len())
            .finish()
    }
}

impl<T: 'static> fmt::Debug for Steal<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Steal").field("len", &self.0.len()).finish()
    }
}
