//! The scheduler flavors the common runtime tests run on, and the macro that runs each test once
//! per flavor.
//!
//! [`Rt`] hides whether a test holds a `Runtime` or a `LocalRuntime`: both offer the calls the
//! tests need (`block_on`, `handle`, `enter`, the shutdowns), so a test body is written once.
//! [`rt_common!`] takes test functions of the form `fn name(rt: Rt) { .. }`, keeps each as a
//! plain function, and adds one `#[test]` per flavor module (`current_thread`, `multi_thread_1`,
//! `multi_thread_2`, `local`) that builds that flavor's runtime and calls it.

use eddy_executor::runtime::{Builder, EnterGuard, Handle, LocalOptions, LocalRuntime, Runtime};
use std::future::Future;
use std::time::Duration;

/// A runtime of one flavor, with every driver enabled.
pub enum Rt {
    Shared(Runtime),
    Local(LocalRuntime),
}

impl Rt {
    pub fn current_thread() -> Rt {
        Rt::Shared(Builder::new_current_thread().enable_all().build().unwrap())
    }

    #[cfg(feature = "multi-thread")]
    pub fn multi_thread(workers: usize) -> Rt {
        let runtime = Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .build()
            .unwrap();
        Rt::Shared(runtime)
    }

    pub fn local() -> Rt {
        let runtime = Builder::new_current_thread()
            .enable_all()
            .build_local(LocalOptions::default())
            .unwrap();
        Rt::Local(runtime)
    }

    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        match self {
            Rt::Shared(runtime) => runtime.block_on(future),
            Rt::Local(runtime) => runtime.block_on(future),
        }
    }

    pub fn handle(&self) -> &Handle {
        match self {
            Rt::Shared(runtime) => runtime.handle(),
            Rt::Local(runtime) => runtime.handle(),
        }
    }

    pub fn enter(&self) -> EnterGuard<'_> {
        match self {
            Rt::Shared(runtime) => runtime.enter(),
            Rt::Local(runtime) => runtime.enter(),
        }
    }

    pub fn shutdown_timeout(self, duration: Duration) {
        match self {
            Rt::Shared(runtime) => runtime.shutdown_timeout(duration),
            Rt::Local(runtime) => runtime.shutdown_timeout(duration),
        }
    }

    pub fn shutdown_background(self) {
        match self {
            Rt::Shared(runtime) => runtime.shutdown_background(),
            Rt::Local(runtime) => runtime.shutdown_background(),
        }
    }
}

/// Runs each test function once per flavor (see the module docs).
macro_rules! rt_common {
    ($(
        $(#[$meta:meta])*
        fn $name:ident($rt:ident: Rt) $body:block
    )*) => {
        $(
            $(#[$meta])*
            fn $name($rt: $crate::flavor::Rt) $body
        )*

        mod current_thread {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::flavor::Rt::current_thread());
                }
            )*
        }

        #[cfg(feature = "multi-thread")]
        mod multi_thread_1 {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::flavor::Rt::multi_thread(1));
                }
            )*
        }

        #[cfg(feature = "multi-thread")]
        mod multi_thread_2 {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::flavor::Rt::multi_thread(2));
                }
            )*
        }

        mod local {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::flavor::Rt::local());
                }
            )*
        }
    };
}

pub(crate) use rt_common;
