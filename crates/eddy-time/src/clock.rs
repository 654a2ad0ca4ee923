//! The runtime's clock, which tests may pause.
//!
//! Without the `test-util` feature the clock is the system's monotonic clock and [`Clock`] holds
//! nothing. With it, a clock can be frozen (`pause`), moved by hand (`advance`) and thawed
//! (`resume`); while it is frozen, a runtime with nothing else to do moves it straight to the
//! next timer's deadline instead of sleeping, so tests of long timeouts run at once and see exact
//! instants.
//!
//! Pausing is only allowed on a clock created with `enable_pausing` (the executor sets it for
//! the current-thread runtime, where no other worker can observe time jump mid-poll).
//!
//! The frozen clock's state sits behind a lock: `now` is `base` while paused, and `base` plus
//! the real time since `resumed_at` while running.
//!
//! This module is only the clock itself. Which clock is the current one is the time driver's
//! business (`driver::current`), and the free functions that act on the current runtime's clock
//! (`pause`, `resume`, `advance`) live above both, in `pause`.

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
                state.base = crate::far_future::saturating_add(state.base, duration);
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
    pub(crate) fn pause(&self) {
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
    pub(crate) fn resume(&self) {
        let mut state = self.inner.state.lock();
        if state.resumed_at.is_some() {
            panic!("time is not frozen");
        }
        state.resumed_at = Some(std::time::Instant::now());
    }

    #[track_caller]
    pub(crate) fn advance_paused(&self, duration: Duration) {
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
