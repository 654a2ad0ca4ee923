//! Task spans and waker events for `tracing` subscribers such as tokio-console's.
//!
//! With the `tracing` feature, every task gets a span named `runtime.spawn` (target
//! `tokio::task`, with the fields console-subscriber reads: `kind`, `task.name`, `task.id`,
//! `loc.file`, `loc.line`, `loc.col`, `size.bytes`). The task keeps only the span's id: the
//! span is entered around every poll and closed when the task is freed, both through the
//! thread's default dispatcher, which for the usual global subscriber is the one that made it.
//! Waker operations emit events with target `runtime::waker`, an `op` field and `task.id` set
//! to the span's id. When no subscriber wants the span, the task stores `None` and every later
//! hook is one branch.
//!
//! Without the feature, [`TaskSpan`] is a zero-sized type whose methods do nothing, so call
//! sites need no `cfg`.

use super::meta::SpawnMeta;
use super::Id;
use std::future::Future;
use std::panic::Location;

/// A waker operation, as the `op` field of a `runtime::waker` event names it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum WakerOp {
    Wake,
    WakeByRef,
    Clone,
    Drop,
}

#[cfg(feature = "tracing")]
impl WakerOp {
    fn as_str(self) -> &'static str {
        match self {
            WakerOp::Wake => "waker.wake",
            WakerOp::WakeByRef => "waker.wake_by_ref",
            WakerOp::Clone => "waker.clone",
            WakerOp::Drop => "waker.drop",
        }
    }
}

/// The id of a task's `runtime.spawn` span, if a subscriber took it.
#[cfg(feature = "tracing")]
#[derive(Debug)]
pub(crate) struct TaskSpan(Option<tracing::span::Id>);

/// Nothing: the `tracing` feature is off.
#[cfg(not(feature = "tracing"))]
#[derive(Debug)]
pub(crate) struct TaskSpan;

#[cfg(feature = "tracing")]
impl TaskSpan {
    /// Opens the span of a new task whose future is `size` bytes.
    pub(crate) fn new(meta: &SpawnMeta<'_>, id: Id, size: usize) -> TaskSpan {
        let span = tracing::trace_span!(
            target: "tokio::task",
            parent: None,
            "runtime.spawn",
            kind = meta.kind.as_str(),
            task.name = meta.name.unwrap_or_default(),
            task.id = id.as_u64(),
            loc.file = meta.location.file(),
            loc.line = meta.location.line(),
            loc.col = meta.location.column(),
            size.bytes = size,
        );
        let Some(span_id) = span.id() else {
            return TaskSpan(None);
        };
        // The task holds its own reference to the span; `span` releases its one on drop.
        tracing::dispatcher::get_default(|dispatch| dispatch.clone_span(&span_id));
        TaskSpan(Some(span_id))
    }

    /// Runs `poll` inside the span: entered before, exited after, even if `poll` unwinds.
    pub(crate) fn in_scope<R>(&self, poll: impl FnOnce() -> R) -> R {
        let Some(id) = &self.0 else {
            return poll();
        };
        tracing::dispatcher::get_default(|dispatch| dispatch.enter(id));
        let _exit = Exit(id);
        poll()
    }

    /// Emits the `runtime::waker` event for `op` on this task.
    pub(crate) fn waker_op(&self, op: WakerOp) {
        if let Some(id) = &self.0 {
            tracing::trace!(target: "runtime::waker", op = op.as_str(), task.id = id.into_u64());
        }
    }

    /// Closes the span: the task is being freed.
    pub(crate) fn close(&self) {
        if let Some(id) = &self.0 {
            tracing::dispatcher::get_default(|dispatch| dispatch.try_close(id.clone()));
        }
    }
}

/// Exits the task span when dropped.
#[cfg(feature = "tracing")]
struct Exit<'a>(&'a tracing::span::Id);

#[cfg(feature = "tracing")]
impl Drop for Exit<'_> {
    fn drop(&mut self) {
        tracing::dispatcher::get_default(|dispatch| dispatch.exit(self.0));
    }
}

#[cfg(not(feature = "tracing"))]
impl TaskSpan {
    #[inline(always)]
    pub(crate) fn new(_meta: &SpawnMeta<'_>, _id: Id, _size: usize) -> TaskSpan {
        TaskSpan
    }

    #[inline(always)]
    pub(crate) fn in_scope<R>(&self, poll: impl FnOnce() -> R) -> R {
        poll()
    }

    #[inline(always)]
    pub(crate) fn waker_op(&self, _op: WakerOp) {}

    #[inline(always)]
    pub(crate) fn close(&self) {}
}

/// Traces the future of a `block_on` call as a task of kind `block_on`, spawned at `location`.
#[cfg(feature = "tracing")]
pub(crate) fn instrument_block_on<F: Future>(
    future: F,
    location: &'static Location<'static>,
) -> impl Future<Output = F::Output> {
    use super::TaskKind;

    /// Closes the span when the future is done or dropped.
    struct CloseOnDrop(TaskSpan);
    impl Drop for CloseOnDrop {
        fn drop(&mut self) {
            self.0.close();
        }
    }

    let meta = SpawnMeta {
        name: None,
        location,
        kind: TaskKind::BlockOn,
    };
    let span = CloseOnDrop(TaskSpan::new(&meta, Id::next(), std::mem::size_of::<F>()));
    async move {
        let mut future = std::pin::pin!(future);
        std::future::poll_fn(|cx| span.0.in_scope(|| future.as_mut().poll(cx))).await
    }
}

/// Without the `tracing` feature, `block_on` futures run as they are.
#[cfg(not(feature = "tracing"))]
#[inline(always)]
pub(crate) fn instrument_block_on<F: Future>(
    future: F,
    _location: &'static Location<'static>,
) -> F {
    future
}
