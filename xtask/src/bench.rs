//! `cargo xtask bench`: run every workload for eddy and for Tokio, print the medians side by
//! side, and rewrite the generated part of `docs/benchmarks.md`.
//!
//! Criterion does the measuring (`cargo bench -p eddy-benches`). Each workload is a criterion
//! group whose id is `"<section>: <workload>"` and whose two functions are `eddy` and `tokio`;
//! this module reads the median criterion stored for each. Measurements criterion cannot make
//! (bytes per idle task, the size of a type) come from the `footprint` binary, which prints
//! `row<TAB>section<TAB>workload<TAB>eddy<TAB>tokio<TAB>unit` lines. The observability-overhead
//! section compares eddy with itself (see [`crate::obs`]).
//!
//! The ecosystem sections (axum and tonic servers, built on eddy and on Tokio from one source)
//! come from [`ecosystem`].
//!
//! Flags: `--collect-only` (read criterion's stored results instead of running it), `--no-wrk`,
//! `--no-strace`, `--no-obs`, `--no-ecosystem` (skip a section), and `--only-obs` or
//! `--only-ecosystem` (run only that section and replace only its tables in the document).
//! Other arguments filter criterion's workloads by name; such a run keeps the document's sections
//! it has no rows for.

mod ecosystem;

use crate::cmd::cargo;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const BEGIN: &str = "<!-- xtask bench: begin (generated, do not edit by hand) -->";
const END: &str = "<!-- xtask bench: end -->";

/// What the two value columns of a section hold.
#[derive(Clone, Copy)]
enum Columns {
    /// eddy, then Tokio; the ratio is eddy/tokio.
    EddyTokio,
    /// eddy without an option, then with it; the ratio is on/off.
    OffOn,
}

impl Columns {
    fn header(self) -> &'static str {
        match self {
            Columns::EddyTokio => "| workload | eddy | tokio | ratio eddy/tokio |",
            Columns::OffOn => "| workload | off | on | ratio on/off |",
        }
    }
}

/// One workload's medians.
pub struct Row {
    section: String,
    workload: String,
    first: f64,
    second: f64,
    unit: String,
    columns: Columns,
}

impl Row {
    /// A row comparing eddy with Tokio.
    pub fn new(section: &str, workload: &str, eddy: f64, tokio: f64, unit: &str) -> Row {
        Row {
            section: section.to_owned(),
            workload: workload.to_owned(),
            first: eddy,
            second: tokio,
            unit: unit.to_owned(),
            columns: Columns::EddyTokio,
        }
    }

    /// A row comparing eddy with an option off and on, as times in nanoseconds.
    pub fn off_on(section: &str, workload: &str, off: f64, on: f64) -> Row {
        Row {
            section: section.to_owned(),
            workload: workload.to_owned(),
            first: off,
            second: on,
            unit: "time".to_owned(),
            columns: Columns::OffOn,
        }
    }

    fn ratio(&self) -> f64 {
        let (numerator, denominator) = match self.columns {
            Columns::EddyTokio => (self.first, self.second),
            Columns::OffOn => (self.second, self.first),
        };
        if denominator > 0.0 {
            numerator / denominator
        } else if numerator == 0.0 {
            // Neither made the call at all (e.g. no futex per message): a tie.
            1.0
        } else {
            f64::NAN
        }
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let only_obs = has_flag(args, "--only-obs");
    let only_ecosystem = has_flag(args, "--only-ecosystem");
    let only_one = only_obs || only_ecosystem;
    let mut rows = Vec::new();
    if !only_one {
        rows.extend(eddy_against_tokio(args)?);
    }
    if !only_ecosystem && !has_flag(args, "--no-obs") {
        rows.extend(crate::obs::rows()?);
    }
    if !only_obs && !has_flag(args, "--no-ecosystem") {
        rows.extend(ecosystem::rows()?);
    }
    let sections = render(&rows);
    println!(
        "{}",
        sections.values().map(String::as_str).collect::<String>()
    );
    // A run limited to some workloads keeps the sections it has no rows for.
    let filtered = args.iter().any(|a| !a.starts_with("--"));
    write_doc(sections, only_one || filtered)
}

/// The criterion, footprint, `wrk` and `strace` rows, each eddy against Tokio.
fn eddy_against_tokio(args: &[String]) -> Result<Vec<Row>, String> {
    let filter: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if !has_flag(args, "--collect-only") {
        let mut bench_args = vec!["bench", "-p", "eddy-benches", "--benches", "--"];
        bench_args.extend(filter.iter().copied());
        cargo(&bench_args).run()?;
    }
    let footprint = cargo(&[
        "run",
        "--release",
        "-q",
        "-p",
        "eddy-benches",
        "--bin",
        "footprint",
    ])
    .output()?;
    let mut rows = criterion_rows(&target_dir().join("criterion"))?;
    rows.extend(footprint_rows(&footprint));
    if !has_flag(args, "--no-wrk") {
        rows.extend(crate::wrk::rows()?);
    }
    if !has_flag(args, "--no-strace") {
        rows.extend(crate::syscalls::rows()?);
    }
    Ok(rows)
}

fn has_flag(args: &[String], name: &str) -> bool {
    args.iter().any(|a| a == name)
}

/// The median of `values` (the upper one of the middle two for an even count).
pub fn median_of(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// Cargo's target directory, as cargo run from the workspace root sees it.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from)
}

fn criterion_rows(dir: &Path) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut groups: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    groups.sort();
    for group in groups {
        let (Some(eddy), Some(tokio)) = (median(&group, "eddy"), median(&group, "tokio")) else {
            continue;
        };
        let Some(id) = group_id(&group) else { continue };
        let (section, workload) = id.split_once(": ").unwrap_or(("other", &id));
        rows.push(Row::new(section, workload, eddy, tokio, "time"));
    }
    Ok(rows)
}

