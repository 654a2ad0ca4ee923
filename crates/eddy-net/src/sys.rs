//! The few socket calls std and mio do not offer: creating an unconnected socket, binding and
//! connecting it, socket options, peer credentials, and reading into uninitialised memory.
//!
//! This is the crate's only `unsafe` module and its only platform-specific one. The C calls,
//! constants and structure layouts come from the `libc` crate, so the code builds on every Unix
//! that libc and mio support; where Unixes differ (how a socket is made non-blocking and
//! close-on-exec, `sin_len`, peer credentials, `SO_REUSEPORT`) the difference is fenced here
//! with `cfg`, and the rest of the crate sees one safe, portable surface. Every wrapper checks
//! the return value and turns `-1` into `io::Error::last_os_error()`.

use std::ffi::{c_int, c_void};
use std::io;
use std::mem::{self, MaybeUninit};
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::Duration;

pub(crate) use libc::{
    AF_INET, AF_INET6, IPPROTO_TCP, MSG_PEEK, SOL_SOCKET, SO_KEEPALIVE, SO_RCVBUF, SO_REUSEADDR,
    SO_SNDBUF, TCP_NODELAY,
};

/// The credentials of a Unix socket's peer, as the platform reports them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PeerCred {
    /// The peer's process id, where the platform reports it.
    pub(crate) pid: Option<i32>,
    pub(crate) uid: u32,
    pub(crate) gid: u32,
}

fn check(result: c_int) -> io::Result<c_int> {
    if result == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(result)
    }
}

/// Option values passed to and from the kernel by pointer.
///
/// # Safety
///
/// Implementors are plain C data for which every bit pattern (in particular all zeroes) is a
/// valid value, so the kernel may write any bytes into one.
unsafe trait OptionValue: Copy {}

// SAFETY: an integer: every bit pattern is valid.
unsafe impl OptionValue for c_int {}

// SAFETY: `struct linger` is two C integers: every bit pattern is valid.
unsafe impl OptionValue for libc::linger {}

// SAFETY: `struct ucred` is three C integers: every bit pattern is valid.
#[cfg(any(target_os = "linux", target_os = "android"))]
unsafe impl OptionValue for libc::ucred {}

/// A new non-blocking, close-on-exec TCP socket of the given family (`AF_INET`/`AF_INET6`).
pub(crate) fn tcp_socket(domain: c_int) -> io::Result<OwnedFd> {
    new_socket(domain, libc::SOCK_STREAM)
}

/// A new non-blocking, close-on-exec Unix domain socket of type `ty` (`SOCK_STREAM` or
/// `SOCK_DGRAM`).
pub(crate) fn unix_socket(ty: c_int) -> io::Result<OwnedFd> {
    new_socket(libc::AF_UNIX, ty)
}

/// A new non-blocking, close-on-exec socket.
#[cfg(not(target_vendor = "apple"))]
fn new_socket(domain: c_int, ty: c_int) -> io::Result<OwnedFd> {
    let ty = ty | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;
    // SAFETY: `socket` takes plain integers and returns a new descriptor or -1.
    let fd = check(unsafe { libc::socket(domain, ty, 0) })?;
    // SAFETY: `fd` was just returned by `socket`, so it is open and owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// A new non-blocking, close-on-exec socket.
///
/// Apple's `socket` takes no flags: the modes are set afterwards, and `SO_NOSIGPIPE` keeps a
/// write to a closed connection from raising `SIGPIPE` (other systems' std passes
/// `MSG_NOSIGNAL` on each send instead).
#[cfg(target_vendor = "apple")]
fn new_socket(domain: c_int, ty: c_int) -> io::Result<OwnedFd> {
    // SAFETY: `socket` takes plain integers and returns a new descriptor or -1.
    let fd = check(unsafe { libc::socket(domain, ty, 0) })?;
    // SAFETY: `fd` was just returned by `socket`, so it is open and owned by nobody else.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: plain integer arguments on a descriptor we own.
    check(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) })?;
    // SAFETY: plain integer arguments on a descriptor we own.
    let flags = check(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) })?;
    // SAFETY: plain integer arguments on a descriptor we own.
    check(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK) })?;
    let nosigpipe: c_int = 1;
    set_option(
        std::os::fd::AsFd::as_fd(&fd),
        SOL_SOCKET,
        libc::SO_NOSIGPIPE,
        nosigpipe,
    )?;
    Ok(fd)
}

