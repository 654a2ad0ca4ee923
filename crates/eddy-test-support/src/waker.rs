//! Wakers for fault injection: each runs a test's hooks when it is cloned, woken or dropped.
//!
//! A runtime calls a user's waker from inside its own machinery (a driver's dispatch, a
//! scheduler's queue, a join set's ready list). [`hooked`] builds a waker whose `clone`, `wake`
//! and `drop` call the matching [`WakerHooks`] method first, so a test can make one of them
//! panic, count calls, or re-enter the primitive under test and check what it sees there (for
//! example that a lock is free). The hooks are shared by every clone through one `Arc`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{RawWaker, RawWakerVTable, Waker};

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

/// Hooks that count wakes and do nothing else.
#[derive(Debug, Default)]
pub struct CountWakes(AtomicUsize);

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
