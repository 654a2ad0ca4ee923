//! The path through which generated code reaches the eddy facade.
//!
//! Without `crate = "..."`, the macros find the caller's name for eddy at expansion time: Cargo
//! sets `CARGO_MANIFEST_DIR` for every crate it compiles, so the macro reads that crate's
//! `Cargo.toml` (and, for `workspace = true` dependencies, the workspace root's) and looks for a
//! dependency on the package `eddy`, whatever key it goes by. The facade's own tests, examples
//! and doctests see it as `eddy`. When nothing matches (or the manifest cannot be read), the
//! path is `::eddy`, which gives the ordinary "unresolved crate" error if eddy is missing.
//!
//! The path always starts with `::`, so a local module of the same name cannot capture it.

use crate::manifest::{self, Manifest};
use proc_macro2::Span;
use std::env;
use std::path::Path;

/// The facade's package name.
const FACADE: &str = "eddy";

/// `::<name>`, where `<name>` is what the crate being compiled calls eddy.
pub(crate) fn default_crate_path() -> syn::Path {
    let name = caller_name()
        .and_then(|name| syn::parse_str::<syn::Ident>(&name).ok())
        .unwrap_or_else(|| syn::Ident::new(FACADE, Span::call_site()));
    syn::parse_quote!(::#name)
}

fn caller_name() -> Option<String> {
    let crate_name = env::var("CARGO_CRATE_NAME").unwrap_or_default();
    let dir = env::var_os("CARGO_MANIFEST_DIR")?;
    name_in(Path::new(&dir), &crate_name)
}

/// The name under which crate `crate_name`, whose manifest is in `dir`, sees the facade.
fn name_in(dir: &Path, crate_name: &str) -> Option<String> {
    if crate_name == FACADE {
        return Some(FACADE.to_owned());
    }
    let member = read_manifest(dir)?;
    if member.package_name() == Some(FACADE) {
        return Some(FACADE.to_owned());
    }
    let build_script = crate_name.starts_with("build_script_");
    manifest::local_name(&member, FACADE, build_script, || workspace_root(dir))
}

/// The nearest manifest with a `[workspace]` table, from `dir` upwards.
fn workspace_root(dir: &Path) -> Option<Manifest> {
    dir.ancestors()
        .filter_map(read_manifest)
        .find(Manifest::is_workspace_root)
}

fn read_manifest(dir: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    Manifest::parse(&text)
}

#[cfg(test)]
mod tests;
