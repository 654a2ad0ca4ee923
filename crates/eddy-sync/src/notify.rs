//! `Notify`: wake one task, or all of them, without sending data.
//!
//! # State
//!
//! One atomic word: the low two bits are `EMPTY`, `WAITING` (the waiter list is not empty) or
//! `NOTIFIED` (a stored permit, from a `notify_one` that found nobody waiting); the rest counts
//! the calls to `notify_waiters`. Waiters are intrusive nodes, oldest first, behind a mutex.
//!
//! # Invariants
//!
//! * `WAITING` is entered and left only under the lock; `EMPTY` and `NOTIFIED` swap without it
//!   (a compare-and-swap on the whole word, which fails if a locked path changed the word).
//! * The call counter only moves under the lock. A `Notified` remembers the counter when it is
//!   created, so a `notify_waiters` that happens after `notified()` wakes it even if it was never
//!   polled.
//! * A notifier unlinks a waiter, takes its waker, then stores the notification with `Release`
//!   as its last access. A `Notified` that is dropped with a `notify_one` notification it never
//!   returned passes the notification on, so no wake-up is lost.

use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::loom::sync::Mutex;
use crate::util::{AtomicWaker, WakeList};
use eddy_core::linked_list::{Link, LinkedList, Pointers};
use std::fmt;
use std::future::Future;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::ptr::NonNull;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

const EMPTY: usize = 0;
const WAITING: usize = 1;
const NOTIFIED: usize = 2;
const STATE_MASK: usize = 0b11;
const CALL_UNIT: usize = 0b100;

/// What a waiter was woken by.
const NONE: usize = 0;
const ONE_OLDEST: usize = 1;
const ONE_NEWEST: usize = 2;
const ALL: usize = 3;

/// Notifies a single task, or all waiting tasks, to wake up.
///
/// `Notify` is a waiter list plus at most one stored permit. [`notify_one`](Notify::notify_one)
/// wakes the oldest waiter, or, if nobody waits, stores a permit that the next
/// [`notified().await`](Notify::notified) consumes at once. [`notify_waiters`](Notify::notify_waiters)
/// wakes every waiter that exists (created with `notified()`) at the time of the call and stores
/// nothing.
///
/// ```
/// use eddy_sync::Notify;
/// use std::sync::Arc;
///
/// let notify = Arc::new(Notify::new());
/// let notify2 = notify.clone();
/// let waiter = std::thread::spawn(move || {
///     # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async move {
///     notify2.notified().await;
///     # });
/// });
/// notify.notify_one();
/// waiter.join().unwrap();
/// ```
pub struct Notify {
    state: AtomicUsize,
    waiters: Mutex<LinkedList<Waiter>>,
}

#[derive(Debug)]
struct Waiter {
    /// Links in the waiter list, guarded by its lock.
    pointers: Pointers<Waiter>,
    notification: AtomicUsize,
    waker: AtomicWaker,
    _pinned: PhantomPinned,
}

// SAFETY: `pointers` is a field of the waiter, and a waiter is only ever linked into the list
// of the `Notify` that created it.
unsafe impl Link for Waiter {
    #[inline]
    fn pointers(&self) -> &Pointers<Waiter> {
        &self.pointers
    }
}

impl Notify {
    /// A `Notify` with no permit stored and nobody waiting.
    #[cfg(not(loom))]
    pub const fn new() -> Notify {
        Notify {
            state: AtomicUsize::new(EMPTY),
            waiters: Mutex::new(LinkedList::new()),
        }
    }

    /// A `Notify` with no permit stored and nobody waiting.
    #[cfg(loom)]
    pub fn new() -> Notify {
        Notify {
            state: AtomicUsize::new(EMPTY),
            waiters: Mutex::new(LinkedList::new()),
        }
    }

    /// A `Notify` usable in a `static`.
    #[cfg(not(loom))]
    pub const fn const_new() -> Notify {
        Notify::new()
    }

