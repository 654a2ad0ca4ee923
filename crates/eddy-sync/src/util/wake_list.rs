//! Wakers collected under a lock, woken after it is released.
//!
//! Waking while holding a primitive's lock would let the woken task (on another thread) contend
//! for that very lock at once. The first few wakers live inline; more spill to the heap, which
//! only wake-everyone paths with many waiters ever reach.

use std::task::Waker;

const INLINE: usize = 16;

/// See the module docs.
#[derive(Debug)]
pub(crate) struct WakeList {
    inline: [Option<Waker>; INLINE],
    len: usize,
    spilled: Vec<Waker>,
}

impl WakeList {
    /// An empty list.
    pub(crate) fn new() -> Self {
        WakeList {
            inline: [const { None }; INLINE],
            len: 0,
            spilled: Vec::new(),
        }
    }

    /// Adds a waker to wake later.
    pub(crate) fn push(&mut self, waker: Waker) {
        if self.len < INLINE {
            self.inline[self.len] = Some(waker);
            self.len += 1;
        } else {
            self.spilled.push(waker);
        }
    }

    /// Wakes every waker collected.
    pub(crate) fn wake_all(mut self) {
        for waker in self.inline[..self.len].iter_mut().filter_map(Option::take) {
            waker.wake();
        }
        for waker in self.spilled.drain(..) {
            waker.wake();
        }
    }
}