/// Sets a BSD-style address's length field; systems without one skip the line.
macro_rules! set_sin_len {
    ($field:expr, $ty:ty) => {
        #[cfg(any(
            target_vendor = "apple",
            target_os = "freebsd",
            target_os = "dragonfly",
            target_os = "netbsd",
            target_os = "openbsd"
        ))]
        {
            $field = mem::size_of::<$ty>() as u8;
        }
    };
}

/// A socket address in the C layout, ready to pass to `bind` or `connect`.
enum RawAddr {
    V4(libc::sockaddr_in),
    V6(libc::sockaddr_in6),
}

impl RawAddr {
    fn new(addr: &SocketAddr) -> RawAddr {
        match addr {
            SocketAddr::V4(addr) => {
                // SAFETY: `sockaddr_in` is plain C data; all zeroes is a valid (unset) value,
                // and zeroing fills `sin_zero` and any platform-only fields.
                let mut raw: libc::sockaddr_in = unsafe { mem::zeroed() };
                raw.sin_family = AF_INET as libc::sa_family_t;
                raw.sin_port = addr.port().to_be();
                raw.sin_addr.s_addr = u32::from_ne_bytes(addr.ip().octets());
                set_sin_len!(raw.sin_len, libc::sockaddr_in);
                RawAddr::V4(raw)
            }
            SocketAddr::V6(addr) => {
                // SAFETY: `sockaddr_in6` is plain C data; all zeroes is a valid (unset) value.
                let mut raw: libc::sockaddr_in6 = unsafe { mem::zeroed() };
                raw.sin6_family = AF_INET6 as libc::sa_family_t;
                raw.sin6_port = addr.port().to_be();
                raw.sin6_flowinfo = addr.flowinfo();
                raw.sin6_addr.s6_addr = addr.ip().octets();
                raw.sin6_scope_id = addr.scope_id();
                set_sin_len!(raw.sin6_len, libc::sockaddr_in6);
                RawAddr::V6(raw)
            }
        }
    }

    fn as_ptr_len(&self) -> (*const libc::sockaddr, libc::socklen_t) {
        match self {
            RawAddr::V4(addr) => (
                (addr as *const libc::sockaddr_in).cast(),
                mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
            ),
            RawAddr::V6(addr) => (
                (addr as *const libc::sockaddr_in6).cast(),
                mem::size_of::<libc::sockaddr_in6>() as libc::socklen_t,
            ),
        }
    }
}

/// Binds `fd` to `addr`.
pub(crate) fn bind_addr(fd: BorrowedFd<'_>, addr: &SocketAddr) -> io::Result<()> {
    let raw = RawAddr::new(addr);
    let (ptr, len) = raw.as_ptr_len();
    // SAFETY: `ptr` points to a live sockaddr of `len` bytes (`raw` outlives the call).
    check(unsafe { libc::bind(fd.as_raw_fd(), ptr, len) }).map(drop)
}

/// Marks `fd` as a listening socket.
pub(crate) fn listen_on(fd: BorrowedFd<'_>, backlog: u32) -> io::Result<()> {
    let backlog = c_int::try_from(backlog).unwrap_or(c_int::MAX);
    // SAFETY: plain integer arguments on a descriptor we borrow for the call.
    check(unsafe { libc::listen(fd.as_raw_fd(), backlog) }).map(drop)
}

