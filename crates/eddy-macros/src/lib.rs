//! The attribute macros of eddy: `#[eddy::main]` and `#[eddy::test]`.
//!
//! Each turns an `async fn` into a plain function that builds an eddy runtime through the
//! facade's public builder (`eddy::runtime::Builder`) and blocks on the function's body. The
//! arguments, defaults and error messages are Tokio's (`flavor`, `worker_threads`,
//! `start_paused`, `crate`), so `#[tokio::main]` code keeps working once the dependency is
//! renamed. The generated code names the facade by whatever name the calling crate gave it: the
//! macro reads that crate's `Cargo.toml` at expansion time (see `crate_path`), so
//! `tokio = { package = "eddy", .. }` needs no `crate = "tokio"`.
//!
//! Use these macros through the facade (`eddy` with the `macros` feature), which re-exports
//! the entry point that matches its features:
//!
//! | facade features | re-export as `main` / `test` |
//! | --- | --- |
//! | `rt-multi-thread` | [`macro@main`] / [`macro@test`] |
//! | `rt` without `rt-multi-thread` | [`macro@main_rt`] / [`macro@test_rt`] (reject `multi_thread`) |
//! | neither | [`macro@main_fail`] / [`macro@test_fail`] (explain the missing feature) |
//!
//! ```
//! #[eddy::main(flavor = "current_thread")]
//! async fn main() -> Result<(), std::num::ParseIntError> {
//!     let handle = eddy::spawn(async { "42".parse::<u32>() });
//!     let answer = handle.await.expect("the task panicked")?;
//!     assert_eq!(answer, 42);
//!     Ok(())
//! }
//! ```
#![deny(missing_docs)]

mod config;
mod crate_path;
mod entry;
mod join;
mod manifest;
mod pin;
mod poll_order;
mod select;
mod toml;

use config::Kind;
use proc_macro::TokenStream;

/// Runs an `async fn` on a new eddy runtime; usually put on `main`.
///
/// By default the runtime is multi-threaded, with one worker per CPU, and has I/O and time
/// enabled (`enable_all`). Options, as in Tokio:
///
/// * `flavor = "multi_thread"` (the default) or `flavor = "current_thread"`;
/// * `worker_threads = N`: the number of workers, multi-thread only;
/// * `start_paused = true`: start with the clock paused (needs the facade's `test-util`),
///   current-thread only;
/// * `crate = "path"`: where the facade is, when the automatic lookup cannot know (for example
///   when a macro of yours re-exports eddy).
///
/// ```
/// #[eddy::main(flavor = "multi_thread", worker_threads = 2)]
/// async fn main() {
///     let sum = eddy::spawn(async { 1 + 1 }).await.unwrap();
///     assert_eq!(sum, 2);
/// }
/// ```
///
/// The function may have any name; only a function called `main` must take no arguments.
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::expand(Kind::Main, true, args.into(), item.into()).into()
}

/// Runs an `async fn` as a `#[test]` on a new eddy runtime.
///
/// The default flavor is `current_thread`; the options are those of [`macro@main`].
///
/// ```
/// #[eddy::test]
/// async fn spawned_task_runs() {
///     assert_eq!(eddy::spawn(async { 7 }).await.unwrap(), 7);
/// }
/// ```
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::expand(Kind::Test, true, args.into(), item.into()).into()
}

/// [`macro@main`] for a facade without the multi-thread scheduler: the default
/// `multi_thread` flavor, and asking for it, are compile errors naming the missing
/// `rt-multi-thread` feature.
#[proc_macro_attribute]
pub fn main_rt(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::expand(Kind::Main, false, args.into(), item.into()).into()
}

/// [`macro@test`] for a facade without the multi-thread scheduler (see [`macro@main_rt`]).
#[proc_macro_attribute]
pub fn test_rt(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::expand(Kind::Test, false, args.into(), item.into()).into()
}

/// `#[eddy::main]` for a facade without any runtime: a compile error naming the missing feature.
#[proc_macro_attribute]
pub fn main_fail(_args: TokenStream, item: TokenStream) -> TokenStream {
    entry::missing_runtime(Kind::Main, item.into()).into()
}

/// `#[eddy::test]` for a facade without any runtime: a compile error naming the missing feature.
#[proc_macro_attribute]
pub fn test_fail(_args: TokenStream, item: TokenStream) -> TokenStream {
    entry::missing_runtime(Kind::Test, item.into()).into()
}

/// Waits on several branches at once and runs the handler of the first to complete, as
/// Tokio's `select!` does.
///
/// ```text
/// select! {
///     biased;                                   // optional: poll in the order written
///     <pattern> = <future> [, if <precondition>] => <handler>,
///     ...
///     else => <expression>,                     // optional: when every branch is disabled
/// }
/// ```
///
/// Preconditions are evaluated first, then every future expression (`IntoFuture`). The enabled
/// branches are polled, from a random one unless `biased;`. When a branch completes and its
/// output matches its pattern, the other futures are dropped and its handler runs with the
/// pattern's bindings; an output that does not match disables the branch and the others go on.
/// With every branch disabled, the `else` expression runs, or `select!` panics without one.
/// Handlers run in the enclosing function, so `return`, `?`, `break` and `continue` work in
/// them. A branch's future may be `&mut fut` for a pinned or `Unpin` future, to keep it across
/// calls. At most 64 branches.
#[proc_macro]
pub fn select(input: TokenStream) -> TokenStream {
    select::expand(input.into()).into()
}

/// Awaits every future concurrently on the current task and returns their outputs as a tuple,
/// in the order written, as Tokio's `join!` does.
///
/// Each poll starts one future later than the previous one, so that none starves the others;
/// `join!(biased; a, b)` always polls in the order written.
#[proc_macro]
pub fn join(input: TokenStream) -> TokenStream {
    join::expand(join::Mode::Join, input.into()).into()
}

/// Like [`join!`], for futures whose outputs are `Result`s with one error type: returns `Ok` of
/// the tuple of values, or the first error, in which case the futures still running are dropped
/// at once. Tokio's `try_join!`; `biased;` as in [`join!`].
#[proc_macro]
pub fn try_join(input: TokenStream) -> TokenStream {
    join::expand(join::Mode::TryJoin, input.into()).into()
}

/// Pins values on the stack, as Tokio's `pin!` does: `pin!(a, b);` rebinds the variables `a` and
/// `b` as `Pin<&mut _>` over their values, and `pin! { let a = expr; }` declares pinned ones.
#[proc_macro]
pub fn pin(input: TokenStream) -> TokenStream {
    pin::expand(input.into()).into()
}
