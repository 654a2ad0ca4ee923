//! The hierarchical timing wheel.
//!
//! Time is counted in ticks of one millisecond since the driver started. The wheel has six
//! levels of 64 slots: a slot of level `n` covers `64^n` ticks, so level 0 resolves single
//! milliseconds for the next 64 ms and level 5 covers about 2.2 years. A timer is filed by the
//! highest bit in which its deadline differs from `elapsed` (the tick the wheel has processed up
//! to): the further away, the coarser the level. Deadlines past the top level's range wrap
//! around in it and are simply re-filed when their slot comes up.
//!
//! Processing up to `now` repeatedly takes the earliest occupied slot whose start is due,
//! moves `elapsed` to that start, and empties the slot: timers whose deadline has come fire,
//! the others are re-filed one level lower (nearer slots, finer resolution). Inserting and
//! removing are O(1); each timer is re-filed at most once per level, so firing is O(1)
//! amortised. Finding the next slot is a bit scan of each level's `occupied` mask.
//!
//! Invariant: no occupied slot starts at or before `elapsed`, except the wrapped slot of the
//! top level, whose next occurrence is one full turn later. Every timer in the wheel has a
//! deadline after `elapsed`, and it sits in the slot given by its deadline at filing time.

use super::entry::{is_linked, List, Node, FIRED, FIRING};
use crate::loom::sync::atomic::Ordering;
use std::ptr::NonNull;
use std::task::Waker;

const LEVELS: usize = 6;
const SLOT_BITS: usize = 6;
const SLOTS: usize = 1 << SLOT_BITS;

pub(crate) struct Wheel {
    elapsed: u64,
    levels: [Level; LEVELS],
}

struct Level {
    /// Bit `i` is set when slot `i` is not empty.
    occupied: u64,
    slots: [List; SLOTS],
}

/// The earliest slot due, and the tick at which it is due.
struct Expiration {
    level: usize,
    slot: usize,
    deadline: u64,
}

impl Wheel {
    pub(crate) fn new() -> Wheel {
        Wheel {
            elapsed: 0,
            levels: std::array::from_fn(|_| Level {
                occupied: 0,
                slots: std::array::from_fn(|_| List::new()),
            }),
        }
    }

    /// The tick up to which timers have been processed.
    pub(crate) fn elapsed(&self) -> u64 {
        self.elapsed
    }

    /// Files `node` for deadline `when`, which must be after [`elapsed`](Wheel::elapsed).
    ///
    /// # Safety
    /// The contract of [`List::push_front`]: `node` is not linked, and stays alive and in place
    /// until removed. Its `state` is `when`.
    pub(crate) unsafe fn insert(&mut self, node: NonNull<Node>, when: u64) {
        debug_assert!(when > self.elapsed);
        let level = level_for(self.elapsed, when);
        let slot = slot_for(level, when);
        // SAFETY: forwarded from the caller; `&mut self` means we hold the wheel's lock.
        unsafe {
            node.as_ref().set_slot(level * SLOTS + slot);
            self.levels[level].slots[slot].push_front(node);
        }
        self.levels[level].occupied |= 1 << slot;
    }

    /// Unlinks `node` from its slot.
    ///
    /// # Safety
    /// `node` is linked in this wheel (its `state` is a tick).
    pub(crate) unsafe fn remove(&mut self, node: NonNull<Node>) {
        // SAFETY: the node is linked here, hence alive; `&mut self` means we hold the lock.
        let index = unsafe { node.as_ref().slot() };
        let (level, slot) = (index / SLOTS, index % SLOTS);
        let list = &mut self.levels[level].slots[slot];
        // SAFETY: the node is linked in the slot it records.
        unsafe { list.unlink(node) };
        if list.is_empty() {
            self.levels[level].occupied &= !(1 << slot);
        }
    }

    /// The tick at which the earliest occupied slot is due, if any timer is filed. It may be
    /// earlier than any timer's deadline (a coarse slot is due at its start).
    pub(crate) fn next_deadline(&self) -> Option<u64> {
        self.next_expiration().map(|expiration| expiration.deadline)
    }

    /// Fires every timer whose deadline is at or before `now`, pushing their wakers on `fired`
    /// in deadline order.
    pub(crate) fn process(&mut self, now: u64, fired: &mut Vec<Waker>) {
        while let Some(expiration) = self.next_expiration() {
            if expiration.deadline > now {
                break;
            }
            self.elapsed = expiration.deadline;
            self.empty_slot(expiration.level, expiration.slot, fired);
        }
        self.elapsed = self.elapsed.max(now);
    }

