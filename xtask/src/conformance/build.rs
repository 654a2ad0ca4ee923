//! Building every test file of the generated workspace in one `cargo build --tests --keep-going`.
//!
//! Cargo's JSON messages say, per test target, either where its executable is or why it failed:
//! the first error the compiler gave for it, which for a missing item names that item. A target
//! that failed with no error of its own failed because a dependency did not build.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What the build gave for one test file.
#[derive(Debug, Clone)]
pub enum Built {
    /// The test executable.
    Executable(PathBuf),
    /// It did not build: the first error message.
    Failed(String),
}

/// Builds the test targets named in `files` (all of them when `files` is `None`).
pub fn build(
    manifest: &Path,
    target_dir: &Path,
    files: Option<&[String]>,
) -> Result<BTreeMap<String, Built>, String> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .args(["build", "--keep-going", "--message-format=json"])
        .arg("--manifest-path")
        .arg(manifest)
        .env("CARGO_TARGET_DIR", target_dir)
        .stdout(Stdio::piped());
    match files {
        Some(files) => {
            for file in files {
                command.args(["--test", file]);
            }
        }
        None => {
            command.arg("--tests");
        }
    }
    eprintln!(
        "$ cargo build --tests --keep-going ({})",
        manifest.display()
    );
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not start cargo: {e}"))?;
    let stdout = child.stdout.take().ok_or("cargo's stdout")?;
    let mut built = BTreeMap::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        if let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) {
            record(&message, &mut built);
        }
    }
    child.wait().map_err(|e| e.to_string())?;
    if built.is_empty() {
        return Err("cargo built no test target (see its errors above)".into());
    }
    Ok(built)
}

/// Folds one cargo message into what is known about the test targets.
fn record(message: &serde_json::Value, built: &mut BTreeMap<String, Built>) {
    let target = &message["target"];
    let is_test = target["kind"]
        .as_array()
        .is_some_and(|kinds| kinds.iter().any(|kind| kind == "test"));
    let Some(name) = target["name"].as_str().filter(|_| is_test) else {
        return;
    };
    match message["reason"].as_str() {
        Some("compiler-artifact") => {
            if let Some(executable) = message["executable"].as_str() {
                built.insert(name.to_owned(), Built::Executable(executable.into()));
            }
        }
        Some("compiler-message") if message["message"]["level"] == "error" => {
            let text = message["message"]["message"].as_str().unwrap_or_default();
            if !built.contains_key(name) && !text.starts_with("aborting due to") {
                built.insert(name.to_owned(), Built::Failed(first_line(text)));
            }
        }
        _ => {}
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_owned()
}
