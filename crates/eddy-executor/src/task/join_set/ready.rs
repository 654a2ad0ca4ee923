//! The ready list of a `JoinSet`: keys of the entries whose task may have completed.
//!
//! Each entry's join waker pushes the entry's key here and wakes the waker of whoever waits in
//! `join_next`; `join_next` pops keys one by one, so finding a completed task costs O(1) per
//! wake-up instead of a scan over every handle. One mutex guards the queue and the waiting
//! waker together, so a push either sees the registered waker or happens before the waiter's
//! next look at the queue: no wake-up is lost. No user waker is cloned, woken or dropped while
//! the mutex is held.

use crate::loom::sync::Mutex;
use std::collections::VecDeque;
use std::task::Waker;

/// Names an entry of a `JoinSet`: its slot, and the generation that tells a reused slot's new
/// entry from the one a stale key was pushed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Key {
    pub(super) index: usize,
    pub(super) generation: u64,
}

/// Keys to look at, and the waker of the `join_next` that waits for one.
pub(super) struct ReadyList {
    inner: Mutex<Inner>,
}

struct Inner {
    keys: VecDeque<Key>,
    waiter: Option<Waker>,
}

impl ReadyList {
    pub(super) fn new() -> ReadyList {
        ReadyList {
            inner: Mutex::new(Inner {
                keys: VecDeque::new(),
                waiter: None,
            }),
        }
    }

    /// Queues `key` and wakes the waiter, if one is registered.
    pub(super) fn push_and_wake(&self, key: Key) {
        let waiter = {
            let mut inner = self.inner.lock();
            inner.keys.push_back(key);
            inner.waiter.take()
        };
        if let Some(waiter) = waiter {
            waiter.wake();
        }
    }

    /// Queues `key` without waking anyone (a new entry: its owner is not waiting right now).
    pub(super) fn push_quiet(&self, key: Key) {
        self.inner.lock().keys.push_back(key);
    }

    /// The oldest queued key.
    pub(super) fn pop(&self) -> Option<Key> {
        self.inner.lock().keys.pop_front()
    }

    /// The oldest queued key, or, if there is none, registers `waker` to be woken by the next
    /// push.
    ///
    /// The user's waker is cloned, and the one it replaces dropped, outside the lock: either may
    /// run arbitrary code, even code that pushes to this list. A key pushed while the clone is
    /// made is found by the second look, so no wake-up falls between the two.
    pub(super) fn pop_or_register(&self, waker: &Waker) -> Option<Key> {
        {
            let mut inner = self.inner.lock();
            if let Some(key) = inner.keys.pop_front() {
                return Some(key);
            }
            if inner.waiter.as_ref().is_some_and(|w| w.will_wake(waker)) {
                return None;
            }
        }
        let waker = waker.clone();
        let mut inner = self.inner.lock();
        let (key, unused) = match inner.keys.pop_front() {
            Some(key) => (Some(key), Some(waker)),
            None => (None, inner.waiter.replace(waker)),
        };
        drop(inner);
        drop(unused);
        key
    }

    /// Forgets every queued key (the entries are gone).
    pub(super) fn clear(&self) {
        self.inner.lock().keys.clear();
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::{Key, ReadyList};
    use eddy_test_support::waker::{hooked, OutsideLock};
    use std::sync::Arc;

    /// Counts the clones and drops of a waker made while the list's lock was free.
    fn sees_lock_free(list: &Arc<ReadyList>) -> Arc<OutsideLock> {
        let list = Arc::downgrade(list);
        OutsideLock::new(move || {
            list.upgrade()
                .is_some_and(|list| list.inner.try_lock().is_some())
        })
    }

    #[test]
    fn the_waiters_waker_is_cloned_and_dropped_outside_the_lock() {
        let list = Arc::new(ReadyList::new());
        let (first, second) = (sees_lock_free(&list), sees_lock_free(&list));
        assert_eq!(list.pop_or_register(&hooked(first.clone())), None);
        // Another waker replaces the stored clone of the first, which is dropped.
        assert_eq!(list.pop_or_register(&hooked(second.clone())), None);
        assert_eq!((first.clones(), first.drops()), (1, 2));
        assert_eq!(second.clones(), 1);
        list.push_and_wake(Key {
            index: 0,
            generation: 0,
        });
        assert_eq!(list.pop().map(|key| key.index), Some(0));
    }
}
