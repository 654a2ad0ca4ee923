#[eddy_macros::main(flavor = "parallel")]
async fn main() {}

#[eddy_macros::main(flavor = "single_thread")]
async fn old_name() {}

#[eddy_macros::main(flavor = current_thread)]
async fn not_a_literal() {}

#[eddy_macros::main(flavor = 1)]
async fn not_a_string() {}
