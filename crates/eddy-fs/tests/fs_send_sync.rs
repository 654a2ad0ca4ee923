//! Every public type and future of `eddy-fs` is `Send` (and `Sync`, `Unpin` where Tokio's is),
//! checked at compile time so that a change that loses one fails to build.

use eddy_fs::{DirBuilder, DirEntry, File, FileTimes, OpenOptions, ReadDir};
use std::path::Path;

fn send_sync_unpin<T: Send + Sync + Unpin>(_: &T) {}
fn send<T: Send>(_: &T) {}

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
async fn futures_are_send(file: File, entries: &mut ReadDir, entry: &DirEntry, path: &Path) {
    send(&File::open(path));
    send(&File::create(path));
    send(&File::create_new(path));
    send(&file.sync_all());
    send(&file.sync_data());
    send(&file.set_len(0));
    send(&file.metadata());
    send(&file.try_clone());
    send(&file.set_permissions(std::fs::metadata(path).unwrap().permissions()));
    send(&file.set_times(FileTimes::new()));
    send(&file.set_modified(std::time::SystemTime::now()));
    send(&OpenOptions::new().open(path));
    send(&DirBuilder::new().create(path));
    send(&entries.next_entry());
    send(&entry.metadata());
    send(&entry.file_type());
    send(&eddy_fs::read_dir(path));
    send(&eddy_fs::read(path));
    send(&eddy_fs::write(path, b"x"));
    send(&eddy_fs::read_to_string(path));
    send(&eddy_fs::copy(path, path));
    send(&eddy_fs::rename(path, path));
    send(&eddy_fs::try_exists(path));
    send(&eddy_fs::canonicalize(path));
    send(&eddy_fs::metadata(path));
    send(&eddy_fs::remove_dir_all(path));
    send_sync_unpin(&file);
    send(&file.into_std());
}
