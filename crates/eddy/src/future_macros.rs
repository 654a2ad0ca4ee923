//! `select!`, `join!` and `try_join!`: thin declarative wrappers over `eddy-macros`.
//!
//! The proc macros do all the work, but their expansions must name this crate (for its hidden
//! `macros::support`), and a proc macro cannot know how its caller reached it: a crate may see
//! eddy as `eddy`, as `tokio`, or only through another crate's `pub use eddy::select;`. A
//! declarative macro can: `$crate` always means this crate. So each wrapper forwards its input to
//! the proc macro of the same name behind `crate = $crate;`, a prefix only these wrappers write,
//! which the proc macro splices as the path of the facade (see `eddy-macros`' `crate_path`).
//! `pin!` names nothing but `core`, so the facade re-exports it as it is.

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
/// calls. At most 64 branches. When the task's cooperative budget is spent, `select!` yields
/// before polling any branch.
///
/// ```
/// # #[cfg(feature = "rt")]
/// # fn main() {
/// use std::future::{pending, ready};
///
/// let runtime = eddy::runtime::Builder::new_current_thread().build().unwrap();
/// runtime.block_on(async {
///     let mut from_task = eddy::spawn(async { 7 });
///     let picked = eddy::select! {
///         // `None` does not match: this branch is disabled, the others go on.
///         Some(value) = ready(None::<u32>) => value,
///         Ok(value) = &mut from_task => value,
///         _ = pending::<()>(), if false => unreachable!("disabled by its precondition"),
///         else => 0,
///     };
///     assert_eq!(picked, 7);
/// });
/// # }
/// # #[cfg(not(feature = "rt"))]
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! select {
    ($($input:tt)*) => {
        $crate::macros::select! { crate = $crate; $($input)* }
    };
}

/// Awaits every future concurrently on the current task and returns their outputs as a tuple,
/// in the order written, as Tokio's `join!` does.
///
/// Each poll starts one future later than the previous one, so that none starves the others;
/// `join!(biased; a, b)` always polls in the order written. Nothing is spawned: the futures run
/// on the task that awaits the `join!`, so they may borrow from it.
///
/// ```
/// # #[cfg(feature = "rt")]
/// # fn main() {
/// let runtime = eddy::runtime::Builder::new_current_thread().build().unwrap();
/// let (words, total) = runtime.block_on(async {
///     let text = String::from("one two three");
///     eddy::join!(
///         async { text.split(' ').count() },
///         eddy::spawn(async { 40 + 2 }),
///     )
/// });
/// assert_eq!(words, 3);
/// assert_eq!(total.expect("the task panicked"), 42);
/// # }
/// # #[cfg(not(feature = "rt"))]
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! join {
    ($($input:tt)*) => {
        $crate::macros::join! { crate = $crate; $($input)* }
    };
}

/// Like [`join!`], for futures whose outputs are `Result`s with one error type: returns `Ok` of
/// the tuple of values, or the first error, in which case the futures still running are dropped
/// at once. Tokio's `try_join!`; `biased;` as in [`join!`].
///
/// ```
/// # #[cfg(feature = "rt")]
/// # fn main() {
/// let runtime = eddy::runtime::Builder::new_current_thread().build().unwrap();
/// runtime.block_on(async {
///     let parse = |text: &'static str| async move { text.parse::<u8>() };
///     assert_eq!(eddy::try_join!(parse("1"), parse("2")), Ok((1, 2)));
///     // The first error ends the join; the future that would never finish is dropped.
///     let never = std::future::pending::<Result<u8, std::num::ParseIntError>>();
///     assert!(eddy::try_join!(parse("1"), parse("many"), never).is_err());
/// });
/// # }
/// # #[cfg(not(feature = "rt"))]
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! try_join {
    ($($input:tt)*) => {
        $crate::macros::try_join! { crate = $crate; $($input)* }
    };
}
