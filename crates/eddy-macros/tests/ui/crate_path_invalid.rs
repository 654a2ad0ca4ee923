#[eddy_macros::main(crate = "not a path")]
async fn main() {}

#[eddy_macros::main(crate = 5)]
async fn not_a_string() {}
