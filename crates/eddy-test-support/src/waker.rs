//! Wakers for tests: counting, acting on wake or drop, and fault injection.
//!
//! [`counting`] gives a waker and a handle that reads how often it was woken; a [`Waker::noop`]
//! (std's) or [`noop_context`] serves where nothing must happen. [`on_wake`] and [`on_drop`] run
//! a test's closure when the waker is woken or its last handle goes away: the closure can
//! re-enter the primitive that stored the waker, so a test proves no waker is woken or dropped
//! while that primitive holds its lock (it would deadlock or panic if one were).
//!
//! A runtime calls a user's waker from inside its own machinery (a driver's dispatch, a
//! scheduler's queue, a join set's ready list). [`hooked`] builds a waker whose `clone`, `wake`
//! and `drop` call the matching [`WakerHooks`] method first, so a test can make one of them
//! panic, count calls, or re-enter the primitive under test and check what it sees there (for
//! example that a lock is free). The hooks are shared by every clone through one `Arc`.
//!
//! Under `--cfg loom` the counters are loom atomics, so a loom model sees a count read after a
//! wake as synchronized with it.

use crate::sync::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, RawWaker, RawWakerVTable, Wake, Waker};

/// What a [`hooked`] waker does on each operation, before the operation itself.
pub trait WakerHooks: Send + Sync + 'static {
    /// Runs when the waker is cloned; a panic here means the clone is not made.
    fn on_clone(&self) {}
    /// Runs on `wake` and `wake_by_ref`.
    fn on_wake(&self) {}
    /// Runs when a waker is dropped (not when `wake` consumes it).
    fn on_drop(&self) {}
}

/// A waker that calls `hooks` on clone, wake and drop.
pub fn hooked<H: WakerHooks>(hooks: Arc<H>) -> Waker {
    let data = Arc::into_raw(hooks).cast::<()>();
    // SAFETY: `data` is an `Arc<H>` turned into a raw pointer, which is what every function of
    // `Table::<H>::VTABLE` expects; each of them keeps the strong count balanced.
    unsafe { Waker::from_raw(RawWaker::new(data, &Table::<H>::VTABLE)) }
}

/// A waker that counts its wakes, and the counter to read them from.
///
/// ```
/// let (wakes, waker) = eddy_test_support::waker::counting();
/// waker.wake_by_ref();
/// waker.wake();
/// assert_eq!(wakes.count(), 2);
/// ```
pub fn counting() -> (Arc<CountWakes>, Waker) {
    let wakes = Arc::new(CountWakes::default());
    (wakes.clone(), hooked(wakes))
}

/// A context whose waker does nothing, for polls whose wake-up the test does not need.
// `Waker::noop` is newer than the workspace's MSRV; the test suites that use this crate already
// call it directly, so a dev-only helper needs nothing older.
#[allow(clippy::incompatible_msrv)]
pub fn noop_context() -> Context<'static> {
    Context::from_waker(Waker::noop())
}

/// Runs `f` with a context whose waker does nothing (see [`noop_context`]).
pub fn with_noop_context<R>(f: impl FnOnce(&mut Context<'_>) -> R) -> R {
    f(&mut noop_context())
}

/// A waker that runs `action` on every wake (by value or by reference).
pub fn on_wake(action: impl Fn() + Send + Sync + 'static) -> Waker {
    Waker::from(Arc::new(OnWake(action)))
}

struct OnWake<F>(F);

impl<F: Fn() + Send + Sync + 'static> Wake for OnWake<F> {
    fn wake(self: Arc<Self>) {
        (self.0)();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        (self.0)();
    }
}

/// A waker that runs `action` when its last handle is dropped, and a flag set once it has run.
/// Wakes do nothing.
pub fn on_drop(action: impl FnOnce() + Send + Sync + 'static) -> (Waker, Arc<AtomicBool>) {
    let dropped = Arc::new(AtomicBool::new(false));
    let waker = Waker::from(Arc::new(OnDrop {
        action: Some(action),
        dropped: dropped.clone(),
    }));
    (waker, dropped)
}

struct OnDrop<F: FnOnce()> {
    action: Option<F>,
    dropped: Arc<AtomicBool>,
}

impl<F: FnOnce() + Send + Sync + 'static> Wake for OnDrop<F> {
    fn wake(self: Arc<Self>) {}
}

impl<F: FnOnce()> Drop for OnDrop<F> {
    fn drop(&mut self) {
        if let Some(action) = self.action.take() {
            action();
        }
        self.dropped.store(true, Ordering::SeqCst);
    }
}

/// Hooks that count wakes and do nothing else.
#[derive(Debug)]
pub struct CountWakes(AtomicUsize);

impl Default for CountWakes {
    fn default() -> CountWakes {
        CountWakes(AtomicUsize::new(0))
    }
}

