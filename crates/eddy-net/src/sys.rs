//! The few socket calls std and mio do not offer: creating an unconnected socket, binding and
//! connecting it, socket options, and reading into uninitialised memory.
//!
//! This is the crate's only `unsafe` module. It declares the C functions itself (the C library
//! is linked by std anyway) with Linux's constants and structure layouts; the safe wrappers
//! below check every return value and turn `-1` into `io::Error::last_os_error()`.

use std::ffi::{c_int, c_void};
use std::io;
use std::mem::{self, MaybeUninit};
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

#[cfg(not(target_os = "linux"))]
compile_error!("eddy-net's socket calls are written for Linux");

pub(crate) const AF_INET: c_int = 2;
pub(crate) const AF_INET6: c_int = 10;
const SOCK_STREAM: c_int = 1;
const SOCK_NONBLOCK: c_int = 0o4000;
const SOCK_CLOEXEC: c_int = 0o2_000_000;
pub(crate) const SOL_SOCKET: c_int = 1;
pub(crate) const SO_REUSEADDR: c_int = 2;
pub(crate) const SO_SNDBUF: c_int = 7;
pub(crate) const SO_RCVBUF: c_int = 8;
pub(crate) const SO_KEEPALIVE: c_int = 9;
pub(crate) const SO_LINGER: c_int = 13;
pub(crate) const SO_REUSEPORT: c_int = 15;
pub(crate) const SO_PEERCRED: c_int = 17;
pub(crate) const IPPROTO_TCP: c_int = 6;
pub(crate) const TCP_NODELAY: c_int = 1;
pub(crate) const MSG_PEEK: c_int = 2;
const EINPROGRESS: i32 = 115;

extern "C" {
    fn socket(domain: c_int, ty: c_int, protocol: c_int) -> c_int;
    fn bind(fd: c_int, addr: *const c_void, len: u32) -> c_int;
    fn listen(fd: c_int, backlog: c_int) -> c_int;
    fn connect(fd: c_int, addr: *const c_void, len: u32) -> c_int;
    fn setsockopt(fd: c_int, level: c_int, name: c_int, value: *const c_void, len: u32) -> c_int;
    fn getsockopt(fd: c_int, level: c_int, name: c_int, value: *mut c_void, len: *mut u32)
        -> c_int;
    fn recv(fd: c_int, buf: *mut c_void, len: usize, flags: c_int) -> isize;
}

/// `struct linger`.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub(crate) struct Linger {
    pub(crate) l_onoff: c_int,
    pub(crate) l_linger: c_int,
}

/// `struct ucred`, the answer to `SO_PEERCRED`.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub(crate) struct Ucred {
    pub(crate) pid: i32,
    pub(crate) uid: u32,
    pub(crate) gid: u32,
}

#[repr(C)]
struct SockaddrIn {
    family: u16,
    port: [u8; 2],
    addr: [u8; 4],
    zero: [u8; 8],
}

#[repr(C)]
struct SockaddrIn6 {
    family: u16,
    port: [u8; 2],
    flowinfo: [u8; 4],
    addr: [u8; 16],
    scope_id: u32,
}

/// A socket address in the C layout, ready to pass to `bind` or `connect`.
enum RawAddr {
    V4(SockaddrIn),
    V6(SockaddrIn6),
}

impl RawAddr {
    fn new(addr: &SocketAddr) -> RawAddr {
        match addr {
            SocketAddr::V4(addr) => RawAddr::V4(SockaddrIn {
                family: AF_INET as u16,
                port: addr.port().to_be_bytes(),
                addr: addr.ip().octets(),
                zero: [0; 8],
            }),
            SocketAddr::V6(addr) => RawAddr::V6(SockaddrIn6 {
                family: AF_INET6 as u16,
                port: addr.port().to_be_bytes(),
                flowinfo: addr.flowinfo().to_be_bytes(),
                addr: addr.ip().octets(),
                scope_id: addr.scope_id(),
            }),
        }
    }

