//! What the macros generate, checked through `crate = "..."`: the option points the expansion at
//! `recording`, a runtime with the facade's `Builder` shape (Tokio's `&mut self` chain) that
//! writes down every builder call and runs the body on the test's own thread. So each test sees
//! exactly which builder calls a set of arguments produces, and that the function keeps its
//! signature, attributes and return value. (The same expansions against the real facade are in
//! `macros_run.rs`.)

mod recording {
    pub mod runtime {
        use std::cell::RefCell;
        use std::future::Future;

        thread_local! {
            static CALLS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
        }

        fn record(call: impl Into<String>) {
            CALLS.with(|calls| calls.borrow_mut().push(call.into()));
        }

        /// The calls made on this thread so far, and forgets them.
        pub fn take_calls() -> Vec<String> {
            CALLS.with(|calls| calls.borrow_mut().drain(..).collect())
        }

        pub struct Builder;

        impl Builder {
            pub fn new_current_thread() -> Builder {
                record("new_current_thread");
                Builder
            }

            pub fn new_multi_thread() -> Builder {
                record("new_multi_thread");
                Builder
            }

            pub fn worker_threads(&mut self, count: usize) -> &mut Builder {
                record(format!("worker_threads({count})"));
                self
            }

            pub fn enable_all(&mut self) -> &mut Builder {
                record("enable_all");
                self
            }

            pub fn start_paused(&mut self, paused: bool) -> &mut Builder {
                record(format!("start_paused({paused})"));
                self
            }

            pub fn name(&mut self, name: impl Into<String>) -> &mut Builder {
                record(format!("name({})", name.into()));
                self
            }

            pub fn build(&mut self) -> std::io::Result<Runtime> {
                record("build");
                Ok(Runtime)
            }

            /// Tokio's `build_local(LocalOptions)`; the runtime it returns records the same way.
            pub fn build_local(&mut self, _options: LocalOptions) -> std::io::Result<Runtime> {
                record("build_local");
                Ok(Runtime)
            }
        }

        /// What `build_local` takes; the expansion writes `Default::default()` for it.
        #[derive(Default)]
        pub struct LocalOptions;

        pub struct Runtime;

        impl Runtime {
            /// Polls `future` on this thread, parking between wake-ups.
            pub fn block_on<F: Future>(&self, future: F) -> F::Output {
                record("block_on");
                eddy_test_support::executor::block_on(future)
            }
        }
    }
}

use recording::runtime::take_calls;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

#[eddy_macros::main(crate = "crate::recording", flavor = "current_thread")]
async fn current_thread_main() -> u32 {
    7
}

#[test]
fn current_thread_builds_enables_all_and_blocks_on_the_body() {
    assert_eq!(current_thread_main(), 7);
    assert_eq!(
        take_calls(),
        ["new_current_thread", "enable_all", "build", "block_on"]
    );
}

#[eddy_macros::main(crate = "crate::recording")]
async fn default_main() {}

#[test]
fn main_defaults_to_multi_thread() {
    default_main();
    assert_eq!(
        take_calls(),
        ["new_multi_thread", "enable_all", "build", "block_on"]
    );
}

#[eddy_macros::main(
    crate = "crate::recording",
    flavor = "multi_thread",
    worker_threads = 3
)]
async fn three_workers() {}

#[test]
fn worker_threads_is_passed_before_enable_all() {
    three_workers();
    assert_eq!(
        take_calls(),
        [
            "new_multi_thread",
            "worker_threads(3)",
            "enable_all",
            "build",
            "block_on"
        ]
    );
}

#[eddy_macros::main(
    crate = "crate::recording",
    flavor = "current_thread",
    start_paused = true
)]
async fn paused() {}

#[eddy_macros::main(
    crate = "crate::recording",
    flavor = "current_thread",
    start_paused = false
)]
async fn not_paused() {}

#[test]
fn start_paused_is_called_only_when_true() {
    paused();
    assert_eq!(
        take_calls(),
        [
            "new_current_thread",
            "enable_all",
            "start_paused(true)",
            "build",
            "block_on"
        ]
    );
    not_paused();
    assert_eq!(
        take_calls(),
        ["new_current_thread", "enable_all", "build", "block_on"]
    );
}

#[eddy_macros::main(crate = "crate::recording", flavor = "current_thread")]
async fn parse_small(text: &str) -> Result<u8, std::num::ParseIntError> {
    let value: u8 = text.parse()?;
    Ok(value * 2)
}

#[test]
fn arguments_and_question_mark_work_on_a_non_main_function() {
    assert_eq!(parse_small("21"), Ok(42));
    assert!(parse_small("300").is_err());
}

#[eddy_macros::main(crate = "crate::recording", flavor = "current_thread")]
async fn shadows_body(body: u32) -> u32 {
    let doubled = body * 2;
    let body = doubled + 1;
    assert!(body > doubled);
    body
}

