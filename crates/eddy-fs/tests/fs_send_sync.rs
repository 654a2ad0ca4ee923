//! Every public type of `eddy-fs` is `Send`, `Sync` and `Unpin`, and every future `Send` and
//! `Sync`, as Tokio's are; checked at compile time so that a change that loses one fails to
//! build.

use eddy_fs::{DirBuilder, DirEntry, File, FileTimes, OpenOptions, ReadDir};
use std::path::Path;

fn send_sync_unpin<T: Send + Sync + Unpin>(_: &T) {}
fn send_sync<T: Send + Sync>(_: &T) {}

#[test]
fn types_are_send_sync_and_unpin() {
    fn check<T: Send + Sync + Unpin>() {}
    check::<File>();
    check::<ReadDir>();
    check::<DirEntry>();
    check::<OpenOptions>();
    check::<DirBuilder>();
    check::<FileTimes>();
}

/// Never run: it only has to compile. Each future is checked without being polled.
#[allow(dead_code, unused_must_use, clippy::let_underscore_future)]
async fn futures_are_send_and_sync(
    file: File,
    entries: &mut ReadDir,
    entry: &DirEntry,
    path: &Path,
) {
    send_sync(&File::open(path));
    send_sync(&File::create(path));
    send_sync(&File::create_new(path));
    send_sync(&file.sync_all());
    send_sync(&file.sync_data());
    send_sync(&file.set_len(0));
    send_sync(&file.metadata());
    send_sync(&file.try_clone());
    send_sync(&file.set_permissions(std::fs::metadata(path).unwrap().permissions()));
    send_sync(&file.set_times(FileTimes::new()));
    send_sync(&file.set_modified(std::time::SystemTime::now()));
    send_sync(&OpenOptions::new().open(path));
    send_sync(&DirBuilder::new().create(path));
    send_sync(&entries.next_entry());
    send_sync(&entry.metadata());
    send_sync(&entry.file_type());
    send_sync(&eddy_fs::read_dir(path));
    send_sync(&eddy_fs::read(path));
    send_sync(&eddy_fs::write(path, b"x"));
    send_sync(&eddy_fs::read_to_string(path));
    send_sync(&eddy_fs::copy(path, path));
    send_sync(&eddy_fs::rename(path, path));
    send_sync(&eddy_fs::try_exists(path));
    send_sync(&eddy_fs::canonicalize(path));
    send_sync(&eddy_fs::metadata(path));
    send_sync(&eddy_fs::remove_dir_all(path));
    send_sync_unpin(&file);
    send_sync(&file.into_std());
}