/// Starts connecting the non-blocking `fd` to `addr`. `Ok` means connected or in progress.
pub(crate) fn start_connect(fd: BorrowedFd<'_>, addr: &SocketAddr) -> io::Result<()> {
    let raw = RawAddr::new(addr);
    let (ptr, len) = raw.as_ptr_len();
    // SAFETY: `ptr` points to a live sockaddr of `len` bytes (`raw` outlives the call).
    match check(unsafe { libc::connect(fd.as_raw_fd(), ptr, len) }) {
        Err(error) if error.raw_os_error() == Some(libc::EINPROGRESS) => Ok(()),
        result => result.map(drop),
    }
}

/// Sets a socket option whose value is the C data `T`.
fn set_option<T: OptionValue>(
    fd: BorrowedFd<'_>,
    level: c_int,
    name: c_int,
    value: T,
) -> io::Result<()> {
    let ptr: *const c_void = (&value as *const T).cast();
    let len = mem::size_of::<T>() as libc::socklen_t;
    // SAFETY: `ptr` points to `value`, a live `T` of `len` bytes; callers pick `T` to match
    // the option's C type.
    check(unsafe { libc::setsockopt(fd.as_raw_fd(), level, name, ptr, len) }).map(drop)
}

/// Reads a socket option whose value is the C data `T`.
fn get_option<T: OptionValue>(fd: BorrowedFd<'_>, level: c_int, name: c_int) -> io::Result<T> {
    let mut value = MaybeUninit::<T>::zeroed();
    let mut len = mem::size_of::<T>() as libc::socklen_t;
    let ptr: *mut c_void = value.as_mut_ptr().cast();
    // SAFETY: `ptr` points to `value`, writable for `len` bytes; the kernel writes at most
    // `len` bytes.
    check(unsafe { libc::getsockopt(fd.as_raw_fd(), level, name, ptr, &mut len) })?;
    // SAFETY: `value` started zeroed and the kernel wrote bytes into it; every bit pattern is
    // a valid `T` (`OptionValue`'s contract).
    Ok(unsafe { value.assume_init() })
}

/// Sets an integer or boolean socket option.
pub(crate) fn set_int_option(
    fd: BorrowedFd<'_>,
    level: c_int,
    name: c_int,
    value: c_int,
) -> io::Result<()> {
    set_option(fd, level, name, value)
}

/// Reads an integer or boolean socket option.
pub(crate) fn int_option(fd: BorrowedFd<'_>, level: c_int, name: c_int) -> io::Result<c_int> {
    get_option(fd, level, name)
}

/// Sets `SO_LINGER` (`None`: a close returns at once and sends in the background).
pub(crate) fn set_linger(fd: BorrowedFd<'_>, linger: Option<Duration>) -> io::Result<()> {
    let value = libc::linger {
        l_onoff: c_int::from(linger.is_some()),
        l_linger: linger.map_or(0, |linger| {
            c_int::try_from(linger.as_secs()).unwrap_or(c_int::MAX)
        }),
    };
    set_option(fd, SOL_SOCKET, libc::SO_LINGER, value)
}

/// Reads `SO_LINGER`.
pub(crate) fn linger(fd: BorrowedFd<'_>) -> io::Result<Option<Duration>> {
    let value: libc::linger = get_option(fd, SOL_SOCKET, libc::SO_LINGER)?;
    Ok((value.l_onoff != 0).then(|| Duration::from_secs(value.l_linger.max(0) as u64)))
}

/// The `SO_REUSEPORT` option's name, where the platform has one.
#[cfg(not(any(target_os = "solaris", target_os = "illumos")))]
pub(crate) fn reuseport_option() -> io::Result<c_int> {
    Ok(libc::SO_REUSEPORT)
}

/// The `SO_REUSEPORT` option's name, where the platform has one.
#[cfg(any(target_os = "solaris", target_os = "illumos"))]
pub(crate) fn reuseport_option() -> io::Result<c_int> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "SO_REUSEPORT is not available on this platform",
    ))
}

