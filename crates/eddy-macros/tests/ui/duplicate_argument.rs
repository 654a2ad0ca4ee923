#[eddy_macros::main(flavor = "multi_thread", flavor = "current_thread")]
async fn main() {}

#[eddy_macros::main(worker_threads = 2, worker_threads = 3)]
async fn twice_worker_threads() {}

#[eddy_macros::test(start_paused = true, start_paused = true)]
async fn twice_start_paused() {}

#[eddy_macros::main(crate = "a", crate = "b")]
async fn twice_crate() {}
