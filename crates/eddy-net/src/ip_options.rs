//! The IP-level options `TcpSocket` and `UdpSocket` share (type of service, IPv6 traffic
//! class, the bound network device), written once as a macro for their `impl` blocks.
//!
//! Each method is present on the platforms where Tokio has it: the methods and their option
//! constants are kept by the same `cfg` macros of `sys.rs` (`cfg_ip_tos!`, `cfg_ipv6_tclass!`),
//! so a missing constant and a missing method go together and each platform list is written once.

/// `tos_v4`, `set_tos_v4` (and their deprecated old names), `tclass_v6`, `set_tclass_v6`,
/// `device` and `bind_device`, for a type that implements `AsFd`.
macro_rules! ip_option_methods {
    () => {
        $crate::sys::cfg_ip_tos! {
            /// The IPv4 type-of-service byte (`IP_TOS`) sent in every packet's header.
            pub fn tos_v4(&self) -> ::std::io::Result<u32> {
                $crate::sys::u32_option(::std::os::fd::AsFd::as_fd(self), $crate::sys::IP_TOS)
            }

            /// Sets the IPv4 type-of-service byte (`IP_TOS`); the OS may refuse some values.
            pub fn set_tos_v4(&self, tos: u32) -> ::std::io::Result<()> {
                $crate::sys::set_u32_option(
                    ::std::os::fd::AsFd::as_fd(self),
                    $crate::sys::IP_TOS,
                    tos,
                )
            }

            /// The old name of [`tos_v4`](Self::tos_v4).
            #[doc(hidden)]
            #[deprecated(note = "renamed `tos_v4`: the option is IPv4 only")]
            pub fn tos(&self) -> ::std::io::Result<u32> {
                self.tos_v4()
            }

            /// The old name of [`set_tos_v4`](Self::set_tos_v4).
            #[doc(hidden)]
            #[deprecated(note = "renamed `set_tos_v4`: the option is IPv4 only")]
            pub fn set_tos(&self, tos: u32) -> ::std::io::Result<()> {
                self.set_tos_v4(tos)
            }
        }

        $crate::sys::cfg_ipv6_tclass! {
            /// The IPv6 traffic class (`IPV6_TCLASS`) sent in every packet's header.
            pub fn tclass_v6(&self) -> ::std::io::Result<u32> {
                $crate::sys::u32_option(::std::os::fd::AsFd::as_fd(self), $crate::sys::IPV6_TCLASS)
            }

            /// Sets the IPv6 traffic class (`IPV6_TCLASS`) of an IPv6 socket.
            pub fn set_tclass_v6(&self, tclass: u32) -> ::std::io::Result<()> {
                $crate::sys::set_u32_option(
                    ::std::os::fd::AsFd::as_fd(self),
                    $crate::sys::IPV6_TCLASS,
                    tclass,
                )
            }
        }

        /// The name of the interface the socket is bound to (`SO_BINDTODEVICE`), if any.
        #[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
        pub fn device(&self) -> ::std::io::Result<Option<Vec<u8>>> {
            $crate::sys::device(::std::os::fd::AsFd::as_fd(self))
        }

        /// Sends and receives only through the interface named `interface` (`None`: any).
        /// Usually needs `CAP_NET_RAW`.
        #[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
        pub fn bind_device(&self, interface: Option<&[u8]>) -> ::std::io::Result<()> {
            $crate::sys::bind_device(::std::os::fd::AsFd::as_fd(self), interface)
        }
    };
}
pub(crate) use ip_option_methods;
