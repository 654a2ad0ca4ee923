//! The timer's intrusive node and the slot lists that link nodes together.
//!
//! A `Sleep` embeds one [`Node`]; the wheel links nodes into per-slot doubly linked lists by raw
//! pointer, so registering a timer allocates nothing and removing one is O(1).
//!
//! # Invariants (the safety argument)
//!
//! 1. **A linked node is alive and does not move.** A node is linked only through
//!    `Timer::register` (in `timer.rs`), which takes the node behind `Pin`: the timer is
//!    `!Unpin`, so the node stays at that address until the timer is dropped. The timer's `Drop`
//!    unlinks the node (under the wheel's lock) before its memory goes away; `Pin`'s drop
//!    guarantee means this `Drop` runs before the memory is reused.
//! 2. **Links are guarded by the wheel's lock.** `prev`, `next` and `slot` are read and written
//!    only by code holding the `Mutex` around the wheel: the [`List`]s live inside it, and the
//!    node accessors that touch links are `unsafe fn`s whose contract is "hold that lock".
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
use std::marker::PhantomPinned;
use std::ptr::NonNull;

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
    links: UnsafeCell<Links>,
    /// A deadline tick, [`FIRING`], [`FIRED`] or [`UNREGISTERED`] (invariant 3).
    pub(crate) state: AtomicU64,
    /// The waker of the task waiting for this timer.
    pub(crate) waker: AtomicWaker,
    _pinned: PhantomPinned,
}

#[derive(Clone, Copy)]
struct Links {
    prev: Option<NonNull<Node>>,
    next: Option<NonNull<Node>>,
    /// Which wheel slot the node is linked in (level * 64 + slot), while linked.
    slot: usize,
}

// SAFETY: the raw links are only followed under the wheel's lock (invariant 2) and the other
// fields are atomics or the `AtomicWaker`, which is `Send + Sync`; a node can be used from the
// owner's and the driver's threads.
unsafe impl Send for Node {}
// SAFETY: as above: shared access goes through atomics, or through links under the lock.
unsafe impl Sync for Node {}

impl Node {
    pub(crate) fn new() -> Node {
        Node {
            links: UnsafeCell::new(Links {
                prev: None,
                next: None,
                slot: 0,
            }),
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
        // SAFETY: the caller holds the lock that guards the links (invariant 2).
        self.links.with(|links| unsafe { (*links).slot })
    }

    /// # Safety
    /// The caller holds the wheel's lock.
    unsafe fn links(&self) -> Links {
        // SAFETY: the caller holds the lock that guards the links (invariant 2).
        self.links.with(|links| unsafe { *links })
    }

    /// # Safety
    /// The caller holds the wheel's lock.
    unsafe fn update_links(&self, update: impl FnOnce(&mut Links)) {
        // SAFETY: the caller holds the lock that guards the links (invariant 2), so this is the
        // only access.
        self.links.with_mut(|links| update(unsafe { &mut *links }));
    }
}

/// A doubly linked list of nodes: one wheel slot. Lives inside the wheel's `Mutex`.
pub(crate) struct List {
    head: Option<NonNull<Node>>,
}

// SAFETY: the list only holds pointers to `Sync` nodes and is only reached through the wheel's
// `Mutex`, so moving it to another thread moves nothing thread-bound.
unsafe impl Send for List {}

impl List {
    pub(crate) const fn new() -> List {
        List { head: None }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    /// Links `node` at the front of this list, recording `slot` in it.
    ///
    /// # Safety
    /// `node` is linked in no list, and stays alive and in place until it is removed from this
    /// list (invariant 1). The caller holds the wheel's lock (which `&mut self` implies).
    pub(crate) unsafe fn push_front(&mut self, node: NonNull<Node>, slot: usize) {
        let old_head = self.head;
        // SAFETY: `node` is alive (caller's contract) and we hold the lock.
        unsafe {
            node.as_ref().update_links(|links| {
                *links = Links {
                    prev: None,
                    next: old_head,
                    slot,
                }
            })
        };
        if let Some(old_head) = old_head {
            // SAFETY: nodes in the list are alive (invariant 1) and we hold the lock.
            unsafe {
                old_head
                    .as_ref()
                    .update_links(|links| links.prev = Some(node))
            };
        }
        self.head = Some(node);
    }

    /// Unlinks `node` from this list.
    ///
    /// # Safety
    /// `node` is linked in this list; the caller holds the wheel's lock.
    pub(crate) unsafe fn remove(&mut self, node: NonNull<Node>) {
        // SAFETY: `node` is in this list, hence alive (invariant 1); we hold the lock.
        let links = unsafe { node.as_ref().links() };
        match links.prev {
            // SAFETY: a neighbour in the list is alive (invariant 1); we hold the lock.
            Some(prev) => unsafe { prev.as_ref().update_links(|l| l.next = links.next) },
            None => self.head = links.next,
        }
        if let Some(next) = links.next {
            // SAFETY: as above.
            unsafe { next.as_ref().update_links(|l| l.prev = links.prev) };
        }
    }

    /// Unlinks and returns the first node. The node is alive as long as the caller holds the
    /// lock (its owner's `Drop` must take the lock first).
    pub(crate) fn pop_front(&mut self) -> Option<NonNull<Node>> {
        let head = self.head?;
        // SAFETY: `head` is linked in this list, which is the contract of `remove`; `&mut self`
        // means the caller holds the wheel's lock.
        unsafe { self.remove(head) };
        Some(head)
    }
}