#[test]
fn the_generated_local_does_not_clash_with_the_users_names() {
    assert_eq!(shadows_body(5), 11);
}

#[eddy_macros::main(crate = "crate::recording", flavor = "current_thread")]
async fn inner_attribute() -> u32 {
    #![allow(clippy::let_and_return)]
    let value = 3;
    value
}

#[test]
fn inner_attributes_stay_inside_the_function() {
    assert_eq!(inner_attribute(), 3);
}

/// Two functions of the same name, only one of which is compiled: this file builds only if the
/// `cfg` attributes survive the expansion.
#[cfg(test)]
#[eddy_macros::main(crate = "crate::recording", flavor = "current_thread")]
async fn configured() -> &'static str {
    "kept"
}

#[cfg(not(test))]
#[eddy_macros::main(crate = "crate::recording", flavor = "current_thread")]
async fn configured() -> &'static str {
    "removed"
}

#[test]
fn outer_attributes_and_doc_comments_are_kept() {
    assert_eq!(configured(), "kept");
}

/// A future that is pending until another thread completes it, so the body really waits.
#[derive(Default, Clone)]
struct Handoff(Arc<Mutex<(Option<u64>, Option<Waker>)>>);

impl Future for Handoff {
    type Output = u64;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        let mut slot = self.0.lock().unwrap();
        match slot.0 {
            Some(value) => Poll::Ready(value),
            None => {
                slot.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

#[eddy_macros::main(crate = "crate::recording", flavor = "current_thread")]
async fn wait_for(handoff: Handoff) -> u64 {
    handoff.await + 1
}

#[test]
fn the_body_is_driven_until_a_wake_up_from_another_thread() {
    let handoff = Handoff::default();
    let completer = handoff.clone();
    let thread = std::thread::spawn(move || {
        let waker = {
            let mut slot = completer.0.lock().unwrap();
            slot.0 = Some(41);
            slot.1.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    });
    assert_eq!(wait_for(handoff), 42);
    thread.join().unwrap();
}

#[eddy_macros::test(crate = "crate::recording")]
async fn test_runs_on_a_current_thread_runtime() {
    assert_eq!(
        take_calls(),
        ["new_current_thread", "enable_all", "build", "block_on"]
    );
}

#[eddy_macros::test(crate = "crate::recording")]
async fn test_may_return_a_result() -> Result<(), String> {
    let parsed: u32 = "12".parse().map_err(|error| format!("{error}"))?;
    assert_eq!(parsed, 12);
    Ok(())
}

#[eddy_macros::test(crate = "crate::recording")]
#[should_panic(expected = "the body ran and panicked")]
async fn test_keeps_should_panic() {
    panic!("the body ran and panicked");
}

#[eddy_macros::test(
    crate = "crate::recording",
    flavor = "multi_thread",
    worker_threads = 2
)]
async fn test_with_multi_thread_flavor() {
    assert_eq!(
        take_calls(),
        [
            "new_multi_thread",
            "worker_threads(2)",
            "enable_all",
            "build",
            "block_on"
        ]
    );
}

#[eddy_macros::test_rt(crate = "crate::recording")]
async fn test_rt_defaults_to_current_thread() {
    assert_eq!(
        take_calls(),
        ["new_current_thread", "enable_all", "build", "block_on"]
    );
}

#[eddy_macros::main_rt(crate = "crate::recording", flavor = "current_thread")]
async fn main_rt_current_thread() -> bool {
    true
}

#[test]
fn main_rt_accepts_current_thread() {
    assert!(main_rt_current_thread());
    assert_eq!(
        take_calls(),
        ["new_current_thread", "enable_all", "build", "block_on"]
    );
}

#[eddy_macros::main(crate = "crate::recording", flavor = "local")]
async fn local_main() -> u32 {
    9
}

#[test]
fn local_flavor_builds_a_local_runtime_from_a_current_thread_builder() {
    assert_eq!(local_main(), 9);
    assert_eq!(
        take_calls(),
        [
            "new_current_thread",
            "enable_all",
            "build_local",
            "block_on"
        ]
    );
}

#[eddy_macros::test(crate = "crate::recording", flavor = "local", start_paused = true)]
async fn test_with_local_flavor_and_paused_clock() {
    assert_eq!(
        take_calls(),
        [
            "new_current_thread",
            "enable_all",
            "start_paused(true)",
            "build_local",
            "block_on"
        ]
    );
}

#[eddy_macros::main(crate = "crate::recording", flavor = "current_thread", name = "ingest")]
async fn named_main() {}

#[test]
fn name_is_passed_to_the_builder_before_build() {
    named_main();
    assert_eq!(
        take_calls(),
        [
            "new_current_thread",
            "enable_all",
            "name(ingest)",
            "build",
            "block_on"
        ]
    );
}
