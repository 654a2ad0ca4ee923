//! `examples/hello-http.rs`, the same source, on Tokio: `cargo xtask bench` runs `wrk` against
//! both.

use tokio as eddy;

include!("../../../examples/hello-http.rs");
