//! Unix pipes: anonymous ones from [`pipe`], and named ones (FIFOs) opened with
//! [`OpenOptions`], as a [`Sender`] (the write end) and a [`Receiver`] (the read end).
//!
//! Each end is a mio pipe end registered with the reactor for its one direction, in
//! non-blocking mode, and follows the same readiness protocol as the sockets: wait, try the
//! syscall, clear the readiness on `WouldBlock`. A `Receiver` reads end of file once every
//! sender is closed; a `Sender` whose readers are all gone gets `BrokenPipe`. The ends given
//! by `from_file`/`from_owned_fd` are checked to be pipes opened in the right access mode
//! (the `_unchecked` variants skip that), and switched to non-blocking mode.

use crate::sys;
use eddy_io::{AsyncRead, AsyncWrite, ReadBuf};
use eddy_reactor::driver::Handle;
use eddy_reactor::{Interest, PollEvented, Ready};
use std::fs::File;
use std::io::{self, IoSlice, IoSliceMut, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Creates an anonymous pipe: bytes written to the [`Sender`] are read from the
/// [`Receiver`].
///
/// # Panics
///
/// Outside a runtime with I/O enabled.
#[track_caller]
pub fn pipe() -> io::Result<(Sender, Receiver)> {
    let (sender, receiver) = mio::unix::pipe::new()?;
    Ok((Sender::register(sender)?, Receiver::register(receiver)?))
}

/// Options for opening a named pipe (a FIFO) as a [`Sender`] or a [`Receiver`].
///
/// Opening a sender fails with `ENXIO` while no reader has the FIFO open, unless
/// [`read_write`](OpenOptions::read_write) is set (Linux only).
#[derive(Clone, Debug)]
pub struct OpenOptions {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    read_write: bool,
    unchecked: bool,
}

impl OpenOptions {
    /// Default options: the end opened for its one direction only, and checked to be a FIFO.
    pub fn new() -> OpenOptions {
        OpenOptions {
            #[cfg(any(target_os = "linux", target_os = "android"))]
            read_write: false,
            unchecked: false,
        }
    }

    /// Opens the FIFO for reading and writing (`O_RDWR`), so that a sender opens without a
    /// reader and a receiver never sees end of file while it holds the FIFO open itself.
    /// Linux only: POSIX leaves `O_RDWR` on a FIFO undefined.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub fn read_write(&mut self, value: bool) -> &mut Self {
        self.read_write = value;
        self
    }

    /// Skips the check that the opened file is a FIFO (`true`): any file that supports
    /// readiness, a character device for instance, can then be opened.
    pub fn unchecked(&mut self, value: bool) -> &mut Self {
        self.unchecked = value;
        self
    }

    /// Opens the FIFO at `path` as a [`Receiver`].
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn open_receiver<P: AsRef<Path>>(&self, path: P) -> io::Result<Receiver> {
        let file = self.open(path.as_ref(), End::Receiver)?;
        Receiver::from_file_unchecked(file)
    }

    /// Opens the FIFO at `path` as a [`Sender`].
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn open_sender<P: AsRef<Path>>(&self, path: P) -> io::Result<Sender> {
        let file = self.open(path.as_ref(), End::Sender)?;
        Sender::from_file_unchecked(file)
    }

    fn open(&self, path: &Path, end: End) -> io::Result<File> {
        let mut options = std::fs::OpenOptions::new();
        options
            .read(end == End::Receiver)
            .write(end == End::Sender)
            .custom_flags(libc::O_NONBLOCK);
        #[cfg(any(target_os = "linux", target_os = "android"))]
        if self.read_write {
            options.read(true).write(true);
        }
        let file = options.open(path)?;
        if !self.unchecked && !file.metadata()?.file_type().is_fifo() {
            return Err(not_a_pipe());
        }
        Ok(file)
    }
}

impl Default for OpenOptions {
    fn default() -> OpenOptions {
        OpenOptions::new()
    }
}

/// Which end of a pipe.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum End {
    Sender,
    Receiver,
}

impl End {
    /// Whether the access mode in `flags` lets this end do its I/O.
    fn allowed_by(self, flags: libc::c_int) -> bool {
        let mode = flags & libc::O_ACCMODE;
        let wanted = match self {
            End::Sender => libc::O_WRONLY,
            End::Receiver => libc::O_RDONLY,
        };
        mode == wanted || mode == libc::O_RDWR
    }
}

fn not_a_pipe() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "not a pipe")
}

