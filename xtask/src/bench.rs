//! `cargo xtask bench`: run every workload for eddy and for Tokio, print the medians side by
//! side, and rewrite the generated part of `docs/benchmarks.md`.
//!
//! Criterion does the measuring (`cargo bench -p eddy-benches`). Each workload is a criterion
//! group whose id is `"<section>: <workload>"` and whose two functions are `eddy` and `tokio`;
//! this module reads the median criterion stored for each. Measurements criterion cannot make
//! (bytes per idle task, the size of a type) come from the `footprint` binary, which prints
//! `row<TAB>section<TAB>workload<TAB>eddy<TAB>tokio<TAB>unit` lines.

use crate::cmd::cargo;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const BEGIN: &str = "<!-- xtask bench: begin (generated, do not edit by hand) -->";
const END: &str = "<!-- xtask bench: end -->";

/// One workload's medians.
pub struct Row {
    section: String,
    workload: String,
    eddy: f64,
    tokio: f64,
    unit: String,
}

impl Row {
    pub fn new(section: &str, workload: &str, eddy: f64, tokio: f64, unit: &str) -> Row {
        Row {
            section: section.to_owned(),
            workload: workload.to_owned(),
            eddy,
            tokio,
            unit: unit.to_owned(),
        }
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let filter: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let skip_criterion = args.iter().any(|a| a == "--collect-only");
    if !skip_criterion {
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
    let mut rows = criterion_rows(&criterion_dir())?;
    rows.extend(footprint_rows(&footprint));
    if !args.iter().any(|a| a == "--no-wrk") {
        rows.extend(crate::wrk::rows()?);
    }
    if !args.iter().any(|a| a == "--no-strace") {
        rows.extend(crate::syscalls::rows()?);
    }
    let table = render(&rows);
    println!("{table}");
    write_doc(&table)
}

fn criterion_dir() -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    Path::new(&target).join("criterion")
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

fn render(rows: &[Row]) -> String {
    let mut sections: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in rows {
        sections.entry(&row.section).or_default().push(row);
    }
    let mut out = String::new();
    for (section, rows) in sections {
        let _ = writeln!(out, "\n### {section}\n");
        let _ = writeln!(out, "| workload | eddy | tokio | ratio eddy/tokio |");
        let _ = writeln!(out, "| --- | ---: | ---: | ---: |");
        for row in rows {
            let ratio = if row.tokio > 0.0 {
                row.eddy / row.tokio
            } else {
                f64::NAN
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.2} |",
                row.workload,
                format_value(row.eddy, &row.unit),
                format_value(row.tokio, &row.unit),
                ratio
            );
        }
    }
    out
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
        v => format!("{v:.0} ns"),
    }
}

/// Replaces the generated block of `docs/benchmarks.md`, keeping the hand-written analysis.
fn write_doc(table: &str) -> Result<(), String> {
    let path = Path::new("docs/benchmarks.md");
    let old = fs::read_to_string(path).unwrap_or_default();
    let generated = format!(
        "{BEGIN}\nMedians from criterion (time per iteration; lower is better) measured by `cargo xtask bench` \
         on {}, {} cores. Ratios below 1.00 mean eddy is faster.\n{table}\n{END}",
        machine_model(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(begin), Some(end)) => {
            format!("{}{generated}{}", &old[..begin], &old[end + END.len()..])
        }
        _ => format!("# Benchmarks\n\n{generated}\n{old}"),
    };
    fs::write(path, new).map_err(|e| format!("{}: {e}", path.display()))
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
