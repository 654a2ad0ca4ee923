//! Runtime ids: which runtime (or `LocalSet`) a thread or a task belongs to.
//!
//! Every scheduler's list of owned tasks takes an id from one process-wide counter when it is
//! created, so runtimes and local sets never share an id while the process runs. The id is only
//! an identity: it says nothing about the flavor, the order of creation or the runtime's state.

use std::fmt;
use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU64, Ordering};

/// An opaque id that tells runtimes (and `LocalSet`s) apart, from
/// [`Handle::id`](super::Handle::id) or [`LocalSet::id`](crate::task::LocalSet::id).
///
/// Two handles have equal ids exactly when they refer to the same runtime. Ids are not reused
/// while the process runs.
///
/// ```
/// use eddy_executor::runtime::Builder;
///
/// let first = Builder::new_current_thread().build().unwrap();
/// let second = Builder::new_current_thread().build().unwrap();
/// assert_eq!(first.handle().id(), first.handle().clone().id());
/// assert_ne!(first.handle().id(), second.handle().id());
/// ```
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct Id(NonZeroU64);

impl Id {
    /// A new, never used id.
    pub(crate) fn next() -> Id {
        // A std atomic even under loom: the counter only hands out distinct numbers, and
        // loom's atomics cannot live in a `static`.
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        Id(NonZeroU64::new(id).expect("eddy: runtime ids ran out"))
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
