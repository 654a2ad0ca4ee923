//! Shutdown bookkeeping: which worker cores are still running, and whether the last one to stop
//! has cancelled every task.
//!
//! Shutdown closes the injection queue and wakes every worker. Each worker that sees it drops
//! the tasks in its own queues and reports its core stopped here; the last one cancels every
//! task the runtime owns and shuts the drivers down, then marks shutdown finished. The thread
//! that dropped the runtime waits for that mark, forever or up to a timeout
//! (`Runtime::shutdown_timeout`). Cores, not threads, are counted: a thread that gave its core
//! away in `block_in_place` stops being a worker without stopping a core.

use crate::loom::sync::{Condvar, Mutex};
use std::fmt;
use std::time::{Duration, Instant};

pub(super) struct Shutdown {
    state: Mutex<State>,
    finished: Condvar,
}

struct State {
    cores_running: usize,
    finished: bool,
}

impl Shutdown {
    pub(super) fn new(cores: usize) -> Shutdown {
        Shutdown {
            state: Mutex::new(State {
                cores_running: cores,
                finished: false,
            }),
            finished: Condvar::new(),
        }
    }

    /// Records one core stopped. Returns `true` for the last one, which must finish shutdown.
    pub(super) fn core_stopped(&self) -> bool {
        let mut state = self.state.lock();
        state.cores_running -= 1;
        state.cores_running == 0
    }

    /// Marks shutdown finished and wakes whoever waits for it.
    pub(super) fn finish(&self) {
        self.state.lock().finished = true;
        self.finished.notify_all();
    }

    /// Waits until shutdown finished, at most `timeout` (`None`: no limit). Returns whether it
    /// finished.
    pub(super) fn wait_until_finished(&self, timeout: Option<Duration>) -> bool {
        let deadline = timeout.and_then(|timeout| Instant::now().checked_add(timeout));
        let mut state = self.state.lock();
        while !state.finished {
            state = match deadline {
                None => self.finished.wait(state),
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return false;
                    }
                    self.finished.wait_timeout(state, deadline - now)
                }
            };
        }
        true
    }
}

impl fmt::Debug for Shutdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shutdown").finish_non_exhaustive()
    }
}
