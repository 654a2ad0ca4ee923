//! What a [`Sleep`](crate::Sleep) tells `tracing` subscribers such as tokio-console's
//! `console-subscriber` (feature `tracing`).
//!
//! Each `Sleep` (and so each `Timeout` and `Interval`, which hold one) is a console *resource*:
//! a `runtime.resource` span (target `tokio::time::sleep`, `concrete_type = "Sleep"`,
//! `kind = "timer"`, and `loc.file`/`loc.line`/`loc.col` of the user's call, carried through
//! `#[track_caller]`). It has no parent: a timer outlives the task that happens to create it.
//! Inside it lives one *async operation*, a `runtime.resource.async_op` span (`source` is
//! `Sleep::new_timeout`, or `Sleep::reset` after a reset) with a `runtime.resource.async_op.poll`
//! span under it. Every poll of the `Sleep` runs with the three spans entered and ends with a
//! `runtime::resource::poll_op` event (`op_name = "poll_elapsed"`, `is_ready`). Creating or
//! resetting the timer emits a `runtime::resource::state_update` event with the time left
//! (`duration`, `duration.unit = "ms"`, `duration.op = "override"`).
//!
//! console-subscriber attributes an event to the resource and operation spans that are
//! *entered* when it is emitted (not to the event's parent), so every event here is emitted
//! inside the resource span, and an async-op span is created inside it too.
//!
//! Cost: with the feature off, [`SleepTrace`] is zero-sized and its methods are empty (a `Sleep`
//! stays 80 bytes on 64-bit targets). With the feature on and no subscriber, making a `Sleep`
//! adds an inlined level test (one relaxed load) and `SleepTrace` holds `None`: one pointer in
//! the `Sleep` and no allocation; a poll or reset adds a `None` test. With a subscriber at a
//! level below `TRACE`, the resource span is made, found disabled and dropped. Only a
//! subscriber that wants the spans pays for a box of three, built out of line. Measured on the
//! 2-core machine, release build, no subscriber: `sleep` created and dropped in 105 ns instead
//! of 101 ns.

use crate::instant::Instant;

pub(crate) use imp::SleepTrace;

#[cfg(feature = "tracing")]
mod imp {
    use super::Instant;
    use std::panic::Location;
    use std::task::Poll;
    use tracing::Span;

    /// The spans of one instrumented `Sleep`, or `None` when nobody listens.
    pub(crate) struct SleepTrace {
        spans: Option<Box<Spans>>,
    }

    /// Field order is drop order: the poll span closes before its operation, the operation
    /// before its resource.
    struct Spans {
        poll: Span,
        async_op: Span,
        resource: Span,
    }

    /// Whether a subscriber may want `TRACE` data at all: the level test every `tracing` macro
    /// starts with (a constant and one relaxed load). The methods of [`SleepTrace`] are
    /// `#[inline]` and test this or an `Option` first; the tracing work itself runs out of line
    /// (`#[cold]`), so without a subscriber a timer pays for almost nothing.
    #[inline]
    fn may_trace() -> bool {
        use tracing::level_filters::{LevelFilter, STATIC_MAX_LEVEL};
        tracing::Level::TRACE <= STATIC_MAX_LEVEL && tracing::Level::TRACE <= LevelFilter::current()
    }

    impl SleepTrace {
        /// The resource span for a `Sleep` created at the caller's location.
        #[track_caller]
        #[inline]
        pub(crate) fn new(deadline: Instant) -> SleepTrace {
            let spans = if may_trace() {
                Spans::open(deadline, Location::caller())
            } else {
                None
            };
            SleepTrace { spans }
        }

        /// Records a new deadline and starts a new async operation for it.
        #[inline]
        pub(crate) fn reset(&mut self, deadline: Instant) {
            if let Some(spans) = &mut self.spans {
                spans.reset(deadline);
            }
        }

        /// Runs one poll of the timer inside its spans (if traced) and reports the outcome.
        #[inline]
        pub(crate) fn in_poll(&self, poll: impl FnOnce() -> Poll<()>) -> Poll<()> {
            match &self.spans {
                Some(spans) => spans.in_poll(poll),
                None => poll(),
            }
        }
    }

    impl Spans {
        /// The spans of a `Sleep` made at `location`, or `None` if no subscriber wants them.
        #[cold]
        #[inline(never)]
        fn open(deadline: Instant, location: &Location<'_>) -> Option<Box<Spans>> {
            let resource = tracing::trace_span!(
                target: "tokio::time::sleep",
                parent: None,
                "runtime.resource",
                concrete_type = "Sleep",
                kind = "timer",
                is_internal = false,
                loc.file = location.file(),
                loc.line = location.line(),
                loc.col = location.column(),
            );
            if resource.is_disabled() {
                return None;
            }
            let (async_op, poll) = start_op(&resource, deadline, "Sleep::new_timeout");
            Some(Box::new(Spans {
                poll,
                async_op,
                resource,
            }))
        }

        #[cold]
        #[inline(never)]
        fn reset(&mut self, deadline: Instant) {
            let (async_op, poll) = start_op(&self.resource, deadline, "Sleep::reset");
            self.poll = poll;
            self.async_op = async_op;
        }

        #[inline(never)]
        fn in_poll(&self, poll: impl FnOnce() -> Poll<()>) -> Poll<()> {
            let _resource = self.resource.enter();
            let _async_op = self.async_op.enter();
            let _poll = self.poll.enter();
            let result = poll();
            tracing::trace!(
                target: "runtime::resource::poll_op",
                op_name = "poll_elapsed",
                is_ready = result.is_ready(),
            );
            result
        }
    }

    /// Inside `resource`: reports the time left until `deadline` and opens the async-op span
    /// (named by `source`) and its poll span.
    fn start_op(resource: &Span, deadline: Instant, source: &'static str) -> (Span, Span) {
        resource.in_scope(|| {
            // Rounded up: a `sleep(50ms)` made a few microseconds ago still reads 50 ms.
            let left = deadline
                .saturating_duration_since(Instant::now())
                .as_nanos()
                .div_ceil(1_000_000);
            tracing::trace!(
                target: "runtime::resource::state_update",
                duration = u64::try_from(left).unwrap_or(u64::MAX),
                duration.unit = "ms",
                duration.op = "override",
            );
            let async_op = tracing::trace_span!(
                target: "tokio::time::sleep",
                parent: resource,
                "runtime.resource.async_op",
                source = source,
            );
            let poll = tracing::trace_span!(
                target: "tokio::time::sleep",
                parent: &async_op,
                "runtime.resource.async_op.poll",
            );
            (async_op, poll)
        })
    }
}

#[cfg(not(feature = "tracing"))]
mod imp {
    use super::Instant;

    /// Nothing: the `tracing` feature is off.
    pub(crate) struct SleepTrace;

    const _: () = assert!(std::mem::size_of::<SleepTrace>() == 0);

    impl SleepTrace {
        #[inline(always)]
        pub(crate) fn new(_deadline: Instant) -> SleepTrace {
            SleepTrace
        }

        #[inline(always)]
        pub(crate) fn reset(&mut self, _deadline: Instant) {}

        #[inline(always)]
        pub(crate) fn in_poll<T>(&self, poll: impl FnOnce() -> T) -> T {
            poll()
        }
    }
}
