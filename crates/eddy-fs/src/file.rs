//! [`File`]: an open file as an [`AsyncRead`], [`AsyncWrite`] and [`AsyncSeek`].
//!
//! The std file sits behind an `Arc` so each blocking job can carry its own reference to it;
//! the buffered state machine (`file_state.rs`) sits behind an async lock, which the `poll_*`
//! methods reach without locking (they have `&mut self`) and the `&self` methods (`sync_all`,
//! `set_len`, ...) take, so that those first wait for the operation in flight. Methods that do
//! not depend on the cursor (`metadata`, `set_permissions`) skip the lock.
//!
//! The constructors that open a path (`open`, `create`, `create_new`, `options`) are written
//! beside [`OpenOptions`](crate::OpenOptions), which they use, so that this module does not
//! depend on that one.

use crate::blocking::asyncify;
use crate::file_state::Inner;
use crate::FileTimes;
use eddy_io::{AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};
use eddy_sync::Mutex;
use std::fmt;
use std::fs::{File as StdFile, Metadata, Permissions};
use std::io::{self, IoSlice, SeekFrom};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::SystemTime;

/// The most bytes one blocking read or write moves unless [`File::set_max_buf_size`] says
/// otherwise: 2 MiB.
const DEFAULT_MAX_BUF_SIZE: usize = 2 * 1024 * 1024;

/// An open file on the file system, read and written without blocking the task.
///
/// Each read, write or seek runs on the runtime's blocking pool, one at a time. Reads ask for at
/// most the caller's buffer size (and at most [`max_buf_size`](File::max_buf_size) bytes).
/// **A write is reported done as soon as its bytes are copied into the file's buffer**, before
/// they reach the file; the next operation waits for it, and a failure is returned by the next
/// write or [`flush`](eddy_io::AsyncWrite::poll_flush). Call `flush` (or `sync_all` to also reach
/// the disk) before dropping a file whose writes must be known to have landed: dropping it does
/// not wait.
///
/// ```
/// # let runtime = eddy_executor::runtime::Builder::new_current_thread().build().unwrap();
/// # runtime.block_on(async {
/// use eddy_fs::File;
/// use eddy_io::{AsyncReadExt, AsyncWriteExt};
///
/// let path = std::env::temp_dir().join(format!("eddy-fs-doc-file-{}", std::process::id()));
/// let mut file = File::create(&path).await?;
/// file.write_all(b"hello").await?;
/// file.flush().await?;
///
/// let mut contents = String::new();
/// File::open(&path).await?.read_to_string(&mut contents).await?;
/// assert_eq!(contents, "hello");
/// # std::fs::remove_file(&path)?;
/// # Ok::<_, std::io::Error>(())
/// # }).unwrap();
/// ```
pub struct File {
    std: Arc<StdFile>,
    inner: Mutex<Inner>,
    max_buf_size: usize,
}

impl File {
    /// Wraps an already open std file.
    pub fn from_std(std: StdFile) -> File {
        File {
            std: Arc::new(std),
            inner: Mutex::new(Inner::new()),
            max_buf_size: DEFAULT_MAX_BUF_SIZE,
        }
    }

    /// Waits for the operation in flight, then flushes the file's data and metadata to the
    /// disk.
    ///
    /// # Errors
    ///
    /// The error of `fsync`.
    pub async fn sync_all(&self) -> io::Result<()> {
        self.inner.lock().await.settle().await;
        let std = self.std.clone();
        asyncify(move || std.sync_all()).await
    }

    /// Like [`sync_all`](File::sync_all), but may skip metadata that reading the data back
    /// does not need (`fdatasync`).
    ///
    /// # Errors
    ///
    /// The error of `fdatasync`.
    pub async fn sync_data(&self) -> io::Result<()> {
        self.inner.lock().await.settle().await;
        let std = self.std.clone();
        asyncify(move || std.sync_data()).await
    }

    /// Truncates or extends the file to `size` bytes, after the operation in flight. The cursor
    /// does not move; extending fills with zeros.
    ///
    /// # Errors
    ///
    /// The errors of [`std::fs::File::set_len`], for one if the file is not open for writing.
    pub async fn set_len(&self, size: u64) -> io::Result<()> {
        self.inner.lock().await.set_len(&self.std, size).await
    }

    /// Queries the file's metadata.
    ///
    /// # Errors
    ///
    /// The errors of [`std::fs::File::metadata`].
    pub async fn metadata(&self) -> io::Result<Metadata> {
        let std = self.std.clone();
        asyncify(move || std.metadata()).await
    }

    /// Opens a second handle to the same file (with `dup`), after the operation in flight. Both
    /// share the cursor; the clone keeps this file's [`max_buf_size`](File::max_buf_size).
    ///
    /// # Errors
    ///
    /// The errors of [`std::fs::File::try_clone`].
    pub async fn try_clone(&self) -> io::Result<File> {
        self.inner.lock().await.settle().await;
        let std = self.std.clone();
        let cloned = asyncify(move || std.try_clone()).await?;
        let mut file = File::from_std(cloned);
        file.set_max_buf_size(self.max_buf_size);
        Ok(file)
    }

