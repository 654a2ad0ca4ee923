//! The runtime's and the tasks' public types and futures have Tokio's auto traits: `Send`,
//! `Sync` and `Unpin` exactly where Tokio's do (checked both ways), and unwind safety for the
//! handles Tokio marks so. Every check happens at compile time; the test only has to build.
#![allow(
    dead_code,
    unreachable_code,
    unused_variables,
    clippy::diverging_sub_expression
)]

use eddy_executor::runtime::{Builder, EnterGuard, Handle, LocalOptions, LocalRuntime, Runtime};
use eddy_executor::task::coop::RestoreOnPending;
use eddy_executor::task::{self, AbortHandle, JoinError, JoinHandle, JoinSet, LocalKey, LocalSet};
use std::cell::Cell;
use std::future::Future;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::pin::Pin;
use std::rc::Rc;

/// `Send` and `Sync`.
struct Both;
/// `Send`, not `Sync`.
struct SendOnly(Cell<u8>);
/// Neither.
struct Neither(Rc<u8>);

type Local = Pin<Box<dyn Future<Output = ()>>>;
type SendFuture = Pin<Box<dyn Future<Output = ()> + Send>>;
type SyncFuture = Pin<Box<dyn Future<Output = ()> + Send + Sync>>;

fn is_send<T: Send>(_: &T) {}
fn is_sync<T: Sync>(_: &T) {}
fn is_unpin<T: Unpin>(_: &T) {}

/// A type lacks a trait when a method call through this pair of impls resolves: with the trait,
/// both impls apply and the call is ambiguous, which does not compile.
macro_rules! lacks {
    ($check:ident, $trait:path, $value:expr) => {{
        trait $check<Marker> {
            fn check(&self) {}
        }
        struct WithTrait;
        impl<T: ?Sized> $check<()> for T {}
        impl<T: ?Sized + $trait> $check<WithTrait> for T {}
        $check::check(&$value);
    }};
}

macro_rules! check_send {
    (Send, $value:expr) => {
        is_send(&$value)
    };
    (!Send, $value:expr) => {
        lacks!(LacksSend, Send, $value)
    };
}

macro_rules! check_sync {
    (Sync, $value:expr) => {
        is_sync(&$value)
    };
    (!Sync, $value:expr) => {
        lacks!(LacksSync, Sync, $value)
    };
}

macro_rules! check_unpin {
    (Unpin, $value:expr) => {
        is_unpin(&$value)
    };
    (!Unpin, $value:expr) => {
        lacks!(LacksUnpin, Unpin, $value)
    };
}

/// `traits!(expression: [!]Send, [!]Sync, [!]Unpin)`, checked on the expression's type without
/// ever evaluating it.
macro_rules! traits {
    ($value:expr => $($send:ident)? $(!$nsend:ident)?, $($sync:ident)? $(!$nsync:ident)?, $($unpin:ident)? $(!$nunpin:ident)?) => {
        const _: fn() = || {
            let value = $value;
            check_send!($($send)? $(!$nsend)?, value);
            check_sync!($($sync)? $(!$nsync)?, value);
            check_unpin!($($unpin)? $(!$nunpin)?, value);
        };
    };
}

fn any<T>() -> T {
    unreachable!("only type-checked: the closures that call it are never run")
}

traits!(any::<JoinError>() => Send, Sync, Unpin);
traits!(any::<JoinHandle<Neither>>() => !Send, !Sync, Unpin);
traits!(any::<JoinHandle<SendOnly>>() => Send, Sync, Unpin);
traits!(any::<JoinHandle<Both>>() => Send, Sync, Unpin);
traits!(any::<AbortHandle>() => Send, Sync, Unpin);
traits!(any::<JoinSet<Neither>>() => !Send, !Sync, Unpin);
traits!(any::<JoinSet<SendOnly>>() => Send, Sync, Unpin);
traits!(any::<JoinSet<Both>>() => Send, Sync, Unpin);
traits!(any::<LocalSet>() => !Send, !Sync, Unpin);
traits!(any::<RestoreOnPending>() => !Send, !Sync, Unpin);

traits!(any::<&'static mut JoinSet<Cell<u32>>>().join_next() => Send, Sync, !Unpin);
traits!(any::<&'static mut JoinSet<Cell<u32>>>().shutdown() => Send, Sync, !Unpin);
traits!(any::<&'static mut JoinSet<Rc<u32>>>().join_next() => !Send, !Sync, !Unpin);
traits!(any::<&'static mut JoinSet<Rc<u32>>>().shutdown() => !Send, !Sync, !Unpin);
traits!(any::<&'static mut JoinSet<u32>>().join_next() => Send, Sync, !Unpin);

traits!(any::<&'static LocalKey<Cell<u32>>>().scope(Cell::new(0), any::<Local>()) => !Send, !Sync, !Unpin);
traits!(any::<&'static LocalKey<Cell<u32>>>().scope(Cell::new(0), any::<SendFuture>()) => Send, !Sync, !Unpin);
traits!(any::<&'static LocalKey<Cell<u32>>>().scope(Cell::new(0), any::<SyncFuture>()) => Send, !Sync, !Unpin);
traits!(any::<&'static LocalKey<Rc<u32>>>().scope(Rc::new(0), any::<SyncFuture>()) => !Send, !Sync, !Unpin);
traits!(any::<&'static LocalKey<u32>>().scope(0, any::<Local>()) => !Send, !Sync, !Unpin);
traits!(any::<&'static LocalKey<u32>>().scope(0, any::<SendFuture>()) => Send, !Sync, !Unpin);
traits!(any::<&'static LocalKey<u32>>().scope(0, any::<SyncFuture>()) => Send, Sync, !Unpin);
traits!(any::<&LocalSet>().run_until(any::<SyncFuture>()) => !Send, !Sync, !Unpin);
traits!(task::unconstrained(any::<Local>()) => !Send, !Sync, Unpin);
traits!(task::unconstrained(any::<SendFuture>()) => Send, !Sync, Unpin);
traits!(task::unconstrained(any::<SyncFuture>()) => Send, Sync, Unpin);

traits!(any::<Builder>() => Send, Sync, Unpin);
traits!(any::<EnterGuard<'static>>() => !Send, Sync, Unpin);
traits!(any::<Handle>() => Send, Sync, Unpin);
traits!(any::<Runtime>() => Send, Sync, Unpin);
traits!(any::<LocalRuntime>() => !Send, !Sync, Unpin);
traits!(any::<LocalOptions>() => !Send, !Sync, Unpin);

fn is_unwind_safe<T: UnwindSafe + RefUnwindSafe>() {}

#[test]
fn handles_and_runtimes_are_unwind_safe() {
    is_unwind_safe::<JoinHandle<()>>();
    is_unwind_safe::<AbortHandle>();
    is_unwind_safe::<Handle>();
    is_unwind_safe::<Runtime>();
    is_unwind_safe::<LocalRuntime>();
}

#[test]
fn an_enter_guard_can_be_shared_but_stays_on_its_thread() {
    let rt = Builder::new_current_thread().build().unwrap();
    let guard = rt.enter();
    // Shared with a scoped thread (it is `Sync`); the guard itself never leaves this thread.
    std::thread::scope(|scope| {
        scope.spawn(|| format!("{:?}", &guard)).join().unwrap();
    });
    drop(guard);
    assert!(Handle::try_current().is_err());
}
