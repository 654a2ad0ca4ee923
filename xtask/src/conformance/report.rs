//! The kept lists and `docs/conformance.md`.
//!
//! Two lists live in `xtask/conformance/`, one test id (`file::path::to::test`) a line, sorted:
//! `control.txt`, the tests the real Tokio passes on this machine (the denominator), written by
//! `--control`; and `passing.txt`, the tests eddy passes, which only grows: a run adds what newly
//! passes and never drops a test, and `--check` fails when a listed test no longer passes.

use super::build::Built;
use super::run::Verdict;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// Everything one run learned, file by file.
pub type Results = BTreeMap<String, FileResult>;

/// What one test file gave.
pub enum FileResult {
    /// It did not build: the first error.
    DidNotBuild(String),
    /// Its tests' verdicts by name.
    Ran(BTreeMap<String, Verdict>),
}

/// The areas of the report, in its order, and which test files belong to each.
const AREAS: &[(&str, &[&str])] = &[
    ("rt", &["rt_"]),
    ("task", &["task_", "join_handle_"]),
    ("macros", &["macros_"]),
    ("io", &["io_", "duplex_stream"]),
    ("net", &["net_", "tcp_", "udp", "uds_", "unix_", "buffered"]),
    ("sync", &["sync_"]),
    ("time", &["time_", "test_clock"]),
    ("fs", &["fs"]),
    ("process", &["process_"]),
    ("signal", &["signal_"]),
];

/// The area a test file belongs to; `misc` when no prefix matches.
pub fn area(file: &str) -> &'static str {
    AREAS
        .iter()
        .find(|(_, prefixes)| prefixes.iter().any(|p| file.starts_with(p)))
        .map_or("misc", |(area, _)| area)
}

/// Reads a kept list (empty when the file does not exist yet).
pub fn read_list(path: &Path) -> BTreeSet<String> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Writes a kept list with its header line.
pub fn write_list(path: &Path, header: &str, ids: &BTreeSet<String>) -> Result<(), String> {
    let mut text = format!("# {header}\n");
    for id in ids {
        text.push_str(id);
        text.push('\n');
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The ids of the tests that passed.
pub fn passed(results: &Results) -> BTreeSet<String> {
    results
        .iter()
        .filter_map(|(file, result)| match result {
            FileResult::Ran(verdicts) => Some((file, verdicts)),
            FileResult::DidNotBuild(_) => None,
        })
        .flat_map(|(file, verdicts)| {
            verdicts
                .iter()
                .filter(|(_, verdict)| **verdict == Verdict::Passed)
                .map(move |(name, _)| format!("{file}::{name}"))
        })
        .collect()
}

/// Turns a build's outcome for every file into results without verdicts yet.
pub fn file_result(built: Option<&Built>) -> FileResult {
    match built {
        Some(Built::Failed(error)) => FileResult::DidNotBuild(error.clone()),
        Some(Built::Executable(_)) => FileResult::Ran(BTreeMap::new()),
        None => FileResult::DidNotBuild("a dependency did not build".into()),
    }
}

/// Tallies for one row of the report.
#[derive(Default)]
struct Tally {
    tokio: usize,
    eddy: usize,
}

/// `docs/conformance.md`, from an eddy run and the control list.
pub fn document(results: &Results, control: &BTreeSet<String>, stamp: &str) -> String {
    let passed = passed(results);
    let mut areas: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut rows = String::new();
    for (file, result) in results {
        let in_file = |id: &&String| id.split("::").next() == Some(file.as_str());
        let tokio = control.iter().filter(in_file).count();
        let eddy = control
            .iter()
            .filter(in_file)
            .filter(|id| passed.contains(*id))
            .count();
        let tally = areas.entry(area(file)).or_default();
        tally.tokio += tokio;
        tally.eddy += eddy;
        if tokio == 0 && !matches!(result, FileResult::DidNotBuild(_)) {
            continue;
        }
        let why = why_not(file, result, control);
        let _ = writeln!(
            rows,
            "| `{file}` | {} | {tokio} | {eddy} | {why} |",
            area(file)
        );
    }
    let mut text = format!(
        "# Conformance: Tokio's own tests on eddy\n\n\
         Tokio 1.54.1's published integration tests (its `tests/` folder, fetched by cargo at run\n\
         time, never committed here), built against eddy through the compat package\n\
         (`crates/tokio`) and, for the control, against the real Tokio, with the features\n\
         `full` and `test-util`, without `tokio_unstable`, on this project's 2-core machine.\n\n\
         {stamp}\n\n\
         Commands: `cargo xtask conformance` (this page and `xtask/conformance/passing.txt`),\n\
         `cargo xtask conformance --control` (the real Tokio: `xtask/conformance/control.txt`),\n\
         `cargo xtask conformance --check` (CI: every test on the passing list still passes).\n\n\
         A test counts when the real Tokio passes it here: the control's failures (tests that\n\
         need `tokio_unstable`, another OS, or more than this machine has) are out of both\n\
         columns. Each test file runs as one process with a deadline; one that hangs or aborts\n\
         is run again test by test, so one bad test never hides the others.\n\n\
         ## Totals per area\n\n\
         | area | tests real Tokio passes | eddy passes | share |\n| --- | --- | --- | --- |\n"
    );
    let mut total = Tally::default();
    for (area, _) in AREAS.iter().chain([("misc", &[][..])].iter()) {
        let tally = areas.remove(area).unwrap_or_default();
        let _ = writeln!(
            text,
            "| {area} | {} | {} | {} |",
            tally.tokio,
            tally.eddy,
            share(&tally)
        );
        total.tokio += tally.tokio;
        total.eddy += tally.eddy;
    }
    let _ = writeln!(
        text,
        "| **total** | **{}** | **{}** | **{}** |",
        total.tokio,
        total.eddy,
        share(&total)
    );
    text.push_str(
        "\n## Per file\n\n\
         Files with no test the real Tokio passes here (other platforms, `tokio_unstable`) are\n\
         left out unless they fail to build on eddy.\n\n\
         | file | area | real Tokio passes | eddy passes | why not |\n| --- | --- | --- | --- | --- |\n",
    );
    text.push_str(&rows);
    text
}

fn share(tally: &Tally) -> String {
    if tally.tokio == 0 {
        "-".into()
    } else {
        format!("{:.0}%", 100.0 * tally.eddy as f64 / tally.tokio as f64)
    }
}

/// The "why not" column: the build error, or the tests that did not pass, by verdict.
fn why_not(file: &str, result: &FileResult, control: &BTreeSet<String>) -> String {
    let verdicts = match result {
        FileResult::DidNotBuild(error) => {
            return format!("did not build: {}", error.replace('|', "\\|"))
        }
        FileResult::Ran(verdicts) => verdicts,
    };
    let mut by_verdict: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, verdict) in verdicts {
        if !control.contains(&format!("{file}::{name}")) {
            continue;
        }
        let label = match verdict {
            Verdict::Passed => continue,
            Verdict::Failed => "failed",
            Verdict::Ignored => "ignored",
            Verdict::Hung => "hung",
            Verdict::Aborted => "aborted",
        };
        by_verdict.entry(label).or_default().push(name);
    }
    by_verdict
        .iter()
        .map(|(label, names)| {
            let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("{label} {}: {}", names.len(), names.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
