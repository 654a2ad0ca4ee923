//! axum's hello world: `GET /` answers `Hello, World!` (text/plain), on HTTP/1.1 keep-alive
//! connections with `TCP_NODELAY` set, as the `axum-hello` binary serves it under `wrk`.

use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use tokio::net::TcpListener;

/// The body `GET /` answers with.
pub const GREETING: &str = "Hello, World!";

/// The application: one route.
pub fn app() -> Router {
    Router::new().route("/", get(|| async { GREETING }))
}

/// Serves [`app`] on `listener` until an accept fails for good (axum retries the passing
/// errors), which in practice means forever.
pub async fn serve(listener: TcpListener) -> std::io::Result<()> {
    let listener = listener.tap_io(|stream| {
        // Best effort, like `wrk`'s own sockets: a failure only means Nagle stays on.
        let _ = stream.set_nodelay(true);
    });
    axum::serve(listener, app()).await
}
