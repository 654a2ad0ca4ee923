//! Building blocks shared by the primitives: a list of wakers to wake after a lock is released,
//! the thread-parking `block_on` behind the `blocking_*` methods, and the wrapper that makes an
//! `async` operation spend the cooperative budget. The waiter lists are `eddy_core`'s intrusive
//! `linked_list`, and the waker cell that is registered and woken from different threads is
//! `eddy_core`'s [`AtomicWaker`]; both are shared with the timers.

pub(crate) mod block_on;
mod cooperative;
mod wake_list;

pub(crate) use block_on::block_on;
pub(crate) use cooperative::cooperative;
pub(crate) use eddy_core::atomic_waker::AtomicWaker;
pub(crate) use wake_list::WakeList;
