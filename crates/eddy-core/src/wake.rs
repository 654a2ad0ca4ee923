//! Waking a batch of collected wakers after a lock is released, without losing any to a panic.
//!
//! Every primitive and driver collects the wakers of the tasks an event satisfies (a released
//! permit, a notification, I/O readiness, due timers, a delivered signal) while it holds its
//! lock, and wakes them once the lock is released: waking under the lock would let the woken
//! task (on another thread) contend for that very lock at once, and a waker is user code that
//! may re-enter the primitive.
//!
//! A waker may also panic. Tokio drops the wakers left after a panicking one; eddy wakes every
//! one of them first, then resumes the first panic, so one faulty waker costs no other task its
//! wake-up and the panic still reaches whoever caused the wake-ups.
//!
//! [`wake_all`] wakes any collection of wakers that way. [`WakeList`] is the collection the
//! sync primitives use: its first wakers live inline, so the common case (a few waiters) never
//! allocates; the drivers keep a `Vec` between dispatches instead, to reuse its allocation.

use std::panic::{self, AssertUnwindSafe};
use std::task::Waker;

/// Wakes every waker of `wakers`, in order, even if some panic; then resumes the first panic,
/// if there was one (later payloads are dropped).
pub fn wake_all(wakers: impl IntoIterator<Item = Waker>) {
    let mut first_panic = None;
    for waker in wakers {
        // Unwind safety: a waker that panicked has been consumed, and nothing else observed
        // its state; the loop itself holds no state a panic could leave half-updated.
        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| waker.wake())) {
            first_panic.get_or_insert(payload);
        }
    }
    if let Some(payload) = first_panic {
        panic::resume_unwind(payload);
    }
}

/// How many wakers a [`WakeList`] holds before it allocates.
const INLINE: usize = 16;

/// Wakers collected under a lock, to be woken with [`wake_all`](WakeList::wake_all) after it
/// is released (see the module docs).
///
/// ```
/// use eddy_core::wake::WakeList;
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use std::task::{Wake, Waker};
///
/// struct CountWakes(AtomicUsize);
///
/// impl Wake for CountWakes {
///     fn wake(self: Arc<Self>) {
///         self.0.fetch_add(1, Ordering::Relaxed);
///     }
/// }
///
/// let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
/// let mut wakers = WakeList::new();
/// for _ in 0..20 {
///     wakers.push(Waker::from(wakes.clone()));
/// }
/// // ... release the lock the wakers were collected under, then:
/// wakers.wake_all();
/// assert_eq!(wakes.0.load(Ordering::Relaxed), 20);
/// ```
#[derive(Debug)]
pub struct WakeList {
    inline: [Option<Waker>; INLINE],
    len: usize,
    spilled: Vec<Waker>,
}

impl WakeList {
    /// An empty list; it allocates only past its first 16 wakers.
    pub fn new() -> WakeList {
        WakeList {
            inline: [const { None }; INLINE],
            len: 0,
            spilled: Vec::new(),
        }
    }

    /// Adds a waker to wake later.
    pub fn push(&mut self, waker: Waker) {
        if self.len < INLINE {
            self.inline[self.len] = Some(waker);
            self.len += 1;
        } else {
            self.spilled.push(waker);
        }
    }

    /// Wakes every waker collected, in the order they were pushed, even if some panic (see
    /// [`wake_all`]).
    pub fn wake_all(mut self) {
        let spilled = std::mem::take(&mut self.spilled);
        let inline = self.inline[..self.len].iter_mut().filter_map(Option::take);
        wake_all(inline.chain(spilled));
    }
}

impl Default for WakeList {
    fn default() -> WakeList {
        WakeList::new()
    }
}

#[cfg(test)]
mod tests {
    use super::{wake_all, WakeList, INLINE};
    use eddy_test_support::waker::{counting, hooked, PanicOnWake};
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::sync::Arc;

    #[test]
    fn a_wake_list_wakes_every_waker_past_its_inline_ones() {
        let (counter, waker) = counting();
        let mut wakers = WakeList::new();
        for _ in 0..INLINE + 3 {
            wakers.push(waker.clone());
        }
        wakers.wake_all();
        assert_eq!(counter.count(), INLINE + 3);
    }

    #[test]
    fn a_panicking_waker_costs_no_other_its_wake_up() {
        let panicking = Arc::new(PanicOnWake::default());
        let (counter, waker) = counting();
        let mut wakers = WakeList::new();
        wakers.push(waker.clone());
        wakers.push(hooked(panicking.clone()));
        for _ in 0..INLINE {
            wakers.push(waker.clone());
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| wakers.wake_all()));
        assert!(outcome.is_err(), "the waker's panic reaches the caller");
        assert_eq!(panicking.count(), 1);
        assert_eq!(counter.count(), INLINE + 1);
    }

    #[test]
    fn wake_all_resumes_the_first_of_several_panics() {
        let first = Arc::new(PanicOnWake::default());
        let second = Arc::new(PanicOnWake::default());
        let wakers = [hooked(first.clone()), hooked(second.clone())];
        let payload = catch_unwind(AssertUnwindSafe(|| wake_all(wakers))).unwrap_err();
        assert_eq!(
            eddy_test_support::panic_message(&*payload),
            "waker panicked on purpose"
        );
        assert_eq!((first.count(), second.count()), (1, 1));
    }
}
