//! An intrusive doubly linked list of waiters.
//!
//! Each waiting future embeds a [`Node`] in its own (pinned) memory, so queueing a waiter never
//! allocates, and a cancelled waiter unlinks itself in O(1). The list is always kept behind the
//! primitive's mutex: every method takes `&mut self`, so holding the guard is what makes touching
//! the links of other nodes sound.
//!
//! Invariants:
//! * a node is linked into at most one list in its whole life, the one its owner pushed it into;
//! * a linked node is valid memory: its owner unlinks it (under the same lock) before the memory
//!   is released, which is what [`LinkedList::push_back`]'s contract asks;
//! * a node is linked exactly when its `prev` is set or it is the list's head; unlinking resets
//!   both links, so "is it still queued?" is answered from the node itself.
//!
//! A node that another thread unlinked (a notifier popping a waiter) is no longer protected by
//! the lock: the owner may free it as soon as it sees the signal the notifier leaves in the node's
//! payload. Notifiers therefore make that signal (a `Release` store) their last access.

use std::cell::UnsafeCell;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::ptr::NonNull;

/// A waiter's place in a list: links owned by the list, and a payload shared with the owner.
#[derive(Debug)]
pub(crate) struct Node<T> {
    links: UnsafeCell<Links<T>>,
    value: T,
    _pinned: PhantomPinned,
}

#[derive(Debug)]
struct Links<T> {
    prev: Option<NonNull<Node<T>>>,
    next: Option<NonNull<Node<T>>>,
}

// SAFETY: the links are only read or written through `&mut LinkedList`, that is under the lock
// that guards the list; the payload is shared as `&T` and so needs `T: Sync` to cross threads.
unsafe impl<T: Send + Sync> Send for Node<T> {}
// SAFETY: as above: `&Node<T>` only exposes `&T`; the links are behind the list's lock.
unsafe impl<T: Send + Sync> Sync for Node<T> {}

impl<T> Node<T> {
    /// A node that is not linked anywhere.
    pub(crate) const fn new(value: T) -> Self {
        Node {
            links: UnsafeCell::new(Links {
                prev: None,
                next: None,
            }),
            value,
            _pinned: PhantomPinned,
        }
    }

    /// The payload, shared between the owner and whoever holds the list's lock.
    pub(crate) fn value(&self) -> &T {
        &self.value
    }
}

/// The list itself: head (oldest) and tail (newest).
#[derive(Debug)]
pub(crate) struct LinkedList<T> {
    head: Option<NonNull<Node<T>>>,
    tail: Option<NonNull<Node<T>>>,
}

// SAFETY: the list holds pointers to nodes whose payloads are `Sync` (see `Node`), and is only
// used behind a mutex, so moving it to another thread moves nothing thread-bound.
unsafe impl<T: Send + Sync> Send for LinkedList<T> {}
// SAFETY: every method that touches a node takes `&mut self`.
unsafe impl<T: Send + Sync> Sync for LinkedList<T> {}

impl<T> LinkedList<T> {
    /// An empty list.
    pub(crate) const fn new() -> Self {
        LinkedList {
            head: None,
            tail: None,
        }
    }

    /// Whether no node is linked.
    pub(crate) fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    /// Links `node` at the back (the newest end).
    ///
    /// # Safety
    ///
    /// `node` is not linked anywhere, is only ever pushed into this list, and its memory stays
    /// valid until it is unlinked again: its owner calls [`LinkedList::remove`] under this list's
    /// lock before the memory goes away, unless it first observed (with `Acquire`) the signal
    /// that whoever popped it leaves as its last access.
    pub(crate) unsafe fn push_back(&mut self, node: Pin<&Node<T>>) {
        let ptr = NonNull::from(node.get_ref());
        // SAFETY: we hold `&mut self` (the lock), the node is valid (the caller's contract) and
        // unlinked, so nobody else reads or writes its links now.
        unsafe {
            *node.links.get() = Links {
                prev: self.tail,
                next: None,
            };
        }
        match self.tail {
            // SAFETY: `tail` is linked, hence valid, and its links are ours under the lock.
            Some(tail) => unsafe { (*tail.as_ref().links.get()).next = Some(ptr) },
            None => self.head = Some(ptr),
        }
        self.tail = Some(ptr);
    }

    /// The oldest node's payload.
    pub(crate) fn front(&self) -> Option<&T> {
        // SAFETY: a linked node is valid while it is linked, and it cannot be unlinked while we
        // hold `&self` of the list (unlinking needs `&mut`).
        self.head.map(|head| unsafe { &(*head.as_ptr()).value })
    }

    /// Unlinks and returns the oldest node's payload.
    ///
    /// The node is the caller's to signal: the reference stays valid until the caller makes the
    /// last access the node's owner is waiting for (see the module docs).
    pub(crate) fn pop_front(&mut self) -> Option<&T> {
        let head = self.head?;
        // SAFETY: `head` is linked, so valid; we hold the lock. See `push_back` for why the
        // returned reference outlives the unlinking until the caller's signal.
        unsafe {
            self.unlink(head);
            Some(&(*head.as_ptr()).value)
        }
    }

    /// Unlinks and returns the newest node's payload (the same rules as [`Self::pop_front`]).
    pub(crate) fn pop_back(&mut self) -> Option<&T> {
        let tail = self.tail?;
        // SAFETY: as in `pop_front`.
        unsafe {
            self.unlink(tail);
            Some(&(*tail.as_ptr()).value)
        }
    }

    /// Unlinks `node` if it is linked; returns whether it was.
    ///
    /// # Safety
    ///
    /// `node` was never pushed into a list other than this one.
    pub(crate) unsafe fn remove(&mut self, node: Pin<&Node<T>>) -> bool {
        let ptr = NonNull::from(node.get_ref());
        // SAFETY: we hold the lock; the node is ours or unlinked, and never in another list.
        let linked = unsafe { (*node.links.get()).prev.is_some() } || self.head == Some(ptr);
        if linked {
            // SAFETY: `ptr` is linked into this list.
            unsafe { self.unlink(ptr) };
        }
        linked
    }

    /// # Safety
    ///
    /// `node` is linked into this list, and we hold its lock (`&mut self`).
    unsafe fn unlink(&mut self, node: NonNull<Node<T>>) {
        // SAFETY: `node` and its neighbours are linked, hence valid; their links are ours.
        unsafe {
            let links = &mut *node.as_ref().links.get();
            match links.prev {
                Some(prev) => (*prev.as_ref().links.get()).next = links.next,
                None => self.head = links.next,
            }
            match links.next {
                Some(next) => (*next.as_ref().links.get()).prev = links.prev,
                None => self.tail = links.prev,
            }
            links.prev = None;
            links.next = None;
        }
    }
}
