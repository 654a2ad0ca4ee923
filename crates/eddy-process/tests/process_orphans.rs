//! Children dropped without a wait are reaped: no zombie remains in `/proc`, whether the
//! runtime keeps running or is dropped right after.

mod support;

use eddy_process::Command;
use support::{assert_reaped, multi_rt, proc_state, reaped, rt};

#[test]
fn dropped_children_are_reaped_by_the_running_runtime() {
    rt().block_on(async {
        let pids: Vec<u32> = (0..20)
            .map(|_| Command::new("true").spawn().unwrap().id().unwrap())
            .collect();
        for pid in pids {
            reaped(pid).await;
        }
    });
}

#[test]
fn dropped_children_are_reaped_on_the_multi_thread_runtime() {
    multi_rt().block_on(async {
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                eddy_executor::spawn(async {
                    let child = Command::new("sh").args(["-c", "exit 1"]).spawn().unwrap();
                    child.id().unwrap()
                })
            })
            .collect();
        for task in tasks {
            reaped(task.await.unwrap()).await;
        }
    });
}

#[test]
fn an_exited_child_dropped_unwaited_is_not_left_a_zombie() {
    rt().block_on(async {
        let child = Command::new("true").spawn().unwrap();
        let pid = child.id().unwrap();
        // Wait until the child is a zombie, without reaping it, then drop it.
        while proc_state(pid) != Some('Z') {
            eddy_time::sleep(std::time::Duration::from_millis(2)).await;
        }
        assert!(child.id().is_some());
        drop(child);
        reaped(pid).await;
    });
}

#[test]
fn children_outliving_their_runtime_are_reaped() {
    let runtime = rt();
    let (still_running, killed) = runtime.block_on(async {
        let still_running = Command::new("sleep").arg("0.2").spawn().unwrap();
        let killed = Command::new("sleep")
            .arg("30")
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        (still_running, killed)
    });
    let pids = [still_running.id().unwrap(), killed.id().unwrap()];
    drop(still_running);
    drop(killed);
    drop(runtime);
    for pid in pids {
        assert_reaped(pid);
    }
}
