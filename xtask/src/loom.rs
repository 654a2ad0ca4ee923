//! Finding the loom models: every `tests/loom_*.rs` file of a crate under `crates/`, plus the
//! crate's own unit tests when its sources hold `#[cfg(all(test, loom))]` modules.
//!
//! Only those targets are built with `--cfg loom`: the ordinary tests would run loom's
//! primitives outside a model, which loom forbids.

use std::fs;
use std::path::Path;

/// `(crate name, cargo target flags)` for each crate that has loom models.
pub fn targets() -> Result<Vec<(String, Vec<String>)>, String> {
    let mut found = Vec::new();
    let mut crates: Vec<_> = fs::read_dir("crates")
        .map_err(|e| format!("crates/: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    crates.sort();
    for dir in crates {
        let Some(name) = dir.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        let mut flags = Vec::new();
        if sources_mention(&dir.join("src"), "cfg(all(test, loom))") {
            flags.push("--lib".to_owned());
        }
        for test in loom_test_files(&dir.join("tests")) {
            flags.push("--test".to_owned());
            flags.push(test);
        }
        if !flags.is_empty() {
            found.push((name, flags));
        }
    }
    Ok(found)
}

fn loom_test_files(tests: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(tests)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".rs")?;
            stem.starts_with("loom_").then(|| stem.to_owned())
        })
        .collect();
    names.sort();
    names
}

fn sources_mention(dir: &Path, needle: &str) -> bool {
    fs::read_dir(dir).into_iter().flatten().any(|entry| {
        let Ok(entry) = entry else { return false };
        let path = entry.path();
        if path.is_dir() {
            sources_mention(&path, needle)
        } else {
            path.extension().is_some_and(|ext| ext == "rs")
                && fs::read_to_string(&path).is_ok_and(|text| text.contains(needle))
        }
    })
}