    /// A future that completes when this `Notify` is notified.
    ///
    /// The future takes part in `notify_waiters` from the moment it is created; it joins the
    /// queue for `notify_one` when first polled or [enabled](Notified::enable).
    ///
    /// Cancel safety: dropping the future gives up its place in the queue; if it had already
    /// been chosen by `notify_one`, the notification passes on to the next waiter (or is stored).
    pub fn notified(&self) -> Notified<'_> {
        Notified {
            inner: Waiting::new(self),
        }
    }

    /// [`notified`](Notify::notified) on an `Arc<Notify>`: the future owns a reference, so it
    /// can be moved into a spawned task. Same cancel safety.
    pub fn notified_owned(self: Arc<Self>) -> OwnedNotified {
        OwnedNotified {
            inner: Waiting::new(self),
        }
    }

    /// Wakes the oldest waiting task, or stores a permit if nobody waits.
    pub fn notify_one(&self) {
        self.notify(ONE_OLDEST);
    }

    /// Wakes the newest waiting task, or stores a permit if nobody waits.
    pub fn notify_last(&self) {
        self.notify(ONE_NEWEST);
    }

    fn notify(&self, strategy: usize) {
        let mut current = self.state.load(Ordering::SeqCst);
        while current & STATE_MASK != WAITING {
            let next = (current & !STATE_MASK) | NOTIFIED;
            match self
                .state
                .compare_exchange(current, next, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return,
                Err(actual) => current = actual,
            }
        }
        let mut waiters = self.waiters.lock();
        let waker = self.notify_locked(&mut waiters, strategy);
        drop(waiters);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Under the lock: wakes one waiter, or stores the permit if the list is empty.
    fn notify_locked(&self, waiters: &mut LinkedList<Waiter>, strategy: usize) -> Option<Waker> {
        let mut current = self.state.load(Ordering::SeqCst);
        loop {
            if current & STATE_MASK == WAITING {
                break;
            }
            let next = (current & !STATE_MASK) | NOTIFIED;
            match self
                .state
                .compare_exchange(current, next, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return None,
                Err(actual) => current = actual,
            }
        }
        let waiter = match strategy {
            ONE_NEWEST => waiters.pop_back(),
            _ => waiters.pop_front(),
        }
        .expect("WAITING implies a waiter");
        // SAFETY: the waiter's owner lets it go only after taking this lock or after reading
        // the notification, which the store below makes as our last access.
        let waiter = unsafe { waiter.as_ref() };
        let waker = waiter.waker.take();
        // The last access to the unlinked node (see the module docs).
        waiter.notification.store(strategy, Ordering::Release);
        if waiters.is_empty() {
            self.state.store(current & !STATE_MASK, Ordering::SeqCst);
        }
        waker
    }

    /// Wakes every task waiting now (and every `Notified` created before this call), without
    /// storing a permit for later ones.
    pub fn notify_waiters(&self) {
        let mut waiters = self.waiters.lock();
        let current = self.state.load(Ordering::SeqCst);
        let mut wakers = WakeList::new();
        while let Some(waiter) = waiters.pop_front() {
            // SAFETY: as in `notify_locked`: the notification store is our last access.
            let waiter = unsafe { waiter.as_ref() };
            if let Some(waker) = waiter.waker.take() {
                wakers.push(waker);
            }
            waiter.notification.store(ALL, Ordering::Release);
        }
        let state = match current & STATE_MASK {
            WAITING => EMPTY,
            other => other,
        };
        self.state.store(
            ((current & !STATE_MASK) + CALL_UNIT) | state,
            Ordering::SeqCst,
        );
        drop(waiters);
        wakers.wake_all();
    }

    /// Takes the stored permit, if any, without waiting, unless `notify_waiters` was called
    /// since the waiter's creation (`calls_seen`): that call completes the waiter already, and
    /// the permit is left for another one.
    fn try_take_permit(&self, calls_seen: usize) -> bool {
        let mut current = self.state.load(Ordering::SeqCst);
        while current & STATE_MASK == NOTIFIED && current & !STATE_MASK == calls_seen {
            let next = current & !STATE_MASK;
            match self
                .state
                .compare_exchange(current, next, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return true,
                Err(actual) => current = actual,
            }
        }
        false
    }
}

impl Default for Notify {
    fn default() -> Notify {
        Notify::new()
    }
}

impl fmt::Debug for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notify").finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Init,
    Waiting,
    Done,
}

/// How a waiting future holds its `Notify`: borrowed ([`Notified`]) or shared ([`OwnedNotified`]).
trait NotifyHandle {
    fn notify(&self) -> &Notify;
}

impl NotifyHandle for &Notify {
    fn notify(&self) -> &Notify {
        self
    }
}

impl NotifyHandle for Arc<Notify> {
    fn notify(&self) -> &Notify {
        self
    }
}

pin_project_lite::pin_project! {
    /// The state both waiting futures share: the stage, the `notify_waiters` count seen at
    /// creation, and the waiter node.
    struct Waiting<N: NotifyHandle> {
        handle: N,
        stage: Stage,
        calls_seen: usize,
        #[pin]
        node: Waiter,
    }

    impl<N: NotifyHandle> PinnedDrop for Waiting<N> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            if *this.stage == Stage::Waiting {
                this.handle.notify().cancel(this.node.as_ref());
            }
        }
    }
}

impl<N: NotifyHandle> Waiting<N> {
    fn new(handle: N) -> Self {
        let state = handle.notify().state.load(Ordering::SeqCst);
        Waiting {
            handle,
            stage: Stage::Init,
            calls_seen: state & !STATE_MASK,
            node: Waiter {
                pointers: Pointers::new(),
                notification: AtomicUsize::new(NONE),
                waker: AtomicWaker::new(),
                _pinned: PhantomPinned,
            },
        }
    }

