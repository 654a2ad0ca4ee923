//! The shared side of a time driver: the wheel behind its lock, the clock, and the wake-up path.
//!
//! Any thread may file or remove a timer through a [`Handle`]; only the driver's thread
//! processes the wheel. When the driver is about to park it records, under the lock, the tick it
//! will sleep until (`sleeping_until`). A timer filed with an earlier deadline lowers that tick
//! and unparks the driver below, so the driver recomputes its timeout; a timer filed while the
//! driver is awake needs no wake-up, because the driver reads the wheel before it parks again.

use super::entry::{is_linked, Node, FIRED, MAX_TICK};
use super::wheel::Wheel;
use crate::clock::Clock;
use crate::loom::sync::atomic::{AtomicBool, Ordering};
use crate::loom::sync::Mutex;
use eddy_core::park::{Unpark, Unparker};
use std::fmt;
use std::pin::Pin;
use std::ptr::NonNull;
use std::sync::Arc;
use std::task::Waker;
use std::time::Duration;

/// A cloneable handle to a time driver, usable from any thread.
///
/// The executor [`enter`](super::enter)s it on its threads; timers created there register with
/// this driver.
#[derive(Clone)]
pub struct Handle {
    shared: Arc<Shared>,
}

pub(crate) struct Shared {
    locked: Mutex<Locked>,
    is_shutdown: AtomicBool,
    /// Set when the driver's own unparker is used (a task was woken): the runtime has work, so
    /// a paused clock must not jump ahead.
    did_wake: AtomicBool,
    clock: Clock,
    /// Tick 0.
    start: std::time::Instant,
    /// Wakes the driver below this one.
    inner: Unparker,
}

struct Locked {
    wheel: Wheel,
    /// The tick the parked driver sleeps until (`MAX_TICK` for no deadline), or `None` while
    /// it is awake.
    sleeping_until: Option<u64>,
}

/// The driver shut down before the timer could be filed.
pub(crate) struct ShutDown;

impl Handle {
    pub(crate) fn new(clock: Clock, inner: Unparker) -> Handle {
        Handle {
            shared: Arc::new(Shared {
                locked: Mutex::new(Locked {
                    wheel: Wheel::new(),
                    sleeping_until: None,
                }),
                is_shutdown: AtomicBool::new(false),
                did_wake: AtomicBool::new(false),
                start: clock.now(),
                clock,
                inner,
            }),
        }
    }

    /// The clock this driver reads (for instance to inhibit auto-advance around blocking
    /// work).
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    pub(crate) fn is_shutdown(&self) -> bool {
        self.shared.is_shutdown.load(Ordering::Acquire)
    }

    /// The driver's unparker: wakes the driver and records that the runtime has work.
    pub(crate) fn unparker(&self) -> Unparker {
        Unparker::new(self.shared.clone())
    }

    /// Records that the runtime has work, without waking the driver. A scheduler calls it, on
    /// the thread that parks on this driver, when it queues a task there: that may happen inside
    /// this driver's park (an I/O event woke the task), and a paused clock must not jump ahead
    /// of that task. Other threads use the driver's unparker instead.
    pub fn note_wake(&self) {
        self.shared.note_wake();
    }

    pub(crate) fn take_did_wake(&self) -> bool {
        self.shared.did_wake.swap(false, Ordering::AcqRel)
    }

    /// The first tick at or after `deadline` (deadlines are never fired early).
    pub(crate) fn deadline_tick(&self, deadline: std::time::Instant) -> u64 {
        let since_start = deadline.saturating_duration_since(self.shared.start);
        saturate(since_start.as_nanos().div_ceil(1_000_000))
    }

    /// The last tick at or before the clock's current reading.
    pub(crate) fn now_tick(&self) -> u64 {
        let since_start = self
            .shared
            .clock
            .now()
            .saturating_duration_since(self.shared.start);
        saturate(since_start.as_millis())
    }

    /// How long from now until `tick` begins.
    pub(crate) fn time_until(&self, tick: u64) -> Duration {
        let since_start = self
            .shared
            .clock
            .now()
            .saturating_duration_since(self.shared.start);
        Duration::from_millis(tick).saturating_sub(since_start)
    }

