//! Concurrency primitives, swapped for loom's models under `--cfg loom`.

#[cfg(not(loom))]
pub(crate) mod sync {
    pub(crate) use std::sync::Mutex;
}

#[cfg(loom)]
pub(crate) mod sync {
    pub(crate) use loom::sync::Mutex;
}