    fn as_ptr_len(&self) -> (*const c_void, u32) {
        match self {
            RawAddr::V4(addr) => (
                (addr as *const SockaddrIn).cast(),
                mem::size_of::<SockaddrIn>() as u32,
            ),
            RawAddr::V6(addr) => (
                (addr as *const SockaddrIn6).cast(),
                mem::size_of::<SockaddrIn6>() as u32,
            ),
        }
    }
}

fn check(result: c_int) -> io::Result<c_int> {
    if result == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(result)
    }
}

/// A new non-blocking, close-on-exec TCP socket of the given family.
pub(crate) fn tcp_socket(domain: c_int) -> io::Result<OwnedFd> {
    // SAFETY: `socket` takes plain integers and returns a new descriptor or -1.
    let fd = check(unsafe { socket(domain, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0) })?;
    // SAFETY: `fd` was just returned by `socket`, so it is open and owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Binds `fd` to `addr`.
pub(crate) fn bind_addr(fd: BorrowedFd<'_>, addr: &SocketAddr) -> io::Result<()> {
    let raw = RawAddr::new(addr);
    let (ptr, len) = raw.as_ptr_len();
    // SAFETY: `ptr` points to a live sockaddr of `len` bytes (`raw` outlives the call).
    check(unsafe { bind(fd.as_raw_fd(), ptr, len) }).map(drop)
}

/// Marks `fd` as a listening socket.
pub(crate) fn listen_on(fd: BorrowedFd<'_>, backlog: u32) -> io::Result<()> {
    let backlog = c_int::try_from(backlog).unwrap_or(c_int::MAX);
    // SAFETY: plain integer arguments on a descriptor we borrow for the call.
    check(unsafe { listen(fd.as_raw_fd(), backlog) }).map(drop)
}

/// Starts connecting the non-blocking `fd` to `addr`. `Ok` means connected or in progress.
pub(crate) fn start_connect(fd: BorrowedFd<'_>, addr: &SocketAddr) -> io::Result<()> {
    let raw = RawAddr::new(addr);
    let (ptr, len) = raw.as_ptr_len();
    // SAFETY: `ptr` points to a live sockaddr of `len` bytes (`raw` outlives the call).
    match check(unsafe { connect(fd.as_raw_fd(), ptr, len) }) {
        Err(error) if error.raw_os_error() == Some(EINPROGRESS) => Ok(()),
        result => result.map(drop),
    }
}

/// Sets a socket option whose value is the plain-data `T`.
pub(crate) fn set_option<T: Copy>(
    fd: BorrowedFd<'_>,
    level: c_int,
    name: c_int,
    value: T,
) -> io::Result<()> {
    let ptr = (&value as *const T).cast();
    // SAFETY: `ptr` points to `value`, a live `T` of the size passed. Callers pick `T` to
    // match the option's C type (`c_int`, `Linger`).
    check(unsafe { setsockopt(fd.as_raw_fd(), level, name, ptr, mem::size_of::<T>() as u32) })
        .map(drop)
}

/// Reads a socket option whose value is the plain-data `T`.
pub(crate) fn get_option<T: Copy + Default>(
    fd: BorrowedFd<'_>,
    level: c_int,
    name: c_int,
) -> io::Result<T> {
    let mut value = T::default();
    let mut len = mem::size_of::<T>() as u32;
    let ptr = (&mut value as *mut T).cast();
    // SAFETY: `ptr` points to `value`, writable for `len` bytes; the kernel writes at most
    // `len` bytes and every bit pattern is valid for the integer structs callers use.
    check(unsafe { getsockopt(fd.as_raw_fd(), level, name, ptr, &mut len) })?;
    Ok(value)
}

/// `recv(2)` into the unfilled part of `buf`; the bytes received become filled.
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
        recv(
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
    // SAFETY: the kernel reported writing the first `n` unfilled bytes (n <= unfilled.len()).
    unsafe { buf.assume_init(n) };
    buf.advance(n);
    Ok(n)
}