    /// Files `node` for `tick` (taking it out of its current slot first), or marks it fired if
    /// that tick has already been processed. Returns whether it fired.
    ///
    /// # Safety
    /// The node's owner deregisters it before the node's memory goes away (entry invariant 1);
    /// `Pin` already guarantees it does not move.
    pub(crate) unsafe fn register(&self, node: Pin<&Node>, tick: u64) -> Result<bool, ShutDown> {
        let mut locked = self.shared.locked.lock();
        if self.is_shutdown() {
            return Err(ShutDown);
        }
        let pointer = NonNull::from(node.get_ref());
        if is_linked(node.state.load(Ordering::Acquire)) {
            // SAFETY: the state says the node is linked in this wheel, and we hold the lock.
            unsafe { locked.wheel.remove(pointer) };
        }
        if tick <= locked.wheel.elapsed() {
            node.state.store(FIRED, Ordering::Release);
            return Ok(true);
        }
        node.state.store(tick, Ordering::Release);
        // SAFETY: the node is unlinked (just above, or it never was linked); it is pinned and
        // its owner deregisters it before it goes away (the caller's contract).
        unsafe { locked.wheel.insert(pointer, tick) };
        let wake_driver = locked.sleeping_until.is_some_and(|until| tick < until);
        if wake_driver {
            locked.sleeping_until = Some(tick);
        }
        drop(locked);
        if wake_driver {
            self.shared.inner.unpark();
        }
        Ok(false)
    }

    /// Takes `node` out of the wheel if it is in it. When this returns the driver holds no
    /// reference to the node and is not using it (entry invariant 4).
    pub(crate) fn deregister(&self, node: &Node) {
        let mut locked = self.shared.locked.lock();
        if is_linked(node.state.load(Ordering::Acquire)) {
            // SAFETY: the state says the node is linked in this wheel, and we hold the lock.
            unsafe { locked.wheel.remove(NonNull::from(node)) };
        }
    }

    /// Records that the driver is about to park, and returns the tick at which the earliest
    /// slot is due, if any.
    pub(crate) fn prepare_to_park(&self) -> Option<u64> {
        let mut locked = self.shared.locked.lock();
        let next = locked.wheel.next_deadline();
        locked.sleeping_until = Some(next.unwrap_or(MAX_TICK));
        next
    }

    /// Marks the driver awake and fires every timer due by the clock's current reading; the
    /// wakers are pushed on `fired`, to be called once the lock is released.
    pub(crate) fn process(&self, fired: &mut Vec<Waker>) {
        let now = self.now_tick();
        let mut locked = self.shared.locked.lock();
        locked.sleeping_until = None;
        locked.wheel.process(now, fired);
    }

    /// Fires every timer due by the clock's current reading and wakes their tasks, from any
    /// thread, without the driver's park (which later finds nothing more to do for them).
    /// Advancing a paused clock calls it, so that the timers it passed are woken at once.
    #[cfg(feature = "test-util")]
    pub(crate) fn fire_due(&self) {
        let mut fired = Vec::new();
        let now = self.now_tick();
        self.shared.locked.lock().wheel.process(now, &mut fired);
        eddy_core::wake::wake_all(fired);
    }

    /// Marks the driver shut down and fires every timer, pushing their wakers on `fired`.
    /// Returns `false` if it was already shut down.
    pub(crate) fn shutdown(&self, fired: &mut Vec<Waker>) -> bool {
        let mut locked = self.shared.locked.lock();
        if self.shared.is_shutdown.swap(true, Ordering::AcqRel) {
            return false;
        }
        locked.wheel.fire_all(fired);
        true
    }
}

fn saturate(millis: u128) -> u64 {
    u64::try_from(millis).unwrap_or(MAX_TICK).min(MAX_TICK)
}

impl Shared {
    /// For the driver's own thread: only that thread clears the flag, so a flag seen set stays
    /// set until its next park reads it, and the store can be skipped.
    fn note_wake(&self) {
        if !self.did_wake.load(Ordering::Relaxed) {
            self.did_wake.store(true, Ordering::Release);
        }
    }
}

impl Unpark for Shared {
    fn unpark(&self) {
        self.did_wake.store(true, Ordering::Release);
        self.inner.unpark();
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("clock", &self.shared.clock)
            .field("is_shutdown", &self.is_shutdown())
            .finish_non_exhaustive()
    }
}
