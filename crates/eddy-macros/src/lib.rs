//! The macros of eddy: the attributes `#[eddy::main]` and `#[eddy::test]`, and `select!`,
//! `join!`, `try_join!` and `pin!`.
//!
//! The attributes turn an `async fn` into a plain function that builds an eddy runtime through
//! the facade's public builder (`eddy::runtime::Builder`) and blocks on the function's body. Their
//! arguments, defaults and error messages are Tokio's (`flavor`, `worker_threads`,
//! `start_paused`, `crate`, `name`), so `#[tokio::main]` code keeps working once the dependency is
//! renamed. The generated code names the facade by whatever name the calling crate gave it: the
//! macro reads that crate's `Cargo.toml` at expansion time (module `crate_path`), so
//! `tokio = { package = "eddy", .. }` needs no `crate = "tokio"`, and neither does a crate that
//! depends on `tokio` from crates.io patched onto eddy's compat package. The function-like
//! macros have Tokio's syntax and semantics too; their expansions reach the facade's hidden
//! `macros::support` module (Tokio's `tokio::macros::support`), through the facade wrapper's
//! `$crate` (or, called directly, by the same lookup), for the pinned
//! slots that keep their futures as small as Tokio's and for `select!`'s cooperative-budget
//! check. They need no runtime and work under any executor.
//!
//! Use these macros through the facade, which offers, under its `macros` feature, `pin` as it is,
//! `select`, `join` and `try_join` as declarative wrappers that pass the facade's `$crate` to
//! these macros (so they work through any re-export, see module `crate_path`), and as `main` /
//! `test` the entry points that match its runtime features:
//!
//! | facade features | re-export as `main` / `test` |
//! | --- | --- |
//! | `rt-multi-thread` | [`macro@main`] / [`macro@test`] |
//! | `rt` without `rt-multi-thread` | [`macro@main_rt`] / [`macro@test_rt`] (reject `multi_thread`) |
//! | neither | [`macro@main_fail`] / [`macro@test_fail`] (explain the missing feature) |
//!
//! ```
//! use eddy_macros::join; // wrapped as `eddy::join`
//!
//! #[eddy::main(flavor = "current_thread")]
//! async fn main() -> Result<(), std::num::ParseIntError> {
//!     let (first, second) = join!(
//!         eddy::spawn(async { "40".parse::<u32>() }),
//!         async { "2".parse::<u32>() },
//!     );
//!     let answer = first.expect("the task panicked")? + second?;
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
/// * `flavor = "multi_thread"` (the default), `flavor = "current_thread"`, or
///   `flavor = "local"`: a current-thread `LocalRuntime` built with `Builder::build_local`,
///   on which the body may `spawn_local` `!Send` tasks;
/// * `worker_threads = N`: the number of workers, multi-thread only;
/// * `start_paused = true`: start with the clock paused (needs the facade's `test-util`),
///   current-thread and local only;
/// * `crate = "path"`: where the facade is, when the automatic lookup cannot know (for example
///   when a macro of yours re-exports eddy);
/// * `name = "..."`: the runtime's name, accepted and checked (not empty) but not passed on yet,
///   since eddy's runtime builder has no `name` method so far.
///
/// ```
/// #[eddy::main(flavor = "multi_thread", worker_threads = 2)]
/// async fn main() {
///     let sum = eddy::spawn(async { 1 + 1 }).await.unwrap();
///     assert_eq!(sum, 2);
/// }
/// ```
///
/// A function other than `main` may take arguments and return a value:
///
/// ```
/// #[eddy::main(flavor = "current_thread")]
/// async fn double_in_a_task(value: u64) -> u64 {
///     eddy::spawn(async move { value * 2 }).await.unwrap()
/// }
///
/// assert_eq!(double_in_a_task(21), 42);
/// ```
///
/// The function may have any name; only a function called `main` must take no arguments.
///
/// With `flavor = "local"`, the body may spawn tasks that are not `Send`:
///
/// ```
/// use std::rc::Rc;
///
/// #[eddy::main(flavor = "local")]
/// async fn main() {
///     let shared = Rc::new(5);
///     let task = eddy::task::spawn_local({
///         let shared = Rc::clone(&shared);
///         async move { *shared + 1 }
///     });
///     assert_eq!(task.await.unwrap(), 6);
/// }
/// ```
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
/// # fn main() {}
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

/// `select!`: waits on several branches and runs the handler of the first to complete. Its
/// syntax and semantics are Tokio's; the facade's `eddy::select!` documents them.
///
/// Use it through the facade: `eddy::select!` is a declarative wrapper that calls this macro as
/// `select! { crate = $crate; <input> }`, so that the expansion names the facade by its
/// `$crate`. Called directly, without that prefix, the macro finds the facade from the caller's
/// `Cargo.toml` instead, which fails for a crate that reaches it only through a re-export.
///
/// ```
/// use eddy_macros::select; // the facade's `eddy::select!` forwards here
///
/// #[eddy::main(flavor = "current_thread")]
/// async fn main() {
///     let picked = select! {
///         Some(value) = std::future::ready(None::<u32>) => value,
///         value = eddy::spawn(async { 7 }) => value.unwrap(),
///     };
///     assert_eq!(picked, 7);
/// }
/// ```
#[proc_macro]
pub fn select(input: TokenStream) -> TokenStream {
    select::expand(input.into()).into()
}

/// `join!`: awaits every future concurrently and returns their outputs as a tuple, as Tokio's
/// does; the facade's `eddy::join!` documents it and forwards here as [`select!`] does. See the
/// crate example for a direct call.
#[proc_macro]
pub fn join(input: TokenStream) -> TokenStream {
    join::expand(join::Mode::Join, input.into()).into()
}

/// `try_join!`: [`join!`] for futures that output `Result`s, ending at the first error, as
/// Tokio's does; the facade's `eddy::try_join!` documents it and forwards here as [`select!`]
/// does.
#[proc_macro]
pub fn try_join(input: TokenStream) -> TokenStream {
    join::expand(join::Mode::TryJoin, input.into()).into()
}

/// Pins values on the stack, as Tokio's `pin!` does: `pin!(a, b);` rebinds the variables `a` and
/// `b` as `Pin<&mut _>` over their values, and `pin! { let a = expr; }` declares pinned ones.
///
/// ```
/// use eddy_macros::pin; // re-exported as `eddy::pin`
/// use std::future::Future;
/// use std::pin::Pin;
///
/// #[eddy::main(flavor = "current_thread")]
/// async fn main() {
///     let future = async { 5 };
///     pin!(future);
///     // An async block is not `Unpin`; pinned, it can be polled through `&mut`.
///     let _: Pin<&mut dyn Future<Output = i32>> = future.as_mut();
///     pin! {
///         let other = async { 6 };
///     }
///     assert_eq!(future.await + other.await, 11);
/// }
/// ```
#[proc_macro]
pub fn pin(input: TokenStream) -> TokenStream {
    pin::expand(input.into()).into()
}
