//! What a Cargo manifest says about a crate's dependencies.
//!
//! A crate can depend on eddy under another name (`tokio = { package = "eddy", .. }`), and the
//! code the macros generate must use that name. [`local_name`] answers "under which name does the
//! crate of this manifest see package P?" by looking at the dependency tables Cargo reads:
//! `[dependencies]`, `[dev-dependencies]`, `[build-dependencies]` (and their old underscore
//! spellings), the same tables under `[target.<cfg>]`, and, for a dependency declared with
//! `workspace = true`, the workspace root's `[workspace.dependencies]`, where the renaming then
//! lives. A dependency's key is its name in code, with `-` read as `_`.

use crate::toml::{self, Entry, Value};
use std::cell::OnceCell;

/// Which kind of dependency table a dependency is declared in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Section {
    /// `[dependencies]` or `[target.<cfg>.dependencies]`.
    Normal,
    /// `[dev-dependencies]` or its target-specific form.
    Dev,
    /// `[build-dependencies]` or its target-specific form.
    Build,
    /// `[workspace.dependencies]`, only in a workspace root.
    Workspace,
}

/// One dependency as one manifest declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dependency {
    /// The table it is declared in.
    pub(crate) section: Section,
    /// Its key in that table.
    pub(crate) key: String,
    /// The `package = "..."` it renames, if any.
    pub(crate) package: Option<String>,
    /// Whether it says `workspace = true`.
    pub(crate) workspace: bool,
}

impl Dependency {
    fn new(section: Section, key: &str) -> Dependency {
        Dependency {
            section,
            key: key.to_owned(),
            package: None,
            workspace: false,
        }
    }

    /// The package it names when the declaration is read alone.
    fn package(&self) -> &str {
        self.package.as_deref().unwrap_or(&self.key)
    }
}

/// A parsed `Cargo.toml`.
#[derive(Debug)]
pub(crate) struct Manifest {
    entries: Vec<Entry>,
}

impl Manifest {
    /// Reads a manifest's text, or `None` if this reader cannot follow it.
    pub(crate) fn parse(text: &str) -> Option<Manifest> {
        toml::parse(text).map(|entries| Manifest { entries })
    }

    /// `[package] name`.
    pub(crate) fn package_name(&self) -> Option<&str> {
        self.entries.iter().find_map(|entry| match &entry.value {
            Value::Str(name) if entry.key == ["package", "name"] => Some(name.as_str()),
            _ => None,
        })
    }

    /// Whether this manifest has a `[workspace]` table, which makes it a workspace root.
    pub(crate) fn is_workspace_root(&self) -> bool {
        self.entries
            .iter()
            .any(|entry| entry.key.first().is_some_and(|table| table == "workspace"))
    }

    /// Every dependency declared in this manifest, in order of first appearance.
    pub(crate) fn dependencies(&self) -> Vec<Dependency> {
        let mut found: Vec<Dependency> = Vec::new();
        for entry in &self.entries {
            let Some((section, key, rest)) = locate(&entry.key) else {
                continue;
            };
            let index = match found
                .iter()
                .position(|dep| dep.section == section && dep.key == key)
            {
                Some(index) => index,
                None => {
                    found.push(Dependency::new(section, key));
                    found.len() - 1
                }
            };
            apply(&mut found[index], rest, &entry.value);
        }
        found
    }
}

/// The name under which the crate of `member` sees `package`, if it depends on it at all.
///
/// Normal dependencies are preferred, then dev- and build-dependencies (build-dependencies first
/// when `build_script` is set, since that is all a build script sees). `load_root` finds the
/// workspace root's manifest; it is called at most once, and only if a dependency says
/// `workspace = true`.
pub(crate) fn local_name(
    member: &Manifest,
    package: &str,
    build_script: bool,
    load_root: impl Fn() -> Option<Manifest>,
) -> Option<String> {
    let mut dependencies = member.dependencies();
    dependencies.retain(|dep| dep.section != Section::Workspace);
    dependencies.sort_by_key(|dep| (build_script && dep.section != Section::Build, dep.section));
    let root = OnceCell::new();
    dependencies
        .iter()
        .find(|dep| {
            if dep.workspace {
                let root = root.get_or_init(&load_root);
                inherited_package(root.as_ref(), &dep.key).as_deref() == Some(package)
            } else {
                dep.package() == package
            }
        })
        .map(|dep| dep.key.replace('-', "_"))
}

/// The package that `[workspace.dependencies] <key>` in the root names.
fn inherited_package(root: Option<&Manifest>, key: &str) -> Option<String> {
    root?
        .dependencies()
        .into_iter()
        .find(|dep| dep.section == Section::Workspace && dep.key == key)
        .map(|dep| dep.package().to_owned())
}

/// Splits a key path into the dependency table it is in, the dependency's key, and the rest.
fn locate(path: &[String]) -> Option<(Section, &str, &[String])> {
    match path {
        [workspace, table, key, rest @ ..]
            if workspace == "workspace" && table == "dependencies" =>
        {
            Some((Section::Workspace, key, rest))
        }
        [target, _platform, table, key, rest @ ..] if target == "target" => {
            Some((section_of(table)?, key, rest))
        }
        [table, key, rest @ ..] => Some((section_of(table)?, key, rest)),
        _ => None,
    }
}

fn section_of(table: &str) -> Option<Section> {
    match table {
        "dependencies" => Some(Section::Normal),
        "dev-dependencies" | "dev_dependencies" => Some(Section::Dev),
        "build-dependencies" | "build_dependencies" => Some(Section::Build),
        _ => None,
    }
}

/// Records what one entry under a dependency's key says about it.
fn apply(dep: &mut Dependency, rest: &[String], value: &Value) {
    match (rest, value) {
        ([field], Value::Str(package)) if field == "package" => {
            dep.package = Some(package.clone());
        }
        ([field], Value::Bool(workspace)) if field == "workspace" => dep.workspace = *workspace,
        _ => {}
    }
}

#[cfg(test)]
mod tests;
