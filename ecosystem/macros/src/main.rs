//! `#[tokio::main]` on a real `main`, with the default (multi-thread) flavor and a `Result`
//! return, in a crate that knows eddy only as the patched `tokio`.
//!
//! It prints the runtime's flavor, whether a spawned task ran off the main thread, and twice its
//! argument; an argument that is not a number makes `main` return the parse error, which Rust
//! reports on stderr with exit code 1. `tests/macros_main.rs` runs it both ways.

use std::error::Error;
use std::thread;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let flavor = tokio::runtime::Handle::current().runtime_flavor();
    let main_thread = thread::current().id();
    let off_main = tokio::spawn(async move { thread::current().id() != main_thread }).await?;
    println!("flavor={flavor:?} spawned_off_main={off_main}");
    let argument = std::env::args().nth(1).unwrap_or_default();
    let value: u64 = argument.parse()?;
    println!("double={}", value * 2);
    Ok(())
}
