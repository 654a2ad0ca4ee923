use super::name_in;
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
    tree.manifest(
        "inner",
        "[workspace]\n[workspace.dependencies]\ntokio = \"1\"\n",
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
