//! Getting Tokio's published source through cargo itself.
//!
//! A throwaway manifest that depends on exactly the mirrored Tokio release, then `cargo fetch`:
//! cargo downloads the published crate (with its `tests/` folder) into its registry cache, and
//! `cargo metadata` says where. Nothing of Tokio's is ever committed to this repository.

use super::{Paths, TOKIO_VERSION};
use crate::cmd::cargo;
use std::fs;
use std::path::PathBuf;

/// The folder of the published Tokio crate, downloaded if need be.
pub fn tokio_source(paths: &Paths) -> Result<PathBuf, String> {
    let dir = paths.work.join("fetch");
    fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let manifest = format!(
        "[package]\nname = \"fetch-tokio\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\ntokio = \"={TOKIO_VERSION}\"\n\n[workspace]\n"
    );
    write(&dir.join("Cargo.toml"), &manifest)?;
    write(&dir.join("src/lib.rs"), "")?;
    let manifest_path = dir.join("Cargo.toml");
    let manifest_arg = manifest_path.to_string_lossy();
    cargo(&["fetch", "--manifest-path", &manifest_arg]).run()?;
    let metadata = cargo(&[
        "metadata",
        "--format-version",
        "1",
        "--manifest-path",
        &manifest_arg,
    ])
    .output()?;
    let metadata: serde_json::Value =
        serde_json::from_str(&metadata).map_err(|e| format!("cargo metadata: {e}"))?;
    let tokio = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|package| package["name"] == "tokio" && package["version"] == TOKIO_VERSION)
        .ok_or("cargo metadata does not list the fetched tokio")?;
    let manifest = PathBuf::from(tokio["manifest_path"].as_str().unwrap_or_default());
    let source = manifest
        .parent()
        .ok_or("tokio's manifest path has no folder")?
        .to_path_buf();
    if !source.join("tests").is_dir() {
        return Err(format!("{} has no tests/ folder", source.display()));
    }
    Ok(source)
}

/// Writes `text` to `path`, leaving the file untouched when it already says that (so cargo does
/// not rebuild for nothing).
pub fn write(path: &std::path::Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
