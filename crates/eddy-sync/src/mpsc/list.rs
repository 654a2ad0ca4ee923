//! The message queue of `mpsc`: a lock-free list of blocks, many writers, one reader.
//!
//! Messages live in blocks of [`BLOCK_CAP`] slots chained by `next` pointers. A position counter
//! numbers the slots; each block spends [`LAP`] positions, one more than its slots, and the spare
//! position (offset `BLOCK_CAP`) means "the next block is being installed". Positions wrap around
//! `usize::MAX` (in four billion messages on a 32-bit target): [`LAP`] is a power of two, so a
//! wrap lands on a block boundary, and every step and distance is computed wrapping.
//!
//! # Writers
//!
//! A writer reads the tail position and the tail block, then claims the position with a
//! compare-and-swap. A successful claim proves the block it read was still the tail block (the
//! block pointer only changes after the position has moved past it), and the block cannot be
//! freed before the reader has read the claimed slot, which nobody has written yet. The writer
//! that claims a block's last slot allocates the next block, publishes it as the tail block, steps
//! the position over the spare position, links it as `next`, and only then writes its own slot.
//! Writing a slot ends with setting its `ready` flag (`Release`); after that the writer never
//! touches the block again.
//!
//! # The reader
//!
//! The single reader keeps its own head (position and block). A slot whose `ready` flag is not
//! set is either not claimed yet (`Empty`) or claimed by a writer still writing (`Busy`). After
//! reading a block's last slot, the reader follows `next` (set before that slot was written) and
//! frees the block: every slot of it has been written and read, so no writer can still hold it.

use crate::loom::cell::UnsafeCell;
use crate::loom::spin;
use crate::loom::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
use crossbeam_utils::CachePadded;
use std::mem::MaybeUninit;
use std::ptr;

/// Slots per block.
#[cfg(not(loom))]
const BLOCK_CAP: usize = 31;
/// Slots per block: tiny under loom, so that small models cross block boundaries.
#[cfg(loom)]
const BLOCK_CAP: usize = 2;
/// Positions per block: the slots and the spare "installing" position.
const LAP: usize = BLOCK_CAP + 1;
#[cfg(not(loom))]
const _: () = assert!(
    LAP.is_power_of_two(),
    "positions must wrap on a block boundary"
);

struct Slot<T> {
    value: UnsafeCell<MaybeUninit<T>>,
    ready: AtomicBool,
}

struct Block<T> {
    next: AtomicPtr<Block<T>>,
    slots: [Slot<T>; BLOCK_CAP],
}

impl<T> Block<T> {
    fn allocate() -> *mut Block<T> {
        Box::into_raw(Box::new(Block {
            next: AtomicPtr::new(ptr::null_mut()),
            slots: std::array::from_fn(|_| Slot {
                value: UnsafeCell::new(MaybeUninit::uninit()),
                ready: AtomicBool::new(false),
            }),
        }))
    }
}

struct Head<T> {
    position: usize,
    block: *mut Block<T>,
}

/// The outcome of [`List::pop`].
pub(crate) enum Pop<T> {
    /// The next message.
    Value(T),
    /// No message has been claimed past the head.
    Empty,
    /// A writer claimed the next slot and is still writing it.
    Busy,
}

/// See the module docs.
pub(crate) struct List<T> {
    tail_position: CachePadded<AtomicUsize>,
    tail_block: CachePadded<AtomicPtr<Block<T>>>,
    head: UnsafeCell<Head<T>>,
}

// SAFETY: values of `T` move from writer threads to the reader thread, so `T: Send` suffices;
// the raw block pointers are shared under the protocol of the module docs.
unsafe impl<T: Send> Send for List<T> {}
// SAFETY: as above; the reader's head is only touched through `pop`/`len`, whose contract makes
// the single reader exclusive.
unsafe impl<T: Send> Sync for List<T> {}

impl<T> List<T> {
    /// An empty list with its first block allocated.
    pub(crate) fn new() -> Self {
        Self::starting_at(0)
    }

    /// An empty list whose first slot has `position` (a multiple of [`LAP`]).
    fn starting_at(position: usize) -> Self {
        let block = Block::allocate();
        List {
            tail_position: CachePadded::new(AtomicUsize::new(position)),
            tail_block: CachePadded::new(AtomicPtr::new(block)),
            head: UnsafeCell::new(Head { position, block }),
        }
    }

