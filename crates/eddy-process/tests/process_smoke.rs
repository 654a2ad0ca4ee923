//! Spawning real processes: statuses, errors, pipes, output, waits in another runtime.

mod support;

use eddy_io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use eddy_process::Command;
use std::io::ErrorKind;
use std::process::Stdio;
use support::{multi_rt, rt};

#[test]
fn exit_status_is_reported_and_fused() {
    rt().block_on(async {
        let mut child = Command::new("sh").args(["-c", "exit 3"]).spawn().unwrap();
        assert!(child.id().unwrap() > 0);
        assert_eq!(child.wait().await.unwrap().code(), Some(3));
        assert_eq!(child.wait().await.unwrap().code(), Some(3));
        assert_eq!(child.try_wait().unwrap().unwrap().code(), Some(3));
        assert_eq!(child.id(), None);
        child.start_kill().unwrap();
    });
}

#[test]
fn missing_program_is_not_found() {
    rt().block_on(async {
        let error = Command::new("/definitely/not/a/program")
            .spawn()
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
        let error = Command::new("eddy-no-such-program-anywhere")
            .output()
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
    });
}

#[test]
fn missing_program_outside_a_runtime_is_still_not_found() {
    let error = Command::new("/definitely/not/a/program")
        .spawn()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
}

#[test]
#[should_panic(expected = "there is no reactor running")]
fn spawning_outside_a_runtime_panics() {
    let _ = Command::new("true").spawn();
}

#[test]
fn writing_to_a_closed_pipe_is_broken_pipe() {
    rt().block_on(async {
        let mut child = Command::new("true").stdin(Stdio::piped()).spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        child.wait().await.unwrap();
        let chunk = vec![0u8; 64 * 1024];
        let error = loop {
            if let Err(error) = stdin.write_all(&chunk).await {
                break error;
            }
        };
        assert_eq!(error.kind(), ErrorKind::BrokenPipe);
    });
}

#[test]
fn stdin_to_stdout_round_trip_with_large_data() {
    multi_rt().block_on(async {
        let mut child = Command::new("cat")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
        let expected = data.clone();
        let writer = eddy_executor::spawn(async move {
            stdin.write_all(&data).await.unwrap();
        });
        let output = child.wait_with_output().await.unwrap();
        writer.await.unwrap();
        assert!(output.status.success());
        assert_eq!(output.stdout, expected);
        assert!(output.stderr.is_empty());
    });
}

#[test]
fn output_collects_stdout_and_stderr() {
    rt().block_on(async {
        let output = Command::new("sh")
            .args(["-c", "echo out; echo err >&2; exit 7"])
            .output()
            .await
            .unwrap();
        assert_eq!(output.status.code(), Some(7));
        assert_eq!(output.stdout, b"out\n");
        assert_eq!(output.stderr, b"err\n");
    });
}

#[test]
fn builder_options_reach_the_child() {
    rt().block_on(async {
        let dir = std::env::temp_dir();
        let output = Command::new("sh")
            .arg0("renamed")
            .args(["-c", "echo $0 $EDDY_A ${EDDY_B:-unset}; pwd"])
            .env("EDDY_A", "a")
            .env("EDDY_B", "b")
            .env_remove("EDDY_B")
            .current_dir(&dir)
            .output()
            .await
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("renamed a unset"));
        let pwd = std::fs::canonicalize(lines.next().unwrap()).unwrap();
        assert_eq!(pwd, std::fs::canonicalize(dir).unwrap());
        let status = Command::new("sh")
            .args(["-c", "exit 0"])
            .env_clear()
            .status()
            .await
            .unwrap();
        assert!(status.success());
    });
}

#[test]
fn stdout_streams_line_by_line_before_exit() {
    rt().block_on(async {
        let mut child = Command::new("sh")
            .args(["-c", "echo one; read gate; echo two"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("one"));
        stdin.write_all(b"go\n").await.unwrap();
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("two"));
        assert_eq!(lines.next_line().await.unwrap(), None);
        assert!(child.wait().await.unwrap().success());
    });
}

#[test]
fn kill_then_wait_reports_the_signal() {
    rt().block_on(async {
        let mut child = Command::new("sleep").arg("30").spawn().unwrap();
        assert!(child.try_wait().unwrap().is_none());
        child.kill().await.unwrap();
        let status = child.wait().await.unwrap();
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(libc::SIGKILL)
        );
        child.kill().await.unwrap();
    });
}

#[test]
fn spawned_in_one_runtime_awaited_in_another() {
    let mut child = rt().block_on(async {
        Command::new("sh")
            .args(["-c", "read line; exit 4"])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap()
    });
    let status = multi_rt().block_on(async {
        let mut stdin = child.stdin.take().unwrap();
        // The pipe was registered with the dropped runtime: it reports the shutdown.
        assert!(stdin.write_all(b"x\n").await.is_err());
        drop(stdin);
        child.wait().await.unwrap()
    });
    assert_eq!(status.code(), Some(4));
}

#[test]
fn many_children_wait_concurrently() {
    multi_rt().block_on(async {
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                eddy_executor::spawn(async move {
                    let mut child = Command::new("sh")
                        .args(["-c", &format!("exit {}", i % 7)])
                        .spawn()
                        .unwrap();
                    child.wait().await.unwrap().code()
                })
            })
            .collect();
        for (i, task) in tasks.into_iter().enumerate() {
            assert_eq!(task.await.unwrap(), Some(i as i32 % 7));
        }
    });
}

#[test]
fn stdout_read_to_end_sees_eof_after_exit() {
    rt().block_on(async {
        let mut child = Command::new("printf")
            .arg("abc")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .await
            .unwrap();
        assert_eq!(out, "abc");
        assert!(child.wait().await.unwrap().success());
    });
}
