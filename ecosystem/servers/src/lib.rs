//! The servers and the load client behind the ecosystem rows of `cargo xtask bench`: axum's
//! hello world, a tonic unary `SayHello` service, and a gRPC load client.
//!
//! The same files are built twice: here, in the `ecosystem/` workspace, where `tokio` is patched
//! onto eddy, and in `benches/ecosystem-tokio/`, a workspace without the patch whose manifest
//! points its targets (and `build.rs`) at these files. The two builds therefore differ only in
//! which `tokio` they link, which is what the benchmark compares. Each binary takes its address
//! and worker count on the command line ([`args`]); the servers' logic lives in [`hello`] and
//! [`greeter`], the load client's in [`load`], so that the tests can run them in-process.
#![deny(missing_docs)]

pub mod args;
pub mod greeter;
pub mod hello;
pub mod load;
