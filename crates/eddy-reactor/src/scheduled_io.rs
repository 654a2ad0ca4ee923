//! The readiness of one registered source, and the tasks waiting on it.
//!
//! # The readiness word
//!
//! One `AtomicU64` packs everything the hot path reads:
//!
//! ```text
//!  bits 17..64   bit 16      bits 0..6
//! [    tick    ] [shutdown] [ ready ]
//! ```
//!
//! * `ready`: the [`Ready`] states the OS reported and no operation has cleared yet.
//! * `tick`: bumped (wrapping) every time the driver sets readiness. An operation that hits
//!   `WouldBlock` clears the states it observed only if the tick is still the one it observed:
//!   if the driver reported new readiness meanwhile, that report is newer than the failed
//!   syscall and must not be lost, so nothing is cleared and the operation retries. The tick
//!   has 47 bits: a wrap back to the observed value would need 2^47 events for this one source
//!   between an operation's observation and its clear, which cannot happen. (An 8-bit tick
//!   wrapped after exactly 256 events, and the clear then wiped newer readiness.)
//! * `shutdown`: the driver is gone; every operation fails from now on.
//!
//! Only the driver sets readiness (`set_readiness`) and shutdown, except that a source may be
//! assumed ready when it is registered (`assume_ready`); only operations clear it
//! (`clear_readiness`). Closed states are never cleared: a closed half stays closed.
//!
//! # Waiters
//!
//! `poll_read_ready`/`poll_write_ready` (the `AsyncRead`/`AsyncWrite` path, one task per
//! direction) store their waker in one slot per direction. `readiness` futures (the `async fn`s
//! on `&self`, which several tasks may await at once) sit in a list, each with its interest.
//! All waiters are behind one mutex. A waiter stores its waker under the mutex and then re-reads
//! the word; the driver updates the word before taking the mutex to collect wakers. So either
//! the waiter's re-read sees the new readiness, or the driver finds the waker: no wake-up is
//! lost. Wakers are collected into a list and woken after the mutex is released; a waker that
//! is replaced or removed is likewise dropped only after the mutex is released, since dropping
//! a waker may run a task's code (which may touch this very source).

use crate::interest::Interest;
use crate::loom::sync::atomic::{AtomicU64, Ordering};
use crate::loom::sync::Mutex;
use crate::ready::Ready;
use std::fmt;
use std::task::{Context, Poll, Waker};

const READY_MASK: u64 = 0xffff;
const SHUTDOWN: u64 = 1 << 16;
const TICK_SHIFT: u32 = 17;
const TICK_MASK: u64 = u64::MAX << TICK_SHIFT;

/// Which single-waiter slot an operation uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Reads: woken by readable, read-closed and error states.
    Read,
    /// Writes: woken by writable, write-closed and error states.
    Write,
}

impl Direction {
    fn mask(self) -> Ready {
        match self {
            Direction::Read => Ready::READABLE | Ready::READ_CLOSED | Ready::ERROR,
            Direction::Write => Ready::WRITABLE | Ready::WRITE_CLOSED | Ready::ERROR,
        }
    }
}

/// The readiness an operation observed: what to try, and what to clear if the try would block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadyEvent {
    tick: u64,
    ready: Ready,
    is_shutdown: bool,
}

impl ReadyEvent {
    /// The observed readiness, restricted to what the operation asked for.
    pub fn ready(&self) -> Ready {
        self.ready
    }

    /// Whether the driver had shut down: the operation must fail.
    pub fn is_shutdown(&self) -> bool {
        self.is_shutdown
    }

    /// The same observation, with `ready` narrowed to the states given.
    pub fn with_ready(self, ready: Ready) -> ReadyEvent {
        ReadyEvent { ready, ..self }
    }
}

/// The readiness of one source and its waiters. See the module docs.
pub struct ScheduledIo {
    readiness: AtomicU64,
    waiters: Mutex<Waiters>,
}

#[derive(Default)]
struct Waiters {
    reader: Option<Waker>,
    writer: Option<Waker>,
    list: Vec<Waiter>,
    next_id: u64,
}

