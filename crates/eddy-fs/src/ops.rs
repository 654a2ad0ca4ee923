//! The one-shot operations on paths: each is its `std::fs` namesake run on the blocking pool.
//!
//! Each function makes exactly one trip: arguments are turned into owned values on the task, the
//! std call runs on a blocking thread, and its result (error kinds included) comes back
//! unchanged. Reading or writing a whole file is one trip too, however large the file, so many
//! small files cost one hop each.

use crate::blocking::asyncify;
use std::fs::{Metadata, Permissions};
use std::io;
use std::path::{Path, PathBuf};

/// Turns a path argument into an owned path a blocking job can carry.
fn owned(path: impl AsRef<Path>) -> PathBuf {
    path.as_ref().to_owned()
}

/// Returns the absolute form of `path` with every symbolic link, `.` and `..` resolved.
///
/// # Errors
///
/// The errors of [`std::fs::canonicalize`]: a component does not exist, or is not a directory.
pub async fn canonicalize(path: impl AsRef<Path>) -> io::Result<PathBuf> {
    let path = owned(path);
    asyncify(move || std::fs::canonicalize(path)).await
}

/// Copies the contents and permissions of the file `from` to `to`, replacing `to`; returns the
/// number of bytes copied.
///
/// # Errors
///
/// The errors of [`std::fs::copy`]: `from` is missing or not a file, `to` cannot be written.
pub async fn copy(from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<u64, std::io::Error> {
    let (from, to) = (owned(from), owned(to));
    asyncify(move || std::fs::copy(from, to)).await
}

/// Creates the directory `path`; its parent must exist.
///
/// # Errors
///
/// The errors of [`std::fs::create_dir`]: [`io::ErrorKind::AlreadyExists`],
/// [`io::ErrorKind::NotFound`] for a missing parent, permission errors.
pub async fn create_dir(path: impl AsRef<Path>) -> io::Result<()> {
    let path = owned(path);
    asyncify(move || std::fs::create_dir(path)).await
}

/// Creates the directory `path` and every missing parent; an existing directory is fine.
///
/// # Errors
///
/// The errors of [`std::fs::create_dir_all`]: a component exists and is not a directory,
/// permission errors.
pub async fn create_dir_all(path: impl AsRef<Path>) -> io::Result<()> {
    let path = owned(path);
    asyncify(move || std::fs::create_dir_all(path)).await
}

/// Makes `link` a new name (hard link) for the file `original`.
///
/// # Errors
///
/// The errors of [`std::fs::hard_link`]: [`io::ErrorKind::NotFound`] for a missing `original`,
/// [`io::ErrorKind::AlreadyExists`] if `link` exists, [`io::ErrorKind::PermissionDenied`] for a
/// directory.
pub async fn hard_link(original: impl AsRef<Path>, link: impl AsRef<Path>) -> io::Result<()> {
    let (original, link) = (owned(original), owned(link));
    asyncify(move || std::fs::hard_link(original, link)).await
}

/// Queries the metadata of `path`, following symbolic links.
///
/// # Errors
///
/// The errors of [`std::fs::metadata`].
pub async fn metadata(path: impl AsRef<Path>) -> io::Result<Metadata> {
    let path = owned(path);
    asyncify(move || std::fs::metadata(path)).await
}

/// Reads the whole file at `path` into a vector, in one trip to the blocking pool.
///
/// # Errors
///
/// The errors of [`std::fs::read`].
pub async fn read(path: impl AsRef<Path>) -> io::Result<Vec<u8>> {
    let path = owned(path);
    asyncify(move || std::fs::read(path)).await
}

/// Reads the target of the symbolic link `path`.
///
/// # Errors
///
/// The errors of [`std::fs::read_link`]: `path` is missing or not a symbolic link.
pub async fn read_link(path: impl AsRef<Path>) -> io::Result<PathBuf> {
    let path = owned(path);
    asyncify(move || std::fs::read_link(path)).await
}

/// Reads the whole file at `path` into a string.
///
/// # Errors
///
/// The errors of [`std::fs::read_to_string`]; [`io::ErrorKind::InvalidData`] if the contents
/// are not UTF-8.
pub async fn read_to_string(path: impl AsRef<Path>) -> io::Result<String> {
    let path = owned(path);
    asyncify(move || std::fs::read_to_string(path)).await
}

/// Removes the empty directory `path`.
///
/// # Errors
///
/// The errors of [`std::fs::remove_dir`]: missing, not a directory, not empty.
pub async fn remove_dir(path: impl AsRef<Path>) -> io::Result<()> {
    let path = owned(path);
    asyncify(move || std::fs::remove_dir(path)).await
}

/// Removes the directory `path` and everything in it, without following symbolic links.
///
/// # Errors
///
/// The errors of [`std::fs::remove_dir_all`].
pub async fn remove_dir_all(path: impl AsRef<Path>) -> io::Result<()> {
    let path = owned(path);
    asyncify(move || std::fs::remove_dir_all(path)).await
}

/// Removes the file (or symbolic link) `path`.
///
/// # Errors
///
/// The errors of [`std::fs::remove_file`]: missing, a directory, permission errors.
pub async fn remove_file(path: impl AsRef<Path>) -> io::Result<()> {
    let path = owned(path);
    asyncify(move || std::fs::remove_file(path)).await
}

/// Renames `from` to `to`, replacing `to` if it is a file.
///
/// # Errors
///
/// The errors of [`std::fs::rename`]: `from` is missing, the two are on different file systems.
pub async fn rename(from: impl AsRef<Path>, to: impl AsRef<Path>) -> io::Result<()> {
    let (from, to) = (owned(from), owned(to));
    asyncify(move || std::fs::rename(from, to)).await
}

/// Sets the permissions of `path`.
///
/// # Errors
///
/// The errors of [`std::fs::set_permissions`].
pub async fn set_permissions(path: impl AsRef<Path>, perm: Permissions) -> io::Result<()> {
    let path = owned(path);
    asyncify(move || std::fs::set_permissions(path, perm)).await
}

/// Creates `link` as a symbolic link to `original`.
///
/// # Errors
///
/// The errors of [`std::os::unix::fs::symlink`]: [`io::ErrorKind::AlreadyExists`] if `link`
/// exists.
#[cfg(unix)]
pub async fn symlink(original: impl AsRef<Path>, link: impl AsRef<Path>) -> io::Result<()> {
    let (original, link) = (owned(original), owned(link));
    asyncify(move || std::os::unix::fs::symlink(original, link)).await
}

/// Queries the metadata of `path` itself, not following a symbolic link.
///
/// # Errors
///
/// The errors of [`std::fs::symlink_metadata`].
pub async fn symlink_metadata(path: impl AsRef<Path>) -> io::Result<Metadata> {
    let path = owned(path);
    asyncify(move || std::fs::symlink_metadata(path)).await
}

/// Whether `path` exists (following symbolic links): `Ok(false)` only when it is certainly
/// missing.
///
/// # Errors
///
/// When existence cannot be decided, for one [`io::ErrorKind::PermissionDenied`] on a parent
/// that may not be searched.
pub async fn try_exists(path: impl AsRef<Path>) -> io::Result<bool> {
    let path = owned(path);
    asyncify(move || path.try_exists()).await
}

/// Writes `contents` as the whole file at `path`, creating it or truncating it first, in one
/// trip to the blocking pool.
///
/// The bytes are copied once so the blocking thread can own them.
///
/// # Errors
///
/// The errors of [`std::fs::write`].
pub async fn write(path: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> io::Result<()> {
    let path = owned(path);
    let contents = contents.as_ref().to_owned();
    asyncify(move || std::fs::write(path, contents)).await
}
