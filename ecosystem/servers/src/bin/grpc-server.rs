//! `grpc-server [ADDR] [WORKERS]`: the tonic `greeter.Greeter` service (unary `SayHello`) on a
//! multi-thread runtime with WORKERS workers (default 127.0.0.1:50051, one worker per CPU).
//! `cargo xtask bench` runs it under `grpc-load`, built on eddy and on Tokio.

use ecosystem_servers::args::{runtime, Args};
use ecosystem_servers::greeter;
use tokio::net::TcpListener;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = Args::from_env();
    let addr = args.addr("127.0.0.1:50051");
    let workers = args.workers();
    runtime(workers)?.block_on(async {
        let listener = TcpListener::bind(addr).await?;
        println!("grpc-server listening on {}", listener.local_addr()?);
        Ok(greeter::serve(listener).await?)
    })
}
