//! A single-producer, multi-consumer channel that keeps only the latest value.
//!
//! The value sits behind a reader-writer lock next to a state word: the version (counting by
//! two) and, in bit 0, `CLOSED` (every sender is gone). A receiver remembers the version it last
//! saw; "changed" means the versions differ. Senders bump the version under the write lock, then
//! call `notify_waiters` on a [`Notify`]; a waiting receiver creates its `Notified` before it
//! checks the version, so a change between the check and the wait is never missed. The waits
//! (`changed`, `wait_for`, `Sender::closed`) spend the cooperative budget as a whole, so a loop
//! over a wait that is always ready (on a closed channel) still yields to the scheduler.
//!
//! ```
//! use eddy_sync::watch;
//!
//! # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
//! let (tx, mut rx) = watch::channel("hello");
//! std::thread::spawn(move || tx.send("world").unwrap());
//! rx.changed().await.unwrap();
//! assert_eq!(*rx.borrow_and_update(), "world");
//! # });
//! ```

use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::loom::sync::{RwLock, RwLockReadGuard};
use crate::util::cooperative;
use crate::Notify;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

const CLOSED: usize = 1;
const VERSION_STEP: usize = 2;
/// A version no state ever has (versions are even): "changed" whatever the state.
const UNSEEN: usize = 1;

/// The errors of the watch channel.
pub mod error {
    use std::fmt;

    /// Every receiver is gone; the value comes back.
    #[derive(PartialEq, Eq, Clone, Copy)]
    pub struct SendError<T>(pub T);

    impl<T> fmt::Debug for SendError<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("SendError").finish_non_exhaustive()
        }
    }

    impl<T> fmt::Display for SendError<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "channel closed")
        }
    }

    impl<T> std::error::Error for SendError<T> {}

    /// Every sender is gone.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RecvError(pub(super) ());

    impl fmt::Display for RecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "channel closed")
        }
    }

    impl std::error::Error for RecvError {}
}

use error::{RecvError, SendError};

struct Shared<T> {
    value: RwLock<T>,
    state: AtomicUsize,
    receivers: AtomicUsize,
    senders: AtomicUsize,
    notify_rx: Notify,
    notify_tx: Notify,
}

impl<T> Shared<T> {
    fn version(&self) -> usize {
        self.state.load(Ordering::Acquire) & !CLOSED
    }

    fn is_closed(&self) -> bool {
        self.state.load(Ordering::Acquire) & CLOSED != 0
    }
}

/// Creates a watch channel holding `init`.
pub fn channel<T>(init: T) -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared {
        value: RwLock::new(init),
        state: AtomicUsize::new(0),
        receivers: AtomicUsize::new(1),
        senders: AtomicUsize::new(1),
        notify_rx: Notify::new(),
        notify_tx: Notify::new(),
    });
    (
        Sender {
            shared: shared.clone(),
        },
        Receiver { shared, version: 0 },
    )
}

/// Publishes new values to the [`Receiver`]s.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// Watches the latest value; cloned to get more observers.
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
    version: usize,
}

/// A borrow of the current value; holds a read lock, so keep it short (never across `.await`).
pub struct Ref<'a, T> {
    guard: RwLockReadGuard<'a, T>,
    has_changed: bool,
}

impl<T> Ref<'_, T> {
    /// Whether this value was unseen by the receiver when it was borrowed.
    pub fn has_changed(&self) -> bool {
        self.has_changed
    }
}

