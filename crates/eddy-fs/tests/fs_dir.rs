//! Directories: creating and removing them, and `read_dir`'s batched listing (every entry once
//! across batches, errors, cancel safety, what each entry knows); on both runtime flavors.

mod support;

use eddy_fs::{read_dir, DirBuilder};
use std::collections::HashSet;
use std::future::poll_fn;
use std::io::ErrorKind;
use std::task::Poll;
use support::on_both_flavors;

#[test]
fn create_and_remove_directories() {
    on_both_flavors(|dir| async move {
        let one = dir.join("one");
        eddy_fs::create_dir(&one).await.unwrap();
        assert!(one.is_dir());
        let error = eddy_fs::create_dir(&one).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AlreadyExists);
        let error = eddy_fs::create_dir(dir.join("no/parent"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);

        let deep = dir.join("a/b/c");
        eddy_fs::create_dir_all(&deep).await.unwrap();
        eddy_fs::create_dir_all(&deep).await.unwrap();
        assert!(deep.is_dir());

        eddy_fs::remove_dir(&one).await.unwrap();
        assert!(!one.exists());
        let error = eddy_fs::remove_dir(dir.join("a")).await.unwrap_err();
        assert_ne!(error.kind(), ErrorKind::NotFound, "a is not empty");
        eddy_fs::write(deep.join("file"), b"x").await.unwrap();
        eddy_fs::remove_dir_all(dir.join("a")).await.unwrap();
        assert!(!dir.join("a").exists());
    });
}

#[test]
fn dir_builder_recursive_and_mode() {
    on_both_flavors(|dir| async move {
        let nested = dir.join("x/y");
        let error = DirBuilder::new().create(&nested).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
        DirBuilder::new()
            .recursive(true)
            .create(&nested)
            .await
            .unwrap();
        assert!(nested.is_dir());
        let error = DirBuilder::new().create(&nested).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AlreadyExists);

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let private = dir.join("private");
            DirBuilder::new()
                .mode(0o700)
                .create(&private)
                .await
                .unwrap();
            let mode = eddy_fs::metadata(&private)
                .await
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700);
        }
    });
}

#[test]
fn read_dir_lists_every_entry_once_across_batches() {
    on_both_flavors(|dir| async move {
        // Enough entries for several batches of growing size.
        let count = 2_500;
        for i in 0..count {
            std::fs::write(dir.join(&format!("f{i}")), b"").unwrap();
        }
        std::fs::create_dir(dir.join("sub")).unwrap();
        let mut entries = read_dir(dir.path()).await.unwrap();
        let mut names = HashSet::new();
        while let Some(entry) = entries.next_entry().await.unwrap() {
            let name = entry.file_name().into_string().unwrap();
            assert_eq!(entry.path(), dir.join(&name));
            let is_dir = entry.file_type().await.unwrap().is_dir();
            assert_eq!(is_dir, name == "sub");
            assert!(names.insert(name), "an entry came twice");
        }
        assert_eq!(names.len(), count + 1);
        // The end is sticky.
        assert!(entries.next_entry().await.unwrap().is_none());
    });
}

#[test]
fn read_dir_entry_metadata_and_inode() {
    on_both_flavors(|dir| async move {
        eddy_fs::write(dir.join("a.txt"), b"Hello").await.unwrap();
        let mut entries = read_dir(dir.path()).await.unwrap();
        let entry = entries.next_entry().await.unwrap().unwrap();
        assert_eq!(entry.file_name(), "a.txt");
        let metadata = entry.metadata().await.unwrap();
        assert!(metadata.is_file());
        assert_eq!(metadata.len(), 5);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(entry.ino(), metadata.ino());
        }
        assert!(entries.next_entry().await.unwrap().is_none());
    });
}

#[test]
fn read_dir_of_an_empty_directory() {
    on_both_flavors(|dir| async move {
        let mut entries = read_dir(dir.path()).await.unwrap();
        assert!(entries.next_entry().await.unwrap().is_none());
    });
}

#[test]
fn read_dir_errors() {
    on_both_flavors(|dir| async move {
        let error = read_dir(dir.join("missing")).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
        eddy_fs::write(dir.join("file"), b"").await.unwrap();
        let error = read_dir(dir.join("file")).await.unwrap_err();
        assert_ne!(error.kind(), ErrorKind::NotFound);
    });
}

#[test]
fn read_dir_is_cancel_safe() {
    on_both_flavors(|dir| async move {
        let count = 200;
        for i in 0..count {
            std::fs::write(dir.join(&format!("f{i}")), b"").unwrap();
        }
        let mut entries = read_dir(dir.path()).await.unwrap();
        let mut names = HashSet::new();
        loop {
            // Poll once and give up, as a `select!` losing a race would; a batch being read is
            // kept for the next call.
            let polled = poll_fn(|cx| Poll::Ready(entries.poll_next_entry(cx))).await;
            let entry = match polled {
                Poll::Ready(entry) => entry.unwrap(),
                Poll::Pending => entries.next_entry().await.unwrap(),
            };
            let Some(entry) = entry else { break };
            assert!(names.insert(entry.file_name()), "an entry came twice");
        }
        assert_eq!(names.len(), count);
    });
}
