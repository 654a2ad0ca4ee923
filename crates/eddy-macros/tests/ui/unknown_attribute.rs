#[eddy_macros::main(threads = 4)]
async fn main() {}

#[eddy_macros::main(multi_thread)]
async fn bare_flavor_name() {}

#[eddy_macros::main(worker_threads)]
async fn option_without_value() {}

#[eddy_macros::main(core_threads = 2)]
async fn renamed_option() {}

#[eddy_macros::main(flavor("multi_thread"))]
async fn list_syntax() {}
