//! `kill_on_drop`: a dropped child is killed and reaped; without it, the child runs on.

mod support;

use eddy_io::AsyncReadExt;
use eddy_process::Command;
use std::process::Stdio;
use support::{reaped, rt};

#[test]
fn dropped_child_is_killed_and_reaped() {
    rt().block_on(async {
        let mut command = Command::new("sleep");
        command.arg("30").kill_on_drop(true);
        assert!(command.get_kill_on_drop());
        let child = command.spawn().unwrap();
        let pid = child.id().unwrap();
        drop(child);
        reaped(pid).await;
    });
}

#[test]
fn killed_child_closes_its_pipes() {
    rt().block_on(async {
        let mut child = Command::new("sh")
            .args(["-c", "echo started; sleep 30; echo never"])
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0; 8];
        stdout.read_exact(&mut first).await.unwrap();
        assert_eq!(&first, b"started\n");
        let pid = child.id().unwrap();
        drop(child);
        // `sh` died; its `sleep` child still holds the pipe until it is done, so only the
        // reaping of `sh` itself is checked here.
        reaped(pid).await;
    });
}

#[test]
fn without_kill_on_drop_the_child_runs_to_completion() {
    rt().block_on(async {
        let mut child = Command::new("sh")
            .args(["-c", "sleep 0.1; echo finished"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let pid = child.id().unwrap();
        drop(child);
        let mut text = String::new();
        stdout.read_to_string(&mut text).await.unwrap();
        assert_eq!(text, "finished\n");
        reaped(pid).await;
    });
}

#[test]
fn explicit_kill_disarms_kill_on_drop() {
    rt().block_on(async {
        let mut child = Command::new("sleep")
            .arg("30")
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        child.start_kill().unwrap();
        let status = child.wait().await.unwrap();
        assert!(!status.success());
        drop(child);
    });
}
