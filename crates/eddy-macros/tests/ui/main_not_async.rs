#[eddy_macros::main]
fn main() {}
