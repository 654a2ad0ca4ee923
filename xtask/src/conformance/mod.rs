//! `cargo xtask conformance`: Tokio's own integration tests as eddy's acceptance suite.
//!
//! The steps: fetch the published Tokio crate through cargo ([`fetch`]), lay out a workspace under
//! `target/conformance/` whose test package holds Tokio's `tests/` folder ([`workspace`]), build
//! every test file in one `cargo build --tests --keep-going` ([`build`]), run each executable with
//! deadlines, re-running a hanging or aborting one test by test ([`run`]), then write the kept
//! lists and `docs/conformance.md` ([`report`]).
//!
//! Modes:
//! - no flag: against eddy; writes `docs/conformance.md`, adds newly passing tests to
//!   `xtask/conformance/passing.txt`, and fails if a listed test no longer passes;
//! - `--control`: against the real Tokio; writes `xtask/conformance/control.txt`;
//! - `--check`: against eddy, only the files and tests on the passing list; fails if one of them
//!   no longer passes (a failure is tried twice more alone first: the suite has timing-sensitive
//!   tests and the machine is a noisy 2-core VM). Writes nothing.
//!
//! Any other argument names test files to limit the run to (`cargo xtask conformance sync_mpsc`),
//! for a quick look while fixing; such a run prints its results and writes nothing.

mod build;
mod fetch;
mod report;
mod run;
mod workspace;

use build::Built;
use report::{FileResult, Results};
use run::Verdict;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The Tokio release eddy mirrors.
pub const TOKIO_VERSION: &str = "1.54.1";

/// What the tests build against.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// eddy, through the compat package.
    Eddy,
    /// The real Tokio (the control).
    Tokio,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Eddy => "eddy",
            Target::Tokio => "tokio",
        }
    }
}

/// Where things are.
pub struct Paths {
    /// The repository root.
    root: PathBuf,
    /// `target/conformance`: generated workspaces, their shared target folder, scratch files.
    work: PathBuf,
    /// The compat package the eddy workspace patches `tokio` to.
    compat: PathBuf,
    /// `xtask/conformance`: the kept lists and lock files.
    kept: PathBuf,
}

impl Paths {
    fn new() -> Paths {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask lives in the repository root")
            .to_path_buf();
        Paths {
            work: root.join("target/conformance"),
            compat: root.join("crates/tokio"),
            kept: root.join("xtask/conformance"),
            root,
        }
    }

    fn lock_file(&self, target: Target) -> PathBuf {
        self.kept.join(format!("{}.lock", target.name()))
    }

    fn passing(&self) -> PathBuf {
        self.kept.join("passing.txt")
    }

    fn control(&self) -> PathBuf {
        self.kept.join("control.txt")
    }
}

/// Runs the subcommand with its arguments.
pub fn run(args: &[String]) -> Result<(), String> {
    let control = args.iter().any(|a| a == "--control");
    let check = args.iter().any(|a| a == "--check");
    let files: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .cloned()
        .collect();
    let paths = Paths::new();
    std::fs::create_dir_all(&paths.work).map_err(|e| e.to_string())?;
    let source = fetch::tokio_source(&paths)?;
    let target = if control { Target::Tokio } else { Target::Eddy };
    let manifest = workspace::generate(&paths, &source, target)?;
    if check {
        return check_passing(&paths, &manifest);
    }
    let only = (!files.is_empty()).then_some(files.as_slice());
    let results = build_and_run(&paths, &manifest, only, None)?;
    workspace::keep_lock_file(&paths, target)?;
    print_totals(&results);
    if only.is_some() {
        return Ok(());
    }
    match target {
        Target::Tokio => report::write_list(
            &paths.control(),
            "Tests the real Tokio 1.54.1 passes here (cargo xtask conformance --control).",
            &report::passed(&results),
        ),
        Target::Eddy => record_eddy_run(&paths, &results),
    }
}

/// Writes the document and grows the passing list; fails on tests that stopped passing.
fn record_eddy_run(paths: &Paths, results: &Results) -> Result<(), String> {
    let control = report::read_list(&paths.control());
    if control.is_empty() {
        return Err("no control list yet: run `cargo xtask conformance --control` first".into());
    }
    let stamp = stamp(paths);
    let document = report::document(results, &control, &stamp);
    let doc_path = paths.root.join("docs/conformance.md");
    std::fs::write(&doc_path, document).map_err(|e| format!("{}: {e}", doc_path.display()))?;
    let listed = report::read_list(&paths.passing());
    let passed = report::passed(results);
    let lost: Vec<&String> = listed.difference(&passed).collect();
    let grown: BTreeSet<String> = listed.union(&passed).cloned().collect();
    report::write_list(
        &paths.passing(),
        "Tests eddy passes; this list only grows (cargo xtask conformance --check keeps it so).",
        &grown,
    )?;
    eprintln!(
        "conformance: {} tests pass on eddy ({} newly); docs/conformance.md written",
        passed.len(),
        passed.difference(&listed).count()
    );
    fail_if_lost(&lost)
}

