//! The runtime's clock, which tests may pause.
//!
//! Without the `test-util` feature the clock is the system's monotonic clock and [`Clock`] holds
//! nothing. With it, a clock can be frozen ([`pause`]), moved by hand ([`advance`]) and thawed
//! ([`resume`]); while it is frozen, a runtime with nothing else to do moves it straight to the
//! next timer's deadline instead of sleeping, so tests of long timeouts run at once and see exact
//! instants.
//!
//! Pausing is only allowed on a clock created with `enable_pausing` (the executor sets it for
//! the current-thread runtime, where no other worker can observe time jump mid-poll).
//!
//! The frozen clock's state sits behind a lock: `now` is `base` while paused, and `base` plus
//! the real time since `resumed_at` while running.

#[cfg(any(feature = "test-util", loom))]
use crate::loom::sync::Mutex;
#[cfg(any(feature = "test-util", loom))]
use std::sync::Arc;
use std::time::Duration;

/// The clock a time driver reads: the system's, or (with `test-util`) one that can be paused.
#[derive(Clone)]
pub struct Clock {
    #[cfg(any(feature = "test-util", loom))]
    inner: Arc<Inner>,
}

#[cfg(any(feature = "test-util", loom))]
struct Inner {
    enable_pausing: bool,
    state: Mutex<State>,
}

#[cfg(any(feature = "test-util", loom))]
struct State {
    /// The clock's reading when it was last paused or resumed.
    base: std::time::Instant,
    /// When the clock was resumed (real time); `None` while paused.
    resumed_at: Option<std::time::Instant>,
    /// How many pieces of work outside the driver's view (blocking tasks) are running; while
    /// any is, the paused clock must not jump ahead of them.
    inhibitors: usize,
}

impl Clock {
    /// Creates a clock. `enable_pausing` allows `pause()` on it (the current-thread runtime);
    /// `start_paused` freezes it from the start, and is only honoured with the `test-util`
    /// feature.
    ///
    /// # Panics
    /// With `start_paused` but not `enable_pausing`, for the same reason as `pause()` would.
    pub fn new(enable_pausing: bool, start_paused: bool) -> Clock {
        #[cfg(any(feature = "test-util", loom))]
        {
            let clock = Clock {
                inner: Arc::new(Inner {
                    enable_pausing,
                    state: Mutex::new(State {
                        base: std::time::Instant::now(),
                        resumed_at: Some(std::time::Instant::now()),
                        inhibitors: 0,
                    }),
                }),
            };
            if start_paused {
                clock.pause();
            }
            clock
        }
        #[cfg(not(any(feature = "test-util", loom)))]
        {
            let _ = (enable_pausing, start_paused);
            Clock {}
        }
    }

    /// The clock's current reading.
    pub fn now(&self) -> std::time::Instant {
        #[cfg(any(feature = "test-util", loom))]
        {
            let state = self.inner.state.lock();
            match state.resumed_at {
                Some(resumed_at) => state.base + resumed_at.elapsed(),
                None => state.base,
            }
        }
        #[cfg(not(any(feature = "test-util", loom)))]
        {
            std::time::Instant::now()
        }
    }

    /// Keeps a paused clock from jumping to the next deadline until the matching
    /// [`allow_auto_advance`](Clock::allow_auto_advance). The executor calls it around each
    /// blocking task, whose progress the time driver cannot see.
    pub fn inhibit_auto_advance(&self) {
        #[cfg(any(feature = "test-util", loom))]
        {
            self.inner.state.lock().inhibitors += 1;
        }
    }

    /// Ends one [`inhibit_auto_advance`](Clock::inhibit_auto_advance).
    pub fn allow_auto_advance(&self) {
        #[cfg(any(feature = "test-util", loom))]
        {
            let mut state = self.inner.state.lock();
            state.inhibitors = state.inhibitors.saturating_sub(1);
        }
    }

    /// Whether the driver may jump this clock to the next deadline instead of sleeping.
    pub(crate) fn can_auto_advance(&self) -> bool {
        #[cfg(any(feature = "test-util", loom))]
        {
            let state = self.inner.state.lock();
            state.resumed_at.is_none() && state.inhibitors == 0
        }
        #[cfg(not(any(feature = "test-util", loom)))]
        {
            false
        }
    }

    /// Whether the clock is frozen.
    pub fn is_paused(&self) -> bool {
        #[cfg(any(feature = "test-util", loom))]
        {
            self.inner.state.lock().resumed_at.is_none()
        }
        #[cfg(not(any(feature = "test-util", loom)))]
        {
            false
        }
    }

