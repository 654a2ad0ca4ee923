//! The timer's intrusive node, which the wheel's slots link together.
//!
//! A `Sleep` embeds one [`Node`]; the wheel links nodes into per-slot lists (`eddy_core`'s
//! intrusive [`LinkedList`]) by raw pointer, so registering a timer allocates nothing and
//! removing one is O(1).
//!
//! # Invariants (the safety argument)
//!
//! 1. **A linked node is alive and does not move.** A node is linked only through
//!    `Timer::register` (in `timer.rs`), which takes the node behind `Pin`: the timer is
//!    `!Unpin`, so the node stays at that address until the timer is dropped. The timer's `Drop`
//!    unlinks the node (under the wheel's lock) before its memory goes away; `Pin`'s drop
//!    guarantee means this `Drop` runs before the memory is reused.
//! 2. **Links are guarded by the wheel's lock.** The links and `slot` are read and written only
//!    by code holding the `Mutex` around the wheel: the [`List`]s live inside it, and the node
//!    accessors of `slot` are `unsafe fn`s whose contract is "hold that lock".
//! 3. **`state` says whether a node is linked.** A tick value (`< FIRING`) means linked in the
//!    slot recorded in `slot`; [`FIRING`], [`FIRED`] and [`UNREGISTERED`] mean linked nowhere.
//!    Moves to and from "linked" happen under the lock; the owner may only move a tick to a
//!    later tick without it (the node stays in a slot no later than its deadline, and the driver
//!    re-files it when it gets there).
//! 4. **The driver touches a node only under the lock, and lets go of a fired node with its
//!    last write.** Firing moves the state to [`FIRING`], takes the waker, and ends with a
//!    `Release` store of [`FIRED`], after which the driver never reads or writes the node again
//!    (the wakers it calls later are owned values). So an owner that loads `FIRED` with
//!    `Acquire` may let the node go without the lock; in any other linked or firing state it
//!    takes the lock (as `Drop` does), which it only gets once the driver is done.

use crate::loom::cell::UnsafeCell;
use crate::loom::sync::atomic::AtomicU64;
use eddy_core::atomic_waker::AtomicWaker;
use eddy_core::linked_list::{Link, LinkedList, Pointers};
use std::marker::PhantomPinned;

/// `state` of a timer that has never been filed in the wheel.
pub(crate) const UNREGISTERED: u64 = u64::MAX;
/// `state` of a timer whose deadline has passed (or whose driver shut down), once the driver
/// is done with it.
pub(crate) const FIRED: u64 = u64::MAX - 1;
/// `state` of a timer the driver is firing: due, but its node still in the driver's hands.
pub(crate) const FIRING: u64 = u64::MAX - 2;
/// The largest deadline tick; later deadlines (thousands of millennia away) saturate to it.
pub(crate) const MAX_TICK: u64 = 1 << 62;

/// Whether a `state` value is a deadline tick, that is, the node is linked in the wheel.
pub(crate) fn is_linked(state: u64) -> bool {
    state < FIRING
}

/// Whether a `state` value means the deadline has been reached.
pub(crate) fn is_due(state: u64) -> bool {
    state == FIRED || state == FIRING
}

/// One timer's entry in the wheel.
pub(crate) struct Node {
    /// Links in the wheel slot the node is filed in (invariant 2).
    pointers: Pointers<Node>,
    /// Which wheel slot the node is linked in (level * 64 + slot), while linked; guarded by the
    /// wheel's lock like the links (invariant 2).
    slot: UnsafeCell<usize>,
    /// A deadline tick, [`FIRING`], [`FIRED`] or [`UNREGISTERED`] (invariant 3).
    pub(crate) state: AtomicU64,
    /// The waker of the task waiting for this timer.
    pub(crate) waker: AtomicWaker,
    _pinned: PhantomPinned,
}

// SAFETY: the links and the slot are only touched under the wheel's lock (invariant 2) and the
// other fields are atomics or the `AtomicWaker`, which is `Send + Sync`; a node can be used from
// the owner's and the driver's threads.
unsafe impl Send for Node {}
// SAFETY: as above: shared access goes through atomics, or through links under the lock.
unsafe impl Sync for Node {}

// SAFETY: `pointers` is a field of the node, and a node is linked in at most one slot list of
// the one wheel its timer registers with (invariant 3), all behind that wheel's lock.
unsafe impl Link for Node {
    #[inline]
    fn pointers(&self) -> &Pointers<Node> {
        &self.pointers
    }
}

impl Node {
    pub(crate) fn new() -> Node {
        Node {
            pointers: Pointers::new(),
            slot: UnsafeCell::new(0),
            state: AtomicU64::new(UNREGISTERED),
            waker: AtomicWaker::new(),
            _pinned: PhantomPinned,
        }
    }

    /// The slot the node is linked in.
    ///
    /// # Safety
    /// The caller holds the wheel's lock and the node is linked.
    pub(crate) unsafe fn slot(&self) -> usize {
        // SAFETY: the caller holds the lock that guards the slot (invariant 2).
        self.slot.with(|slot| unsafe { *slot })
    }

    /// Records the slot the node is being linked in.
    ///
    /// # Safety
    /// The caller holds the wheel's lock.
    pub(crate) unsafe fn set_slot(&self, slot: usize) {
        // SAFETY: the caller holds the lock that guards the slot (invariant 2), so this is the
        // only access.
        self.slot.with_mut(|cell| unsafe { *cell = slot });
    }
}

/// One wheel slot: the nodes filed in it. Lives inside the wheel's `Mutex`.
pub(crate) type List = LinkedList<Node>;
