use super::{facade_and_input, name_in};
use quote::quote;
use std::fs;
use std::path::{Path, PathBuf};

/// A directory tree of manifests under the system's temporary directory, removed on drop.
struct Tree {
    root: PathBuf,
}

impl Tree {
    fn new(name: &str) -> Tree {
        let root = std::env::temp_dir().join(format!("eddy-macros-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        Tree { root }
    }

    /// Writes `dir/Cargo.toml` and returns `dir`.
    fn manifest(&self, dir: &str, text: &str) -> PathBuf {
        let dir = self.root.join(dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("Cargo.toml"), text).unwrap();
        dir
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

const MEMBER_INHERITING_TOKIO: &str = "[package]\nname = \"server\"\nversion = \"0.1.0\"\n\n\
    [dependencies]\ntokio = { workspace = true, features = [\"full\"] }\n";

#[test]
fn workspace_rename_is_found_by_walking_up_to_the_root() {
    let tree = Tree::new("walk");
    tree.manifest(
        ".",
        "[workspace]\nmembers = [\"apps/*\"]\n\n[workspace.dependencies]\n\
         tokio = { package = \"eddy\", path = \"../eddy\" }\n",
    );
    // A directory in between without a manifest, and one whose manifest is not the root.
    tree.manifest("apps", "[package]\nname = \"not-the-root\"\n");
    let member = tree.manifest("apps/server", MEMBER_INHERITING_TOKIO);
    assert_eq!(name_in(&member, "server").as_deref(), Some("tokio"));
}

#[test]
fn the_nearest_workspace_root_decides() {
    let tree = Tree::new("nearest");
    tree.manifest(
        ".",
        "[workspace]\n[workspace.dependencies]\ntokio = { package = \"eddy\" }\n",
    );
    // The inner root says the key `tokio` is some other package: neither eddy nor the compat one.
    tree.manifest(
        "inner",
        "[workspace]\n[workspace.dependencies]\ntokio = { package = \"tokio-fork\", version = \"1\" }\n",
    );
    let member = tree.manifest("inner/server", MEMBER_INHERITING_TOKIO);
    assert_eq!(name_in(&member, "server"), None);
}

#[test]
fn the_facade_and_its_own_tests_use_eddy() {
    let tree = Tree::new("facade");
    let facade = tree.manifest("eddy", "[package]\nname = \"eddy\"\n[dependencies]\n");
    assert_eq!(name_in(&facade, "rt_spawn").as_deref(), Some("eddy"));
    assert_eq!(
        name_in(Path::new("/nonexistent"), "eddy").as_deref(),
        Some("eddy")
    );
}

#[test]
fn missing_or_unreadable_manifests_give_nothing() {
    let tree = Tree::new("missing");
    assert_eq!(name_in(&tree.root.join("nowhere"), "app"), None);
    let broken = tree.manifest("broken", "[package\nname = \"app\"\n");
    assert_eq!(name_in(&broken, "app"), None);
}

#[test]
fn build_scripts_prefer_build_dependencies() {
    let tree = Tree::new("build");
    let app = tree.manifest(
        "app",
        "[package]\nname = \"app\"\n[dependencies]\nrt = { package = \"eddy\" }\n\
         [build-dependencies]\nbuild_rt = { package = \"eddy\" }\n",
    );
    assert_eq!(name_in(&app, "app").as_deref(), Some("rt"));
    assert_eq!(
        name_in(&app, "build_script_build").as_deref(),
        Some("build_rt")
    );
}

#[test]
fn this_workspace_members_see_eddy_under_their_own_names() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    // eddy-macros itself: `eddy = { workspace = true, .. }` among its dev-dependencies.
    assert_eq!(name_in(crate_dir, "macros_run").as_deref(), Some("eddy"));
    // The facade's own tests.
    let facade = crate_dir.parent().unwrap().join("eddy");
    assert_eq!(name_in(&facade, "rt_spawn").as_deref(), Some("eddy"));
}

/// An app's manifest with the given `[dependencies]` and `[dev-dependencies]` lines.
fn app(dependencies: &str, dev_dependencies: &str) -> String {
    format!(
        "[package]\nname = \"app\"\n\n[dependencies]\n{dependencies}\n\n\
         [dev-dependencies]\n{dev_dependencies}\n"
    )
}

#[test]
fn only_tokio_means_the_compat_package_under_its_key() {
    let tree = Tree::new("compat");
    let plain = tree.manifest(
        "plain",
        &app(
            "tokio = { version = \"1.54.1\", features = [\"full\"] }",
            "",
        ),
    );
    assert_eq!(name_in(&plain, "app").as_deref(), Some("tokio"));
    let renamed = tree.manifest(
        "renamed",
        &app("", "rt = { package = \"tokio\", version = \"1\" }"),
    );
    assert_eq!(name_in(&renamed, "app").as_deref(), Some("rt"));
}

#[test]
fn tokio_inherited_from_the_workspace_is_found() {
    let tree = Tree::new("compat-workspace");
    tree.manifest(
        ".",
        "[workspace]\n[workspace.dependencies]\ntokio = { version = \"1.54.1\" }\n\n\
         [patch.crates-io]\ntokio = { path = \"../eddy/crates/tokio\" }\n",
    );
    let member = tree.manifest("server", MEMBER_INHERITING_TOKIO);
    assert_eq!(name_in(&member, "server").as_deref(), Some("tokio"));
}

#[test]
fn eddy_wins_over_tokio_in_the_same_table() {
    // A benchmark comparing eddy with the real Tokio.
    let tree = Tree::new("both");
    let bench = tree.manifest("bench", &app("tokio = \"1\"\neddy = \"0.1\"", ""));
    assert_eq!(name_in(&bench, "app").as_deref(), Some("eddy"));
    let renamed = tree.manifest(
        "renamed",
        &app("tokio = \"1\"\nrt = { package = \"eddy\" }", ""),
    );
    assert_eq!(name_in(&renamed, "app").as_deref(), Some("rt"));
}

#[test]
fn eddy_in_any_table_wins_over_tokio_in_dependencies() {
    // A library on the real Tokio that tests itself on eddy: its tests must not run on Tokio.
    let tree = Tree::new("dev-eddy");
    let library = tree.manifest("library", &app("tokio = \"1\"", "eddy = \"0.1\""));
    assert_eq!(name_in(&library, "library_tests").as_deref(), Some("eddy"));
    let build = tree.manifest(
        "build",
        "[package]\nname = \"app\"\n[dependencies]\ntokio = \"1\"\n\
         [build-dependencies]\neddy = \"0.1\"\n",
    );
    assert_eq!(name_in(&build, "app").as_deref(), Some("eddy"));
}

#[test]
fn this_repository_names_eddy_in_all_three_ways() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let root = crates.parent().unwrap();
    // Mode 2: the dependency renamed to `tokio`.
    let compat = root.join("examples/tokio-compat");
    assert_eq!(name_in(&compat, "compat_rt").as_deref(), Some("tokio"));
    // Mode 3: `tokio` from crates.io, patched onto the compat package.
    let ecosystem = root.join("ecosystem/macros");
    assert_eq!(
        name_in(&ecosystem, "macros_entry").as_deref(),
        Some("tokio")
    );
    // Both eddy and the real Tokio: eddy.
    let benches = root.join("benches");
    assert_eq!(
        name_in(&benches, "rt_current_thread").as_deref(),
        Some("eddy")
    );
    // The compat package itself depends on the facade.
    assert_eq!(
        name_in(&crates.join("tokio"), "tokio").as_deref(),
        Some("eddy")
    );
}

#[test]
fn a_wrapper_given_path_is_split_off_verbatim() {
    let (facade, rest) = facade_and_input(quote!(crate = ::some::facade; biased; a, b));
    assert_eq!(facade.to_string(), quote!(::some::facade).to_string());
    assert_eq!(rest.to_string(), quote!(biased; a, b).to_string());
}

#[test]
fn input_without_the_prefix_is_left_whole() {
    let input = quote!(Some(value) = ready(Some(1)) => value, else => 0);
    let (_, rest) = facade_and_input(input.clone());
    assert_eq!(rest.to_string(), input.to_string());
}
