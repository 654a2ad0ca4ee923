#[eddy_macros::main_rt]
async fn main() {}

#[eddy_macros::main_rt(flavor = "multi_thread")]
async fn asked_for() {}

#[eddy_macros::test_rt(flavor = "multi_thread", worker_threads = 2)]
async fn test_asked_for() {}
