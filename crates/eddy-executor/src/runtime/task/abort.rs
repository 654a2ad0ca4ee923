//! `AbortHandle`: cancelling a task without owning its output.

use super::{Id, RawTask};
use std::fmt;
use std::panic::{RefUnwindSafe, UnwindSafe};

/// A handle that cancels a task. Unlike a [`JoinHandle`](super::JoinHandle) it can be cloned,
/// and dropping it does nothing to the task.
pub struct AbortHandle {
    raw: RawTask,
}

// As for `JoinHandle`: cancelling is one atomic transition of the task's state.
impl UnwindSafe for AbortHandle {}
impl RefUnwindSafe for AbortHandle {}

impl AbortHandle {
    /// Takes over one reference to `raw`.
    ///
    /// # Safety
    ///
    /// The caller owns a reference to the task.
    pub(crate) unsafe fn from_raw(raw: RawTask) -> AbortHandle {
        AbortHandle { raw }
    }

    /// Cancels the task (see [`JoinHandle::abort`](super::JoinHandle::abort)).
    pub fn abort(&self) {
        self.raw.abort();
    }

    /// Whether the task has finished (completed, panicked or was cancelled).
    pub fn is_finished(&self) -> bool {
        self.raw.header().state.load().is_complete()
    }

    /// The task's id.
    pub fn id(&self) -> Id {
        self.raw.id()
    }
}

impl Clone for AbortHandle {
    fn clone(&self) -> AbortHandle {
        self.raw.ref_inc();
        AbortHandle { raw: self.raw }
    }
}

impl Drop for AbortHandle {
    fn drop(&mut self) {
        self.raw.drop_reference();
    }
}

impl fmt::Debug for AbortHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AbortHandle")
            .field("id", &self.id())
            .finish()
    }
}
