//! [`read_dir`], [`ReadDir`] and [`DirEntry`]: a directory's entries, fetched in batches.
//!
//! Reading one entry costs a few hundred nanoseconds; a trip to the blocking pool costs more.
//! So each trip reads a batch of entries into a queue that `next_entry` then drains without
//! leaving the task: the first batch holds 32 entries (as Tokio's always do, so the first entry
//! comes quickly) and each further batch twice as many as the one before, up to 1024, so a
//! caller that walks a large directory makes a handful of trips instead of one per 32 entries.
//! A batch stops early after an error entry, so the error is reported in its place. The file
//! type of each entry, which the directory listing usually gives for free, is kept so that
//! [`DirEntry::file_type`] needs no trip.

use crate::blocking::{asyncify, spawn, Job};
use std::collections::VecDeque;
use std::ffi::OsString;
use std::fs::{FileType, Metadata};
use std::future::{poll_fn, Future};
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

const FIRST_BATCH: usize = 32;
const MAX_BATCH: usize = 1024;

/// Opens the directory at `path` and returns its entries, reading the first batch at once.
///
/// The entries come in no particular order and do not include `.` and `..`.
///
/// # Errors
///
/// The errors of [`std::fs::read_dir`]: the path does not exist, is not a directory, or may not
/// be listed.
///
/// ```
/// # let runtime = eddy_executor::runtime::Builder::new_current_thread().build().unwrap();
/// # runtime.block_on(async {
/// let mut entries = eddy_fs::read_dir(env!("CARGO_MANIFEST_DIR")).await?;
/// let mut names = Vec::new();
/// while let Some(entry) = entries.next_entry().await? {
///     names.push(entry.file_name());
/// }
/// assert!(names.iter().any(|name| name == "Cargo.toml"));
/// # Ok::<_, std::io::Error>(())
/// # }).unwrap();
/// ```
pub async fn read_dir(path: impl AsRef<Path>) -> io::Result<ReadDir> {
    let path = path.as_ref().to_owned();
    let batch = asyncify(move || Ok(Batch::first(std::fs::read_dir(path)?))).await?;
    Ok(ReadDir {
        state: State::Idle(batch),
    })
}

/// The entries of a directory, from [`read_dir`].
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct ReadDir {
    state: State,
}

#[derive(Debug)]
enum State {
    Idle(Batch),
    Reading(Job<Batch>),
}

/// Entries read and not yet handed out, and the rest of the directory (`None` at its end).
#[derive(Debug)]
struct Batch {
    entries: VecDeque<io::Result<DirEntry>>,
    rest: Option<std::fs::ReadDir>,
    /// How many entries the next trip reads.
    next_size: usize,
}

impl Batch {
    fn first(dir: std::fs::ReadDir) -> Batch {
        let mut batch = Batch {
            entries: VecDeque::new(),
            rest: Some(dir),
            next_size: FIRST_BATCH,
        };
        batch.fill();
        batch
    }

    /// Reads the next `next_size` entries (on a blocking thread).
    fn fill(&mut self) {
        let Some(dir) = &mut self.rest else { return };
        self.entries.reserve(self.next_size);
        for _ in 0..self.next_size {
            let Some(entry) = dir.next() else {
                self.rest = None;
                break;
            };
            let failed = entry.is_err();
            self.entries.push_back(entry.map(DirEntry::new));
            if failed {
                break;
            }
        }
        self.next_size = (self.next_size * 2).min(MAX_BATCH);
    }

    fn empty() -> Batch {
        Batch {
            entries: VecDeque::new(),
            rest: None,
            next_size: FIRST_BATCH,
        }
    }
}

impl ReadDir {
    /// Returns the next entry, or `None` after the last.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a batch being read when the call is dropped is kept for the next call.
    ///
    /// # Errors
    ///
    /// An error the system reported while listing the directory, in the entry's place.
    pub async fn next_entry(&mut self) -> io::Result<Option<DirEntry>> {
        poll_fn(|cx| self.poll_next_entry(cx)).await
    }

    /// Polls for the next entry: `Ready(Ok(None))` after the last, `Pending` while a batch is
    /// read (only the last `poll_next_entry` caller's waker is woken).
    ///
    /// # Errors
    ///
    /// As [`next_entry`](ReadDir::next_entry); also Tokio's "background task failed" if the
    /// runtime shut down before the batch was read, after which the directory reads as ended.
    pub fn poll_next_entry(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<DirEntry>>> {
        loop {
            match &mut self.state {
                State::Idle(batch) => {
                    if let Some(entry) = batch.entries.pop_front() {
                        return Poll::Ready(entry.map(Some));
                    }
                    if batch.rest.is_none() {
                        return Poll::Ready(Ok(None));
                    }
                    let mut batch = std::mem::replace(batch, Batch::empty());
                    self.state = State::Reading(spawn(move || {
                        batch.fill();
                        batch
                    }));
                }
                State::Reading(job) => {
                    let batch = ready!(Pin::new(job).poll(cx));
                    let (batch, outcome) = match batch {
                        Ok(batch) => (batch, Ok(())),
                        Err(error) => (Batch::empty(), Err(error)),
                    };
                    self.state = State::Idle(batch);
                    outcome?;
                }
            }
        }
    }
}

/// One entry of a directory, from [`ReadDir`].
#[derive(Debug)]
pub struct DirEntry {
    std: Arc<std::fs::DirEntry>,
    /// The type the listing gave, when it gave one.
    file_type: Option<FileType>,
}

impl DirEntry {
    fn new(std: std::fs::DirEntry) -> DirEntry {
        DirEntry {
            file_type: std.file_type().ok(),
            std: Arc::new(std),
        }
    }

    /// The entry's full path: the directory's path joined with [`file_name`](Self::file_name).
    pub fn path(&self) -> PathBuf {
        self.std.path()
    }

    /// The entry's name within its directory.
    pub fn file_name(&self) -> OsString {
        self.std.file_name()
    }

    /// The entry's metadata, not following a symbolic link.
    ///
    /// # Errors
    ///
    /// The errors of [`std::fs::DirEntry::metadata`] (the entry was removed meanwhile, ...).
    pub async fn metadata(&self) -> io::Result<Metadata> {
        let std = self.std.clone();
        asyncify(move || std.metadata()).await
    }

    /// The entry's type, not following a symbolic link; usually known from the listing, without
    /// a trip to the blocking pool.
    ///
    /// # Errors
    ///
    /// The errors of [`std::fs::DirEntry::file_type`].
    pub async fn file_type(&self) -> io::Result<FileType> {
        if let Some(file_type) = self.file_type {
            return Ok(file_type);
        }
        let std = self.std.clone();
        asyncify(move || std.file_type()).await
    }

    /// The entry's inode number, from the listing.
    #[cfg(unix)]
    pub fn ino(&self) -> u64 {
        std::os::unix::fs::DirEntryExt::ino(&*self.std)
    }
}