/// `--check`: every listed test still passes.
fn check_passing(paths: &Paths, manifest: &Path) -> Result<(), String> {
    let listed = report::read_list(&paths.passing());
    let mut files: Vec<String> = listed
        .iter()
        .filter_map(|id| id.split("::").next())
        .map(str::to_owned)
        .collect();
    files.dedup();
    let results = build_and_run(paths, manifest, Some(&files), Some(&listed))?;
    let passed = report::passed(&results);
    let lost: Vec<&String> = listed.difference(&passed).collect();
    eprintln!(
        "conformance --check: {} of {} listed tests pass",
        listed.len() - lost.len(),
        listed.len()
    );
    fail_if_lost(&lost)
}

fn fail_if_lost(lost: &[&String]) -> Result<(), String> {
    if lost.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = lost.iter().map(|s| s.as_str()).collect();
    Err(format!(
        "{} test(s) on the passing list no longer pass:\n  {}",
        lost.len(),
        names.join("\n  ")
    ))
}

/// Builds the named files (all when `None`) and runs their tests (only the ids in `listed` when
/// given, retrying a listed test that fails twice more alone).
fn build_and_run(
    paths: &Paths,
    manifest: &Path,
    files: Option<&[String]>,
    listed: Option<&BTreeSet<String>>,
) -> Result<Results, String> {
    let target_dir = paths.work.join("target");
    let built = build::build(manifest, &target_dir, files)?;
    let workdir = manifest.parent().unwrap_or(Path::new("."));
    // One scratch folder per run: several runs limited to different files may share the machine.
    let scratch = paths.work.join(format!("scratch-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let names: Vec<String> = match files {
        Some(files) => files.to_vec(),
        None => test_files(workdir)?,
    };
    let mut results = Results::new();
    for file in names {
        let mut result = report::file_result(built.get(&file));
        if let (FileResult::Ran(verdicts), Some(Built::Executable(exe))) =
            (&mut result, built.get(&file))
        {
            let only: Option<Vec<String>> = listed.map(|ids| tests_of(ids, &file));
            let started = std::time::Instant::now();
            *verdicts = run::run_tests(exe, workdir, &scratch, only.as_deref())?;
            eprintln!(
                "conformance: {file}: {} passed of {} in {:.1?}",
                verdicts.values().filter(|v| **v == Verdict::Passed).count(),
                verdicts.len(),
                started.elapsed()
            );
            if listed.is_some() {
                retry_failures(exe, workdir, &scratch, verdicts)?;
            }
        }
        results.insert(file, result);
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(results)
}

/// Gives each test that did not pass two more tries alone.
fn retry_failures(
    exe: &Path,
    workdir: &Path,
    scratch: &Path,
    verdicts: &mut std::collections::BTreeMap<String, Verdict>,
) -> Result<(), String> {
    for (name, verdict) in verdicts.iter_mut() {
        for _ in 0..2 {
            if *verdict == Verdict::Passed {
                break;
            }
            eprintln!("conformance: trying {name} again alone");
            *verdict = run::run_one(exe, workdir, scratch, name)?;
        }
    }
    Ok(())
}

/// The test names within `file` among the listed ids.
fn tests_of(ids: &BTreeSet<String>, file: &str) -> Vec<String> {
    ids.iter()
        .filter_map(|id| id.strip_prefix(file)?.strip_prefix("::"))
        .map(str::to_owned)
        .collect()
}

/// The test files (one target each) of the generated package.
fn test_files(package: &Path) -> Result<Vec<String>, String> {
    let dir = package.join("tests");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".rs").map(str::to_owned))
        .collect();
    files.sort();
    Ok(files)
}

fn print_totals(results: &Results) {
    let passed = report::passed(results).len();
    let unbuilt = results
        .values()
        .filter(|r| matches!(r, FileResult::DidNotBuild(_)))
        .count();
    eprintln!(
        "conformance: {passed} tests passed; {unbuilt} of {} files did not build",
        results.len()
    );
}

/// "Generated on <date> from eddy at <commit>."
fn stamp(paths: &Paths) -> String {
    let date = crate::cmd::Cmd::new("date")
        .args(&["-u", "+%Y-%m-%d"])
        .output()
        .unwrap_or_default();
    let commit = crate::cmd::Cmd::new("git")
        .args(&[
            "-C",
            &paths.root.to_string_lossy(),
            "rev-parse",
            "--short",
            "HEAD",
        ])
        .output()
        .unwrap_or_default();
    format!(
        "Generated on {} from eddy at commit `{}`.",
        date.trim(),
        commit.trim()
    )
}
