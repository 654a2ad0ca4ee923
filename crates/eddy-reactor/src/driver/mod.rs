//! The I/O driver: a `mio::Poll` that parks the scheduler and dispatches readiness.
//!
//! [`Driver`] is the bottom of a runtime's driver stack. Parking on it waits in `epoll_wait`
//! (with the timeout the time driver asks for); the events it returns set readiness on the
//! sources' `ScheduledIo`s and wake the tasks waiting on them. Its unparker is a
//! `mio::Waker`, so another thread can interrupt the wait.
//!
//! Sources register through a [`Handle`], which any thread may hold. Each thread that runs in
//! a runtime's context has a *current* handle, set by [`enter`] (submodule `current`); socket
//! constructors use it.
//!
//! Once [`Park::shutdown`] runs (or the driver is dropped), the table refuses new sources and
//! every registered source is marked shut down and woken: their operations fail with an error
//! instead of waiting for a driver that will never poll again.

pub(crate) mod current;

use crate::interest::Interest;
use crate::loom::sync::atomic::{AtomicU64, Ordering};
use crate::loom::sync::{Mutex, MutexGuard};
use crate::ready::Ready;
use crate::scheduled_io::ScheduledIo;
use crate::token_table::{Registrations, WAKER_TOKEN};
use crate::wake_state::WakeState;
use eddy_core::context::shutdown_error;
use eddy_core::park::{Park, Unpark, Unparker};
use eddy_core::wake::wake_all;
use std::fmt;
use std::io;
use std::sync::Arc;
use std::task::Waker;
use std::time::Duration;

pub use current::{enter, EnterGuard};

const EVENTS_CAPACITY: usize = 1024;

/// The I/O driver. See the module docs.
pub struct Driver {
    poll: mio::Poll,
    events: mio::Events,
    /// The smaller buffer for polls that do not wait (the scheduler still has tasks), if set.
    busy_events: Option<mio::Events>,
    shared: Arc<Shared>,
    wakers: Vec<Waker>,
}

/// A cloneable reference to a [`Driver`], used to register sources from any thread.
#[derive(Clone)]
pub struct Handle {
    pub(crate) shared: Arc<Shared>,
}

pub(crate) struct Shared {
    registry: mio::Registry,
    registrations: Mutex<Registrations>,
    unpark: Arc<WakerUnpark>,
    ready_count: AtomicU64,
    fd_registered_count: AtomicU64,
    fd_deregistered_count: AtomicU64,
}

/// Wakes the driver through its `mio::Waker`, writing to it only when the driver may block.
struct WakerUnpark {
    waker: mio::Waker,
    state: WakeState,
}

impl Unpark for WakerUnpark {
    fn unpark(&self) {
        if self.state.unpark() {
            if let Err(error) = self.waker.wake() {
                // Without the wake-up the scheduler could sleep forever: say so loudly.
                panic!("eddy: failed to wake the I/O driver: {error}");
            }
        }
    }
}

impl Driver {
    /// Creates a driver and a handle to it, taking up to 1024 events per poll.
    pub fn new() -> io::Result<(Driver, Handle)> {
        Driver::with_capacity(EVENTS_CAPACITY, None)
    }

    /// Creates a driver that takes up to `events` events per poll, or `busy_events` (if given)
    /// per poll that does not wait, so that a busy scheduler leaves the rest in the kernel
    /// rather than overflow its run queue.
    pub fn with_capacity(
        events: usize,
        busy_events: Option<usize>,
    ) -> io::Result<(Driver, Handle)> {
        let poll = mio::Poll::new()?;
        let registry = poll.registry().try_clone()?;
        let waker = mio::Waker::new(poll.registry(), WAKER_TOKEN)?;
        let shared = Arc::new(Shared {
            registry,
            registrations: Mutex::new(Registrations::default()),
            unpark: Arc::new(WakerUnpark {
                waker,
                state: WakeState::new(),
            }),
            ready_count: AtomicU64::new(0),
            fd_registered_count: AtomicU64::new(0),
            fd_deregistered_count: AtomicU64::new(0),
        });
        let driver = Driver {
            poll,
            events: mio::Events::with_capacity(events),
            busy_events: busy_events.map(mio::Events::with_capacity),
            shared: shared.clone(),
            wakers: Vec::new(),
        };
        Ok((driver, Handle { shared }))
    }

    /// A handle to this driver.
    pub fn handle(&self) -> Handle {
        Handle {
            shared: self.shared.clone(),
        }
    }

    /// Waits for events (at most `timeout`) and dispatches them.
    fn turn(&mut self, timeout: Option<Duration>) {
        let events = match (&mut self.busy_events, timeout) {
            (Some(busy), Some(timeout)) if timeout.is_zero() => busy,
            _ => &mut self.events,
        };
        match self.poll.poll(events, timeout) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => panic!("eddy: polling the I/O driver failed: {error}"),
        }
        let _dispatching = Dispatching::begin(&self.shared.unpark.state);
        dispatch(&self.shared, events, &mut self.wakers);
    }

    fn shut_down(&mut self) {
        let sources = {
            let mut registrations = self.shared.lock();
            if registrations.is_shutdown() {
                return;
            }
            registrations.shutdown()
        };
        for io in &sources {
            io.shutdown(&mut self.wakers);
        }
        wake_all(self.wakers.drain(..));
    }
}

