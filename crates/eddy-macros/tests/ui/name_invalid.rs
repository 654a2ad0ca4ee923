#[eddy_macros::main(name = "")]
async fn main() {}

#[eddy_macros::test(name = "  ")]
async fn blank() {}

#[eddy_macros::test(name = 7)]
async fn not_a_string() {}

#[eddy_macros::test(name = "first", name = "second")]
async fn named_twice() {}

#[eddy_macros::test(name)]
async fn without_a_value() {}