    /// Waits for the operation in flight and returns the std file.
    ///
    /// Bytes read ahead and not yet taken are dropped, and so is an error of a background
    /// write not yet reported: [`flush`](eddy_io::AsyncWrite::poll_flush) first to learn it.
    ///
    /// # Panics
    ///
    /// If a job started by a cancelled [`metadata`](File::metadata) or
    /// [`set_permissions`](File::set_permissions) call still holds the file.
    pub async fn into_std(mut self) -> StdFile {
        self.inner.get_mut().settle().await;
        Arc::try_unwrap(self.std).expect("Arc::try_unwrap failed")
    }

    /// Returns the std file at once if no operation is in flight, or gives `self` back.
    ///
    /// # Errors
    ///
    /// `Err(self)` while a blocking job still holds the file.
    #[allow(clippy::result_large_err)]
    pub fn try_into_std(mut self) -> Result<StdFile, File> {
        match Arc::try_unwrap(self.std) {
            Ok(std) => Ok(std),
            Err(shared) => {
                self.std = shared;
                Err(self)
            }
        }
    }

    /// Changes the file's permissions.
    ///
    /// # Errors
    ///
    /// The errors of [`std::fs::File::set_permissions`].
    pub async fn set_permissions(&self, perm: Permissions) -> io::Result<()> {
        let std = self.std.clone();
        asyncify(move || std.set_permissions(perm)).await
    }

    /// Sets the file's access and modification times, after the operation in flight (so that
    /// the operation cannot change them again afterwards).
    ///
    /// # Errors
    ///
    /// The errors of [`std::fs::File::set_times`].
    pub async fn set_times(&self, times: FileTimes) -> io::Result<()> {
        self.inner.lock().await.settle().await;
        let std = self.std.clone();
        let times = times.into_std();
        asyncify(move || std.set_times(times)).await
    }

    /// Sets the file's modification time; [`set_times`](File::set_times) with only that.
    ///
    /// # Errors
    ///
    /// As [`set_times`](File::set_times).
    pub async fn set_modified(&self, time: SystemTime) -> io::Result<()> {
        self.set_times(FileTimes::new().set_modified(time)).await
    }

    /// Sets the most bytes one blocking read or write moves (2 MiB by default). A larger size
    /// means fewer trips to the blocking pool for large transfers, and a larger buffer.
    ///
    /// # Panics
    ///
    /// If `max_buf_size` is zero.
    #[track_caller]
    pub fn set_max_buf_size(&mut self, max_buf_size: usize) {
        assert!(max_buf_size > 0, "`max_buf_size` must be greater than 0");
        self.max_buf_size = max_buf_size;
    }

    /// The most bytes one blocking read or write moves.
    pub fn max_buf_size(&self) -> usize {
        self.max_buf_size
    }
}

impl AsyncRead for File {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let me = self.get_mut();
        me.inner
            .get_mut()
            .poll_read(cx, &me.std, me.max_buf_size, buf)
    }
}

impl AsyncWrite for File {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_write_vectored(cx, &[IoSlice::new(buf)])
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let me = self.get_mut();
        me.inner
            .get_mut()
            .poll_write(cx, &me.std, me.max_buf_size, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().inner.get_mut().poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}

impl AsyncSeek for File {
    fn start_seek(self: Pin<&mut Self>, position: SeekFrom) -> io::Result<()> {
        let me = self.get_mut();
        me.inner.get_mut().start_seek(&me.std, position)
    }

    fn poll_complete(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        self.get_mut().inner.get_mut().poll_complete(cx)
    }
}

impl From<StdFile> for File {
    fn from(std: StdFile) -> File {
        File::from_std(std)
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Tokio's name, as its users (and its tests) read it in logs.
        f.debug_struct("tokio::fs::File")
            .field("std", &self.std)
            .finish()
    }
}

#[cfg(unix)]
mod unix {
    use super::File;
    use std::fs::File as StdFile;
    use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

    impl From<OwnedFd> for File {
        fn from(fd: OwnedFd) -> File {
            File::from_std(StdFile::from(fd))
        }
    }

    impl AsRawFd for File {
        fn as_raw_fd(&self) -> RawFd {
            self.std.as_raw_fd()
        }
    }

    impl AsFd for File {
        fn as_fd(&self) -> BorrowedFd<'_> {
            self.std.as_fd()
        }
    }

    impl FromRawFd for File {
        unsafe fn from_raw_fd(fd: RawFd) -> File {
            // SAFETY: our caller promises what `StdFile::from_raw_fd` requires: `fd` is an open
            // file descriptor that nothing else owns or closes.
            File::from_std(unsafe { StdFile::from_raw_fd(fd) })
        }
    }
}
