//! Cooperative scheduling: the task budget, and the tools to spend it, check it or opt out.
//!
//! A task poll can do an unbounded amount of work if every resource it touches is ready: a
//! socket that always has data, a channel that is never empty. To keep such a task from holding
//! its thread, the scheduler hands each poll a budget (`eddy_core::coop`, 128 units) and every
//! eddy resource spends a unit per operation through [`poll_proceed`]; once the budget is gone
//! the resource answers `Pending` after waking the task, which then waits behind the other ready
//! tasks. There is one budget: this module is the public face of the one in `eddy-core`, which
//! the resources of every eddy crate already spend.
//!
//! * [`poll_proceed`] and its [`RestoreOnPending`] guard let a resource outside eddy take part
//!   (a unit is charged only if the guard is told the operation made progress);
//! * [`cooperative`] wraps any future so that completing it costs a unit;
//! * [`consume_budget`] spends a unit in a loop that touches no resource;
//! * [`has_budget_remaining`] peeks without spending;
//! * [`unconstrained`] runs a future with no budget at all.
//!
//! Outside an eddy task there is no budget: every call proceeds.
//!
//! ```
//! use eddy_executor::task::coop;
//!
//! let rt = eddy_executor::runtime::Builder::new_current_thread().build().unwrap();
//! rt.block_on(async {
//!     assert!(coop::has_budget_remaining());
//!     coop::consume_budget().await;
//!     assert_eq!(coop::cooperative(async { 7 }).await, 7);
//! });
//! ```

mod cooperative;
mod unconstrained;

pub use cooperative::{cooperative, Coop};
pub use eddy_core::coop::{consume_budget, has_budget_remaining, poll_proceed, RestoreOnPending};
pub use unconstrained::{unconstrained, Unconstrained};
