//! The multi-thread runtime over its driver stack: one worker at a time parks on the driver, the
//! others on their own condition variables, and timers and the reactor still reach every task.
#![cfg(not(loom))]
#![cfg(all(feature = "multi-thread", any(feature = "time", feature = "io")))]

use eddy_executor::runtime::Builder;

#[cfg(feature = "time")]
mod time {
    use super::Builder;
    use eddy_executor::task;
    use eddy_time::{sleep, Duration, Instant};

    #[test]
    fn sleeps_in_many_tasks_complete_on_two_workers() {
        let rt = Builder::new_multi_thread()
            .worker_threads(2)
            .enable_time()
            .build()
            .unwrap();
        let start = Instant::now();
        let total = rt.block_on(async {
            let sleepers: Vec<_> = (0..200u64)
                .map(|i| {
                    task::spawn(async move {
                        sleep(Duration::from_millis(1 + i % 7)).await;
                        i
                    })
                })
                .collect();
            let mut total = 0;
            for sleeper in sleepers {
                total += sleeper.await.unwrap();
            }
            total
        });
        assert_eq!(total, (0..200).sum());
        assert!(start.elapsed() >= Duration::from_millis(7));
    }

    #[test]
    fn a_timer_wakes_an_idle_runtime_repeatedly() {
        // Every worker is asleep between the ticks: the one on the driver must be woken by the
        // timer and hand the task to whichever worker runs it.
        let rt = Builder::new_multi_thread()
            .worker_threads(2)
            .enable_time()
            .build()
            .unwrap();
        let ticks = rt.block_on(async {
            task::spawn(async {
                let mut ticks = 0;
                for _ in 0..20 {
                    sleep(Duration::from_millis(2)).await;
                    ticks += 1;
                }
                ticks
            })
            .await
            .unwrap()
        });
        assert_eq!(ticks, 20);
    }

    #[test]
    fn sleep_inside_block_in_place_block_on() {
        let rt = Builder::new_multi_thread()
            .worker_threads(1)
            .enable_time()
            .build()
            .unwrap();
        let done = rt.block_on(async {
            task::spawn(async {
                task::block_in_place(|| {
                    eddy_executor::runtime::Handle::current()
                        .block_on(async { sleep(Duration::from_millis(2)).await });
                    true
                })
            })
            .await
            .unwrap()
        });
        assert!(done);
    }
}

#[cfg(feature = "io")]
mod io {
    use super::Builder;
    use eddy_executor::task;

    #[test]
    fn the_reactor_is_current_on_every_worker() {
        let rt = Builder::new_multi_thread()
            .worker_threads(2)
            .enable_io()
            .build()
            .unwrap();
        let all = rt.block_on(async {
            let checks: Vec<_> = (0..50)
                .map(|_| task::spawn(async { eddy_reactor::driver::Handle::try_current().is_ok() }))
                .collect();
            let mut all = true;
            for check in checks {
                all &= check.await.unwrap();
            }
            all
        });
        assert!(all);
    }
}
