// A minimal HTTP/1.1 responder, good enough for `wrk`: every request gets "Hello, world!".
//
// `cargo run --release --example hello-http [ADDR] [WORKERS]` (default 127.0.0.1:8084, all
// cores). `benches/` runs the same source on Tokio for comparison.

use eddy::io::{AsyncReadExt, AsyncWriteExt};
use eddy::net::{TcpListener, TcpStream};

const RESPONSE: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nHello, world!";

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8084".into());
    let mut builder = eddy::runtime::Builder::new_multi_thread();
    if let Some(workers) = args.next() {
        builder.worker_threads(workers.parse().expect("WORKERS is a number"));
    }
    builder.enable_all().build()?.block_on(serve(addr))
}

async fn serve(addr: String) -> std::io::Result<()> {
    let listener = TcpListener::bind(&addr).await?;
    println!("hello-http listening on {}", listener.local_addr()?);
    loop {
        let (socket, _) = listener.accept().await?;
        eddy::spawn(respond(socket));
    }
}

/// Answers every complete request (a header block ending in a blank line) on the connection.
async fn respond(mut socket: TcpStream) {
    let _ = socket.set_nodelay(true);
    let mut buf = vec![0u8; 8192];
    let mut filled = 0;
    loop {
        match socket.read(&mut buf[filled..]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => filled += n,
        }
        let mut answered = 0;
        while let Some(end) = find_request_end(&buf[answered..filled]) {
            answered += end;
            if socket.write_all(RESPONSE).await.is_err() {
                return;
            }
        }
        buf.copy_within(answered..filled, 0);
        filled -= answered;
        if filled == buf.len() {
            return; // A header block larger than the buffer: not a client we serve.
        }
    }
}

fn find_request_end(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| at + 4)
}
