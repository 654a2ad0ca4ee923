//! Loom models of the scheduler's concurrent parts: the local run queue (owner push/pop and
//! overflow racing steals), the injection queue, the search/park protocol and the worker parker.
//! Run with `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release -p eddy-executor
//! --features multi-thread --lib`.

mod loom_idle;
mod loom_inject;
mod loom_park;
mod loom_queue;
