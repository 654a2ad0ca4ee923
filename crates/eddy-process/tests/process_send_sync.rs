//! The public types and futures are `Send`, `Sync` and (the types) `Unpin`, as Tokio's are.

mod support;

use eddy_process::{Child, ChildStderr, ChildStdin, ChildStdout, Command};
use std::process::Stdio;

fn send_sync_unpin<T: Send + Sync + Unpin>() {}
fn send_sync<T: Send + Sync>(_: &T) {}

#[test]
fn types_and_futures_are_send_and_sync() {
    send_sync_unpin::<Child>();
    send_sync_unpin::<ChildStdin>();
    send_sync_unpin::<ChildStdout>();
    send_sync_unpin::<ChildStderr>();
    send_sync_unpin::<Command>();
    support::rt().block_on(async {
        let mut child = Command::new("true").stdout(Stdio::piped()).spawn().unwrap();
        let kill = child.kill();
        send_sync(&kill);
        drop(kill);
        let wait = child.wait();
        send_sync(&wait);
        drop(wait);
        let output = child.wait_with_output();
        send_sync(&output);
        assert!(output.await.unwrap().status.success());
    });
}
