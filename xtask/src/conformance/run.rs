//! Running test executables so that one bad test never hides the others.
//!
//! Each executable runs once as a whole, with its output in files and a deadline. When it ends
//! normally, every test has its verdict line. When it hangs past the deadline or dies of a signal
//! (an abort), the tests it never reported are run again one at a time, each with a deadline of
//! its own, so a hang or an abort is pinned on the test that causes it. A process group per run
//! lets a deadline kill whatever the test started too.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long one executable may run as a whole (the real Tokio's slowest file takes a few
/// seconds here).
const BINARY_DEADLINE: Duration = Duration::from_secs(60);
/// How long one test may run alone.
const TEST_DEADLINE: Duration = Duration::from_secs(20);

/// A test's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    Failed,
    Ignored,
    /// It did not finish before its deadline.
    Hung,
    /// Its process died of a signal.
    Aborted,
}

/// How one run of an executable ended.
enum Ending {
    Exited(ExitStatus),
    TimedOut,
}

/// Runs every test of `executable` (only those in `only`, when given) and returns the verdicts
/// by test name.
pub fn run_tests(
    executable: &Path,
    workdir: &Path,
    scratch: &Path,
    only: Option<&[String]>,
) -> Result<BTreeMap<String, Verdict>, String> {
    let names = list(executable, workdir)?;
    let wanted: Vec<String> = match only {
        Some(only) => names.into_iter().filter(|n| only.contains(n)).collect(),
        None => names,
    };
    if wanted.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut args: Vec<String> = Vec::new();
    if only.is_some() {
        args.push("--exact".into());
        args.extend(wanted.iter().cloned());
    }
    let (ending, output) = run(executable, workdir, scratch, &args, BINARY_DEADLINE)?;
    let mut verdicts = parse(&output);
    if !matches!(ending, Ending::Exited(status) if status.signal().is_none()) {
        let unreported: Vec<&String> = wanted
            .iter()
            .filter(|n| !verdicts.contains_key(*n))
            .collect();
        for name in unreported {
            let verdict = run_one(executable, workdir, scratch, name)?;
            verdicts.insert(name.clone(), verdict);
        }
    }
    // A test named by `--list` but never reported (the process exited early): it did not pass.
    for name in wanted {
        verdicts.entry(name).or_insert(Verdict::Failed);
    }
    Ok(verdicts)
}

/// Runs one test alone and returns its verdict.
pub fn run_one(
    executable: &Path,
    workdir: &Path,
    scratch: &Path,
    name: &str,
) -> Result<Verdict, String> {
    let args = ["--exact".to_owned(), name.to_owned()];
    let (ending, output) = run(executable, workdir, scratch, &args, TEST_DEADLINE)?;
    Ok(match ending {
        Ending::TimedOut => Verdict::Hung,
        Ending::Exited(status) if status.signal().is_some() => Verdict::Aborted,
        Ending::Exited(_) => parse(&output).remove(name).unwrap_or(Verdict::Failed),
    })
}

/// The names of the tests in `executable`.
fn list(executable: &Path, workdir: &Path) -> Result<Vec<String>, String> {
    let output = Command::new(executable)
        .args(["--list", "--format", "terse"])
        .current_dir(workdir)
        .output()
        .map_err(|e| format!("{}: {e}", executable.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(stdout
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_owned)
        .collect())
}

/// Runs `executable` with `args`, its output in a file, killed with its process group at
/// `deadline`.
fn run(
    executable: &Path,
    workdir: &Path,
    scratch: &Path,
    args: &[String],
    deadline: Duration,
) -> Result<(Ending, String), String> {
    let out_path = scratch.join("stdout");
    let out = fs::File::create(&out_path).map_err(|e| format!("{}: {e}", out_path.display()))?;
    let mut child = Command::new(executable)
        .args(args)
        .current_dir(workdir)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("{}: {e}", executable.display()))?;
    let started = Instant::now();
    let ending = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break Ending::Exited(status);
        }
        if started.elapsed() > deadline {
            kill_group(child.id());
            let _ = child.wait();
            break Ending::TimedOut;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = fs::read(&out_path).map_err(|e| format!("{}: {e}", out_path.display()))?;
    Ok((ending, String::from_utf8_lossy(&output).into_owned()))
}

/// Kills the process group the test executable leads: the test's threads go with its process,
/// but processes it started would outlive it.
fn kill_group(leader: u32) {
    let Ok(group) = libc::pid_t::try_from(leader) else {
        return;
    };
    // SAFETY: `kill` has no memory-safety preconditions. The group id is the pid of a child we
    // spawned with `process_group(0)` and have not reaped yet, so the group exists and is the
    // test's own; the negative id names that group and nothing else (a `kill` command-line tool
    // once read `-<pid>` as "every process", which is why this does not shell out).
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
}

/// The verdict lines libtest printed: `test <name> ... ok|FAILED|ignored`.
fn parse(output: &str) -> BTreeMap<String, Verdict> {
    output
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, outcome) = rest.rsplit_once(" ... ")?;
            let name = name.strip_suffix(" - should panic").unwrap_or(name);
            let verdict = match outcome.trim() {
                "ok" => Verdict::Passed,
                "FAILED" => Verdict::Failed,
                other if other.starts_with("ignored") => Verdict::Ignored,
                _ => return None,
            };
            Some((name.to_owned(), verdict))
        })
        .collect()
}
