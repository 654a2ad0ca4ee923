//! The intrusive doubly linked list every eddy crate queues its nodes in.
//!
//! Internal to the eddy crates: public only so that they can share it, with no semver promise.
//! Its users are the waiter queues of `eddy-sync` (a waiting future is the node), the slots of
//! the timer wheel (a `Sleep` is the node) and the executor's list of the tasks a runtime owns
//! (a task's header is the node).
//!
//! # Design
//!
//! The list owns no node: it holds raw pointers to nodes that live elsewhere and carry their
//! own links, a [`Pointers`] field, which a type points the list to by implementing [`Link`].
//! Linking a node therefore never allocates, and unlinking one is O(1) from the node alone.
//! Whoever pushes a node decides what keeps it alive while it is linked: a waiter or a timer is
//! pinned in its future, whose `Drop` unlinks it; a task is reference counted, and the list is
//! given one of its references (the caller forgets it on push and rebuilds it on pop).
//!
//! # Why the unsafe code holds
//!
//! * The links of every linked node are read and written only through `&mut LinkedList` (one
//!   call, [`LinkedList::remove`], also reads those of an unlinked node). The list lives behind
//!   its owner's lock, so holding the guard is what makes touching other nodes' links sound;
//!   methods that take `&self` only read the list's own head and tail, or walk linked nodes by
//!   shared reference.
//! * A linked node is valid memory: [`LinkedList::push_front`] and [`LinkedList::push_back`]
//!   ask their caller to keep it so until it is unlinked, and whoever unlinks it (its owner, or
//!   a party that pops it) decides from then on.
//! * Unlinking clears a node's `prev`, and only a linked node can be the head or have a `prev`:
//!   so a node is linked exactly when its `prev` is set or it is the head, which lets
//!   [`LinkedList::remove`] be called on a node that is linked in this list or in none (a
//!   cancelled waiter that a notifier popped first, a task the list never held). A caller that
//!   knows where its node is (the wheel records each timer's slot) calls
//!   [`LinkedList::unlink`], which skips that check.

use crate::loom::cell::UnsafeCell;
use std::fmt;
use std::marker::PhantomData;
use std::ptr::NonNull;

/// A type whose values can be linked into a [`LinkedList`]: it embeds [`Pointers`].
///
/// # Safety
///
/// [`pointers`](Link::pointers) returns a field of `self`, the same one on every call, so that
/// distinct nodes have distinct links. A node is linked into at most one list at a time through
/// that field (each `LinkedList<T>` a node is pushed into must agree on who holds its lock).
pub unsafe trait Link: Sized {
    /// The node's links.
    fn pointers(&self) -> &Pointers<Self>;
}

/// A node's place in a list: its neighbours, guarded by the lock of the list it is linked in.
pub struct Pointers<T> {
    links: UnsafeCell<Links<T>>,
}

struct Links<T> {
    prev: Option<NonNull<T>>,
    next: Option<NonNull<T>>,
}

impl<T> Clone for Links<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Links<T> {}

impl<T> Links<T> {
    const UNLINKED: Links<T> = Links {
        prev: None,
        next: None,
    };
}

// SAFETY: the links are only followed by whoever holds the list they are linked in (`&mut`,
// under its owner's lock). What that holder can reach through them is other nodes, by shared
// reference (so `T: Sync`) or as pointers it may turn into owned values (so `T: Send`).
unsafe impl<T: Send + Sync> Send for Pointers<T> {}
// SAFETY: as above: `&Pointers` itself gives access to nothing without the list.
unsafe impl<T: Send + Sync> Sync for Pointers<T> {}

impl<T> Pointers<T> {
    /// The links of a node that is not linked anywhere.
    #[inline]
    pub fn new() -> Pointers<T> {
        Pointers {
            links: UnsafeCell::new(Links::UNLINKED),
        }
    }

