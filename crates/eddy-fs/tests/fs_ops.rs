//! The one-shot path functions: whole-file reads and writes, copy, rename, links, metadata,
//! permissions and existence, with std's error kinds for bad input; on both runtime flavors.

mod support;

use std::io::ErrorKind;
use support::on_both_flavors;

#[test]
fn write_and_read_whole_files() {
    on_both_flavors(|dir| async move {
        let path = dir.join("whole");
        eddy_fs::write(&path, b"bytes").await.unwrap();
        assert_eq!(eddy_fs::read(&path).await.unwrap(), b"bytes");
        eddy_fs::write(&path, String::from("a string"))
            .await
            .unwrap();
        assert_eq!(eddy_fs::read_to_string(&path).await.unwrap(), "a string");
        eddy_fs::write(&path, vec![1u8, 2, 3]).await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), [1, 2, 3]);

        eddy_fs::write(&path, [0xffu8, 0xfe]).await.unwrap();
        let error = eddy_fs::read_to_string(&path).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidData);

        let missing = dir.join("missing");
        let error = eddy_fs::read(&missing).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
        let error = eddy_fs::write(dir.join("no/such/dir"), b"x")
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
    });
}

#[test]
fn copy_rename_and_remove() {
    on_both_flavors(|dir| async move {
        let (a, b, c) = (dir.join("a"), dir.join("b"), dir.join("c"));
        eddy_fs::write(&a, b"Hello File!").await.unwrap();
        assert_eq!(eddy_fs::copy(&a, &b).await.unwrap(), 11);
        assert_eq!(std::fs::read(&b).unwrap(), b"Hello File!");

        eddy_fs::rename(&b, &c).await.unwrap();
        assert!(!b.exists());
        assert_eq!(std::fs::read(&c).unwrap(), b"Hello File!");

        eddy_fs::remove_file(&c).await.unwrap();
        let error = eddy_fs::remove_file(&c).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
        let error = eddy_fs::copy(&c, &b).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
        let error = eddy_fs::rename(&c, &b).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
    });
}

#[test]
fn copy_keeps_permissions() {
    on_both_flavors(|dir| async move {
        let (from, to) = (dir.join("from"), dir.join("to"));
        eddy_fs::write(&from, b"x").await.unwrap();
        let mut permissions = eddy_fs::metadata(&from).await.unwrap().permissions();
        permissions.set_readonly(true);
        eddy_fs::set_permissions(&from, permissions.clone())
            .await
            .unwrap();
        eddy_fs::copy(&from, &to).await.unwrap();
        assert_eq!(
            eddy_fs::metadata(&to).await.unwrap().permissions(),
            permissions
        );
    });
}

#[test]
fn hard_links() {
    on_both_flavors(|dir| async move {
        let (src, dst) = (dir.join("src"), dir.join("dst"));
        eddy_fs::write(&src, b"hello").await.unwrap();
        eddy_fs::hard_link(&src, &dst).await.unwrap();
        std::fs::write(&src, b"new data").unwrap();
        assert_eq!(eddy_fs::read(&dst).await.unwrap(), b"new data");
        assert!(eddy_fs::read_link(&dst).await.is_err());

        let error = eddy_fs::hard_link(&src, &dst).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AlreadyExists);
        let error = eddy_fs::hard_link(dir.join("missing"), dir.join("x"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
    });
}

#[cfg(unix)]
#[test]
fn symbolic_links() {
    on_both_flavors(|dir| async move {
        let (src, link) = (dir.join("src"), dir.join("link"));
        eddy_fs::write(&src, b"hello").await.unwrap();
        eddy_fs::symlink(&src, &link).await.unwrap();
        assert_eq!(eddy_fs::read(&link).await.unwrap(), b"hello");
        assert_eq!(eddy_fs::read_link(&link).await.unwrap(), src);
        let metadata = eddy_fs::symlink_metadata(&link).await.unwrap();
        assert!(metadata.file_type().is_symlink());
        assert!(eddy_fs::metadata(&link).await.unwrap().is_file());
        assert_eq!(
            eddy_fs::canonicalize(&link).await.unwrap(),
            std::fs::canonicalize(&src).unwrap()
        );
        let error = eddy_fs::symlink(&src, &link).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AlreadyExists);
    });
}

#[test]
fn canonicalize_and_existence() {
    on_both_flavors(|dir| async move {
        let path = dir.join("here");
        eddy_fs::write(&path, b"").await.unwrap();
        let dotted = dir.path().join(".").join("here");
        assert_eq!(
            eddy_fs::canonicalize(&dotted).await.unwrap(),
            std::fs::canonicalize(&path).unwrap()
        );
        #[cfg(unix)]
        assert_eq!(
            eddy_fs::canonicalize("/.").await.unwrap(),
            std::path::Path::new("/")
        );
        let error = eddy_fs::canonicalize(dir.join("missing"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);

        assert!(eddy_fs::try_exists(&path).await.unwrap());
        assert!(!eddy_fs::try_exists(dir.join("missing")).await.unwrap());
        // A path through a file cannot exist, but is not "certainly missing" either.
        assert!(eddy_fs::try_exists(path.join("below")).await.is_err());
        let error = eddy_fs::metadata(dir.join("missing")).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
    });
}

#[test]
fn many_small_files_at_once() {
    on_both_flavors(|dir| async move {
        let dir = std::sync::Arc::new(dir);
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let path = dir.join(&format!("small{i}"));
                eddy_executor::spawn(async move {
                    let body = i.to_string();
                    eddy_fs::write(&path, &body).await.unwrap();
                    assert_eq!(eddy_fs::read_to_string(&path).await.unwrap(), body);
                    eddy_fs::remove_file(&path).await.unwrap();
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        let mut entries = eddy_fs::read_dir(dir.path()).await.unwrap();
        assert!(entries.next_entry().await.unwrap().is_none());
    });
}

// Outside a runtime there is no blocking pool to run a call on: as with Tokio, polling one
// panics with Tokio's message (here under eddy-core's smallest executor, no runtime entered).

fn poll_outside_a_runtime<F: std::future::Future>(future: F) -> F::Output {
    eddy_core::block_on::block_on(&mut eddy_core::park::ParkThread::new(), future)
}

#[test]
#[should_panic(
    expected = "there is no reactor running, must be called from the context of a Tokio 1.x runtime"
)]
fn a_path_call_outside_a_runtime_panics() {
    let dir = support::TempDir::new();
    let _ = poll_outside_a_runtime(eddy_fs::write(dir.join("bar"), b"never written"));
}

#[test]
#[should_panic(
    expected = "there is no reactor running, must be called from the context of a Tokio 1.x runtime"
)]
fn a_file_read_outside_a_runtime_panics() {
    use eddy_io::AsyncReadExt;
    let dir = support::TempDir::new();
    let path = dir.join("file");
    std::fs::write(&path, b"contents").unwrap();
    let mut file = eddy_fs::File::from_std(std::fs::File::open(&path).unwrap());
    let _ = poll_outside_a_runtime(file.read(&mut [0; 8]));
}