    /// Appends `value`. Never blocks for long: it only waits (spinning) while another writer
    /// installs the next block.
    pub(crate) fn push(&self, value: T) {
        let mut position = self.tail_position.load(Ordering::Acquire);
        let mut block = self.tail_block.load(Ordering::Acquire);
        let mut spare: *mut Block<T> = ptr::null_mut();
        let mut attempt = 0;
        loop {
            let offset = position % LAP;
            if offset == BLOCK_CAP {
                spin::backoff(attempt);
                attempt += 1;
                position = self.tail_position.load(Ordering::Acquire);
                block = self.tail_block.load(Ordering::Acquire);
                continue;
            }
            if offset + 1 == BLOCK_CAP && spare.is_null() {
                spare = Block::allocate();
            }
            match self.tail_position.compare_exchange_weak(
                position,
                position.wrapping_add(1),
                Ordering::SeqCst,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    if offset + 1 == BLOCK_CAP {
                        self.tail_block.store(spare, Ordering::Release);
                        self.tail_position.fetch_add(1, Ordering::Release);
                        // SAFETY: our claim proves `block` is the tail block, and it cannot be
                        // freed before our (unwritten) slot is read.
                        unsafe { (*block).next.store(spare, Ordering::Release) };
                        spare = ptr::null_mut();
                    }
                    // SAFETY: as above, `block` is valid; slot `offset` is ours alone to write.
                    unsafe {
                        let slot = &(*block).slots[offset];
                        slot.value.with_mut(|cell| (*cell).write(value));
                        slot.ready.store(true, Ordering::Release);
                    }
                    break;
                }
                Err(_) => {
                    spin::backoff(attempt.min(3));
                    attempt += 1;
                    position = self.tail_position.load(Ordering::Acquire);
                    block = self.tail_block.load(Ordering::Acquire);
                }
            }
        }
        if !spare.is_null() {
            // SAFETY: the spare block was allocated above and never published.
            drop(unsafe { Box::from_raw(spare) });
        }
    }

    /// Takes the next message.
    ///
    /// # Safety
    ///
    /// Only one thread at a time calls `pop` or `len` (the channel's single receiver).
    pub(crate) unsafe fn pop(&self) -> Pop<T> {
        // SAFETY: the caller's contract makes us the only user of the head.
        self.head
            .with_mut(|head| unsafe { self.pop_at(&mut *head) })
    }

    /// # Safety
    ///
    /// `head` is the reader's, exclusively.
    unsafe fn pop_at(&self, head: &mut Head<T>) -> Pop<T> {
        let offset = head.position % LAP;
        // SAFETY: the head block is not freed before the reader moves past it.
        let slot = unsafe { &(*head.block).slots[offset] };
        if !slot.ready.load(Ordering::Acquire) {
            return if self.tail_position.load(Ordering::SeqCst) == head.position {
                Pop::Empty
            } else {
                Pop::Busy
            };
        }
        // SAFETY: `ready` (Acquire) says the writer finished; the value is read exactly once.
        let value = slot
            .value
            .with_mut(|cell| unsafe { (*cell).assume_init_read() });
        head.position = head.position.wrapping_add(1);
        if offset + 1 == BLOCK_CAP {
            // SAFETY: `next` was stored before the last slot was marked ready; every slot of the
            // old block is read, so no writer holds it any more.
            unsafe {
                let next = (*head.block).next.load(Ordering::Acquire);
                drop(Box::from_raw(head.block));
                head.block = next;
            }
            head.position = head.position.wrapping_add(1);
        }
        Pop::Value(value)
    }

    /// The number of claimed slots past the head (including those still being written).
    ///
    /// # Safety
    ///
    /// As for [`List::pop`].
    pub(crate) unsafe fn len(&self) -> usize {
        let tail = self.tail_position.load(Ordering::SeqCst);
        // SAFETY: the caller's contract: nobody moves the head meanwhile.
        let head = self.head.with_mut(|head| unsafe { (*head).position });
        slots_between(head, tail)
    }
}

/// The number of slots from position `head` up to `tail` (spare positions excluded), across a
/// wrap of the positions too: the distance is taken wrapping, then counted from `head`'s offset
/// in its block, which cannot overflow.
fn slots_between(head: usize, tail: usize) -> usize {
    let start = head % LAP;
    let end = start + tail.wrapping_sub(head);
    slots_before(end) - slots_before(start)
}

/// The number of slots that precede `position` (spare positions excluded).
fn slots_before(position: usize) -> usize {
    (position / LAP) * BLOCK_CAP + (position % LAP).min(BLOCK_CAP)
}

impl<T> Drop for List<T> {
    fn drop(&mut self) {
        // Every writer is gone (they hold the channel), so every claimed slot is written.
        // SAFETY: `&mut self`: we are the only user left.
        while let Pop::Value(value) = unsafe { self.pop() } {
            drop(value);
        }
        // SAFETY: as above; the head block is the last one and nobody holds it.
        self.head
            .with_mut(|head| unsafe { drop(Box::from_raw((*head).block)) });
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn positions_wrap_around_usize_max() {
        // Two blocks short of the wrap: the messages cross it and two block boundaries.
        let list = List::starting_at(0usize.wrapping_sub(2 * LAP));
        let count = 3 * BLOCK_CAP;
        for value in 0..count {
            list.push(value);
            // SAFETY: this test is the only reader.
            assert_eq!(unsafe { list.len() }, value + 1);
        }
        for value in 0..count {
            // SAFETY: as above.
            assert!(matches!(unsafe { list.pop() }, Pop::Value(v) if v == value));
            // SAFETY: as above.
            assert_eq!(unsafe { list.len() }, count - value - 1);
        }
        // SAFETY: as above.
        assert!(matches!(unsafe { list.pop() }, Pop::Empty));
    }

    #[test]
    fn slots_between_skips_spare_positions_across_the_wrap() {
        let head = 0usize.wrapping_sub(LAP);
        assert_eq!(slots_between(head, head), 0);
        assert_eq!(slots_between(head, 0), BLOCK_CAP);
        assert_eq!(slots_between(head, LAP + 2), 2 * BLOCK_CAP + 2);
    }
}
