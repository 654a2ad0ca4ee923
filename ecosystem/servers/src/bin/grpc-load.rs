//! `grpc-load [ADDR] [CONNECTIONS] [STREAMS] [SECONDS] [WORKERS]`: calls `SayHello` on the
//! server at ADDR over CONNECTIONS HTTP/2 connections with STREAMS calls in flight on each, for
//! SECONDS seconds (at most 60), and prints one `grpc-load calls=.. rps=.. p50_us=.. p99_us=..`
//! line. Defaults: 127.0.0.1:50051, 10 connections, 10 streams, 5 seconds, one worker per CPU.
//! Exits with a failure if any call failed or none succeeded.

use ecosystem_servers::args::{runtime, Args};
use ecosystem_servers::load::{self, Plan};
use std::process::ExitCode;
use std::time::Duration;

/// The longest run the command line may ask for.
const MAX_SECONDS: f64 = 60.0;

fn main() -> Result<ExitCode, load::Error> {
    let mut args = Args::from_env();
    let addr = args.addr("127.0.0.1:50051");
    let connections = args.next_or("CONNECTIONS", 10);
    let streams = args.next_or("STREAMS", 10);
    let seconds: f64 = args.next_or("SECONDS", 5.0);
    assert!(
        seconds > 0.0 && seconds <= MAX_SECONDS,
        "SECONDS must be in (0, {MAX_SECONDS}]"
    );
    let plan = Plan {
        addr,
        connections,
        streams,
        duration: Duration::from_secs_f64(seconds),
    };
    let report = runtime(args.workers())?.block_on(load::run(&plan))?;
    println!("{report}");
    Ok(if report.errors() == 0 && report.calls() > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
