//! Turning what the user wrote into socket addresses: [`ToSocketAddrs`] and [`lookup_host`].
//!
//! Literal addresses (`"127.0.0.1:8080"`, `SocketAddr`, `(Ipv4Addr, u16)`) resolve at once.
//! Host names need the system resolver, which blocks, so they are resolved on the runtime's
//! blocking pool through [`eddy_core::blocking::try_run`]. Outside a runtime there is no pool,
//! and resolving a host name panics with Tokio's "there is no reactor running" message, as
//! Tokio's does; a pool that is shutting down fails the resolution with its error.

use eddy_core::blocking::{self, Blocking};
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::vec;

/// Types that resolve to one or more socket addresses: addresses, `(host, port)` pairs and
/// `"host:port"` strings.
///
/// The trait is sealed; its methods are an implementation detail.
pub trait ToSocketAddrs: sealed::ToSocketAddrsPriv {}

pub(crate) mod sealed {
    use super::Resolve;

    /// How an address-like value resolves.
    pub trait ToSocketAddrsPriv {
        /// Starts resolving.
        fn to_socket_addrs(&self, _: Internal) -> Resolve;
    }

    /// Keeps the method uncallable from other crates.
    #[derive(Debug)]
    pub struct Internal;
}

use sealed::{Internal, ToSocketAddrsPriv};

/// Resolves `host` to its socket addresses.
///
/// ```
/// # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
/// let mut addrs = eddy_net::lookup_host("127.0.0.1:80").await.unwrap();
/// assert_eq!(addrs.next().unwrap().port(), 80);
/// # });
/// ```
pub async fn lookup_host<T: ToSocketAddrs>(
    host: T,
) -> io::Result<impl Iterator<Item = SocketAddr>> {
    resolve(&host).await
}

pub(crate) fn resolve<T: ToSocketAddrs + ?Sized>(host: &T) -> Resolve {
    host.to_socket_addrs(Internal)
}

/// Tries `op` on each address in turn; returns the first success or the last error.
pub(crate) async fn each_addr<T, R, F, Fut>(addr: T, mut op: F) -> io::Result<R>
where
    T: ToSocketAddrs,
    F: FnMut(SocketAddr) -> Fut,
    Fut: Future<Output = io::Result<R>>,
{
    let mut last_error = None;
    for addr in resolve(&addr).await? {
        match op(addr).await {
            Ok(value) => return Ok(value),
            Err(error) => last_error = Some(error),
        }
    }
    Err(last_error.unwrap_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "could not resolve to any address",
        )
    }))
}

/// The future of a resolution: ready at once, or waiting on the blocking pool.
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Resolve(State);

#[derive(Debug)]
enum State {
    Ready(Option<io::Result<vec::IntoIter<SocketAddr>>>),
    Blocking(Blocking<io::Result<vec::IntoIter<SocketAddr>>>),
}

impl Resolve {
    fn ready(addrs: Vec<SocketAddr>) -> Resolve {
        Resolve(State::Ready(Some(Ok(addrs.into_iter()))))
    }

    fn failed(error: io::Error) -> Resolve {
        Resolve(State::Ready(Some(Err(error))))
    }

    /// Resolves `host` with the system resolver, on the blocking pool.
    ///
    /// # Panics
    ///
    /// Outside a runtime, with Tokio's message.
    #[track_caller]
    fn blocking(host: String) -> Resolve {
        let resolving = blocking::try_run(move || {
            std::net::ToSocketAddrs::to_socket_addrs(&host).map(|addrs| {
                let addrs: Vec<SocketAddr> = addrs.collect();
                addrs.into_iter()
            })
        });
        match resolving {
            Ok(resolving) => Resolve(State::Blocking(resolving)),
            Err(refused) => Resolve::failed(refused),
        }
    }
}

impl Future for Resolve {
    type Output = io::Result<vec::IntoIter<SocketAddr>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().0 {
            State::Ready(result) => Poll::Ready(
                result
                    .take()
                    .expect("eddy: address resolution polled after completion"),
            ),
            State::Blocking(blocking) => Pin::new(blocking).poll(cx).map(|result| result?),
        }
    }
}

macro_rules! literal_addrs {
    ($($ty:ty),*) => {$(
        impl ToSocketAddrs for $ty {}
        impl ToSocketAddrsPriv for $ty {
            fn to_socket_addrs(&self, _: Internal) -> Resolve {
                Resolve::ready(vec![SocketAddr::from(*self)])
            }
        }
    )*};
}

literal_addrs!(
    SocketAddr,
    SocketAddrV4,
    SocketAddrV6,
    (IpAddr, u16),
    (Ipv4Addr, u16),
    (Ipv6Addr, u16),
    ([u8; 4], u16),
    ([u8; 16], u16),
    ([u16; 8], u16)
);

impl ToSocketAddrs for [SocketAddr] {}
impl ToSocketAddrsPriv for [SocketAddr] {
    fn to_socket_addrs(&self, _: Internal) -> Resolve {
        Resolve::ready(self.to_vec())
    }
}

impl ToSocketAddrs for str {}
impl ToSocketAddrsPriv for str {
    fn to_socket_addrs(&self, _: Internal) -> Resolve {
        match self.parse::<SocketAddr>() {
            Ok(addr) => Resolve::ready(vec![addr]),
            Err(_) => Resolve::blocking(self.to_owned()),
        }
    }
}

impl ToSocketAddrs for String {}
impl ToSocketAddrsPriv for String {
    fn to_socket_addrs(&self, internal: Internal) -> Resolve {
        self.as_str().to_socket_addrs(internal)
    }
}

impl ToSocketAddrs for (&str, u16) {}
impl ToSocketAddrsPriv for (&str, u16) {
    fn to_socket_addrs(&self, _: Internal) -> Resolve {
        let (host, port) = *self;
        match host.parse::<IpAddr>() {
            Ok(ip) => Resolve::ready(vec![SocketAddr::new(ip, port)]),
            Err(_) if host.is_empty() => Resolve::failed(io::Error::new(
                io::ErrorKind::InvalidInput,
                "empty host name",
            )),
            Err(_) => Resolve::blocking(format!("{host}:{port}")),
        }
    }
}

impl ToSocketAddrs for (String, u16) {}
impl ToSocketAddrsPriv for (String, u16) {
    fn to_socket_addrs(&self, internal: Internal) -> Resolve {
        (self.0.as_str(), self.1).to_socket_addrs(internal)
    }
}

impl<T: ToSocketAddrs + ?Sized> ToSocketAddrs for &T {}
impl<T: ToSocketAddrs + ?Sized> ToSocketAddrsPriv for &T {
    fn to_socket_addrs(&self, internal: Internal) -> Resolve {
        (**self).to_socket_addrs(internal)
    }
}
