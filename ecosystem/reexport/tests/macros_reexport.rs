//! The three function-like macros, reached through `upstream`'s re-export, do what they do when
//! called as `tokio::select!` and friends: this crate compiling at all is the first half of the
//! proof (see the crate docs), these results are the second.

use ecosystem_reexport::{both, both_or_closed, first_of};
use upstream::tokio::runtime::{Builder, Runtime};
use upstream::tokio::sync::oneshot;

fn runtime() -> Runtime {
    Builder::new_current_thread().build().unwrap()
}

#[test]
fn select_through_a_reexport_takes_the_branch_that_has_a_value() {
    let (to_a, a) = oneshot::channel();
    let (to_b, b) = oneshot::channel();
    drop(to_a);
    to_b.send(2).unwrap();
    assert_eq!(runtime().block_on(first_of(a, b)), Some(2));
}

#[test]
fn select_through_a_reexport_runs_else_when_every_branch_is_disabled() {
    let (to_a, a) = oneshot::channel::<u32>();
    let (to_b, b) = oneshot::channel::<u32>();
    drop((to_a, to_b));
    assert_eq!(runtime().block_on(first_of(a, b)), None);
}

#[test]
fn join_through_a_reexport_waits_for_both_values_in_order() {
    let (to_a, a) = oneshot::channel();
    let (to_b, b) = oneshot::channel();
    let runtime = runtime();
    let joined = runtime.spawn(both(a, b));
    to_b.send(20).unwrap();
    to_a.send(10).unwrap();
    assert_eq!(runtime.block_on(joined).unwrap(), (10, 20));
}

#[test]
fn try_join_through_a_reexport_returns_values_or_the_first_error() {
    let runtime = runtime();
    let (to_a, a) = oneshot::channel();
    let (to_b, b) = oneshot::channel();
    to_a.send(1).unwrap();
    to_b.send(2).unwrap();
    assert_eq!(runtime.block_on(both_or_closed(a, b)), Ok((1, 2)));

    let (_to_a, a) = oneshot::channel();
    let (to_b, b) = oneshot::channel::<u32>();
    drop(to_b);
    // `a` never gets a value: only the error on `b` can end the join.
    assert!(runtime.block_on(both_or_closed(a, b)).is_err());
}