/// Checks that `fd` is a pipe whose access mode suits `end`, with the error message
/// `wrong_mode` otherwise.
fn checked(fd: OwnedFd, end: End, wrong_mode: &'static str) -> io::Result<OwnedFd> {
    let file = File::from(fd);
    if !file.metadata()?.file_type().is_fifo() {
        return Err(not_a_pipe());
    }
    if !end.allowed_by(sys::status_flags(file.as_fd())?) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, wrong_mode));
    }
    Ok(file.into())
}

/// The write end of a pipe. Writes go straight to the kernel: flushing and shutting down do
/// nothing (drop the sender to close it).
#[derive(Debug)]
pub struct Sender {
    io: PollEvented<mio::unix::pipe::Sender>,
}

impl Sender {
    #[track_caller]
    fn register(sender: mio::unix::pipe::Sender) -> io::Result<Sender> {
        Ok(Sender {
            io: PollEvented::new_with_interest(sender, Interest::WRITABLE)?,
        })
    }

    /// Switches the write end `fd` to non-blocking mode and registers it with the reactor of
    /// `handle`, unchecked. For `eddy-process`, whose child's stdin is this type underneath
    /// and which registers it with the runtime that spawned the child; not part of Tokio's API.
    #[doc(hidden)]
    pub fn from_owned_fd_with_handle(fd: OwnedFd, handle: Handle) -> io::Result<Sender> {
        let sender = mio::unix::pipe::Sender::from(fd);
        sender.set_nonblocking(true)?;
        Ok(Sender {
            io: PollEvented::new_with_interest_and_handle(sender, Interest::WRITABLE, handle)?,
        })
    }

    /// Wraps the write end `file`, after checking that it is a pipe opened for writing.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn from_file(file: File) -> io::Result<Sender> {
        Sender::from_owned_fd(file.into())
    }

    /// Like [`from_file`](Sender::from_file), for a descriptor.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn from_owned_fd(owned_fd: OwnedFd) -> io::Result<Sender> {
        let fd = checked(
            owned_fd,
            End::Sender,
            "not in O_WRONLY or O_RDWR access mode",
        )?;
        let sender = mio::unix::pipe::Sender::from(fd);
        sender.set_nonblocking(true)?;
        Sender::register(sender)
    }

    /// Wraps `file` without checks: it must be non-blocking already, and writable.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn from_file_unchecked(file: File) -> io::Result<Sender> {
        Sender::from_owned_fd_unchecked(file.into())
    }

    /// Like [`from_file_unchecked`](Sender::from_file_unchecked), for a descriptor.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn from_owned_fd_unchecked(owned_fd: OwnedFd) -> io::Result<Sender> {
        Sender::register(mio::unix::pipe::Sender::from(owned_fd))
    }

    /// Waits for any of the readiness in `interest`.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        let event = self.io.registration().readiness(interest).await?;
        Ok(event.ready())
    }

    /// Waits until the pipe may be writable.
    pub async fn writable(&self) -> io::Result<()> {
        self.ready(Interest::WRITABLE).await.map(drop)
    }

    /// Polls for write readiness (one polling task at a time).
    pub fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io.registration().poll_write_ready(cx).map_ok(drop)
    }

    /// Writes what fits without waiting; `WouldBlock` if nothing does.
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        self.try_io(|| (&*self.io).write(buf))
    }

    /// Like [`try_write`](Sender::try_write), from several buffers.
    pub fn try_write_vectored(&self, buf: &[IoSlice<'_>]) -> io::Result<usize> {
        self.try_io(|| (&*self.io).write_vectored(buf))
    }

    /// Runs `f` if the pipe is writable, clearing the readiness if `f` returns
    /// `WouldBlock`. `f` must write to this pipe.
    pub fn try_io<R>(&self, f: impl FnOnce() -> io::Result<R>) -> io::Result<R> {
        self.io.registration().try_io(Interest::WRITABLE, f)
    }

    /// Deregisters the end and returns its descriptor in blocking mode.
    pub fn into_blocking_fd(self) -> io::Result<OwnedFd> {
        let sender = self.io.into_inner()?;
        sender.set_nonblocking(false)?;
        Ok(sender.into())
    }

    /// Deregisters the end and returns its descriptor, still non-blocking.
    pub fn into_nonblocking_fd(self) -> io::Result<OwnedFd> {
        Ok(self.io.into_inner()?.into())
    }
}

impl AsyncWrite for Sender {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.io.poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.io.poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

impl AsRawFd for Sender {
    fn as_raw_fd(&self) -> RawFd {
        self.io.as_raw_fd()
    }
}

impl AsFd for Sender {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.as_fd()
    }
}

/// The read end of a pipe. Reads see end of file once every sender is closed.
#[derive(Debug)]
pub struct Receiver {
    io: PollEvented<mio::unix::pipe::Receiver>,
}

