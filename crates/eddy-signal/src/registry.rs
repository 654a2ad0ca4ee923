//! The process-wide table of signals: one slot per signal number, the self-pipe, the handlers.
//!
//! Signals are process-wide, so this state is global and shared by every runtime. A slot
//! holds three things:
//!
//! * `pending`, set by the signal handler ([`Slot::mark_pending`]) and cleared by
//!   [`Slot::deliver`]. The handler may run on any thread at any moment, so it does only
//!   async-signal-safe work: one atomic store and one non-blocking `write` of a byte to the
//!   self-pipe (a full pipe drops the byte, which is fine: the pipe is readable anyway and
//!   `pending` remembers the signal).
//! * `version`, bumped once per delivery that found `pending` set. A listener remembers the
//!   version it has seen; a newer one means "at least one signal since", so signals that arrive
//!   while nobody polls are remembered once, and every listener of the kind sees each bump.
//! * the wakers of the listeners waiting for the next bump.
//!
//! Ordering: the handler stores `pending` before it writes the byte, and the pump delivers
//! after it read the byte, so a drain never misses a signal whose byte it consumed. A listener
//! re-reads `version` under the waiter lock after storing its waker, and [`Slot::deliver`]
//! bumps `version` before it takes that lock, so a bump is either seen or wakes the listener
//! (`tests/loom_signal_slot.rs` checks this).

use crate::loom::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use crate::loom::sync::Mutex;
use eddy_core::wake::wake_all;
use std::fmt;
use std::io::{self, Write};
use std::os::unix::net::UnixStream;
use std::sync::OnceLock;
use std::task::Waker;

/// One signal number's state. See the module docs.
pub struct Slot {
    pending: AtomicBool,
    version: AtomicUsize,
    waiters: Mutex<Vec<(u64, Waker)>>,
    installed: Mutex<bool>,
}

/// The process-wide state: the self-pipe and one slot per signal number.
pub(crate) struct Globals {
    sender: UnixStream,
    receiver: UnixStream,
    slots: Box<[Slot]>,
    next_listener: AtomicU64,
}

static GLOBALS: OnceLock<Globals> = OnceLock::new();

/// The process-wide state, created on first use.
pub(crate) fn globals() -> io::Result<&'static Globals> {
    if let Some(globals) = GLOBALS.get() {
        return Ok(globals);
    }
    let created = Globals::new()?;
    // Another thread may have won the race: its pipe is kept, ours is closed.
    Ok(GLOBALS.get_or_init(|| created))
}

impl Globals {
    fn new() -> io::Result<Globals> {
        let (sender, receiver) = UnixStream::pair()?;
        sender.set_nonblocking(true)?;
        receiver.set_nonblocking(true)?;
        // Real-time signals end at SIGRTMAX; every other signal number is below it.
        let count = usize::try_from(libc::SIGRTMAX()).unwrap_or(64) + 1;
        let slots = (0..count).map(|_| Slot::new()).collect();
        Ok(Globals {
            sender,
            receiver,
            slots,
            next_listener: AtomicU64::new(0),
        })
    }

    /// The slot of `signum`, if it is a signal number this table covers.
    pub(crate) fn slot(&self, signum: libc::c_int) -> Option<&Slot> {
        usize::try_from(signum)
            .ok()
            .and_then(|index| self.slots.get(index))
    }

    /// A fresh listener id, the key of a listener's waker in its slot.
    pub(crate) fn listener_id(&self) -> u64 {
        self.next_listener.fetch_add(1, Ordering::Relaxed)
    }

    /// The read end of the self-pipe, duplicated for one reactor.
    pub(crate) fn receiver(&self) -> io::Result<UnixStream> {
        self.receiver.try_clone()
    }

    /// Installs the handler of `signum` once for the life of the process.
    pub(crate) fn install(&'static self, signum: libc::c_int) -> io::Result<()> {
        let Some(slot) = self.slot(signum) else {
            return Err(io::Error::other("signal too large"));
        };
        let mut installed = slot.installed.lock();
        if *installed {
            return Ok(());
        }
        let action = move || self.on_signal(slot);
        // SAFETY: `register` requires the action to be async-signal-safe. `on_signal` does an
        // atomic store and a `write(2)` on a non-blocking socket: no allocation, no lock, and
        // it touches only `'static` state created before the handler was installed.
        let result = unsafe { signal_hook_registry::register(signum, action) };
        result.map_err(|error| {
            io::Error::new(
                error.kind(),
                format!("Failed to register signal handler: {error}"),
            )
        })?;
        *installed = true;
        Ok(())
    }

