//! `examples/echo.rs`, the same source, on Tokio: `cargo xtask bench` counts the system calls
//! both servers make per echoed message.

use tokio as eddy;

include!("../../../examples/echo.rs");
