//! The macro tests of `ecosystem/macros`, compiled a second time here, where eddy is a
//! dependency renamed to `tokio` instead of the crates.io `tokio` patched onto eddy: one set of
//! tests for both ways of calling eddy "tokio". The files name only `tokio` and `std`.

#[path = "../../../ecosystem/macros/tests/macros_entry.rs"]
mod entry;

#[path = "../../../ecosystem/macros/tests/macros_join.rs"]
mod join;

#[path = "../../../ecosystem/macros/tests/macros_local.rs"]
mod local;

#[path = "../../../ecosystem/macros/tests/macros_select.rs"]
mod select;

#[path = "../../../ecosystem/macros/tests/macros_task_local.rs"]
mod task_local;
