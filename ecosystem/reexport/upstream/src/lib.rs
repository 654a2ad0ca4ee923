//! A library that hands `tokio`'s macros on to its users, as many do (`pub use tokio::select;`).
//!
//! Its user, `ecosystem-reexport`, depends on this crate alone; see that crate for why.

pub use tokio;
pub use tokio::{join, select, try_join};
