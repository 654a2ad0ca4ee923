//! Compile-time checks that the public futures and guards are `Send`/`Sync` where Tokio's are.
#![cfg(not(loom))]
#![allow(dead_code, clippy::extra_unused_type_parameters)]

use eddy_sync::*;
use std::sync::Arc;

fn send<T: Send>(_: &T) {}
fn sync<T: Sync>(_: &T) {}
fn send_sync<T: Send + Sync>(_: &T) {}
fn send_sync_type<T: Send + Sync>() {}

#[test]
fn channel_handles() {
    send_sync_type::<mpsc::Sender<u8>>();
    send_sync_type::<mpsc::Receiver<u8>>();
    send_sync_type::<mpsc::UnboundedSender<u8>>();
    send_sync_type::<mpsc::UnboundedReceiver<u8>>();
    send_sync_type::<mpsc::WeakSender<u8>>();
    send_sync_type::<mpsc::Permit<'static, u8>>();
    send_sync_type::<mpsc::OwnedPermit<u8>>();
    send_sync_type::<oneshot::Sender<u8>>();
    send_sync_type::<oneshot::Receiver<u8>>();
    send_sync_type::<broadcast::Sender<u8>>();
    send_sync_type::<broadcast::Receiver<u8>>();
    send_sync_type::<watch::Sender<u8>>();
    send_sync_type::<watch::Receiver<u8>>();
    send_sync_type::<Notify>();
    send_sync_type::<Barrier>();
    send_sync_type::<OnceCell<u8>>();
    send_sync_type::<Semaphore>();
    send_sync_type::<Mutex<u8>>();
    send_sync_type::<RwLock<u8>>();
}

/// Tokio's channels ask only `T: Send` of their values for their handles and futures to be
/// `Send` and `Sync` (`Cell` is `Send` but not `Sync`); tokio-stream's `BroadcastStream` relies
/// on it for broadcast.
#[test]
fn channels_of_send_only_values() {
    type Value = std::cell::Cell<u8>;
    send_sync_type::<mpsc::Sender<Value>>();
    send_sync_type::<mpsc::Receiver<Value>>();
    send_sync_type::<mpsc::UnboundedSender<Value>>();
    send_sync_type::<mpsc::UnboundedReceiver<Value>>();
    send_sync_type::<oneshot::Sender<Value>>();
    send_sync_type::<oneshot::Receiver<Value>>();
    send_sync_type::<broadcast::Sender<Value>>();
    send_sync_type::<broadcast::Receiver<Value>>();
    let (btx, mut brx) = broadcast::channel::<Value>(1);
    send_sync(&brx.recv());
    send_sync(&btx.closed());
}

#[test]
fn guards_and_permits() {
    send_sync_type::<MutexGuard<'static, u8>>();
    send_sync_type::<OwnedMutexGuard<u8>>();
    send_sync_type::<MappedMutexGuard<'static, u8>>();
    send_sync_type::<OwnedMappedMutexGuard<u8, u8>>();
    send_sync_type::<RwLockReadGuard<'static, u8>>();
    send_sync_type::<RwLockWriteGuard<'static, u8>>();
    send_sync_type::<RwLockMappedWriteGuard<'static, u8>>();
    send_sync_type::<OwnedRwLockReadGuard<u8>>();
    send_sync_type::<OwnedRwLockWriteGuard<u8>>();
    send_sync_type::<OwnedRwLockMappedWriteGuard<u8>>();
    send_sync_type::<SemaphorePermit<'static>>();
    send_sync_type::<OwnedSemaphorePermit>();
    send_sync_type::<futures::Notified<'static>>();
    send_sync_type::<futures::OwnedNotified>();
}

#[test]
fn futures_are_send_and_sync() {
    let (tx, mut rx) = mpsc::channel::<u8>(1);
    send_sync(&tx.send(1));
    send_sync(&tx.reserve());
    send_sync(&tx.closed());
    send_sync(&rx.recv());
    let (utx, mut urx) = mpsc::unbounded_channel::<u8>();
    send_sync(&utx.closed());
    send_sync(&urx.recv());
    let (mut otx, orx) = oneshot::channel::<u8>();
    send_sync(&otx.closed());
    send_sync(&orx);
    let (btx, mut brx) = broadcast::channel::<u8>(1);
    send_sync(&brx.recv());
    send_sync(&btx.closed());
    let (wtx, mut wrx) = watch::channel(0u8);
    send_sync(&wrx.changed());
    send_sync(&wtx.closed());
    let mutex = Arc::new(Mutex::new(0u8));
    send_sync(&mutex.lock());
    send_sync(&mutex.clone().lock_owned());
    let rwlock = Arc::new(RwLock::new(0u8));
    send_sync(&rwlock.read());
    send_sync(&rwlock.write());
    send_sync(&rwlock.clone().read_owned());
    send_sync(&rwlock.clone().write_owned());
    let semaphore = Arc::new(Semaphore::new(1));
    send_sync(&semaphore.acquire());
    send_sync(&semaphore.acquire_many(1));
    send_sync(&semaphore.clone().acquire_owned());
    let notify = Notify::new();
    send_sync(&notify.notified());
    let barrier = Barrier::new(1);
    send_sync(&barrier.wait());
    let cell = OnceCell::<u8>::new();
    send_sync(&cell.get_or_init(|| async { 1 }));
}