/// The credentials of the peer of the Unix stream `fd` (`SO_PEERCRED`).
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) fn peer_cred(fd: BorrowedFd<'_>) -> io::Result<PeerCred> {
    let cred: libc::ucred = get_option(fd, SOL_SOCKET, libc::SO_PEERCRED)?;
    Ok(PeerCred {
        pid: Some(cred.pid),
        uid: cred.uid,
        gid: cred.gid,
    })
}

/// The credentials of the peer of the Unix stream `fd` (`getpeereid`: no process id).
#[cfg(any(
    target_vendor = "apple",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "netbsd",
    target_os = "openbsd"
))]
pub(crate) fn peer_cred(fd: BorrowedFd<'_>) -> io::Result<PeerCred> {
    let mut uid: libc::uid_t = 0;
    let mut gid: libc::gid_t = 0;
    // SAFETY: `uid` and `gid` are live, writable integers for the call.
    check(unsafe { libc::getpeereid(fd.as_raw_fd(), &mut uid, &mut gid) })?;
    Ok(PeerCred {
        pid: None,
        uid,
        gid,
    })
}

/// Peer credentials are not implemented on this platform.
#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_vendor = "apple",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "netbsd",
    target_os = "openbsd"
)))]
pub(crate) fn peer_cred(_fd: BorrowedFd<'_>) -> io::Result<PeerCred> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "peer credentials are not available on this platform",
    ))
}

/// `recv(2)` into the unfilled part of `buf`; the bytes received become filled.
///
/// Returns what the kernel returned. That can exceed the room in `buf` (`MSG_TRUNC` on a datagram
/// socket reports the datagram's full length), so only the bytes that fit are marked filled.
pub(crate) fn recv_into(
    fd: BorrowedFd<'_>,
    buf: &mut eddy_io::ReadBuf<'_>,
    flags: c_int,
) -> io::Result<usize> {
    // SAFETY: the unfilled memory is only handed to the kernel, which writes bytes into it
    // and never de-initialises anything.
    let unfilled: &mut [MaybeUninit<u8>] = unsafe { buf.unfilled_mut() };
    // SAFETY: the pointer and length describe `unfilled`, which is valid for writes.
    let n = unsafe {
        libc::recv(
            fd.as_raw_fd(),
            unfilled.as_mut_ptr().cast(),
            unfilled.len(),
            flags,
        )
    };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    let n = n as usize;
    let written = n.min(unfilled.len());
    // SAFETY: the kernel wrote at most `unfilled.len()` bytes, and at most `n`: the first
    // `written` unfilled bytes are initialised.
    unsafe { buf.assume_init(written) };
    buf.advance(written);
    Ok(n)
}

/// Keeps `$item`s only where the platform has `IP_TOS` (Tokio's list): the one place that list
/// is written, for the option constant here and `ip_options.rs`' methods.
macro_rules! cfg_ip_tos {
    ($($item:item)*) => {
        $(
            #[cfg(not(any(
                target_os = "fuchsia",
                target_os = "redox",
                target_os = "solaris",
                target_os = "illumos",
                target_os = "haiku"
            )))]
            $item
        )*
    };
}
pub(crate) use cfg_ip_tos;

/// Keeps `$item`s only where the platform has `IPV6_TCLASS` (Tokio's list), as
/// [`cfg_ip_tos`] does for `IP_TOS`.
macro_rules! cfg_ipv6_tclass {
    ($($item:item)*) => {
        $(
            #[cfg(any(
                target_os = "android",
                target_os = "dragonfly",
                target_os = "freebsd",
                target_os = "fuchsia",
                target_os = "linux",
                target_os = "macos",
                target_os = "netbsd",
                target_os = "openbsd"
            ))]
            $item
        )*
    };
}
pub(crate) use cfg_ipv6_tclass;

cfg_ip_tos! {
    /// The `IP_TOS` option's level and name.
    pub(crate) const IP_TOS: (c_int, c_int) = (libc::IPPROTO_IP, libc::IP_TOS);
}

