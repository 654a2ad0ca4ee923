//! eddy under Tokio's name.
//!
//! This package is eddy's facade published as `tokio` 1.54.1, the Tokio release whose API eddy
//! follows. It exists for one job: a `[patch.crates-io]` entry that points `tokio` here moves a
//! whole dependency graph onto eddy, including crates that name `tokio` themselves (tokio-util,
//! hyper, axum, tonic, reqwest), which a renamed dependency in the user's own manifest cannot
//! reach:
//!
//! ```toml
//! [patch.crates-io]
//! tokio = { path = "path/to/eddy/crates/tokio" }
//! # or: tokio = { git = "<eddy's repository>" }
//! ```
//!
//! Every item is eddy's, re-exported at the path Tokio gives it; the features carry Tokio's
//! names and forward to the facade's. There is no code here, so there is nothing to keep in step
//! with the facade by hand.
//!
//! ```
//! # #[cfg(all(feature = "rt", feature = "sync"))]
//! # fn main() {
//! let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
//! let (tx, rx) = tokio::sync::oneshot::channel();
//! runtime.block_on(async move {
//!     tokio::spawn(async move { tx.send(42).unwrap() });
//!     assert_eq!(rx.await.unwrap(), 42);
//! });
//! # }
//! # #[cfg(not(all(feature = "rt", feature = "sync")))]
//! # fn main() {}
//! ```
#[doc(inline)]
pub use eddy::*;
