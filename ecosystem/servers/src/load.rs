//! The gRPC load client: `connections` HTTP/2 connections, each carrying `streams` callers that
//! send `SayHello` one after another (so `connections * streams` calls are in flight), for a
//! fixed time; then one line with the throughput and the latency percentiles.
//!
//! Every connection is made before the clock starts. A caller stops at the deadline or after
//! [`MAX_CALLS_PER_CALLER`] calls, whichever comes first, and makes at least one call; a call
//! that takes longer than [`CALL_TIMEOUT`], fails, or gets a wrong answer counts as an error.
//! The elapsed time runs until the last caller is done, so calls still in flight at the
//! deadline count for both the calls and the time. Latencies are kept, one per call, and
//! sorted once at the end: percentiles are exact (nearest rank), not bucketed.

use crate::greeter::greeting;
use crate::greeter::proto::greeter_client::GreeterClient;
use crate::greeter::proto::HelloRequest;
use std::fmt;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tonic::transport::{Channel, Endpoint};

/// The longest a single call may take before it counts as an error.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(5);

/// The most calls one caller makes, however long the run.
pub const MAX_CALLS_PER_CALLER: usize = 1_000_000;

/// The name every request carries.
const NAME: &str = "eddy";

/// An error from setting up the run (a bad address, a refused connection) or a caller task
/// that panicked.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// What to run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The server.
    pub addr: SocketAddr,
    /// How many HTTP/2 connections to open.
    pub connections: usize,
    /// How many callers share each connection.
    pub streams: usize,
    /// How long the callers keep calling.
    pub duration: Duration,
}

/// What a run measured.
#[derive(Debug, Clone)]
pub struct Report {
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
}

impl Report {
    /// A report from the latencies of the successful calls (any order), the number of failed
    /// calls, and the time the run took.
    pub fn new(mut latencies: Vec<Duration>, errors: usize, elapsed: Duration) -> Report {
        latencies.sort_unstable();
        Report {
            latencies,
            errors,
            elapsed,
        }
    }

    /// Successful calls.
    pub fn calls(&self) -> usize {
        self.latencies.len()
    }

    /// Failed calls.
    pub fn errors(&self) -> usize {
        self.errors
    }

    /// Successful calls per second of the run.
    pub fn calls_per_second(&self) -> f64 {
        self.calls() as f64 / self.elapsed.as_secs_f64()
    }

    /// The latency that `percent` per cent of the successful calls did not exceed (nearest
    /// rank), or zero if there were none.
    pub fn percentile(&self, percent: f64) -> Duration {
        let rank = (percent / 100.0 * self.calls() as f64).ceil() as usize;
        self.latencies
            .get(rank.clamp(1, self.calls().max(1)) - 1)
            .copied()
            .unwrap_or_default()
    }
}

/// One line, `grpc-load calls=.. errors=.. seconds=.. rps=.. p50_us=.. p99_us=..`, which
/// `cargo xtask bench` parses.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let micros = |d: Duration| d.as_secs_f64() * 1e6;
        write!(
            f,
            "grpc-load calls={} errors={} seconds={:.3} rps={:.1} p50_us={:.1} p99_us={:.1}",
            self.calls(),
            self.errors,
            self.elapsed.as_secs_f64(),
            self.calls_per_second(),
            micros(self.percentile(50.0)),
            micros(self.percentile(99.0)),
        )
    }
}

/// Connects, runs the callers until the deadline, and reports.
pub async fn run(plan: &Plan) -> Result<Report, Error> {
    let mut clients = Vec::with_capacity(plan.connections);
    for _ in 0..plan.connections {
        clients.push(GreeterClient::new(connect(plan.addr).await?));
    }
    let start = Instant::now();
    let until = start + plan.duration;
    let callers: Vec<_> = clients
        .iter()
        .flat_map(|client| (0..plan.streams).map(move |_| client.clone()))
        .map(|client| tokio::spawn(call_until(client, until)))
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for caller in callers {
        let tally = caller.await?;
        latencies.extend(tally.latencies);
        errors += tally.errors;
    }
    Ok(Report::new(latencies, errors, start.elapsed()))
}

/// One HTTP/2 connection to `addr`, `TCP_NODELAY` on.
async fn connect(addr: SocketAddr) -> Result<Channel, Error> {
    let endpoint = Endpoint::from_shared(format!("http://{addr}"))?.tcp_nodelay(true);
    Ok(endpoint.connect().await?)
}

/// One caller's results.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: usize,
}

/// Calls `SayHello` back to back until `until` (at least once, at most
/// [`MAX_CALLS_PER_CALLER`] times).
async fn call_until(mut client: GreeterClient<Channel>, until: Instant) -> Tally {
    let mut tally = Tally::default();
    let expected = greeting(NAME);
    loop {
        let start = Instant::now();
        if say_hello(&mut client, &expected).await {
            tally.latencies.push(start.elapsed());
        } else {
            tally.errors += 1;
        }
        let made = tally.latencies.len() + tally.errors;
        if Instant::now() >= until || made >= MAX_CALLS_PER_CALLER {
            return tally;
        }
    }
}

/// One call; true if it got `expected` within [`CALL_TIMEOUT`].
async fn say_hello(client: &mut GreeterClient<Channel>, expected: &str) -> bool {
    let request = HelloRequest { name: NAME.into() };
    match tokio::time::timeout(CALL_TIMEOUT, client.say_hello(request)).await {
        Ok(Ok(reply)) => reply.into_inner().message == expected,
        Ok(Err(_)) | Err(_) => false,
    }
}