    /// Moves a paused clock forward by `duration` (saturating where the platform's instant
    /// ends). Does nothing on a running clock.
    pub(crate) fn advance(&self, duration: Duration) {
        #[cfg(any(feature = "test-util", loom))]
        {
            let mut state = self.inner.state.lock();
            if state.resumed_at.is_none() {
                state.base = crate::Instant::from_std(state.base)
                    .saturating_add(duration)
                    .into_std();
            }
        }
        #[cfg(not(any(feature = "test-util", loom)))]
        {
            let _ = duration;
        }
    }
}

#[cfg(any(feature = "test-util", loom))]
impl Clock {
    #[track_caller]
    fn pause(&self) {
        if !self.inner.enable_pausing {
            panic!(
                "`time::pause()` requires the `current_thread` Tokio runtime. \
                 This is the default Runtime used by `#[tokio::test]."
            );
        }
        let mut state = self.inner.state.lock();
        let Some(resumed_at) = state.resumed_at.take() else {
            panic!("time is already frozen");
        };
        state.base += resumed_at.elapsed();
    }
}

#[cfg(feature = "test-util")]
impl Clock {
    #[track_caller]
    fn resume(&self) {
        let mut state = self.inner.state.lock();
        if state.resumed_at.is_some() {
            panic!("time is not frozen");
        }
        state.resumed_at = Some(std::time::Instant::now());
    }

    #[track_caller]
    fn advance_paused(&self, duration: Duration) {
        if !self.is_paused() {
            panic!("time is not frozen");
        }
        self.advance(duration);
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clock")
            .field("paused", &self.is_paused())
            .finish()
    }
}

/// The current time: the current runtime's clock if there is one, the system's otherwise.
pub(crate) fn now() -> std::time::Instant {
    #[cfg(any(feature = "test-util", loom))]
    {
        crate::driver::with_current_clock(|clock| match clock {
            Some(clock) => clock.now(),
            None => std::time::Instant::now(),
        })
    }
    #[cfg(not(any(feature = "test-util", loom)))]
    {
        std::time::Instant::now()
    }
}

#[cfg(feature = "test-util")]
const OUTSIDE_RUNTIME: &str = "time cannot be frozen from outside the Tokio runtime";

#[cfg(feature = "test-util")]
#[track_caller]
fn current_driver() -> crate::driver::Handle {
    crate::driver::try_current().expect(OUTSIDE_RUNTIME)
}

#[cfg(feature = "test-util")]
#[track_caller]
fn current_clock() -> Clock {
    current_driver().clock().clone()
}

/// Freezes the current runtime's clock.
///
/// While the clock is frozen, [`Instant::now`](crate::Instant::now) stands still, and a runtime
/// with no task to run jumps the clock to the next timer's deadline.
///
/// # Panics
/// Outside a runtime with timers, on a multi-thread runtime, or if the clock is already frozen.
#[cfg(feature = "test-util")]
#[track_caller]
pub fn pause() {
    current_clock().pause();
}

/// Thaws the current runtime's clock; it goes on from where it was frozen.
///
/// # Panics
/// Outside a runtime with timers, or if the clock is not frozen.
#[cfg(feature = "test-util")]
#[track_caller]
pub fn resume() {
    current_clock().resume();
}

/// Moves the frozen clock forward by `duration`, fires the timers that came due (waking their
/// tasks), then yields once so that the runtime runs them.
///
/// ```
/// use eddy_core::block_on::block_on;
/// use eddy_time::driver::{self, Clock, Driver};
/// use eddy_time::{Duration, Instant};
///
/// let (mut driver, handle) = Driver::new(Box::new(eddy_core::ParkThread::new()), Clock::new(true, true));
/// let _context = driver::enter(Some(handle));
/// let start = Instant::now();
/// block_on(&mut driver, eddy_time::advance(Duration::from_secs(60)));
/// assert_eq!(start.elapsed(), Duration::from_secs(60));
/// ```
///
/// # Panics
/// Outside a runtime with timers, or if the clock is not frozen.
#[cfg(feature = "test-util")]
pub async fn advance(duration: Duration) {
    let driver = current_driver();
    driver.clock().advance_paused(duration);
    driver.fire_due();
    YieldOnce { yielded: false }.await;
}

#[cfg(feature = "test-util")]
struct YieldOnce {
    yielded: bool,
}

#[cfg(feature = "test-util")]
impl std::future::Future for YieldOnce {
    type Output = ();

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.yielded {
            return std::task::Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}
