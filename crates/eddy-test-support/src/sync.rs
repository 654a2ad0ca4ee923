//! The atomics, locks and `Arc` the helpers use: std's, or loom's under `--cfg loom`, so that a
//! loom model sees the synchronization a counting waker or a [`Gate`](crate::future::Gate)
//! performs (a count read with `Acquire` after a wake is a happens-before edge loom must know).

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(loom)]
pub(crate) use loom::sync::{Arc, Mutex};

#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(not(loom))]
pub(crate) use std::sync::{Arc, Mutex};
