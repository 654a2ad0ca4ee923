//! A chat server: every line a client sends is broadcast to every other client.
//!
//! `cargo run --example chat`, then connect several `nc 127.0.0.1 8081`.

use eddy::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use eddy::net::{TcpListener, TcpStream};
use eddy::sync::broadcast;
use std::net::SocketAddr;

#[eddy::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8081".into());
    let listener = TcpListener::bind(&addr).await?;
    println!("chat server listening on {}", listener.local_addr()?);
    let (lines, _) = broadcast::channel::<(SocketAddr, String)>(256);
    loop {
        let (socket, peer) = listener.accept().await?;
        let lines = lines.clone();
        eddy::spawn(async move {
            if let Err(error) = serve(socket, peer, lines).await {
                eprintln!("{peer}: {error}");
            }
        });
    }
}

async fn serve(
    socket: TcpStream,
    peer: SocketAddr,
    lines: broadcast::Sender<(SocketAddr, String)>,
) -> std::io::Result<()> {
    let (reader, mut writer) = socket.into_split();
    let mut others = lines.subscribe();
    // Forward everyone else's lines to this client until the channel closes or the write fails.
    let forward = eddy::spawn(async move {
        loop {
            let text = match others.recv().await {
                Ok((from, _)) if from == peer => continue,
                Ok((_, text)) => text,
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    format!("({missed} messages skipped)\n")
                }
                Err(broadcast::error::RecvError::Closed) => return,
            };
            if writer.write_all(text.as_bytes()).await.is_err() {
                return;
            }
        }
    });
    let _ = lines.send((peer, format!("{peer} joined\n")));
    let mut incoming = BufReader::new(reader).lines();
    let result = async {
        while let Some(line) = incoming.next_line().await? {
            let _ = lines.send((peer, format!("{peer}: {line}\n")));
        }
        Ok(())
    }
    .await;
    forward.abort();
    let _ = lines.send((peer, format!("{peer} left\n")));
    result
}
