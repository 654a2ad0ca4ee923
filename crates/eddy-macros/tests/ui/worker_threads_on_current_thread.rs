#[eddy_macros::main(flavor = "current_thread", worker_threads = 4)]
async fn main() {}

#[eddy_macros::test(worker_threads = 2)]
async fn test_defaults_to_current_thread() {}

#[eddy_macros::main(flavor = "local", worker_threads = 2)]
async fn local_runtime() {}
