//! `axum-hello [ADDR] [WORKERS]`: axum's hello world (`GET /` answers `Hello, World!`) on a
//! multi-thread runtime with WORKERS workers (default 127.0.0.1:3000, one worker per CPU).
//! `cargo xtask bench` runs it under `wrk`, built on eddy and on Tokio.

use ecosystem_servers::args::{runtime, Args};
use ecosystem_servers::hello;
use tokio::net::TcpListener;

fn main() -> std::io::Result<()> {
    let mut args = Args::from_env();
    let addr = args.addr("127.0.0.1:3000");
    let workers = args.workers();
    runtime(workers)?.block_on(async {
        let listener = TcpListener::bind(addr).await?;
        println!("axum-hello listening on {}", listener.local_addr()?);
        hello::serve(listener).await
    })
}