impl<T> Deref for Ref<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T: fmt::Debug> fmt::Debug for Ref<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T> Receiver<T> {
    /// The current value, without marking it seen.
    pub fn borrow(&self) -> Ref<'_, T> {
        let guard = self.shared.value.read();
        let has_changed = self.shared.version() != self.version;
        Ref { guard, has_changed }
    }

    /// The current value, marking it seen.
    pub fn borrow_and_update(&mut self) -> Ref<'_, T> {
        let guard = self.shared.value.read();
        let version = self.shared.version();
        let has_changed = version != self.version;
        self.version = version;
        Ref { guard, has_changed }
    }

    /// Whether a value this receiver has not seen is there; fails once every sender is gone.
    pub fn has_changed(&self) -> Result<bool, RecvError> {
        if self.shared.is_closed() {
            return Err(RecvError(()));
        }
        Ok(self.shared.version() != self.version)
    }

    /// Whether every [`Sender`] is gone (the value can no longer change).
    pub fn is_closed(&self) -> bool {
        self.shared.is_closed()
    }

    /// Makes the current value count as unseen.
    pub fn mark_changed(&mut self) {
        self.version = UNSEEN;
    }

    /// Makes the current value count as seen.
    pub fn mark_unchanged(&mut self) {
        self.version = self.shared.version();
    }

    /// Waits for a value this receiver has not seen, and marks it seen. Fails once every sender
    /// is gone and no unseen value remains.
    ///
    /// Cancel safety: cancel safe.
    pub async fn changed(&mut self) -> Result<(), RecvError> {
        cooperative(self.changed_inner()).await
    }

    async fn changed_inner(&mut self) -> Result<(), RecvError> {
        loop {
            let notified = self.shared.notify_rx.notified();
            // Closed first: the last sender closes after its last send, so a version read after
            // seeing `CLOSED` is final.
            let closed = self.shared.is_closed();
            let version = self.shared.version();
            if version != self.version {
                self.version = version;
                return Ok(());
            }
            if closed {
                return Err(RecvError(()));
            }
            notified.await;
        }
    }

    /// Waits until the value satisfies `f` (checking the current value first), marks it seen
    /// and returns it. Fails once every sender is gone and the last value did not satisfy `f`.
    ///
    /// Cancel safety: cancel safe.
    pub async fn wait_for(&mut self, f: impl FnMut(&T) -> bool) -> Result<Ref<'_, T>, RecvError> {
        cooperative(self.wait_for_inner(f)).await
    }

    async fn wait_for_inner(
        &mut self,
        mut f: impl FnMut(&T) -> bool,
    ) -> Result<Ref<'_, T>, RecvError> {
        loop {
            let notified = self.shared.notify_rx.notified();
            let closed = self.shared.is_closed();
            let version;
            {
                // The version read under the read lock is the version of the value we check.
                let guard = self.shared.value.read();
                version = self.shared.version();
                if f(&guard) {
                    let has_changed = version != self.version;
                    self.version = version;
                    return Ok(Ref { guard, has_changed });
                }
            }
            self.version = version;
            if closed {
                return Err(RecvError(()));
            }
            notified.await;
        }
    }

    /// Whether both receivers watch the same channel.
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

impl<T> Clone for Receiver<T> {
    fn clone(&self) -> Self {
        self.shared.receivers.fetch_add(1, Ordering::Relaxed);
        Receiver {
            shared: self.shared.clone(),
            version: self.version,
        }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        if self.shared.receivers.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.shared.notify_tx.notify_waiters();
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl<T> Sender<T> {
    /// A sender with no receiver yet; [`subscribe`](Sender::subscribe) to get one.
    pub fn new(init: T) -> Self {
        let (tx, _) = channel(init);
        tx
    }

    /// Publishes `value`; fails (handing it back) if there is no receiver.
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        if self.receiver_count() == 0 {
            return Err(SendError(value));
        }
        self.send_replace(value);
        Ok(())
    }

    /// Modifies the value in place and notifies the receivers, even if there are none.
    pub fn send_modify(&self, modify: impl FnOnce(&mut T)) {
        self.send_if_modified(|value| {
            modify(value);
            true
        });
    }

    /// Modifies the value in place; notifies the receivers only if `modify` returns `true`.
    pub fn send_if_modified(&self, modify: impl FnOnce(&mut T) -> bool) -> bool {
        {
            let mut guard = self.shared.value.write();
            if !modify(&mut guard) {
                return false;
            }
            self.shared.state.fetch_add(VERSION_STEP, Ordering::Release);
        }
        self.shared.notify_rx.notify_waiters();
        true
    }

    /// Publishes `value` even if there is no receiver; returns the previous value.
    pub fn send_replace(&self, mut value: T) -> T {
        self.send_modify(|current| std::mem::swap(current, &mut value));
        value
    }

    /// The current value.
    pub fn borrow(&self) -> Ref<'_, T> {
        Ref {
            guard: self.shared.value.read(),
            has_changed: false,
        }
    }

    /// Whether every receiver is gone.
    pub fn is_closed(&self) -> bool {
        self.receiver_count() == 0
    }

    /// Completes once every receiver is gone.
    ///
    /// Cancel safety: cancel safe.
    pub async fn closed(&self) {
        cooperative(async {
            loop {
                let notified = self.shared.notify_tx.notified();
                if self.receiver_count() == 0 {
                    return;
                }
                notified.await;
            }
        })
        .await
    }

    /// A new receiver, which counts the current value as seen.
    pub fn subscribe(&self) -> Receiver<T> {
        self.shared.receivers.fetch_add(1, Ordering::Relaxed);
        Receiver {
            shared: self.shared.clone(),
            version: self.shared.version(),
        }
    }

    /// The number of receivers.
    pub fn receiver_count(&self) -> usize {
        self.shared.receivers.load(Ordering::Acquire)
    }

    /// The number of senders.
    pub fn sender_count(&self) -> usize {
        self.shared.senders.load(Ordering::Acquire)
    }

    /// Whether both senders publish to the same channel.
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.shared.senders.fetch_add(1, Ordering::Relaxed);
        Sender {
            shared: self.shared.clone(),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if self.shared.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.shared.state.fetch_or(CLOSED, Ordering::AcqRel);
            self.shared.notify_rx.notify_waiters();
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}
