#[eddy_macros::test(start_paused = "yes")]
async fn string_value() {}

#[eddy_macros::test(start_paused = 1)]
async fn integer_value() {}

#[eddy_macros::main(flavor = "multi_thread", start_paused = true)]
async fn main() {}
