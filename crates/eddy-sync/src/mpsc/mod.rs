//! A multi-producer, single-consumer queue for sending values between tasks.
//!
//! [`channel`] makes a bounded channel: a [`Sender`] waits for capacity when the buffer is full,
//! which gives back-pressure. [`unbounded_channel`] never makes a sender wait. Either way the
//! messages sit in a lock-free list of blocks (`list.rs`); a bounded channel's capacity is a fair
//! semaphore (`batch_semaphore.rs`), so waiting senders get capacity in the order they asked.
//!
//! The channel closes when every [`Sender`] is dropped (the receiver then drains what is left
//! and gets `None`), or when the [`Receiver`] is dropped or calls [`Receiver::close`] (senders
//! then fail).
//!
//! ```
//! use eddy_sync::mpsc;
//!
//! # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
//! let (tx, mut rx) = mpsc::channel(16);
//! for i in 0..3 {
//!     let tx = tx.clone();
//!     std::thread::spawn(move || tx.blocking_send(i).unwrap());
//! }
//! drop(tx);
//! let mut sum = 0;
//! while let Some(i) = rx.recv().await {
//!     sum += i;
//! }
//! assert_eq!(sum, 3);
//! # });
//! ```

mod bounded;
mod chan;
pub mod error;
mod list;
mod unbounded;

pub use bounded::{channel, OwnedPermit, Permit, PermitIterator, Receiver, Sender, WeakSender};
pub use unbounded::{unbounded_channel, UnboundedReceiver, UnboundedSender, WeakUnboundedSender};