cfg_ipv6_tclass! {
    /// The `IPV6_TCLASS` option's level and name.
    pub(crate) const IPV6_TCLASS: (c_int, c_int) = (libc::IPPROTO_IPV6, libc::IPV6_TCLASS);
}

/// The `TCP_QUICKACK` option's level and name.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "fuchsia"))]
pub(crate) const TCP_QUICKACK: (c_int, c_int) = (libc::IPPROTO_TCP, libc::TCP_QUICKACK);

/// Reads an option that holds an unsigned value (a TOS byte, a traffic class).
pub(crate) fn u32_option(fd: BorrowedFd<'_>, (level, name): (c_int, c_int)) -> io::Result<u32> {
    int_option(fd, level, name).map(|value| value as u32)
}

/// Sets an option that holds an unsigned value.
pub(crate) fn set_u32_option(
    fd: BorrowedFd<'_>,
    (level, name): (c_int, c_int),
    value: u32,
) -> io::Result<()> {
    set_int_option(fd, level, name, value as c_int)
}

/// The interface `fd` is bound to (`SO_BINDTODEVICE`), if any.
#[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
pub(crate) fn device(fd: BorrowedFd<'_>) -> io::Result<Option<Vec<u8>>> {
    let mut name = [0u8; libc::IFNAMSIZ];
    let mut len = name.len() as libc::socklen_t;
    // SAFETY: `name` is writable for `len` bytes and the kernel writes at most `len` bytes,
    // reporting how many in `len`.
    check(unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            SOL_SOCKET,
            libc::SO_BINDTODEVICE,
            name.as_mut_ptr().cast(),
            &mut len,
        )
    })?;
    // The kernel counts the terminating NUL; an unbound socket reports nothing.
    let name = &name[..len as usize];
    let name = name.split(|&byte| byte == 0).next().unwrap_or_default();
    Ok((!name.is_empty()).then(|| name.to_vec()))
}

/// Binds `fd` to the interface named `interface` (`SO_BINDTODEVICE`); `None` unbinds it.
#[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
pub(crate) fn bind_device(fd: BorrowedFd<'_>, interface: Option<&[u8]>) -> io::Result<()> {
    let name = interface.unwrap_or_default();
    // SAFETY: `name` is readable for its length for the duration of the call; an empty name
    // (a null-length option) removes the binding.
    check(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            SOL_SOCKET,
            libc::SO_BINDTODEVICE,
            name.as_ptr().cast(),
            name.len() as libc::socklen_t,
        )
    })
    .map(drop)
}

/// Lends the free room of `buf` to `op` as a [`ReadBuf`](eddy_io::ReadBuf) and then counts
/// what `op` filled as written into `buf`.
#[cfg(feature = "util")]
pub(crate) fn fill_buf_mut<B: bytes::BufMut + ?Sized, R>(
    buf: &mut B,
    op: impl FnOnce(&mut eddy_io::ReadBuf<'_>) -> io::Result<R>,
) -> io::Result<R> {
    let chunk = buf.chunk_mut();
    // SAFETY: the memory is only handed to a `ReadBuf`, which writes bytes into it and never
    // de-initializes any.
    let mut read_buf = eddy_io::ReadBuf::uninit(unsafe { chunk.as_uninit_slice_mut() });
    let result = op(&mut read_buf)?;
    let filled = read_buf.filled().len();
    // SAFETY: the first `filled` bytes of the chunk were written through the `ReadBuf`.
    unsafe { buf.advance_mut(filled) };
    Ok(result)
}

/// A Unix socket address in the C layout: the path's bytes, NUL-terminated.
struct RawUnixAddr {
    addr: libc::sockaddr_un,
    len: libc::socklen_t,
}

impl RawUnixAddr {
    fn new(path: &Path) -> io::Result<RawUnixAddr> {
        // SAFETY: `sockaddr_un` is plain C data; all zeroes is a valid (empty) value, and the
        // zeroes after the path are its terminating NUL.
        let mut addr: libc::sockaddr_un = unsafe { mem::zeroed() };
        addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
        let bytes = path.as_os_str().as_bytes();
        if bytes.contains(&0) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "paths must not contain interior null bytes",
            ));
        }
        if bytes.len() >= addr.sun_path.len() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "path must be shorter than SUN_LEN",
            ));
        }
        for (slot, byte) in addr.sun_path.iter_mut().zip(bytes) {
            *slot = *byte as libc::c_char;
        }
        let path_offset = mem::offset_of!(libc::sockaddr_un, sun_path);
        let terminator = usize::from(!bytes.is_empty());
        let len = (path_offset + bytes.len() + terminator) as libc::socklen_t;
        Ok(RawUnixAddr { addr, len })
    }

    fn as_ptr(&self) -> *const libc::sockaddr {
        (&self.addr as *const libc::sockaddr_un).cast()
    }
}

