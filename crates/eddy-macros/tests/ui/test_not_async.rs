#[eddy_macros::test]
fn not_async() {}

fn main() {}
