#[eddy_macros::main_fail]
async fn main() {}

#[eddy_macros::test_fail(flavor = "current_thread")]
async fn a_test() {}
