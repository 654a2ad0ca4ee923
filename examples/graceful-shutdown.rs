// A TCP echo server that shuts down gracefully: on Ctrl-C (SIGINT) or SIGTERM it stops
// accepting, lets the open connections finish, and exits with status 0.
//
// `cargo run --example graceful-shutdown [ADDR]` (default 127.0.0.1:8080), connect with
// `nc 127.0.0.1 8080`, then press Ctrl-C in the server's terminal or `kill <pid>`.
// tests/example_graceful_shutdown.rs runs this file in a child process and sends it the signal.

use eddy::io::{AsyncReadExt, AsyncWriteExt};
use eddy::net::{TcpListener, TcpStream};
use eddy::signal::unix::{signal, SignalKind};
use eddy::task::JoinSet;
use std::io;
use std::net::SocketAddr;

#[eddy::main]
pub async fn main() -> io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    // Listen for the signals before announcing the address: from then on a signal cannot hit
    // the default action, which would kill the process instead of shutting it down.
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let listener = TcpListener::bind(&addr).await?;
    println!("listening on {}", listener.local_addr()?);

    let mut connections = JoinSet::new();
    let reason = loop {
        eddy::select! {
            accepted = listener.accept() => {
                let (socket, peer) = accepted?;
                connections.spawn(echo(socket, peer));
            }
            _ = terminate.recv() => break "SIGTERM",
            _ = interrupt.recv() => break "SIGINT",
        }
    };
    drop(listener);
    println!(
        "{reason}: stopped accepting; waiting for {} open connection(s)",
        connections.len()
    );
    while let Some(finished) = connections.join_next().await {
        if let Err(error) = finished {
            eprintln!("a connection task failed: {error}");
        }
    }
    println!("all connections closed; bye");
    Ok(())
}

/// Echoes everything `peer` sends until it closes the connection.
async fn echo(mut socket: TcpStream, peer: SocketAddr) {
    let mut buf = vec![0; 4096];
    loop {
        let n = match socket.read(&mut buf).await {
            Ok(0) => return,
            Ok(n) => n,
            Err(error) => {
                eprintln!("{peer}: read failed: {error}");
                return;
            }
        };
        if let Err(error) = socket.write_all(&buf[..n]).await {
            eprintln!("{peer}: write failed: {error}");
            return;
        }
    }
}