    /// Fires every timer in the wheel (the driver is shutting down).
    pub(crate) fn fire_all(&mut self, fired: &mut Vec<Waker>) {
        for level in &mut self.levels {
            for list in &mut level.slots {
                while let Some(node) = list.pop_front() {
                    // SAFETY: a node stays alive while we hold the lock, even once unlinked:
                    // its owner's `Drop` waits for the lock (entry invariant 4).
                    let node = unsafe { node.as_ref() };
                    node.state.store(FIRING, Ordering::Relaxed);
                    fire(node, fired);
                }
            }
            level.occupied = 0;
        }
    }

    fn empty_slot(&mut self, level: usize, slot: usize, fired: &mut Vec<Waker>) {
        let mut list = std::mem::take(&mut self.levels[level].slots[slot]);
        self.levels[level].occupied &= !(1 << slot);
        // Nodes of `list` are linked nowhere the owners could look, but they cannot be dropped
        // meanwhile: that needs the lock we hold. Each is fired or filed again before we return.
        while let Some(node) = list.pop_front() {
            self.fire_or_refile(node, fired);
        }
    }

    fn fire_or_refile(&mut self, node: NonNull<Node>, fired: &mut Vec<Waker>) {
        // SAFETY: as in `fire_all`: the owner cannot finish dropping the node while we hold the
        // lock.
        let entry = unsafe { node.as_ref() };
        let mut when = entry.state.load(Ordering::Acquire);
        loop {
            debug_assert!(is_linked(when));
            if when > self.elapsed {
                // Not due (its owner pushed the deadline later): file it again.
                // SAFETY: the node is unlinked and alive; its owner's `Drop` will unlink it.
                unsafe { self.insert(node, when) };
                return;
            }
            // The owner may move the deadline later concurrently (without the lock); only fire
            // if it did not.
            match entry
                .state
                .compare_exchange(when, FIRING, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => {
                    fire(entry, fired);
                    return;
                }
                Err(actual) => when = actual,
            }
        }
    }

    fn next_expiration(&self) -> Option<Expiration> {
        // A lower level's occupied slots always come before a higher level's (see the module
        // docs), so the first non-empty level has the earliest slot.
        (0..LEVELS)
            .find(|&level| self.levels[level].occupied != 0)
            .map(|level| self.level_expiration(level))
    }

    fn level_expiration(&self, level: usize) -> Expiration {
        let slot_span = 1u64 << (SLOT_BITS * level);
        let level_span = slot_span << SLOT_BITS;
        let current = slot_for(level, self.elapsed);
        // No level's current slot holds a timer due this turn: at level 0 it is the tick
        // already processed, and higher up it can only hold timers that wrapped around the top
        // level, which come last. So the search starts one slot on.
        let first = current + 1;
        let ahead = self.levels[level]
            .occupied
            .rotate_right((first % SLOTS) as u32);
        let slot = (first + ahead.trailing_zeros() as usize) % SLOTS;
        let level_start = self.elapsed & !(level_span - 1);
        let mut deadline = level_start + slot as u64 * slot_span;
        if deadline <= self.elapsed && level > 0 {
            // Only the top level wraps: this slot's next turn is one level span away.
            deadline += level_span;
        }
        Expiration {
            level,
            slot,
            deadline,
        }
    }
}

/// Takes the waker of a node in the `FIRING` state and hands the node back to its owner.
fn fire(node: &Node, fired: &mut Vec<Waker>) {
    fired.extend(node.waker.take());
    // The driver's last touch of the node: once its owner sees FIRED it may free the node
    // without the lock (entry invariant 4).
    node.state.store(FIRED, Ordering::Release);
}

/// The level for a deadline `when` seen from `elapsed`: where their highest differing bit is.
fn level_for(elapsed: u64, when: u64) -> usize {
    let differing = (elapsed ^ when) | (SLOTS as u64 - 1);
    let highest_bit = 63 - differing.leading_zeros() as usize;
    (highest_bit / SLOT_BITS).min(LEVELS - 1)
}

fn slot_for(level: usize, when: u64) -> usize {
    ((when >> (SLOT_BITS * level)) as usize) % SLOTS
}