/// The median, in nanoseconds, criterion recorded for `function` in `group`.
fn median(group: &Path, function: &str) -> Option<f64> {
    let json = fs::read_to_string(group.join(function).join("new/estimates.json")).ok()?;
    let after = &json[json.find("\"median\"")?..];
    let after = &after[after.find("\"point_estimate\":")? + "\"point_estimate\":".len()..];
    let end = after.find([',', '}'])?;
    after[..end].trim().parse().ok()
}

fn group_id(group: &Path) -> Option<String> {
    let json = fs::read_to_string(group.join("eddy/new/benchmark.json")).ok()?;
    let after = &json[json.find("\"group_id\":\"")? + "\"group_id\":\"".len()..];
    Some(after[..after.find('"')?].to_owned())
}

fn footprint_rows(output: &str) -> Vec<Row> {
    output
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["row", section, workload, eddy, tokio, unit] => Some(Row::new(
                    section,
                    workload,
                    eddy.parse().ok()?,
                    tokio.parse().ok()?,
                    unit,
                )),
                _ => None,
            }
        })
        .collect()
}

/// Each section's markdown (heading, table), keyed by section name.
fn render(rows: &[Row]) -> BTreeMap<String, String> {
    let mut sections: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in rows {
        sections.entry(&row.section).or_default().push(row);
    }
    let mut rendered = BTreeMap::new();
    for (section, rows) in sections {
        let mut out = String::new();
        let _ = writeln!(out, "\n### {section}\n");
        if section == crate::obs::SECTION {
            let _ = writeln!(out, "{}\n", crate::obs::intro());
        }
        let _ = writeln!(out, "{}", rows[0].columns.header());
        let _ = writeln!(out, "| --- | ---: | ---: | ---: |");
        for row in rows {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.2} |",
                row.workload,
                format_value(row.first, &row.unit),
                format_value(row.second, &row.unit),
                row.ratio()
            );
        }
        rendered.insert(section.to_owned(), out);
    }
    rendered
}

fn format_value(value: f64, unit: &str) -> String {
    if unit != "time" {
        // Counts per message are fractions worth two decimals; sizes are whole bytes.
        let precision = if unit == "bytes" && value.fract() == 0.0 {
            0
        } else {
            2
        };
        return format!("{value:.precision$} {unit}");
    }
    match value {
        v if v >= 1e9 => format!("{:.2} s", v / 1e9),
        v if v >= 1e6 => format!("{:.2} ms", v / 1e6),
        v if v >= 1e3 => format!("{:.2} µs", v / 1e3),
        v if v >= 100.0 => format!("{v:.0} ns"),
        v => format!("{v:.1} ns"),
    }
}

/// Replaces the generated block of `docs/benchmarks.md`, keeping the hand-written analysis.
/// With `keep_other_sections`, only the sections in `sections` are replaced (or added); the
/// block's other sections stay as they were.
fn write_doc(
    mut sections: BTreeMap<String, String>,
    keep_other_sections: bool,
) -> Result<(), String> {
    let path = Path::new("docs/benchmarks.md");
    let old = fs::read_to_string(path).unwrap_or_default();
    let block = match (old.find(BEGIN), old.find(END)) {
        (Some(begin), Some(end)) => Some((begin, end)),
        _ => None,
    };
    if keep_other_sections {
        if let Some((begin, end)) = block {
            for (name, text) in parse_sections(&old[begin + BEGIN.len()..end]) {
                sections.entry(name).or_insert(text);
            }
        }
    }
    let table: String = sections.into_values().collect();
    let generated = format!(
        "{BEGIN}\nMedians (time per iteration unless a row says otherwise; lower is better) \
         measured by `cargo xtask bench` on {}, {} cores. In eddy/tokio tables, ratios below \
         1.00 mean eddy is faster.\n{table}\n{END}",
        machine_model(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    let new = match block {
        Some((begin, end)) => format!("{}{generated}{}", &old[..begin], &old[end + END.len()..]),
        None => format!("# Benchmarks\n\n{generated}\n{old}"),
    };
    fs::write(path, new).map_err(|e| format!("{}: {e}", path.display()))
}

/// The sections of a generated block, in the shape [`render`] produces them.
fn parse_sections(block: &str) -> impl Iterator<Item = (String, String)> + '_ {
    block.split("\n### ").skip(1).map(|section| {
        let name = section.lines().next().unwrap_or_default().to_owned();
        (name, format!("\n### {}\n", section.trim_end()))
    })
}

fn machine_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "an unknown CPU".into())
}
