//! tokio-util, tokio-stream and tower from crates.io, unchanged, on eddy.
//!
//! This package has no code of its own: it exists for its integration tests (`tests/`), which
//! run these crates' codecs, synchronisation and task utilities, stream wrappers and service
//! layers over real sockets on 127.0.0.1 and real runtimes, with `tokio` patched onto eddy's
//! compat package by the `ecosystem/` workspace. Each test checks what the same program does on
//! Tokio; a difference is a bug in eddy, fixed there with a test of its own.
