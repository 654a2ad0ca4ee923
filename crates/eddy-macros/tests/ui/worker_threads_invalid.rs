#[eddy_macros::main(worker_threads = 0)]
async fn main() {}

#[eddy_macros::main(worker_threads = "4")]
async fn not_an_integer() {}

#[eddy_macros::main(worker_threads = -1)]
async fn negative() {}