    /// # Safety
    ///
    /// The caller holds the list this node is linked in (or, for an unlinked node, the list
    /// it may be linked into), so nobody writes these links meanwhile.
    #[inline]
    unsafe fn get(&self) -> Links<T> {
        // SAFETY: nobody writes the links meanwhile (the caller holds the list).
        self.links.with(|links| unsafe { *links })
    }

    /// # Safety
    ///
    /// As for [`Pointers::get`].
    #[inline]
    unsafe fn set(&self, new: Links<T>) {
        // SAFETY: the caller's exclusive access to the links.
        self.links.with_mut(|links| unsafe { *links = new });
    }

    /// # Safety
    ///
    /// As for [`Pointers::get`].
    #[inline]
    unsafe fn set_prev(&self, prev: Option<NonNull<T>>) {
        // SAFETY: the caller's exclusive access to the links.
        self.links.with_mut(|links| unsafe { (*links).prev = prev });
    }

    /// # Safety
    ///
    /// As for [`Pointers::get`].
    #[inline]
    unsafe fn set_next(&self, next: Option<NonNull<T>>) {
        // SAFETY: the caller's exclusive access to the links.
        self.links.with_mut(|links| unsafe { (*links).next = next });
    }
}

impl<T> Default for Pointers<T> {
    fn default() -> Self {
        Pointers::new()
    }
}

impl<T> fmt::Debug for Pointers<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The links are the list's lock holder's to read.
        f.debug_struct("Pointers").finish_non_exhaustive()
    }
}

/// The links of the linked node `node`.
///
/// # Safety
///
/// `node` is valid (linked, or about to be by the caller).
#[inline]
unsafe fn pointers<'a, T: Link>(node: NonNull<T>) -> &'a Pointers<T> {
    // SAFETY: the caller's promise that the node is valid; nodes are only ever reached by
    // shared reference while linked (the links are in a cell).
    unsafe { node.as_ref() }.pointers()
}

/// A doubly linked list of nodes of type `T`: see the module docs.
pub struct LinkedList<T: Link> {
    head: Option<NonNull<T>>,
    tail: Option<NonNull<T>>,
}

// SAFETY: the list is pointers to nodes, followed only through `&mut self` (the owner's lock)
// or, by `&self`, to hand out shared references to linked nodes: moving it moves access to
// `T` values as pointers (`T: Send`) and shared references (`T: Sync`).
unsafe impl<T: Link + Send + Sync> Send for LinkedList<T> {}
// SAFETY: `&LinkedList` only gives shared references to linked nodes, which needs `T: Sync`.
unsafe impl<T: Link + Send + Sync> Sync for LinkedList<T> {}

impl<T: Link> LinkedList<T> {
    /// An empty list.
    #[inline]
    pub const fn new() -> LinkedList<T> {
        LinkedList {
            head: None,
            tail: None,
        }
    }

    /// Whether no node is linked.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    /// Links `node` at the front.
    ///
    /// # Safety
    ///
    /// `node` is linked in no list, and stays valid until it is unlinked from this one; while
    /// linked it is only reached by shared reference. Nothing else than this list's holder
    /// touches its links.
    #[inline]
    pub unsafe fn push_front(&mut self, node: NonNull<T>) {
        // SAFETY: the node is valid and ours to link (the caller's contract); the old head is
        // linked, hence valid, and its links are ours through `&mut self`.
        unsafe {
            pointers(node).set(Links {
                prev: None,
                next: self.head,
            });
            match self.head {
                Some(head) => pointers(head).set_prev(Some(node)),
                None => self.tail = Some(node),
            }
        }
        self.head = Some(node);
    }

    /// Links `node` at the back.
    ///
    /// # Safety
    ///
    /// As for [`push_front`](LinkedList::push_front).
    #[inline]
    pub unsafe fn push_back(&mut self, node: NonNull<T>) {
        // SAFETY: as in `push_front`, with the old tail.
        unsafe {
            pointers(node).set(Links {
                prev: self.tail,
                next: None,
            });
            match self.tail {
                Some(tail) => pointers(tail).set_next(Some(node)),
                None => self.head = Some(node),
            }
        }
        self.tail = Some(node);
    }

