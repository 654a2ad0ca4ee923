//! Building blocks shared by the primitives: the thread-parking `block_on` behind the
//! `blocking_*` methods, and the wrapper that makes an `async` operation spend the cooperative
//! budget. The rest comes from `eddy_core`, shared with the timers and the drivers: the waiter
//! lists are its intrusive `linked_list`, the waker cell registered and woken from different
//! threads is its [`AtomicWaker`], and the wakers collected under a lock are its [`WakeList`].

pub(crate) mod block_on;
mod cooperative;

pub(crate) use block_on::block_on;
pub(crate) use cooperative::cooperative;
pub(crate) use eddy_core::atomic_waker::AtomicWaker;
pub(crate) use eddy_core::wake::WakeList;
