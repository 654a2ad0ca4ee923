//! The driver stack: timers and the reactor through the runtime (features `time`, `io`).
#![cfg(not(loom))]
#![cfg(any(feature = "time", feature = "io"))]

use eddy_executor::runtime::Builder;

#[cfg(feature = "time")]
mod time {
    use super::Builder;
    use eddy_executor::task;
    use eddy_time::{sleep, Duration, Instant};

    #[test]
    fn sleep_in_block_on_and_in_tasks() {
        let rt = Builder::new_current_thread().enable_time().build().unwrap();
        rt.block_on(async {
            let start = Instant::now();
            let sleepers: Vec<_> = (1..=5u64)
                .map(|ms| task::spawn(async move { sleep(Duration::from_millis(ms)).await }))
                .collect();
            sleep(Duration::from_millis(3)).await;
            for sleeper in sleepers {
                sleeper.await.unwrap();
            }
            assert!(start.elapsed() >= Duration::from_millis(5));
        });
    }

    #[test]
    fn timers_wake_a_parked_runtime_from_a_blocking_thread() {
        let rt = Builder::new_current_thread().enable_all().build().unwrap();
        let value = rt.block_on(async {
            let timer = task::spawn(async {
                sleep(Duration::from_millis(2)).await;
                1
            });
            let blocking = task::spawn_blocking(|| 2);
            timer.await.unwrap() + blocking.await.unwrap()
        });
        assert_eq!(value, 3);
    }

    #[test]
    #[should_panic(expected = "timers are disabled")]
    fn sleep_without_enable_time_panics() {
        let rt = Builder::new_current_thread().build().unwrap();
        rt.block_on(async { sleep(Duration::from_millis(1)).await });
    }

    #[cfg(feature = "test-util")]
    #[test]
    fn start_paused_advances_the_clock_when_idle() {
        let rt = Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        rt.block_on(async {
            let start = Instant::now();
            // With the clock paused and nothing else to do, the runtime jumps to the deadline.
            sleep(Duration::from_secs(3600)).await;
            assert!(start.elapsed() >= Duration::from_secs(3600));
        });
    }
}

#[cfg(feature = "io")]
mod io {
    use super::Builder;

    #[test]
    fn the_reactor_is_current_inside_the_runtime() {
        let rt = Builder::new_current_thread().enable_io().build().unwrap();
        assert!(eddy_reactor::driver::Handle::try_current().is_err());
        rt.block_on(async {
            assert!(eddy_reactor::driver::Handle::try_current().is_ok());
        });
        let _guard = rt.enter();
        assert!(eddy_reactor::driver::Handle::try_current().is_ok());
    }

    #[test]
    fn without_enable_io_there_is_no_reactor() {
        let rt = Builder::new_current_thread().build().unwrap();
        rt.block_on(async {
            assert!(eddy_reactor::driver::Handle::try_current().is_err());
        });
    }
}
