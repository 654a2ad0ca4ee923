//! [`OpenOptions`]: std's open options, with an `async` [`open`](OpenOptions::open).
//!
//! The options are std's own (`std::fs::OpenOptions`), so their meaning, their `Debug` output
//! and the platform extensions are exactly std's; only the final `open` moves to the blocking
//! pool.
//!
//! `File`'s constructors that open a path are here too, since they are made of these options.

use crate::blocking::asyncify;
use crate::File;
use std::io;
use std::path::Path;

impl File {
    /// Opens the file at `path` for reading.
    ///
    /// # Errors
    ///
    /// The errors of [`std::fs::File::open`] (the file does not exist, permission denied, ...).
    pub async fn open(path: impl AsRef<Path>) -> io::Result<File> {
        Self::options().read(true).open(path).await
    }

    /// Opens the file at `path` for writing, creating it if needed and truncating it if not.
    ///
    /// # Errors
    ///
    /// The errors of [`std::fs::File::create`].
    pub async fn create(path: impl AsRef<Path>) -> io::Result<File> {
        Self::options()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .await
    }

    /// Creates a new file at `path` for reading and writing; fails if it already exists.
    ///
    /// The check and the creation are one atomic step.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::AlreadyExists`] if the path exists, and the other errors of opening.
    pub async fn create_new<P: AsRef<Path>>(path: P) -> io::Result<File> {
        Self::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)
            .await
    }

    /// A new [`OpenOptions`], every option off.
    #[must_use]
    pub fn options() -> OpenOptions {
        OpenOptions::new()
    }
}

/// Options for opening a file: which access, whether to create or truncate it, and on Unix the
/// mode and extra flags. Built with chained setters, then [`open`](OpenOptions::open)ed.
///
/// ```
/// # let runtime = eddy_executor::runtime::Builder::new_current_thread().build().unwrap();
/// # runtime.block_on(async {
/// use eddy_fs::OpenOptions;
/// use eddy_io::AsyncWriteExt;
///
/// let path = std::env::temp_dir().join(format!("eddy-fs-doc-options-{}", std::process::id()));
/// let mut log = OpenOptions::new().append(true).create(true).open(&path).await?;
/// log.write_all(b"one line\n").await?;
/// log.flush().await?;
/// # std::fs::remove_file(&path)?;
/// # Ok::<_, std::io::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct OpenOptions {
    std: std::fs::OpenOptions,
}

impl OpenOptions {
    /// Every option off: set at least one access mode before opening.
    pub fn new() -> OpenOptions {
        OpenOptions {
            std: std::fs::OpenOptions::new(),
        }
    }

    /// Open for reading.
    pub fn read(&mut self, read: bool) -> &mut OpenOptions {
        self.std.read(read);
        self
    }

    /// Open for writing.
    pub fn write(&mut self, write: bool) -> &mut OpenOptions {
        self.std.write(write);
        self
    }

    /// Open for appending: every write goes to the end of the file. Implies writing.
    pub fn append(&mut self, append: bool) -> &mut OpenOptions {
        self.std.append(append);
        self
    }

    /// Truncate an existing file to zero length (needs write access).
    pub fn truncate(&mut self, truncate: bool) -> &mut OpenOptions {
        self.std.truncate(truncate);
        self
    }

    /// Create the file if it does not exist (needs write or append access).
    pub fn create(&mut self, create: bool) -> &mut OpenOptions {
        self.std.create(create);
        self
    }

    /// Create the file, failing if it exists, in one atomic step; `create` and `truncate` are
    /// then ignored.
    pub fn create_new(&mut self, create_new: bool) -> &mut OpenOptions {
        self.std.create_new(create_new);
        self
    }

    /// Opens the file at `path` with these options, on the blocking pool.
    ///
    /// # Errors
    ///
    /// The errors of [`std::fs::OpenOptions::open`]: [`io::ErrorKind::NotFound`],
    /// [`io::ErrorKind::PermissionDenied`], [`io::ErrorKind::AlreadyExists`] (with
    /// `create_new`), [`io::ErrorKind::InvalidInput`] for a combination that makes no sense.
    pub async fn open(&self, path: impl AsRef<Path>) -> io::Result<File> {
        let path = path.as_ref().to_owned();
        let options = self.std.clone();
        let std = asyncify(move || options.open(path)).await?;
        Ok(File::from_std(std))
    }
}

#[cfg(unix)]
impl OpenOptions {
    /// The permission bits a created file gets (before the umask); `0o666` by default.
    pub fn mode(&mut self, mode: u32) -> &mut OpenOptions {
        std::os::unix::fs::OpenOptionsExt::mode(&mut self.std, mode);
        self
    }

    /// Extra `open(2)` flags, or-ed into those the other options choose.
    pub fn custom_flags(&mut self, flags: i32) -> &mut OpenOptions {
        std::os::unix::fs::OpenOptionsExt::custom_flags(&mut self.std, flags);
        self
    }
}

impl From<std::fs::OpenOptions> for OpenOptions {
    fn from(std: std::fs::OpenOptions) -> OpenOptions {
        OpenOptions { std }
    }
}

impl Default for OpenOptions {
    fn default() -> OpenOptions {
        OpenOptions::new()
    }
}