impl Receiver {
    #[track_caller]
    fn register(receiver: mio::unix::pipe::Receiver) -> io::Result<Receiver> {
        Ok(Receiver {
            io: PollEvented::new_with_interest(receiver, Interest::READABLE)?,
        })
    }

    /// Switches the read end `fd` to non-blocking mode and registers it with the reactor of
    /// `handle`, unchecked. For `eddy-process`, whose child's stdout and stderr are this type
    /// underneath; not part of Tokio's API.
    #[doc(hidden)]
    pub fn from_owned_fd_with_handle(fd: OwnedFd, handle: Handle) -> io::Result<Receiver> {
        let receiver = mio::unix::pipe::Receiver::from(fd);
        receiver.set_nonblocking(true)?;
        Ok(Receiver {
            io: PollEvented::new_with_interest_and_handle(receiver, Interest::READABLE, handle)?,
        })
    }

    /// Wraps the read end `file`, after checking that it is a pipe opened for reading.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn from_file(file: File) -> io::Result<Receiver> {
        Receiver::from_owned_fd(file.into())
    }

    /// Like [`from_file`](Receiver::from_file), for a descriptor.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn from_owned_fd(owned_fd: OwnedFd) -> io::Result<Receiver> {
        let fd = checked(
            owned_fd,
            End::Receiver,
            "not in O_RDONLY or O_RDWR access mode",
        )?;
        let receiver = mio::unix::pipe::Receiver::from(fd);
        receiver.set_nonblocking(true)?;
        Receiver::register(receiver)
    }

    /// Wraps `file` without checks: it must be non-blocking already, and readable.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn from_file_unchecked(file: File) -> io::Result<Receiver> {
        Receiver::from_owned_fd_unchecked(file.into())
    }

    /// Like [`from_file_unchecked`](Receiver::from_file_unchecked), for a descriptor.
    ///
    /// # Panics
    ///
    /// Outside a runtime with I/O enabled.
    #[track_caller]
    pub fn from_owned_fd_unchecked(owned_fd: OwnedFd) -> io::Result<Receiver> {
        Receiver::register(mio::unix::pipe::Receiver::from(owned_fd))
    }

    /// Waits for any of the readiness in `interest`.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        let event = self.io.registration().readiness(interest).await?;
        Ok(event.ready())
    }

    /// Waits until the pipe may be readable.
    pub async fn readable(&self) -> io::Result<()> {
        self.ready(Interest::READABLE).await.map(drop)
    }

    /// Polls for read readiness (one polling task at a time).
    pub fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io.registration().poll_read_ready(cx).map_ok(drop)
    }

    /// Reads what is there without waiting; `WouldBlock` if nothing is, `Ok(0)` at end of
    /// file.
    pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.try_io(|| (&*self.io).read(buf))
    }

    /// Like [`try_read`](Receiver::try_read), into several buffers.
    pub fn try_read_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        self.try_io(|| (&*self.io).read_vectored(bufs))
    }

    /// Reads what is there into the free room of `buf` (which grows by the bytes read)
    /// without waiting.
    #[cfg(feature = "util")]
    pub fn try_read_buf<B: bytes::BufMut>(&self, buf: &mut B) -> io::Result<usize> {
        self.try_io(|| sys::fill_buf_mut(buf, |read_buf| sys::read_into(self.io.as_fd(), read_buf)))
    }

    /// Runs `f` if the pipe is readable, clearing the readiness if `f` returns
    /// `WouldBlock`. `f` must read from this pipe.
    pub fn try_io<R>(&self, f: impl FnOnce() -> io::Result<R>) -> io::Result<R> {
        self.io.registration().try_io(Interest::READABLE, f)
    }

    /// Deregisters the end and returns its descriptor in blocking mode.
    pub fn into_blocking_fd(self) -> io::Result<OwnedFd> {
        let receiver = self.io.into_inner()?;
        receiver.set_nonblocking(false)?;
        Ok(receiver.into())
    }

    /// Deregisters the end and returns its descriptor, still non-blocking.
    pub fn into_nonblocking_fd(self) -> io::Result<OwnedFd> {
        Ok(self.io.into_inner()?.into())
    }
}

impl AsyncRead for Receiver {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let fd = self.io.as_fd();
        self.io
            .registration()
            .poll_read_io(cx, || sys::read_into(fd, buf))
            .map_ok(drop)
    }
}

impl AsRawFd for Receiver {
    fn as_raw_fd(&self) -> RawFd {
        self.io.as_raw_fd()
    }
}

impl AsFd for Receiver {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.as_fd()
    }
}
