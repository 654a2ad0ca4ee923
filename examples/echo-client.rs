//! Sends each line of standard input to the echo server and prints what comes back.
//!
//! `cargo run --example echo-client [ADDR]` (default 127.0.0.1:8080).

use eddy::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use eddy::net::TcpStream;

#[eddy::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let mut stream = TcpStream::connect(&addr).await?;
    let mut lines = BufReader::new(eddy::io::stdin()).lines();
    let mut echo = Vec::new();
    while let Some(line) = lines.next_line().await? {
        let message = format!("{line}\n");
        stream.write_all(message.as_bytes()).await?;
        echo.resize(message.len(), 0);
        stream.read_exact(&mut echo).await?;
        print!("{}", String::from_utf8_lossy(&echo));
    }
    Ok(())
}
