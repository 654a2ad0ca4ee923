//! Wrong uses of the attribute macros give Tokio's compile errors, and only those: the function
//! still expands (without a runtime), so no second error about `main` or types hides the first.

#[test]
fn misuse_gives_clear_compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
