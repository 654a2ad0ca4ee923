use super::{local_name, Dependency, Manifest, Section};
use std::cell::Cell;

fn manifest(text: &str) -> Manifest {
    Manifest::parse(text).expect("the test manifest should parse")
}

/// The name `member` uses for eddy, with no workspace root around.
fn eddy_name(member: &str) -> Option<String> {
    local_name(&manifest(member), "eddy", false, || None)
}

/// The name `member` uses for eddy, with `root` as the workspace root.
fn eddy_name_in_workspace(member: &str, root: &str) -> Option<String> {
    local_name(&manifest(member), "eddy", false, || Some(manifest(root)))
}

const APP_HEADER: &str = r#"
[package]
name = "app"
version = "0.1.0"
edition = "2021"
description = """
An app. Not a dependency table:
[dependencies]
eddy = "1"
"""
"#;

#[test]
fn plain_dependency_is_found_under_its_own_name() {
    let text = format!(
        "{APP_HEADER}\n[dependencies]\neddy = {{ version = \"0.1\", features = [\"full\"] }}\n"
    );
    assert_eq!(eddy_name(&text).as_deref(), Some("eddy"));
}

#[test]
fn renamed_dependency_is_found_under_its_key() {
    let text = format!(
        "{APP_HEADER}\n[dependencies]\nserde = \"1\"\n\
         tokio = {{ package = \"eddy\", path = \"../eddy/crates/eddy\", features = [\"full\"] }}\n"
    );
    assert_eq!(eddy_name(&text).as_deref(), Some("tokio"));
}

#[test]
fn renamed_dependency_in_its_own_table_with_hyphens() {
    let text = format!(
        "{APP_HEADER}\n[dependencies.my-rt]\npackage = 'eddy'\nversion = \"0.1\"\n\n[features]\ndefault = []\n"
    );
    assert_eq!(eddy_name(&text).as_deref(), Some("my_rt"));
}

#[test]
fn dotted_keys_declare_a_renamed_dependency() {
    let text = format!(
        "{APP_HEADER}\n[dependencies]\ntokio.package = \"eddy\"\ntokio.version = \"0.1\"\n"
    );
    assert_eq!(eddy_name(&text).as_deref(), Some("tokio"));
}

#[test]
fn header_only_dependency_counts() {
    let text = format!("{APP_HEADER}\n[dev-dependencies.eddy]\n");
    assert_eq!(eddy_name(&text).as_deref(), Some("eddy"));
}

#[test]
fn commented_out_entries_do_not_count() {
    let text = format!(
        "{APP_HEADER}\n[dependencies]\n# tokio = {{ package = \"eddy\", path = \"..\" }}\n\
         #eddy = \"0.1\"\nrt = {{ package = \"eddy\", version = \"0.1\" }} # was tokio\n"
    );
    assert_eq!(eddy_name(&text).as_deref(), Some("rt"));
}

#[test]
fn a_package_named_eddy_under_another_key_is_not_confused_with_the_key_eddy() {
    let text = format!(
        "{APP_HEADER}\n[dependencies]\neddy = {{ package = \"eddy-fork\", version = \"1\" }}\n"
    );
    assert_eq!(eddy_name(&text), None);
}

#[test]
fn target_specific_dependency_is_found() {
    let text = format!(
        "{APP_HEADER}\n[target.'cfg(unix)'.dependencies]\n\
         tokio = {{ package = \"eddy\", version = \"0.1\" }}\n\
         [target.x86_64-pc-windows-msvc.dependencies]\nwinapi = \"0.3\"\n"
    );
    assert_eq!(eddy_name(&text).as_deref(), Some("tokio"));
}

#[test]
fn dev_dependency_is_used_when_there_is_no_normal_one() {
    let text = format!(
        "{APP_HEADER}\n[dev-dependencies]\nasync_rt = {{ package = \"eddy\", path = \"..\" }}\n"
    );
    assert_eq!(eddy_name(&text).as_deref(), Some("async_rt"));
}

#[test]
fn normal_dependency_wins_over_dev_and_build_ones() {
    let text = format!(
        "{APP_HEADER}\n[build-dependencies]\nbuild_rt = {{ package = \"eddy\" }}\n\
         [dev-dependencies]\ndev_rt = {{ package = \"eddy\" }}\n\
         [dependencies]\ntokio = {{ package = \"eddy\" }}\n"
    );
    assert_eq!(eddy_name(&text).as_deref(), Some("tokio"));
    let for_build_script = local_name(&manifest(&text), "eddy", true, || None);
    assert_eq!(for_build_script.as_deref(), Some("build_rt"));
}

const WORKSPACE_ROOT: &str = r#"
[workspace]
resolver = "2"
members = [
    "app",   # the binary
    "lib/*",
]

