//! Runs `examples/echo.rs` in a child process whose descriptor limit is low, fills every
//! descriptor with connections, and checks what the accept loop promises: it reports `EMFILE`,
//! keeps running, and serves new clients once the old connections are closed.
//!
//! The example's source is compiled into this test binary, which re-executes itself with
//! `EDDY_EXAMPLE_SERVER` set to run it as the child (as `example_graceful_shutdown` does).
//! Every step waits for an event (a line from the server, an echo), never for a duration.

#[path = "../echo.rs"]
mod echo;

use eddy::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use eddy::net::TcpStream;
use eddy::process::Command;
use std::process::Stdio;

const SERVER_ENV: &str = "EDDY_EXAMPLE_SERVER";

/// The child's soft limit on open descriptors: small, so that a few dozen clients use it up.
const FD_LIMIT: libc::rlim_t = 48;

fn main() {
    if std::env::var_os(SERVER_ENV).is_some() {
        lower_fd_limit(FD_LIMIT);
        echo::main().unwrap();
        return;
    }
    accept_loop_survives_emfile();
    println!("echo server keeps serving after EMFILE ... ok");
}

fn lower_fd_limit(limit: libc::rlim_t) {
    let mut current = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `current` is a valid, writable rlimit struct for the call.
    let got = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut current) };
    assert_eq!(got, 0);
    let lowered = libc::rlimit {
        rlim_cur: limit.min(current.rlim_max),
        rlim_max: current.rlim_max,
    };
    // SAFETY: `lowered` is a valid rlimit struct for the call.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lowered) }, 0);
}

#[eddy::main(flavor = "current_thread")]
async fn accept_loop_survives_emfile() {
    let mut server = Command::new(std::env::current_exe().unwrap())
        .arg("127.0.0.1:0")
        .env(SERVER_ENV, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(server.stdout.take().unwrap()).lines();
    let first = stdout.next_line().await.unwrap().unwrap();
    let addr = first
        .strip_prefix("echo server listening on ")
        .unwrap()
        .to_string();

    // More clients than the server has descriptors: the kernel queues them all, the server
    // accepts until it runs out and then reports EMFILE.
    let mut clients = Vec::new();
    for _ in 0..2 * FD_LIMIT {
        clients.push(TcpStream::connect(&addr).await.unwrap());
    }
    let mut stderr = BufReader::new(server.stderr.take().unwrap()).lines();
    loop {
        let line = stderr
            .next_line()
            .await
            .unwrap()
            .expect("the server is alive");
        if line.starts_with("accept:") {
            assert!(line.contains("Too many open files"), "{line}");
            break;
        }
    }
    assert!(server.try_wait().unwrap().is_none(), "the server gave up");

    // Closing the clients frees the server's descriptors; the queued connections are accepted
    // (they read end of file at once), and a new client is served.
    drop(clients);
    let mut client = TcpStream::connect(&addr).await.unwrap();
    client.write_all(b"still serving").await.unwrap();
    let mut back = [0; 13];
    client.read_exact(&mut back).await.unwrap();
    assert_eq!(&back, b"still serving");
    assert!(server.try_wait().unwrap().is_none());
}
