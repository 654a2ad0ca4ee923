//! Helpers shared by the process tests: runtimes and `/proc` inspection.
#![allow(dead_code)] // Each test binary uses a different subset.

use eddy_executor::runtime::{Builder, Runtime};
use std::time::{Duration, Instant};

/// A current-thread runtime with I/O and time.
pub fn rt() -> Runtime {
    Builder::new_current_thread().enable_all().build().unwrap()
}

/// A multi-thread runtime with I/O and time.
pub fn multi_rt() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// The state letter of process `pid` from `/proc` (`'Z'` for a zombie), `None` once reaped.
pub fn proc_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may contain spaces: the state follows the last ')'.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.trim_start().chars().next()
}

/// Waits until process `pid` no longer exists (reaped). The deadline only guards against a
/// hang; the verdict is whether the process disappears at all.
pub fn assert_reaped(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while let Some(state) = proc_state(pid) {
        assert!(
            Instant::now() < deadline,
            "process {pid} was never reaped (state {state})"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Drives the runtime of the caller until process `pid` is reaped (the reaper runs on the
/// reactor, so a current-thread runtime must be inside `block_on` for it to happen).
pub async fn reaped(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while let Some(state) = proc_state(pid) {
        assert!(
            Instant::now() < deadline,
            "process {pid} was never reaped (state {state})"
        );
        eddy_time::sleep(Duration::from_millis(5)).await;
    }
}