[workspace.package]
version = "0.3.0"

[workspace.dependencies]
tokio = { package = "eddy", path = "vendor/eddy/crates/eddy", features = ["full"] }
serde = { version = "1", features = ["derive"] }

[workspace.dependencies.eddy-other]
package = "eddy"
path = "vendor/eddy/crates/eddy"
"#;

#[test]
fn workspace_inherited_dependency_takes_the_rename_from_the_root() {
    let member = format!("{APP_HEADER}\n[dependencies]\nserde.workspace = true\ntokio = {{ workspace = true, features = [\"macros\"] }}\n");
    assert_eq!(
        eddy_name_in_workspace(&member, WORKSPACE_ROOT).as_deref(),
        Some("tokio")
    );
}

#[test]
fn workspace_inherited_dependency_in_its_own_table() {
    let member = format!("{APP_HEADER}\n[dev-dependencies.eddy-other]\nworkspace = true\n");
    assert_eq!(
        eddy_name_in_workspace(&member, WORKSPACE_ROOT).as_deref(),
        Some("eddy_other")
    );
}

#[test]
fn workspace_inherited_dependency_that_is_not_eddy_is_skipped() {
    let member = format!("{APP_HEADER}\n[dependencies]\nserde = {{ workspace = true }}\n");
    assert_eq!(eddy_name_in_workspace(&member, WORKSPACE_ROOT), None);
}

#[test]
fn workspace_root_is_loaded_once_and_only_when_needed() {
    let loads = Cell::new(0);
    let load = || {
        loads.set(loads.get() + 1);
        Some(manifest(WORKSPACE_ROOT))
    };
    let plain = format!("{APP_HEADER}\n[dependencies]\neddy = \"0.1\"\n");
    assert_eq!(
        local_name(&manifest(&plain), "eddy", false, load).as_deref(),
        Some("eddy")
    );
    assert_eq!(loads.get(), 0);
    let inherited =
        format!("{APP_HEADER}\n[dependencies]\nserde.workspace = true\nother.workspace = true\n");
    assert_eq!(local_name(&manifest(&inherited), "eddy", false, load), None);
    assert_eq!(loads.get(), 1);
}

#[test]
fn workspace_dependencies_of_the_root_itself_are_not_the_crates_own() {
    let root_package = format!("{WORKSPACE_ROOT}\n[package]\nname = \"root\"\n");
    assert_eq!(eddy_name(&root_package), None);
}

#[test]
fn this_workspace_layout_root_package_and_members() {
    let root = manifest(WORKSPACE_ROOT);
    assert!(root.is_workspace_root());
    assert_eq!(root.package_name(), None);
    let member = manifest(APP_HEADER);
    assert!(!member.is_workspace_root());
    assert_eq!(member.package_name(), Some("app"));
}

#[test]
fn dependencies_are_listed_with_their_sections() {
    let text = format!(
        "{APP_HEADER}\n[dependencies]\ntokio = {{ package = \"eddy\" }}\n\
         [dev_dependencies]\nloom.workspace = true\n"
    );
    let listed = manifest(&text).dependencies();
    assert_eq!(
        listed,
        vec![
            Dependency {
                section: Section::Normal,
                key: "tokio".to_owned(),
                package: Some("eddy".to_owned()),
                workspace: false,
            },
            Dependency {
                section: Section::Dev,
                key: "loom".to_owned(),
                package: None,
                workspace: true,
            },
        ]
    );
}

/// The manifests of this very workspace: the root and every member parse, and the root is found
/// to declare eddy among its workspace dependencies.
#[test]
fn this_workspace_manifests_parse() {
    let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let root_dir = crate_dir.ancestors().nth(2).unwrap();
    let root = manifest(&std::fs::read_to_string(root_dir.join("Cargo.toml")).unwrap());
    assert!(root.is_workspace_root());
    let eddy = root
        .dependencies()
        .into_iter()
        .find(|dep| dep.section == Section::Workspace && dep.key == "eddy");
    assert!(
        eddy.is_some(),
        "the root declares `eddy` in [workspace.dependencies]"
    );
    let member_dirs = ["crates", "examples", "."]
        .iter()
        .flat_map(|parent| std::fs::read_dir(root_dir.join(parent)).unwrap())
        .map(|entry| entry.unwrap().path());
    let mut parsed = 0;
    for dir in member_dirs {
        let path = dir.join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&path) {
            let member = Manifest::parse(&text);
            assert!(member.is_some(), "{} should parse", path.display());
            let member = member.unwrap();
            // `ecosystem/` is a workspace of its own: a root without a package.
            assert!(member.package_name().is_some() || member.is_workspace_root());
            parsed += 1;
        }
    }
    assert!(parsed >= 2, "found the member manifests");
}