struct Waiter {
    id: u64,
    interest: Interest,
    waker: Waker,
}

fn tick_of(word: u64) -> u64 {
    (word & TICK_MASK) >> TICK_SHIFT
}

fn ready_of(word: u64) -> Ready {
    // The mask keeps the value within the low 16 bits, so the conversion is lossless.
    Ready::from_usize((word & READY_MASK) as usize)
}

fn event_from(word: u64, mask: Ready) -> Option<ReadyEvent> {
    let ready = ready_of(word) & mask;
    let is_shutdown = word & SHUTDOWN != 0;
    (is_shutdown || !ready.is_empty()).then_some(ReadyEvent {
        tick: tick_of(word),
        ready,
        is_shutdown,
    })
}

/// Stores `waker` in `slot` unless it is there already; returns the waker it replaced, for
/// the caller to drop once the lock is released.
fn store_waker(slot: &mut Option<Waker>, waker: &Waker) -> Option<Waker> {
    match slot {
        Some(stored) if stored.will_wake(waker) => None,
        _ => slot.replace(waker.clone()),
    }
}

impl Default for ScheduledIo {
    fn default() -> ScheduledIo {
        ScheduledIo::new()
    }
}

impl ScheduledIo {
    /// A source with no readiness and no waiters.
    pub fn new() -> ScheduledIo {
        ScheduledIo {
            readiness: AtomicU64::new(0),
            waiters: Mutex::new(Waiters::default()),
        }
    }

    /// Records readiness reported by the OS, bumps the tick and collects the wakers it
    /// satisfies into `wakers`. Called by the driver only.
    pub fn set_readiness(&self, ready: Ready, wakers: &mut Vec<Waker>) {
        // `AcqRel`: the waiter that acquires this word sees everything the driver did before.
        let mut current = self.readiness.load(Ordering::Acquire);
        loop {
            // Shifting drops the bit that overflows: the tick wraps within its 47 bits.
            let tick = tick_of(current).wrapping_add(1) << TICK_SHIFT;
            let next = (current & !TICK_MASK) | tick | ready.as_usize() as u64;
            match self.readiness.compare_exchange_weak(
                current,
                next,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => break,
                Err(actual) => current = actual,
            }
        }
        self.collect_wakers(ready, wakers);
    }

