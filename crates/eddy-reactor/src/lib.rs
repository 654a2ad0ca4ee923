//! eddy's I/O driver (the reactor): readiness of OS sources, dispatched to waiting tasks.
//!
//! Sockets and other descriptors are registered once, edge-triggered, with a `mio::Poll`
//! owned by the [`driver::Driver`]. Each registration owns a `ScheduledIo`: a word packing the
//! source's readiness with a tick, and the wakers of the tasks waiting for it. An operation tries
//! its syscall when the source is marked ready; on `WouldBlock` it clears the readiness it
//! observed, unless the tick shows the driver reported newer readiness meanwhile, and waits.
//! When the scheduler runs out of work it parks on the driver ([`eddy_core::Park`]), which waits
//! in `epoll_wait`, sets readiness and wakes the waiters. Types like `TcpStream` (in `eddy-net`)
//! are thin layers over `PollEvented`, an internal of the eddy crates; [`AsyncFd`] offers the
//! same protocol for any descriptor.
//!
//! The [`driver`] module is the seam an executor drives; `PollEvented`, `Registration` and
//! `Readiness` are public only for eddy's sibling crates, hidden from the docs and promised to no
//! one (see "What is public and stable" in eddy's `docs/architecture.md`).
//!
//! ```
//! use eddy_core::block_on::block_on;
//! use eddy_reactor::{driver, AsyncFd};
//! use std::io::{Read, Write};
//! use std::os::unix::net::UnixStream;
//!
//! let (mut driver, handle) = driver::Driver::new().unwrap();
//! let _reactor = driver::enter(Some(handle));
//! let (a, mut b) = UnixStream::pair().unwrap();
//! a.set_nonblocking(true).unwrap();
//! // SAFETY: `a` owns its descriptor, and the `AsyncFd` owns `a`.
//! let a = unsafe { AsyncFd::register(a) }.unwrap();
//! b.write_all(b"ping").unwrap();
//!
//! let received = block_on(&mut driver, async {
//!     loop {
//!         let mut guard = a.readable().await.unwrap();
//!         let mut buf = [0; 4];
//!         match guard.try_io(|fd| fd.get_ref().read(&mut buf)) {
//!             Ok(result) => return buf[..result.unwrap()].to_vec(),
//!             Err(_would_block) => continue,
//!         }
//!     }
//! });
//! assert_eq!(received, b"ping");
//! ```
#![deny(missing_docs)]

mod async_fd;
pub mod driver;
mod interest;
use eddy_core::loom;
mod poll_evented;
mod ready;
mod register_error;
mod registration;
mod scheduled_io;
mod token_table;
mod wake_state;

pub use async_fd::{AsyncFd, AsyncFdReadyGuard, AsyncFdReadyMutGuard, TryIoError};
pub use driver::current::TryCurrentError;
pub use interest::Interest;
#[doc(hidden)]
pub use poll_evented::PollEvented;
pub use ready::Ready;
pub use register_error::AsyncFdRegisterError;
#[allow(deprecated)]
pub use register_error::AsyncFdTryNewError;
#[doc(hidden)]
pub use registration::{Readiness, Registration};
pub use scheduled_io::ReadyEvent;

/// The per-source readiness state machine, public only for the loom models.
#[cfg(loom)]
#[doc(hidden)]
pub use scheduled_io::{Direction, ScheduledIo};

/// The driver's wake-up state machine, public only for the loom models.
#[cfg(loom)]
#[doc(hidden)]
pub use wake_state::WakeState;