    /// The signal handler's work. Runs in signal context: see `install`'s safety argument.
    fn on_signal(&self, slot: &Slot) {
        slot.mark_pending();
        let _ = (&self.sender).write(&[1]);
    }

    /// Delivers every signal that arrived since the last call ([`Slot::deliver`]). Called
    /// after the self-pipe was drained.
    pub(crate) fn broadcast(&self) {
        self.slots.iter().for_each(Slot::deliver);
    }
}

impl fmt::Debug for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Slot")
            .field("version", &self.version())
            .finish_non_exhaustive()
    }
}

impl Slot {
    /// An empty slot: nothing pending, version 0, no listener.
    pub fn new() -> Slot {
        Slot {
            pending: AtomicBool::new(false),
            version: AtomicUsize::new(0),
            waiters: Mutex::new(Vec::new()),
            installed: Mutex::new(false),
        }
    }

    /// Records that the signal arrived (the handler's part; async-signal-safe).
    pub fn mark_pending(&self) {
        self.pending.store(true, Ordering::Release);
    }

    /// If the signal is pending, clears it, bumps the version and wakes the listeners.
    pub fn deliver(&self) {
        if self.pending.swap(false, Ordering::AcqRel) {
            self.version.fetch_add(1, Ordering::AcqRel);
            let waiters = std::mem::take(&mut *self.waiters.lock());
            // Woken after the lock is released: a woken task may poll at once. A panicking
            // waker costs the others nothing: all are woken before its panic resumes.
            wake_all(waiters.into_iter().map(|(_, waker)| waker));
        }
    }

    /// The number of deliveries of this signal so far.
    pub fn version(&self) -> usize {
        self.version.load(Ordering::Acquire)
    }

    /// Stores `waker` as listener `id`'s, then returns the version: if it differs from the
    /// caller's, the caller must not wait. The listener's waker is cloned, and the one it
    /// replaces dropped, outside the lock: either may run arbitrary code.
    pub fn register(&self, id: u64, waker: &Waker) -> usize {
        {
            let waiters = self.waiters.lock();
            let index = position(&waiters, id);
            if index.is_some_and(|index| waiters[index].1.will_wake(waker)) {
                return self.version();
            }
        }
        let waker = waker.clone();
        let replaced = {
            let mut waiters = self.waiters.lock();
            match position(&waiters, id) {
                Some(index) => Some(std::mem::replace(&mut waiters[index].1, waker)),
                None => {
                    waiters.push((id, waker));
                    None
                }
            }
        };
        drop(replaced);
        self.version()
    }

    /// Forgets listener `id`'s waker. Dropped outside the lock: a waker's drop may run code.
    pub fn deregister(&self, id: u64) {
        let removed = {
            let mut waiters = self.waiters.lock();
            position(&waiters, id).map(|index| waiters.swap_remove(index))
        };
        drop(removed);
    }
}

/// Where listener `id`'s waker is stored.
fn position(waiters: &[(u64, Waker)], id: u64) -> Option<usize> {
    waiters.iter().position(|(owner, _)| *owner == id)
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::Slot;
    use eddy_test_support::waker::{hooked, OutsideLock, PanicOnWake};
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::sync::Arc;

    #[test]
    fn every_listener_is_woken_when_one_waker_panics() {
        let slot = Slot::new();
        let listeners: Vec<_> = (0..3)
            .map(|id| {
                let hooks = Arc::new(PanicOnWake::default());
                slot.register(id, &hooked(hooks.clone()));
                hooks
            })
            .collect();
        slot.mark_pending();
        let delivered = catch_unwind(AssertUnwindSafe(|| slot.deliver()));
        assert!(delivered.is_err(), "the first waker's panic resumes");
        let woken: Vec<_> = listeners.iter().map(|hooks| hooks.count()).collect();
        assert_eq!(woken, [1, 1, 1]);
        assert_eq!(slot.version(), 1);
    }

    /// Counts the clones and drops of a waker made while the slot's lock was free.
    fn sees_lock_free(slot: &Arc<Slot>) -> Arc<OutsideLock> {
        let slot = Arc::downgrade(slot);
        OutsideLock::new(move || {
            slot.upgrade()
                .is_some_and(|slot| slot.waiters.try_lock().is_some())
        })
    }

    #[test]
    fn a_listeners_waker_is_cloned_and_dropped_outside_the_lock() {
        let slot = Arc::new(Slot::new());
        let (first, second) = (sees_lock_free(&slot), sees_lock_free(&slot));
        slot.register(7, &hooked(first.clone()));
        // Another waker replaces the stored clone of the first, which is dropped.
        slot.register(7, &hooked(second.clone()));
        assert_eq!((first.clones(), first.drops()), (1, 2));
        assert_eq!(second.clones(), 1);
    }
}
