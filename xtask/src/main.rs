//! `cargo xtask`: one subcommand per maintainer workflow.
//!
//! Each subcommand runs cargo (or cargo-miri) with the flags that workflow needs, so that CI and
//! a developer run exactly the same thing. It has no dependencies: it only starts processes and
//! reads the files criterion writes.

mod bench;
mod cmd;
mod conformance;
mod lockstep;
mod loom;
mod modcycles;
mod obs;
mod server;
mod soak;
mod syscalls;
mod wrk;

use cmd::{cargo, Cmd};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  ci         fmt check, clippy, the test suite, short loom and miri runs, and conformance --check
             (what .ci/run does)
  fmt        cargo fmt --all, in this workspace and in ecosystem/
  lint       the eddy crates' lock-step versions, no module cycles (modcycles), then cargo clippy
             --workspace --all-targets -- -D warnings, here and in ecosystem/
  test       the whole test suite: cargo test --workspace, the tracing features' tests, and the
             ecosystem/ workspace (tokio-util, hyper, axum, tonic, ... on eddy)
  loom       the loom models, release mode, LOOM_MAX_PREEMPTIONS=2 (--ci: a shorter budget)
  miri       the unsafe-heavy tests under miri on nightly (--ci: a smaller set)
  bench      every benchmark, eddy and Tokio side by side, and eddy's observability overhead;
             writes docs/benchmarks.md (--only-obs: just the overhead section; --only-ecosystem:
             just axum and tonic, each built on eddy and on Tokio from ecosystem/servers)
  soak       the long reliability runs (10,000 echo connections for 60 s, a million tasks
             spawned and half aborted, a server out of descriptors); not in CI, its figures go
             into docs/reliability.md
  features   build the facade with no feature, then each feature alone
  conformance  Tokio 1.54.1's own tests against eddy; writes docs/conformance.md and grows
             xtask/conformance/passing.txt (--control: against the real Tokio, --check: every
             listed test still passes, for CI; file names limit a run to those files)
  doc        cargo doc --workspace --no-deps with warnings denied
  modcycles  fails if the modules of a crate under crates/ import each other in a cycle (top-level
             modules, and the submodules of every folder module at any depth); lists each cycle";