    /// The node at the front, if any.
    #[inline]
    pub fn front(&self) -> Option<&T> {
        // SAFETY: a linked node is valid until unlinked, which needs `&mut self`; and it is
        // only reached by shared reference (the contract of the push methods).
        self.head.map(|head| unsafe { head.as_ref() })
    }

    /// Unlinks the node at the front and returns it.
    ///
    /// The node is valid when returned, but whether it stays so is up to the protocol between
    /// the caller and the node's owner (see [`push_front`](LinkedList::push_front)).
    #[inline]
    pub fn pop_front(&mut self) -> Option<NonNull<T>> {
        let head = self.head?;
        // SAFETY: `head` is linked in this list.
        unsafe { self.unlink(head) };
        Some(head)
    }

    /// Unlinks the node at the back and returns it (see [`pop_front`](LinkedList::pop_front)).
    #[inline]
    pub fn pop_back(&mut self) -> Option<NonNull<T>> {
        let tail = self.tail?;
        // SAFETY: `tail` is linked in this list.
        unsafe { self.unlink(tail) };
        Some(tail)
    }

    /// Unlinks `node` if it is linked; returns whether it was.
    ///
    /// # Safety
    ///
    /// `node` is valid, and linked either in this list or in none.
    #[inline]
    pub unsafe fn remove(&mut self, node: NonNull<T>) -> bool {
        // SAFETY: the node is valid; linked here or nowhere, so its links are ours to read.
        let linked = unsafe { pointers(node).get() }.prev.is_some() || self.head == Some(node);
        if linked {
            // SAFETY: a linked node with a `prev`, or the head, is linked in this list.
            unsafe { self.unlink(node) };
        }
        linked
    }

    /// The linked nodes, front to back.
    #[inline]
    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            next: self.head,
            _list: PhantomData,
        }
    }

    /// Unlinks `node`, which the caller knows to be linked here: [`remove`](Self::remove)
    /// without the check.
    ///
    /// # Safety
    ///
    /// `node` is linked in this list.
    #[inline]
    pub unsafe fn unlink(&mut self, node: NonNull<T>) {
        // SAFETY: `node` and its neighbours are linked in this list, hence valid, and their
        // links are ours through `&mut self`.
        unsafe {
            let links = pointers(node);
            let Links { prev, next } = links.get();
            match prev {
                Some(prev) => pointers(prev).set_next(next),
                None => self.head = next,
            }
            match next {
                Some(next) => pointers(next).set_prev(prev),
                None => self.tail = prev,
            }
            // Clearing `prev` is enough to mark the node unlinked: `next` is only ever read
            // from linked nodes, and linking a node sets both.
            links.set_prev(None);
        }
    }
}

impl<T: Link> Default for LinkedList<T> {
    fn default() -> Self {
        LinkedList::new()
    }
}

impl<T: Link> fmt::Debug for LinkedList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LinkedList")
            .field("empty", &self.is_empty())
            .finish_non_exhaustive()
    }
}

/// The nodes of a list, front to back: see [`LinkedList::iter`].
pub struct Iter<'a, T: Link> {
    next: Option<NonNull<T>>,
    _list: PhantomData<&'a LinkedList<T>>,
}

impl<T: Link> fmt::Debug for Iter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter").finish_non_exhaustive()
    }
}

impl<'a, T: Link> Iterator for Iter<'a, T> {
    type Item = &'a T;

