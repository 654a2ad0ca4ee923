//! The observability-overhead section of `cargo xtask bench`: eddy against itself.
//!
//! The `obs_overhead` binary (in `benches/`) is built with and without the `tracing` feature.
//! Both builds share the target directory: Cargo keys each compiled crate by its feature set,
//! so switching between the two rebuilds nothing once both exist; each build's executable is
//! copied to a name of its own. The two run alternately, [`ROUNDS`] short runs each, so that a
//! busy spell on the machine hits both; every row is the median of the per-run medians. Each
//! process also measures slow-poll detection and the task hooks against a plain runtime; those
//! rows come from the build without `tracing`, which is what users get by default.

use crate::bench::{median_of, target_dir, Row};
use crate::cmd::{cargo, Cmd};
use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

/// The section's name in the generated tables.
pub const SECTION: &str = "observability overhead";

/// The paragraph printed above the section's table.
pub fn intro() -> String {
    format!(
        "eddy against itself, no subscriber installed. Each value is the time per operation (per \
         spawned and joined task, or per poll of a task that yields): the median over {ROUNDS} \
         alternating runs of `benches/src/bin/obs_overhead.rs` of each run's median over its \
         repetitions. A ratio on/off above 1.00 is what the option costs. *tracing*: the same \
         code built with `eddy/tracing` (on) and without (off). *slow-poll*: a runtime built with \
         `slow_poll_threshold(1 s)`, the stuck-poll watchdog on (each poll publishes its task \
         and start to the watchdog's slot and reads no clock unless the watchdog ticked during \
         it; nothing is reported), against one without. *hooks*: all four task hooks (`on_task_spawn`, `on_task_terminate`, \
         `on_before_task_poll`, `on_after_task_poll`) set to closures that do nothing, against \
         none. Slow-poll detection and hooks are measured in the build without `tracing`, their \
         off and on runtimes taking turns repetition by repetition. What the instrumentation \
         costs when it is off is not in this table: compare the eddy column of the spawn and \
         yield rows of the scheduler tables (current-thread `spawn 10k tasks and join them` \
         and `200 tasks x 200 yields`; multi-thread `spawn_many_local` and `yield_many`) with \
         the table committed before issue 8."
    )
}

/// How many times each build runs.
const ROUNDS: usize = 15;

/// One comparison: the label in the table, and which build and runtime configuration give its
/// off and on values.
struct Comparison {
    label: &'static str,
    off: (Build, &'static str),
    on: (Build, &'static str),
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Build {
    Plain,
    Tracing,
}

impl Build {
    fn name(self) -> &'static str {
        match self {
            Build::Plain => "off",
            Build::Tracing => "on",
        }
    }

    /// Builds `obs_overhead` this way and copies it to a path of its own (both builds are
    /// uplifted to the same `release/obs_overhead`), which it returns.
    fn build(self) -> Result<PathBuf, String> {
        let mut args = vec![
            "build",
            "--release",
            "-q",
            "-p",
            "eddy-benches",
            "--bin",
            "obs_overhead",
        ];
        if self == Build::Tracing {
            args.extend(["--features", "tracing"]);
        }
        cargo(&args).run()?;
        let release = target_dir().join("release");
        let copy = release.join(format!("obs_overhead-tracing-{}", self.name()));
        fs::copy(release.join("obs_overhead"), &copy)
            .map_err(|e| format!("{}: {e}", copy.display()))?;
        Ok(copy)
    }
}

const COMPARISONS: [Comparison; 3] = [
    Comparison {
        label: "tracing",
        off: (Build::Plain, "plain"),
        on: (Build::Tracing, "plain"),
    },
    Comparison {
        label: "slow-poll",
        off: (Build::Plain, "plain"),
        on: (Build::Plain, "slow-poll"),
    },
    Comparison {
        label: "hooks",
        off: (Build::Plain, "plain"),
        on: (Build::Plain, "hooks"),
    },
];

/// Samples keyed by build, workload and runtime configuration, one per round.
type Samples = BTreeMap<(Build, String, String), Vec<f64>>;

/// Runs both builds [`ROUNDS`] times and returns the section's rows.
pub fn rows() -> Result<Vec<Row>, String> {
    let plain = Build::Plain.build()?;
    let tracing = Build::Tracing.build()?;
    let mut samples = Samples::new();
    let mut workloads: Vec<String> = Vec::new();
    for round in 0..ROUNDS {
        // Alternate which build goes first, so neither always runs on a warmer machine.
        let order = if round % 2 == 0 {
            [Build::Plain, Build::Tracing]
        } else {
            [Build::Tracing, Build::Plain]
        };
        for build in order {
            let program = match build {
                Build::Plain => &plain,
                Build::Tracing => &tracing,
            };
            let output = Cmd::new(&program.to_string_lossy()).output()?;
            collect(build, &output, &mut samples, &mut workloads)?;
        }
    }
    let mut rows = Vec::new();
    for comparison in &COMPARISONS {
        for workload in &workloads {
            let value = |(build, config): (Build, &str)| {
                samples
                    .get(&(build, workload.clone(), config.to_owned()))
                    .map(|values| median_of(values))
                    .ok_or_else(|| format!("obs_overhead printed no {config} value for {workload}"))
            };
            let off = value(comparison.off)?;
            let on = value(comparison.on)?;
            let label = format!("{}: {workload}", comparison.label);
            rows.push(Row::off_on(SECTION, &label, off, on));
        }
    }
    Ok(rows)
}

/// Adds one run's `obs` lines to `samples`, after checking the run came from `build`.
fn collect(
    build: Build,
    output: &str,
    samples: &mut Samples,
    workloads: &mut Vec<String>,
) -> Result<(), String> {
    let expected = format!("build\ttracing\t{}", build.name());
    if !output.lines().any(|line| line == expected) {
        return Err(format!("obs_overhead: expected a `{expected}` line"));
    }
    for line in output.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let ["obs", workload, config, value] = fields.as_slice() else {
            continue;
        };
        let value: f64 = value
            .parse()
            .map_err(|e| format!("obs_overhead: bad value in `{line}`: {e}"))?;
        if !workloads.iter().any(|w| w == workload) {
            workloads.push((*workload).to_owned());
        }
        samples
            .entry((build, (*workload).to_owned(), (*config).to_owned()))
            .or_default()
            .push(value);
    }
    Ok(())
}
