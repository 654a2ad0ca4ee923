//! Unit tests of the scheduler's queues and idle bookkeeping (the loom models are in
//! `loom_tests`).

mod idle;
mod inject;
mod queue;