#[test]
fn mutex_is_sync_for_data_that_is_only_send() {
    // Like Tokio's (and std's), the mutex makes `Send`-only data shareable.
    let mutex = Mutex::new(std::cell::Cell::new(0));
    send(&mutex);
    sync(&mutex);
}

/// Compiles only if `$t` is not `Sync` (two candidate impls when it is make the path
/// ambiguous).
macro_rules! assert_not_sync {
    ($t:ty) => {{
        trait AmbiguousIfSync<A> {
            fn some_item() {}
        }
        impl<T: ?Sized> AmbiguousIfSync<()> for T {}
        struct Invalid;
        impl<T: ?Sized + Sync> AmbiguousIfSync<Invalid> for T {}
        let _ = <$t as AmbiguousIfSync<_>>::some_item;
    }};
}

fn send_type<T: Send>() {}
fn sync_type<T: Sync>() {}

/// Exactly Tokio's bounds for the guards: sharing a guard shares `&T`, so it asks `T: Sync`,
/// and also `T: Send` where Tokio's does (an `OwnedMutexGuard` of a `Send`-only value used to be
/// `Sync`, through its `Arc`).
#[test]
fn guards_have_tokios_bounds() {
    type SendOnly = std::cell::Cell<u8>;
    type SyncOnly = std::sync::MutexGuard<'static, u8>;
    send_type::<OwnedMutexGuard<SendOnly>>();
    assert_not_sync!(OwnedMutexGuard<SendOnly>);
    assert_not_sync!(MutexGuard<'static, SendOnly>);
    assert_not_sync!(MappedMutexGuard<'static, SendOnly>);
    assert_not_sync!(OwnedMappedMutexGuard<SendOnly, SendOnly>);
    sync_type::<MappedMutexGuard<'static, SyncOnly>>();
    send_type::<RwLockReadGuard<'static, SyncOnly>>();
    assert_not_sync!(RwLockReadGuard<'static, SyncOnly>);
    assert_not_sync!(OwnedRwLockReadGuard<u8, SyncOnly>);
    assert_not_sync!(RwLockWriteGuard<'static, SendOnly>);
}

fn unwind_safe_type<T: std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}

/// The handles Tokio makes unwind safe whatever the value type is (its `sync_mpsc` checks the
/// mpsc ones; broadcast, watch, `Notify` and `Semaphore` are so by their fields, as here).
#[test]
fn channel_handles_are_unwind_safe_for_any_value() {
    type Value = std::cell::Cell<u8>;
    unwind_safe_type::<mpsc::Sender<Value>>();
    unwind_safe_type::<mpsc::Receiver<Value>>();
    unwind_safe_type::<mpsc::WeakSender<Value>>();
    unwind_safe_type::<mpsc::Permit<'static, Value>>();
    unwind_safe_type::<mpsc::PermitIterator<'static, Value>>();
    unwind_safe_type::<mpsc::OwnedPermit<Value>>();
    unwind_safe_type::<mpsc::UnboundedSender<Value>>();
    unwind_safe_type::<mpsc::UnboundedReceiver<Value>>();
    unwind_safe_type::<mpsc::WeakUnboundedSender<Value>>();
    unwind_safe_type::<broadcast::Sender<Value>>();
    unwind_safe_type::<broadcast::Receiver<Value>>();
    unwind_safe_type::<watch::Sender<Value>>();
    unwind_safe_type::<watch::Receiver<Value>>();
    unwind_safe_type::<Notify>();
    // With `tracing`, a semaphore holds its resource span, which is not unwind safe (Tokio's
    // traced semaphore holds one too).
    #[cfg(not(feature = "tracing"))]
    unwind_safe_type::<Semaphore>();
}