    /// Marks the source ready for `ready` without an event from the OS: for a source known to
    /// be ready when it is registered (an accepted connection may have data queued already; a
    /// fresh socket pair is writable). A false guess costs one `WouldBlock`, which clears it as
    /// usual. The tick is left alone (this is not news from the driver), and nothing changes
    /// after shutdown.
    pub fn assume_ready(&self, ready: Ready) {
        let _ = self
            .readiness
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |current| {
                (current & SHUTDOWN == 0).then_some(current | ready.as_usize() as u64)
            });
    }

    /// Marks the source shut down and collects every waker. Called by the driver only.
    pub fn shutdown(&self, wakers: &mut Vec<Waker>) {
        self.readiness.fetch_or(SHUTDOWN, Ordering::AcqRel);
        self.collect_wakers(Ready::ALL, wakers);
    }

    fn collect_wakers(&self, ready: Ready, wakers: &mut Vec<Waker>) {
        let mut waiters = self.waiters.lock();
        if !(ready & Direction::Read.mask()).is_empty() {
            wakers.extend(waiters.reader.take());
        }
        if !(ready & Direction::Write.mask()).is_empty() {
            wakers.extend(waiters.writer.take());
        }
        let mut index = 0;
        while index < waiters.list.len() {
            let wanted = waiters.list[index].interest.mask() | Ready::ERROR;
            if (ready & wanted).is_empty() {
                index += 1;
            } else {
                wakers.push(waiters.list.swap_remove(index).waker);
            }
        }
    }

    /// Returns the readiness for `direction` if there is some (or the driver shut down);
    /// otherwise stores the task's waker in the direction's slot and returns `Pending`.
    pub fn poll_readiness(&self, cx: &mut Context<'_>, direction: Direction) -> Poll<ReadyEvent> {
        let mask = direction.mask();
        if let Some(event) = event_from(self.readiness.load(Ordering::Acquire), mask) {
            return Poll::Ready(event);
        }
        let mut waiters = self.waiters.lock();
        let slot = match direction {
            Direction::Read => &mut waiters.reader,
            Direction::Write => &mut waiters.writer,
        };
        let replaced = store_waker(slot, cx.waker());
        // Re-read under the lock: the driver sets the word before it takes the lock.
        let polled = match event_from(self.readiness.load(Ordering::Acquire), mask) {
            Some(event) => Poll::Ready(event),
            None => Poll::Pending,
        };
        // The replaced waker may run arbitrary code when dropped: not under the lock.
        drop(waiters);
        drop(replaced);
        polled
    }

    /// Like [`poll_readiness`](Self::poll_readiness) for any interest, with the waker kept in
    /// the waiter list under `*waiter` (an id this function assigns on first use).
    pub fn poll_interest(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        waiter: &mut Option<u64>,
    ) -> Poll<ReadyEvent> {
        let mask = interest.mask();
        if let Some(event) = event_from(self.readiness.load(Ordering::Acquire), mask) {
            self.cancel_waiter(waiter);
            return Poll::Ready(event);
        }
        let mut waiters = self.waiters.lock();
        let position = waiter.and_then(|id| waiters.list.iter().position(|w| w.id == id));
        let mut displaced = match position {
            Some(position) => store_waker_in(&mut waiters.list[position].waker, cx.waker()),
            None => {
                let id = waiters.next_id;
                waiters.next_id += 1;
                waiters.list.push(Waiter {
                    id,
                    interest,
                    waker: cx.waker().clone(),
                });
                *waiter = Some(id);
                None
            }
        };
        let polled = match event_from(self.readiness.load(Ordering::Acquire), mask) {
            Some(event) => {
                displaced = displaced.or(remove_waiter(&mut waiters, waiter));
                Poll::Ready(event)
            }
            None => Poll::Pending,
        };
        drop(waiters);
        drop(displaced);
        polled
    }

    /// Removes the waiter `*waiter` from the list, if it is still there. Its waker is dropped
    /// after the lock is released.
    pub fn cancel_waiter(&self, waiter: &mut Option<u64>) {
        if waiter.is_some() {
            let removed = remove_waiter(&mut self.waiters.lock(), waiter);
            drop(removed);
        }
    }

    /// The current readiness for `interest`, without waiting.
    pub fn ready_now(&self, interest: Interest) -> Option<ReadyEvent> {
        event_from(self.readiness.load(Ordering::Acquire), interest.mask())
    }

    /// Clears the states of `event` (except closed states) if no readiness was reported since
    /// `event` was observed.
    pub fn clear_readiness(&self, event: ReadyEvent) {
        let clear = event.ready - Ready::READ_CLOSED - Ready::WRITE_CLOSED;
        let mut current = self.readiness.load(Ordering::Acquire);
        while tick_of(current) == event.tick {
            let next = current & !(clear.as_usize() as u64);
            match self.readiness.compare_exchange_weak(
                current,
                next,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return,
                Err(actual) => current = actual,
            }
        }
    }
}

/// Like [`store_waker`], for a waiter that always holds a waker.
fn store_waker_in(stored: &mut Waker, waker: &Waker) -> Option<Waker> {
    (!stored.will_wake(waker)).then(|| std::mem::replace(stored, waker.clone()))
}

/// Takes the waiter `*waiter` out of the list; returns its waker, for the caller to drop once
/// the lock is released.
fn remove_waiter(waiters: &mut Waiters, waiter: &mut Option<u64>) -> Option<Waker> {
    let id = waiter.take()?;
    let position = waiters.list.iter().position(|w| w.id == id)?;
    Some(waiters.list.swap_remove(position).waker)
}

impl fmt::Debug for ScheduledIo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = self.readiness.load(Ordering::Relaxed);
        f.debug_struct("ScheduledIo")
            .field("ready", &ready_of(word))
            .field("tick", &tick_of(word))
            .field("shutdown", &(word & SHUTDOWN != 0))
            .finish()
    }
}