/// Binds the Unix socket `fd` to the file `path`.
pub(crate) fn bind_unix(fd: BorrowedFd<'_>, path: &Path) -> io::Result<()> {
    let raw = RawUnixAddr::new(path)?;
    // SAFETY: the pointer and length describe `raw.addr`, alive for the call.
    check(unsafe { libc::bind(fd.as_raw_fd(), raw.as_ptr(), raw.len) }).map(drop)
}

/// Starts connecting the non-blocking Unix socket `fd` to `path`. `Ok` means connected or in
/// progress.
pub(crate) fn connect_unix(fd: BorrowedFd<'_>, path: &Path) -> io::Result<()> {
    let raw = RawUnixAddr::new(path)?;
    // SAFETY: the pointer and length describe `raw.addr`, alive for the call.
    match check(unsafe { libc::connect(fd.as_raw_fd(), raw.as_ptr(), raw.len) }) {
        Err(error) if error.raw_os_error() == Some(libc::EINPROGRESS) => Ok(()),
        result => result.map(drop),
    }
}

/// The socket's type (`SOCK_STREAM`, `SOCK_DGRAM`, ...).
pub(crate) fn socket_type(fd: BorrowedFd<'_>) -> io::Result<c_int> {
    int_option(fd, SOL_SOCKET, libc::SO_TYPE)
}

/// `read(2)` into the unfilled part of `buf`; the bytes read become filled. For descriptors
/// that are not sockets (pipes), where `recv` does not work.
pub(crate) fn read_into(fd: BorrowedFd<'_>, buf: &mut eddy_io::ReadBuf<'_>) -> io::Result<usize> {
    // SAFETY: the unfilled memory is only handed to the kernel, which writes bytes into it
    // and never de-initialises anything.
    let unfilled: &mut [MaybeUninit<u8>] = unsafe { buf.unfilled_mut() };
    // SAFETY: the pointer and length describe `unfilled`, which is valid for writes.
    let n = unsafe { libc::read(fd.as_raw_fd(), unfilled.as_mut_ptr().cast(), unfilled.len()) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    let n = n as usize;
    // SAFETY: the kernel reported writing the first `n` unfilled bytes (n <= unfilled.len()).
    unsafe { buf.assume_init(n) };
    buf.advance(n);
    Ok(n)
}

/// The file status flags of `fd` (`F_GETFL`: access mode, `O_NONBLOCK`, ...).
pub(crate) fn status_flags(fd: BorrowedFd<'_>) -> io::Result<c_int> {
    // SAFETY: plain integer arguments on a descriptor borrowed for the call.
    check(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    #[test]
    fn recv_into_fills_only_the_room_when_msg_trunc_reports_more() {
        let receiver = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        sender
            .send_to(&[7; 100], receiver.local_addr().unwrap())
            .unwrap();
        let mut storage = [0u8; 10];
        let mut buf = eddy_io::ReadBuf::new(&mut storage);
        let n = recv_into(receiver.as_fd(), &mut buf, libc::MSG_TRUNC).unwrap();
        assert_eq!(n, 100, "MSG_TRUNC reports the datagram's real length");
        assert_eq!(buf.filled(), &[7; 10]);
    }
}