    fn poll_stage(self: Pin<&mut Self>, waker: Option<&Waker>) -> Stage {
        let this = self.project();
        let node = this.node.as_ref();
        let notify = this.handle.notify();
        *this.stage = match *this.stage {
            Stage::Init => notify.register(node, *this.calls_seen, waker),
            Stage::Waiting => notify.poll_waiting(node, waker),
            Stage::Done => Stage::Done,
        };
        *this.stage
    }

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.poll_stage(Some(cx.waker())) {
            Stage::Done => Poll::Ready(()),
            _ => Poll::Pending,
        }
    }
}

pin_project_lite::pin_project! {
    /// The future returned by [`Notify::notified`].
    pub struct Notified<'a> {
        #[pin]
        inner: Waiting<&'a Notify>,
    }
}

pin_project_lite::pin_project! {
    /// The future returned by [`Notify::notified_owned`]: like [`Notified`], holding an
    /// `Arc<Notify>` so it can be `'static`.
    pub struct OwnedNotified {
        #[pin]
        inner: Waiting<Arc<Notify>>,
    }
}

impl Notify {
    /// First registration: consume a permit, notice a `notify_waiters` since creation, or queue.
    fn register(&self, node: Pin<&Waiter>, calls_seen: usize, waker: Option<&Waker>) -> Stage {
        if self.try_take_permit(calls_seen) {
            return Stage::Done;
        }
        let mut waiters = self.waiters.lock();
        let mut current = self.state.load(Ordering::SeqCst);
        loop {
            if current & !STATE_MASK != calls_seen {
                return Stage::Done;
            }
            let next = match current & STATE_MASK {
                NOTIFIED => current & !STATE_MASK,
                _ => (current & !STATE_MASK) | WAITING,
            };
            match self
                .state
                .compare_exchange(current, next, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) if current & STATE_MASK == NOTIFIED => return Stage::Done,
                Ok(_) => break,
                Err(actual) => current = actual,
            }
        }
        let after = waker.map(|waker| node.get_ref().waker.register_under_lock(waker));
        // SAFETY: the node lives pinned in a `Waiting`, which queues it only here and, while
        // `Waiting`, unlinks it under this lock on drop; it leaves `Waiting` without the lock only
        // after reading the notification, which notifiers store as their last access.
        unsafe { waiters.push_back(NonNull::from(node.get_ref())) };
        drop(waiters);
        drop(after);
        Stage::Waiting
    }

    /// A queued waiter polls again: done if notified, else refresh the waker under the lock.
    fn poll_waiting(&self, node: Pin<&Waiter>, waker: Option<&Waker>) -> Stage {
        let waiter = node.get_ref();
        if waiter.notification.load(Ordering::Acquire) != NONE {
            return Stage::Done;
        }
        let waiters = self.waiters.lock();
        if waiter.notification.load(Ordering::Acquire) != NONE {
            return Stage::Done;
        }
        let after = waker.map(|waker| waiter.waker.register_under_lock(waker));
        drop(waiters);
        drop(after);
        Stage::Waiting
    }

    /// A queued waiter is dropped: unlink it, and pass on a `notify_one` it never returned.
    fn cancel(&self, node: Pin<&Waiter>) {
        let mut waiters = self.waiters.lock();
        // SAFETY: the node was only ever pushed into this `Notify`'s list.
        let was_linked = unsafe { waiters.remove(NonNull::from(node.get_ref())) };
        if was_linked && waiters.is_empty() {
            let current = self.state.load(Ordering::SeqCst);
            if current & STATE_MASK == WAITING {
                self.state.store(current & !STATE_MASK, Ordering::SeqCst);
            }
        }
        let notification = node.get_ref().notification.load(Ordering::Acquire);
        let waker = match notification {
            ONE_OLDEST | ONE_NEWEST => self.notify_locked(&mut waiters, notification),
            _ => None,
        };
        drop(waiters);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl Notified<'_> {
    /// Joins the waiter queue without waiting, so that a later `notify_one` picks this future.
    ///
    /// Returns `true` if the future is already notified (its next poll is `Ready`).
    pub fn enable(self: Pin<&mut Self>) -> bool {
        self.project().inner.poll_stage(None) == Stage::Done
    }
}

impl Future for Notified<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.project().inner.poll_ready(cx)
    }
}

impl fmt::Debug for Notified<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notified")
            .field("stage", &self.inner.stage)
            .finish_non_exhaustive()
    }
}

impl OwnedNotified {
    /// Joins the waiter queue without waiting (see [`Notified::enable`]).
    pub fn enable(self: Pin<&mut Self>) -> bool {
        self.project().inner.poll_stage(None) == Stage::Done
    }
}

impl Future for OwnedNotified {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.project().inner.poll_ready(cx)
    }
}

impl fmt::Debug for OwnedNotified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedNotified")
            .field("stage", &self.inner.stage)
            .finish_non_exhaustive()
    }
}