/// The facade's features, each built alone by `cargo xtask features`.
const FEATURES: &[&str] = &[
    "rt",
    "rt-multi-thread",
    "fs",
    "io-util",
    "io-std",
    "net",
    "process",
    "signal",
    "time",
    "sync",
    "macros",
    "macros,rt",
    "test-util",
    "tracing",
    "full",
    "full,tracing",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ci = args.iter().any(|arg| arg == "--ci");
    let result = match args.first().map(String::as_str) {
        Some("ci") => run_ci(),
        Some("fmt") => fmt(&[]),
        Some("lint") => lint(),
        Some("test") => test(),
        Some("loom") => loom(ci),
        Some("miri") => miri(ci),
        Some("bench") => bench::run(&args[1..]),
        Some("soak") => soak::run(),
        Some("features") => features(),
        Some("conformance") => conformance::run(&args[1..]),
        Some("doc") => doc(),
        Some("modcycles") => modcycles::run(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run_ci() -> Result<(), String> {
    fmt(&["--", "--check"])?;
    lint()?;
    test()?;
    loom(true)?;
    miri(true)?;
    conformance::run(&["--check".to_owned()])
}

/// The manifest of the `ecosystem/` workspace (tokio patched onto eddy; kept apart from this
/// workspace so that the patch never reaches `benches/`).
const ECOSYSTEM: &str = "ecosystem/Cargo.toml";

/// `cargo fmt` over both workspaces, with `extra` arguments (`-- --check`).
fn fmt(extra: &[&str]) -> Result<(), String> {
    cargo(&["fmt", "--all"]).args(extra).run()?;
    cargo(&["fmt", "--all", "--manifest-path", ECOSYSTEM])
        .args(extra)
        .run()
}

fn lint() -> Result<(), String> {
    lockstep::check()?;
    modcycles::run()?;
    let clippy = ["clippy", "--workspace", "--all-targets"];
    let deny = ["--", "-D", "warnings"];
    cargo(&clippy).args(&deny).run()?;
    cargo(&clippy)
        .args(&["--manifest-path", ECOSYSTEM])
        .args(&deny)
        .run()
}

/// The whole test suite: the workspace as users build it, then the crates whose `tracing`
/// feature changes what they emit, with it on (their trace tests check the spans; the workspace
/// run checks that nothing is emitted without it), then the ecosystem on eddy.
fn test() -> Result<(), String> {
    cargo(&["test", "--workspace"]).run()?;
    cargo(&["test", "--workspace", "--manifest-path", ECOSYSTEM]).run()?;
    cargo(&[
        "test",
        "-p",
        "eddy-executor",
        "-p",
        "eddy-time",
        "-p",
        "eddy-sync",
        "--features",
        "eddy-executor/tracing,eddy-executor/multi-thread,eddy-time/tracing,eddy-sync/tracing",
    ])
    .run()
}

fn loom(ci: bool) -> Result<(), String> {
    let (preemptions, max_branches) = if ci { ("1", "2000") } else { ("2", "10000") };
    for (krate, targets) in loom::targets()? {
        let mut args = vec!["test", "--release", "--all-features", "-p", krate.as_str()];
        args.extend(targets.iter().map(String::as_str));
        cargo(&args)
            .env("RUSTFLAGS", "--cfg loom")
            .env("LOOM_MAX_PREEMPTIONS", preemptions)
            .env("LOOM_MAX_BRANCHES", max_branches)
            .env("CARGO_TARGET_DIR", "target/loom")
            .args(&["--", "--test-threads=1"])
            .run()?;
    }
    Ok(())
}

/// The tests run under miri: every crate with `unsafe` that miri can reach without sockets or
/// signals. The executor's task core, run queues, shutdown, handles, dumps and LocalSet; the
/// parker; eddy-sync's lock-free lists, guards and once-cells; eddy-time's wheel and timer
/// entries; eddy-io's `ReadBuf` and duplex pipe; the reactor's registration table. eddy-net,
/// eddy-signal, eddy-process and eddy-fs keep `unsafe` only around system calls (sockets,
/// `sigaction`, `pidfd_open`, `from_raw_fd`) that miri does not emulate. The first
/// [`MIRI_CI_RUNS`] are the CI set.
const MIRI_RUNS: &[&[&str]] = &[
    &["-p", "eddy-core", "--test", "core_park"],
    // The one AtomicWaker and the one intrusive linked list (eddy-sync, eddy-time and the
    // executor use them), and the scoped wake helpers.
    &["-p", "eddy-core", "--lib"],
    &["-p", "eddy-executor", "--test", "rt_spawn"],
    &[
        "-p",
        "eddy-executor",
        "--features",
        "multi-thread",
        "--lib",
        "unit_tests",
    ],
    &["-p", "eddy-sync", "--lib"],
    &["-p", "eddy-reactor", "--lib"],
    &["-p", "eddy-io", "--test", "io_read_buf"],
    &["-p", "eddy-executor", "--test", "rt_shutdown"],
    &["-p", "eddy-executor", "--test", "rt_handle"],
    // Task dumps walk the owned-task list through raw pointers.
    &["-p", "eddy-executor", "--test", "rt_dump"],
    &["-p", "eddy-executor", "--test", "task_local_set"],
    &["-p", "eddy-io", "--test", "io_duplex"],
    // The timer tests that cross threads, reset, or shut down with timers pending; the file's
    // many-timer tests take over ten minutes a seed under miri.
    &[
        "-p",
        "eddy-time",
        "--test",
        "time_sleep",
        "--",
        "reset_",
        "sleep_dropped",
        "timers_created",
        "shutdown_wakes",
        "dropping_the_driver",
    ],
    &["-p", "eddy-sync", "--test", "sync_oneshot"],
    &["-p", "eddy-sync", "--test", "sync_rwlock"],
    &["-p", "eddy-sync", "--test", "sync_notify"],
    &["-p", "eddy-sync", "--test", "sync_once_cell"],
    &["-p", "eddy-sync", "--test", "sync_set_once"],
    &["-p", "eddy-sync", "--test", "sync_semaphore"],
    &["-p", "eddy-sync", "--test", "sync_broadcast"],
    &["-p", "eddy-sync", "--test", "sync_watch"],
    // A remote wake racing the runtime's drop: the handle it uses must outlive the wake.
    &[
        "-p",
        "eddy-executor",
        "--features",
        "multi-thread",
        "--test",
        "rt_faults_remote_wake",
    ],
];

/// How many of [`MIRI_RUNS`] `--ci` runs.
const MIRI_CI_RUNS: usize = 7;

/// Strict provenance and the Tree Borrows aliasing model on every run; each test binary runs
/// under several seeds (thread schedules, weak-memory outcomes, addresses), fewer in CI.
fn miri_flags(ci: bool) -> String {
    let seeds = if ci { "0..2" } else { "0..4" };
    format!("-Zmiri-strict-provenance -Zmiri-tree-borrows -Zmiri-many-seeds={seeds}")
}

fn miri(ci: bool) -> Result<(), String> {
    Cmd::new("rustup")
        .args(&["toolchain", "install", "nightly", "--profile", "minimal"])
        .args(&["--component", "miri", "--component", "rust-src"])
        .run()?;
    let runs = if ci {
        &MIRI_RUNS[..MIRI_CI_RUNS]
    } else {
        MIRI_RUNS
    };
    let flags = miri_flags(ci);
    for run in runs {
        Cmd::new("cargo")
            .args(&["+nightly", "miri", "test"])
            .args(run)
            .env("MIRIFLAGS", &flags)
            .env("CARGO_TARGET_DIR", "target/miri")
            .run()?;
    }
    Ok(())
}

fn features() -> Result<(), String> {
    cargo(&["check", "-p", "eddy", "--no-default-features"]).run()?;
    for feature in FEATURES {
        cargo(&[
            "check",
            "-p",
            "eddy",
            "--no-default-features",
            "--features",
            feature,
        ])
        .run()?;
    }
    Ok(())
}

fn doc() -> Result<(), String> {
    cargo(&["doc", "--workspace", "--no-deps"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .run()
}
