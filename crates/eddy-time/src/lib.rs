//! Timers for the eddy runtime: [`sleep`], [`interval`], [`timeout`], and the time driver that
//! fires them.
//!
//! The runtime owns one [time driver](driver::Driver) per runtime, stacked on top of its I/O
//! driver (or a plain thread parker). Timers live in a hierarchical timing wheel of six levels
//! of 64 slots with millisecond resolution, so filing, cancelling and firing a timer are O(1).
//! Each [`Sleep`] embeds its own wheel entry and is linked into the wheel by pointer when first
//! polled: a timer costs no allocation beyond the `Sleep` itself, and dropping it unlinks it in
//! O(1). When the scheduler runs out of work it parks on the driver, which sleeps until the
//! earliest deadline, fires what came due and wakes those tasks. Timers take part in the
//! cooperative budget of `eddy_core::coop`.
//!
//! With the `test-util` feature the clock can be paused (`pause`, `resume`, `advance`):
//! a runtime with a paused clock and nothing else to do jumps straight to the next deadline, so
//! a test that sleeps for an hour completes at once and observes exact instants.
//!
//! With the `tracing` feature every [`Sleep`] (so every [`Timeout`] and [`Interval`] too) is a
//! tokio-console *resource*: a `runtime.resource` span with the caller's location, an
//! async-operation span its polls run in, and state-update events for its deadline (the module
//! `trace` lists the names and fields). Without a subscriber that costs a callsite check per
//! timer; without the feature, nothing.
//!
//! Applications use these through the `eddy` facade's runtime. The crate can also be driven by
//! hand, which is how the example below runs without an executor:
//!
//! ```
//! use eddy_core::{block_on::block_on, ParkThread};
//! use eddy_time::driver::{self, Clock, Driver};
//! use eddy_time::{sleep, timeout, Duration, Instant};
//!
//! // A time driver over a thread parker, entered as this thread's current timer context.
//! let (mut driver, handle) = Driver::new(Box::new(ParkThread::new()), Clock::new(false, false));
//! let _context = driver::enter(handle);
//!
//! let start = Instant::now();
//! let result = block_on(&mut driver, async {
//!     sleep(Duration::from_millis(10)).await;
//!     timeout(Duration::from_millis(5), sleep(Duration::from_secs(3600))).await
//! });
//! assert!(result.is_err());
//! assert!(start.elapsed() >= Duration::from_millis(15));
//! ```
#![deny(missing_docs)]

mod clock;
pub mod driver;
pub mod error;
mod far_future;
mod instant;
mod interval;
use eddy_core::loom;
#[cfg(feature = "test-util")]
mod pause;
mod sleep;
mod timeout;
mod trace;

pub use instant::Instant;
pub use interval::{interval, interval_at, Interval, MissedTickBehavior};
#[cfg(feature = "test-util")]
pub use pause::{advance, pause, resume};
pub use sleep::{sleep, sleep_until, Sleep};
pub use std::time::Duration;
pub use timeout::{timeout, timeout_at, Timeout};
