//! Asynchronous file system operations for eddy, with Tokio's `fs` API.
//!
//! Operating systems have no readiness-based file I/O: a read from a file blocks until the disk
//! answers. So every operation here runs the matching `std::fs` call on the runtime's blocking
//! pool and awaits the result, leaving the task's worker free meanwhile. The crate does not know
//! the executor: it reaches the pool through `eddy_core::blocking`, which a runtime installs on
//! its threads, and it adds no threads of its own. As with Tokio, an operation polled outside
//! any runtime panics ("there is no reactor running, ..."): there is no pool to run it on.
//!
//! Because each trip to the pool costs a thread hand-off, the work is batched where it can be:
//!
//! * the path functions ([`read()`], [`write()`], [`copy()`], [`metadata()`], ...) are one trip each,
//!   whatever the file's size;
//! * [`read_dir()`] reads entries in growing batches (32, then 64, ... up to 1024) and
//!   [`DirEntry::file_type`] is answered from the listing;
//! * [`File`] moves up to 2 MiB per trip ([`File::set_max_buf_size`]) and keeps one operation in
//!   flight: a write is reported done once its bytes are in the file's buffer, and its outcome is
//!   learnt by the next operation (see [`File`] for the exact rules).
//!
//! Errors are std's, unchanged; a job that never ran (its runtime shut down) gives Tokio's
//! "background task failed" error. Dropping a runtime cancels queued jobs, which closes the
//! files they held, except file writes already reported done, which still run; it waits for the
//! running ones, so no descriptor or thread outlives it.
//!
//! ```
//! # let runtime = eddy_executor::runtime::Builder::new_current_thread().build().unwrap();
//! # runtime.block_on(async {
//! let dir = std::env::temp_dir().join(format!("eddy-fs-doc-{}", std::process::id()));
//! eddy_fs::create_dir_all(&dir).await?;
//! eddy_fs::write(dir.join("greeting"), "hello").await?;
//! assert_eq!(eddy_fs::read_to_string(dir.join("greeting")).await?, "hello");
//! eddy_fs::remove_dir_all(&dir).await?;
//! assert!(!eddy_fs::try_exists(&dir).await?);
//! # Ok::<_, std::io::Error>(())
//! # }).unwrap();
//! ```
#![deny(missing_docs)]

mod blocking;
mod buf;
mod dir_builder;
mod file;
mod file_state;
mod file_times;
mod open_options;
mod ops;
mod read_dir;

pub use dir_builder::DirBuilder;
pub use file::File;
pub use file_times::FileTimes;
pub use open_options::OpenOptions;
#[cfg(unix)]
pub use ops::symlink;
pub use ops::{
    canonicalize, copy, create_dir, create_dir_all, hard_link, metadata, read, read_link,
    read_to_string, remove_dir, remove_dir_all, remove_file, rename, set_permissions,
    symlink_metadata, try_exists, write,
};
pub use read_dir::{read_dir, DirEntry, ReadDir};