/// Sets the readiness the OS reported on each source and wakes the tasks it satisfies.
fn dispatch(shared: &Shared, events: &mio::Events, wakers: &mut Vec<Waker>) {
    let mut dispatched = 0;
    let mut registrations = None;
    for event in events.iter() {
        if event.token() == WAKER_TOKEN {
            continue;
        }
        let registrations = registrations.get_or_insert_with(|| shared.lock());
        if let Some(io) = registrations.get(event.token()) {
            io.set_readiness(Ready::from_mio(event), wakers);
            dispatched += 1;
        }
    }
    // Wake after unlocking: a woken task may register or drop sources at once. A panicking
    // waker costs the others nothing: all are woken before its panic resumes.
    drop(registrations);
    if dispatched > 0 {
        shared.ready_count.fetch_add(dispatched, Ordering::Relaxed);
    }
    wake_all(wakers.drain(..));
}

/// Marks the driver as dispatching until dropped, so a panicking waker cannot leave the
/// unparker believing the driver is awake forever.
struct Dispatching<'a>(&'a WakeState);

impl<'a> Dispatching<'a> {
    fn begin(state: &'a WakeState) -> Dispatching<'a> {
        state.begin_dispatch();
        Dispatching(state)
    }
}

impl Drop for Dispatching<'_> {
    fn drop(&mut self) {
        self.0.end_dispatch();
    }
}

impl Park for Driver {
    fn park(&mut self) {
        self.turn(None);
    }

    fn park_timeout(&mut self, timeout: Duration) {
        self.turn(Some(timeout));
    }

    fn unparker(&self) -> Unparker {
        Unparker::new(self.shared.unpark.clone())
    }

    fn shutdown(&mut self) {
        self.shut_down();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.shut_down();
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Registrations> {
        self.registrations.lock()
    }
}

impl Handle {
    /// The current thread's reactor.
    ///
    /// # Panics
    ///
    /// Outside a runtime, or in a runtime built without I/O.
    #[track_caller]
    pub fn current() -> Handle {
        match current::current() {
            Ok(handle) => handle,
            Err(error) => panic!("{}", error),
        }
    }

    /// The current thread's reactor, or an error saying why there is none.
    pub fn try_current() -> Result<Handle, current::TryCurrentError> {
        current::current()
    }

    /// The total number of readiness events the driver has dispatched to sources.
    pub fn ready_count(&self) -> u64 {
        self.shared.ready_count.load(Ordering::Relaxed)
    }

    /// The total number of sources registered with the driver since it was created.
    pub fn fd_registered_count(&self) -> u64 {
        self.shared.fd_registered_count.load(Ordering::Relaxed)
    }

    /// The total number of sources whose registration was released (their slot freed) since
    /// the driver was created. Sources still registered when the driver shuts down are not
    /// counted.
    pub fn fd_deregistered_count(&self) -> u64 {
        self.shared.fd_deregistered_count.load(Ordering::Relaxed)
    }

    /// The number of sources currently registered.
    pub fn registered_count(&self) -> usize {
        self.shared.lock().len()
    }

    /// Whether the driver has shut down.
    pub fn is_shutdown(&self) -> bool {
        self.shared.lock().is_shutdown()
    }

    /// Whether `self` and `other` are handles to the same driver.
    pub fn ptr_eq(&self, other: &Handle) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// A handle that wakes the driver from any thread.
    pub fn unparker(&self) -> Unparker {
        Unparker::new(self.shared.unpark.clone())
    }

    /// Registers `source` for `interest`; readiness goes to the returned `ScheduledIo`.
    pub(crate) fn register(
        &self,
        source: &mut impl mio::event::Source,
        interest: Interest,
    ) -> io::Result<(Arc<ScheduledIo>, mio::Token)> {
        let io = Arc::new(ScheduledIo::new());
        let token = self
            .shared
            .lock()
            .insert(io.clone())
            .ok_or_else(shutdown_error)?;
        if let Err(error) = self
            .shared
            .registry
            .register(source, token, interest.to_mio())
        {
            self.shared.lock().remove(token);
            return Err(error);
        }
        self.shared
            .fd_registered_count
            .fetch_add(1, Ordering::Relaxed);
        Ok((io, token))
    }

    /// Removes `source` from the OS's interest list. The slot is freed by [`Self::release`].
    pub(crate) fn deregister(&self, source: &mut impl mio::event::Source) -> io::Result<()> {
        self.shared.registry.deregister(source)
    }

    /// Frees the slot of `token`.
    pub(crate) fn release(&self, token: mio::Token) {
        if self.shared.lock().remove(token) {
            self.shared
                .fd_deregistered_count
                .fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl fmt::Debug for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Driver").finish_non_exhaustive()
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("ready_count", &self.ready_count())
            .finish_non_exhaustive()
    }
}