impl CountWakes {
    /// Wakes so far, by value or by reference.
    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl WakerHooks for CountWakes {
    fn on_wake(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Hooks that count the clones and drops of a waker made while a lock is free, for tests that a
/// primitive clones and drops its wakers outside its lock (user code must not run under it).
/// `is_free` answers whether the lock is free, typically with a `try_lock`.
///
/// ```
/// use eddy_test_support::waker::{hooked, OutsideLock};
/// use std::sync::{Arc, Mutex};
///
/// let lock = Arc::new(Mutex::new(()));
/// let watched = lock.clone();
/// let hooks = OutsideLock::new(move || watched.try_lock().is_ok());
/// let waker = hooked(hooks.clone());
/// let guard = lock.lock().unwrap();
/// let under_the_lock = waker.clone();
/// drop(guard);
/// drop(under_the_lock);
/// assert_eq!((hooks.clones(), hooks.drops()), (0, 1));
/// ```
pub struct OutsideLock {
    is_free: Box<dyn Fn() -> bool + Send + Sync>,
    clones: AtomicUsize,
    drops: AtomicUsize,
}

impl OutsideLock {
    /// Hooks that ask `is_free` on every clone and drop.
    pub fn new(is_free: impl Fn() -> bool + Send + Sync + 'static) -> Arc<OutsideLock> {
        Arc::new(OutsideLock {
            is_free: Box::new(is_free),
            clones: AtomicUsize::new(0),
            drops: AtomicUsize::new(0),
        })
    }

    /// Clones made while the lock was free.
    pub fn clones(&self) -> usize {
        self.clones.load(Ordering::SeqCst)
    }

    /// Drops made while the lock was free.
    pub fn drops(&self) -> usize {
        self.drops.load(Ordering::SeqCst)
    }
}

impl WakerHooks for OutsideLock {
    fn on_clone(&self) {
        if (self.is_free)() {
            self.clones.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn on_drop(&self) {
        if (self.is_free)() {
            self.drops.fetch_add(1, Ordering::SeqCst);
        }
    }
}

impl std::fmt::Debug for OutsideLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutsideLock")
            .field("clones", &self.clones())
            .field("drops", &self.drops())
            .finish_non_exhaustive()
    }
}

/// Hooks whose `wake` counts, then panics (with the message "waker panicked on purpose").
#[derive(Debug, Default)]
pub struct PanicOnWake(CountWakes);

impl PanicOnWake {
    /// Wakes so far (each of which panicked).
    pub fn count(&self) -> usize {
        self.0.count()
    }
}

impl WakerHooks for PanicOnWake {
    fn on_wake(&self) {
        self.0.on_wake();
        panic!("waker panicked on purpose");
    }
}

/// Hooks whose `clone` panics (with the message "waker clone panicked on purpose").
#[derive(Debug, Default)]
pub struct PanicOnClone;

impl WakerHooks for PanicOnClone {
    fn on_clone(&self) {
        panic!("waker clone panicked on purpose");
    }
}

struct Table<H>(std::marker::PhantomData<H>);

impl<H: WakerHooks> Table<H> {
    const VTABLE: RawWakerVTable = RawWakerVTable::new(
        Self::clone_raw,
        Self::wake_raw,
        Self::wake_by_ref_raw,
        Self::drop_raw,
    );

    /// Borrows the hooks behind `data` without touching the count.
    ///
    /// # Safety
    /// `data` came from `Arc::<H>::into_raw` and its reference is still held.
    unsafe fn hooks<'a>(data: *const ()) -> &'a H {
        // SAFETY: the caller holds a strong reference for as long as the borrow is used.
        unsafe { &*data.cast::<H>() }
    }

    unsafe fn clone_raw(data: *const ()) -> RawWaker {
        // SAFETY: the waker being cloned holds `data`'s reference.
        unsafe { Self::hooks(data) }.on_clone();
        // SAFETY: as above; the new waker owns the reference added here.
        unsafe { Arc::increment_strong_count(data.cast::<H>()) };
        RawWaker::new(data, &Self::VTABLE)
    }

    unsafe fn wake_raw(data: *const ()) {
        // SAFETY: `wake` consumes the waker and with it `data`'s reference, released when
        // `hooks` drops, also if the hook panics.
        let hooks = unsafe { Arc::from_raw(data.cast::<H>()) };
        hooks.on_wake();
    }

    unsafe fn wake_by_ref_raw(data: *const ()) {
        // SAFETY: the borrowed waker holds `data`'s reference.
        unsafe { Self::hooks(data) }.on_wake();
    }

    unsafe fn drop_raw(data: *const ()) {
        // SAFETY: the dropped waker owned `data`'s reference, released when `hooks` drops,
        // also if the hook panics.
        let hooks = unsafe { Arc::from_raw(data.cast::<H>()) };
        hooks.on_drop();
    }
}
