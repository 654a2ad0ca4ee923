//! Building blocks shared by the primitives: the intrusive waiter list, a list of wakers to wake
//! after a lock is released, the thread-parking `block_on` behind the `blocking_*` methods, and the wrapper that
//! makes an `async` operation spend the cooperative budget. The waker cell that is registered
//! and woken from different threads is `eddy_core`'s [`AtomicWaker`], shared with the timers.

pub(crate) mod block_on;
mod cooperative;
pub(crate) mod linked_list;
mod wake_list;

pub(crate) use block_on::block_on;
pub(crate) use cooperative::cooperative;
pub(crate) use eddy_core::atomic_waker::AtomicWaker;
pub(crate) use wake_list::WakeList;
