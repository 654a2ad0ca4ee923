//! The paused clock does not auto-advance past a task that an I/O event woke while the
//! current-thread runtime was parked in its drivers (Tokio's
//! `time_pause::paused_time_spawn_unix_datagram_and_sleep`).
#![cfg(not(loom))]
#![cfg(all(unix, feature = "io", feature = "test-util"))]

use eddy_executor::runtime::Builder;
use eddy_executor::task;
use eddy_reactor::AsyncFd;
use eddy_time::{sleep, Duration, Instant};
use std::os::unix::net::UnixDatagram;

#[test]
fn a_task_woken_by_io_inside_the_park_runs_before_the_clock_jumps() {
    let rt = Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    rt.block_on(async {
        let start = Instant::now();
        let (sender, receiver) = UnixDatagram::pair().unwrap();
        receiver.set_nonblocking(true).unwrap();
        sender.send(&[1]).unwrap();
        // SAFETY: the `AsyncFd` owns `receiver`, which owns its descriptor.
        let receiver = unsafe { AsyncFd::register(receiver) }.unwrap();
        // Its readiness arrives from the reactor, during the park that waits for the sleep below.
        let reader = task::spawn(async move {
            let _ready = receiver.readable().await.unwrap();
            start.elapsed()
        });
        sleep(Duration::from_millis(100)).await;
        assert_eq!(reader.await.unwrap(), Duration::ZERO);
        assert_eq!(start.elapsed(), Duration::from_millis(100));
    });
}