    #[inline]
    fn next(&mut self) -> Option<&'a T> {
        let node = self.next?;
        // SAFETY: the list is borrowed for `'a`, so nothing unlinks its nodes meanwhile: `node`
        // is linked, hence valid, and only reached by shared reference. Reading its `next`
        // under a shared borrow of the list is sound because link writes need `&mut` of it.
        unsafe {
            self.next = pointers(node).get().next;
            Some(&*node.as_ptr())
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::{Link, LinkedList, Pointers};
    use std::marker::PhantomPinned;
    use std::pin::Pin;
    use std::ptr::NonNull;

    /// A test node: a number and its links.
    struct Entry {
        pointers: Pointers<Entry>,
        value: u32,
        _pinned: PhantomPinned,
    }

    // SAFETY: `pointers` is a field of the entry; each test links an entry into one list at a
    // time.
    unsafe impl Link for Entry {
        fn pointers(&self) -> &Pointers<Entry> {
            &self.pointers
        }
    }

    fn entry(value: u32) -> Pin<Box<Entry>> {
        Box::pin(Entry {
            pointers: Pointers::new(),
            value,
            _pinned: PhantomPinned,
        })
    }

    fn entries(values: std::ops::Range<u32>) -> Vec<Pin<Box<Entry>>> {
        values.map(entry).collect()
    }

    fn ptr(entry: &Pin<Box<Entry>>) -> NonNull<Entry> {
        NonNull::from(&**entry)
    }

    fn values(list: &LinkedList<Entry>) -> Vec<u32> {
        list.iter().map(|entry| entry.value).collect()
    }

    /// The value of a popped entry, which the test still owns.
    fn value(popped: Option<NonNull<Entry>>) -> Option<u32> {
        // SAFETY: every entry outlives the list in these tests.
        popped.map(|entry| unsafe { entry.as_ref() }.value)
    }

    fn push_all_back(list: &mut LinkedList<Entry>, entries: &[Pin<Box<Entry>>]) {
        for entry in entries {
            // SAFETY: the entries are pinned, unlinked, and outlive the list.
            unsafe { list.push_back(ptr(entry)) };
        }
    }

    #[test]
    fn an_empty_list_has_nothing_to_pop() {
        let mut list = LinkedList::<Entry>::new();
        assert!(list.is_empty());
        assert!(list.front().is_none());
        assert_eq!(value(list.pop_front()), None);
        assert_eq!(value(list.pop_back()), None);
        assert_eq!(values(&list), []);
    }

    #[test]
    fn push_back_then_pop_front_is_first_in_first_out() {
        let entries = entries(0..4);
        let mut list = LinkedList::new();
        push_all_back(&mut list, &entries);
        assert_eq!(values(&list), [0, 1, 2, 3]);
        assert_eq!(list.front().map(|entry| entry.value), Some(0));
        let popped: Vec<_> = std::iter::from_fn(|| value(list.pop_front())).collect();
        assert_eq!(popped, [0, 1, 2, 3]);
        assert!(list.is_empty());
    }

    #[test]
    fn push_front_then_pop_front_is_last_in_first_out() {
        let entries = entries(0..4);
        let mut list = LinkedList::new();
        for entry in &entries {
            // SAFETY: the entries are pinned, unlinked, and outlive the list.
            unsafe { list.push_front(ptr(entry)) };
        }
        assert_eq!(values(&list), [3, 2, 1, 0]);
        assert_eq!(value(list.pop_back()), Some(0));
        assert_eq!(value(list.pop_front()), Some(3));
        assert_eq!(values(&list), [2, 1]);
    }

    #[test]
    fn remove_unlinks_the_head_the_tail_and_the_middle() {
        let entries = entries(0..5);
        let mut list = LinkedList::new();
        push_all_back(&mut list, &entries);
        for (index, left) in [(2, vec![0, 1, 3, 4]), (0, vec![1, 3, 4]), (4, vec![1, 3])] {
            // SAFETY: the entry is alive and linked in this list.
            assert!(unsafe { list.remove(ptr(&entries[index])) });
            assert_eq!(values(&list), left);
        }
        // Both directions still hold together.
        assert_eq!(value(list.pop_back()), Some(3));
        assert_eq!(value(list.pop_back()), Some(1));
        assert!(list.is_empty());
    }

    #[test]
    fn removing_a_node_that_is_not_linked_does_nothing() {
        let entries = entries(0..3);
        let never_pushed = entry(9);
        let mut list = LinkedList::new();
        push_all_back(&mut list, &entries);
        // SAFETY: in each call the entry is alive and linked in this list or in none.
        unsafe {
            assert!(!list.remove(ptr(&never_pushed)));
            assert!(list.remove(ptr(&entries[1])));
            assert!(!list.remove(ptr(&entries[1])), "removed twice");
            assert_eq!(value(list.pop_front()), Some(0));
            assert!(!list.remove(ptr(&entries[0])), "removed after a pop");
        }
        assert_eq!(values(&list), [2]);
        // SAFETY: the entry is alive and linked here.
        assert!(unsafe { list.remove(ptr(&entries[2])) });
        assert!(list.is_empty());
        // SAFETY: as above; the list is empty, so this one is linked nowhere.
        assert!(!unsafe { list.remove(ptr(&entries[2])) });
    }

    #[test]
    fn an_unlinked_node_can_be_linked_again_elsewhere() {
        let entries = entries(0..3);
        let mut first = LinkedList::new();
        let mut second = LinkedList::new();
        push_all_back(&mut first, &entries);
        // SAFETY: the entry is alive and linked in `first`.
        assert!(unsafe { first.remove(ptr(&entries[1])) });
        // SAFETY: it is unlinked now, pinned, and outlives `second`.
        unsafe { second.push_back(ptr(&entries[1])) };
        let moved = first.pop_front().expect("the first list is not empty");
        // SAFETY: as above.
        unsafe { second.push_front(moved) };
        assert_eq!(values(&first), [2]);
        assert_eq!(values(&second), [0, 1]);
        // SAFETY: the entry is alive and linked in `second`.
        assert!(unsafe { second.remove(ptr(&entries[1])) });
        assert_eq!(values(&second), [0]);
    }

    #[test]
    fn a_taken_list_keeps_its_nodes() {
        let entries = entries(0..3);
        let mut slot = LinkedList::new();
        push_all_back(&mut slot, &entries);
        let mut taken = std::mem::take(&mut slot);
        assert!(slot.is_empty());
        assert_eq!(values(&taken), [0, 1, 2]);
        // SAFETY: the entry is alive and linked in `taken`, where the list moved it.
        assert!(unsafe { taken.remove(ptr(&entries[0])) });
        assert_eq!(value(taken.pop_front()), Some(1));
        assert_eq!(values(&taken), [2]);
    }

    #[test]
    fn a_list_can_own_its_nodes_through_raw_handles() {
        let mut list = LinkedList::new();
        let handles: Vec<NonNull<Entry>> = (0..4)
            .map(|value| {
                NonNull::from(Box::leak(Box::new(Entry {
                    pointers: Pointers::new(),
                    value,
                    _pinned: PhantomPinned,
                })))
            })
            .collect();
        for &handle in &handles {
            // SAFETY: the entry is unlinked and leaked: it stays valid until rebuilt below.
            unsafe { list.push_front(handle) };
        }
        // SAFETY: the entry is alive (the list holds it) and linked here.
        assert!(unsafe { list.remove(handles[2]) });
        // SAFETY: the list gave up its handle: the box is ours again.
        drop(unsafe { Box::from_raw(handles[2].as_ptr()) });
        let mut drained = Vec::new();
        while let Some(handle) = list.pop_back() {
            // SAFETY: as above.
            let entry = unsafe { Box::from_raw(handle.as_ptr()) };
            drained.push(entry.value);
        }
        assert_eq!(drained, [0, 1, 3]);
    }
}
