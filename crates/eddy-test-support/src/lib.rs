//! Test helpers shared by eddy's crates; a dev-dependency only, never published.
//!
//! [`recorder`] is a hand-written `tracing` subscriber that records every span and event, so
//! the `trace_*` tests of eddy-executor, eddy-time and eddy-sync can assert on names, targets,
//! fields, parents, enter/exit counts and closes without a third-party subscriber.
// Test scaffolding: its fields and helpers are named for what they hold.
#![allow(missing_docs)]

pub mod recorder;
