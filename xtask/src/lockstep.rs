//! The lock-step rule of `docs/architecture.md` ("What is public and stable"), checked.
//!
//! The eddy crates reach one another's hidden internals, which carry no promise, so a crate must
//! never meet a sibling from another release. Every published crate therefore takes the
//! workspace's version, and every dependency on a sibling in the root `[workspace.dependencies]`
//! asks for exactly that version (`version = "=X.Y.Z"`). This reads the manifests as text, which
//! is enough for their one-line tables, and lists every place that breaks the rule.

use std::fs;
use std::path::Path;

/// Checks the root manifest's sibling requirements and each crate's version.
pub fn check() -> Result<(), String> {
    check_workspace(Path::new("."))
}

fn check_workspace(workspace: &Path) -> Result<(), String> {
    let root = read(workspace.join("Cargo.toml"))?;
    let version = workspace_version(&root)?;
    let mut problems = sibling_requirements(&root, &version);
    problems.extend(crate_versions(&workspace.join("crates"))?);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the eddy crates are not in lock-step:\n  {}",
            problems.join("\n  ")
        ))
    }
}

fn read(path: impl AsRef<Path>) -> Result<String, String> {
    let path = path.as_ref();
    fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

/// The `version` of `[workspace.package]`.
fn workspace_version(root: &str) -> Result<String, String> {
    let section = root
        .split("[workspace.package]")
        .nth(1)
        .ok_or("Cargo.toml has no [workspace.package]")?;
    section
        .lines()
        .find_map(|line| quoted_value(line.strip_prefix("version")?))
        .ok_or_else(|| "[workspace.package] has no version".to_string())
}

/// Each `eddy*` line of `[workspace.dependencies]` that is published must pin the exact version.
fn sibling_requirements(root: &str, version: &str) -> Vec<String> {
    let exact = format!("version = \"={version}\"");
    root.lines()
        .filter(|line| line.starts_with("eddy"))
        .filter(|line| !line.starts_with("eddy-test-support"))
        .filter(|line| !line.contains(&exact))
        .map(|line| format!("Cargo.toml: `{line}` must say {exact}"))
        .collect()
}

/// Every published crate under `crates/` must take `version.workspace = true`.
fn crate_versions(crates: &Path) -> Result<Vec<String>, String> {
    let mut problems = Vec::new();
    let dirs = fs::read_dir(crates).map_err(|e| format!("reading {}: {e}", crates.display()))?;
    for dir in dirs {
        let manifest = dir.map_err(|e| e.to_string())?.path().join("Cargo.toml");
        let text = read(&manifest)?;
        // The compat package carries Tokio's version on purpose, and unpublished crates are
        // never met by a user.
        let published = !text.contains("publish = false");
        if published && !text.contains("version.workspace = true") {
            problems.push(format!(
                "{}: needs version.workspace = true",
                manifest.display()
            ));
        }
    }
    Ok(problems)
}

/// `"x"` out of ` = "x"`.
fn quoted_value(rest: &str) -> Option<String> {
    let rest = rest.trim_start().strip_prefix('=')?.trim();
    Some(rest.strip_prefix('"')?.strip_suffix('"')?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "[workspace.package]\nversion = \"0.3.1\"\n\n\
        [workspace.dependencies]\n\
        eddy-core = { path = \"crates/eddy-core\", version = \"=0.3.1\" }\n\
        eddy-io = { path = \"crates/eddy-io\", version = \"0.3.1\" }\n\
        eddy-test-support = { path = \"crates/eddy-test-support\" }\n\
        mio = \"1\"\n";

    #[test]
    fn reads_the_workspace_version() {
        assert_eq!(workspace_version(MANIFEST).unwrap(), "0.3.1");
    }

    #[test]
    fn flags_each_sibling_not_pinned_exactly() {
        let problems = sibling_requirements(MANIFEST, "0.3.1");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("eddy-io"));
    }

    #[test]
    fn the_repository_is_in_lock_step() {
        // Tests run in the package's folder; the rule is about the workspace root above it.
        check_workspace(Path::new("..")).unwrap();
    }
}
