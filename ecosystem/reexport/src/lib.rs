//! `select!`, `join!` and `try_join!` in a crate that knows eddy only through another crate's
//! re-export.
//!
//! This package depends on `upstream` alone, which re-exports `tokio` (patched onto eddy) and its
//! macros. Nothing in this manifest names `eddy` or `tokio`, so a macro that looked for the
//! facade there would expand to an unresolved `::eddy`: these functions compile only because the
//! facade's wrappers hand their own `$crate` to the proc macros. `tests/macros_reexport.rs` runs
//! them.

use upstream::tokio::sync::oneshot;

/// The value of whichever of two channels gets one first, through `upstream::select!`; `None`
/// when both senders are dropped without sending.
pub async fn first_of(a: oneshot::Receiver<u32>, b: oneshot::Receiver<u32>) -> Option<u32> {
    upstream::select! {
        Ok(value) = a => Some(value),
        Ok(value) = b => Some(value),
        else => None,
    }
}

/// Both channels' values, in order, through an imported `join!`.
pub async fn both(a: oneshot::Receiver<u32>, b: oneshot::Receiver<u32>) -> (u32, u32) {
    use upstream::join;
    let (a, b) = join!(a, b);
    (
        a.expect("a's sender was dropped"),
        b.expect("b's sender was dropped"),
    )
}

/// Both channels' values, or the first channel closed without a value, through
/// `upstream::try_join!`.
pub async fn both_or_closed(
    a: oneshot::Receiver<u32>,
    b: oneshot::Receiver<u32>,
) -> Result<(u32, u32), oneshot::error::RecvError> {
    upstream::try_join!(a, b)
}
