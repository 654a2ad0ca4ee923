//! `#[tokio::main]` on the package's binary and on a library function, run for real.

use std::process::{Command, Output};

fn run_binary(argument: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ecosystem-macros"))
        .arg(argument)
        .output()
        .expect("the binary should start")
}

#[test]
fn main_runs_on_a_multi_thread_runtime_and_returns_ok() {
    let output = run_binary("21");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout,
        "flavor=MultiThread spawned_off_main=true\ndouble=42\n"
    );
}

#[test]
fn an_error_returned_from_main_becomes_exit_code_one() {
    let output = run_binary("twenty-one");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("Error: ParseIntError"), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout, "flavor=MultiThread spawned_off_main=true\n");
}

#[test]
fn main_on_a_library_function_builds_the_runtime_it_asks_for() {
    let (sum, workers) = ecosystem_macros::sum_on_workers(100);
    assert_eq!(sum, (0..100).sum());
    assert_eq!(workers, 2);
}
