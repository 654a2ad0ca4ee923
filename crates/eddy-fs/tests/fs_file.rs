//! `File`: reads, writes and seeks through the one-operation-in-flight state machine, the
//! write-reported-early rule and where its errors surface, and the `&self` methods that wait for
//! the operation in flight; each on both runtime flavors, on real files.

mod support;

use eddy_fs::{File, FileTimes, OpenOptions};
use eddy_io::{AsyncRead, AsyncReadExt, AsyncSeek, AsyncSeekExt, AsyncWriteExt, ReadBuf};
use eddy_test_support::task;
use std::future::poll_fn;
use std::io::{IoSlice, SeekFrom};
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, SystemTime};
use support::{on_both_flavors, on_both_flavors_with};

const HELLO: &[u8] = b"hello world";

#[test]
fn write_then_read_back() {
    on_both_flavors(|dir| async move {
        let path = dir.join("a");
        let mut file = File::create(&path).await.unwrap();
        file.write_all(HELLO).await.unwrap();
        file.flush().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), HELLO);

        let mut file = File::open(&path).await.unwrap();
        let mut contents = Vec::new();
        file.read_to_end(&mut contents).await.unwrap();
        assert_eq!(contents, HELLO);
    });
}

#[test]
fn shutdown_flushes_and_large_transfers_cross_many_trips() {
    on_both_flavors(|dir| async move {
        let path = dir.join("large");
        let data: Vec<u8> = (0..5 * 1024 * 1024 + 7).map(|i| (i % 251) as u8).collect();
        let mut file = File::create(&path).await.unwrap();
        file.write_all(&data).await.unwrap();
        file.shutdown().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), data);

        let mut back = Vec::new();
        File::open(&path)
            .await
            .unwrap()
            .read_to_end(&mut back)
            .await
            .unwrap();
        assert_eq!(back, data);
    });
}

#[test]
fn a_failed_background_write_is_reported_by_the_next_write() {
    on_both_flavors(|dir| async move {
        let path = dir.join("read-only");
        std::fs::write(&path, HELLO).unwrap();
        let mut file = File::open(&path).await.unwrap();
        // Reported done before it reaches the file (which is not open for writing)...
        assert_eq!(file.write(b"xyz").await.unwrap(), 3);
        // ...so the failure comes with the next write, once.
        assert!(file.write(b"xyz").await.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), HELLO);
    });
}

#[test]
fn a_failed_background_write_survives_a_read_and_is_reported_by_flush() {
    on_both_flavors(|dir| async move {
        let path = dir.join("read-only");
        std::fs::write(&path, HELLO).unwrap();
        let mut file = File::open(&path).await.unwrap();
        assert_eq!(file.write(b"xyz").await.unwrap(), 3);
        let mut buf = [0; 64];
        let n = file.read(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], HELLO);
        assert!(file.flush().await.is_err());
        // Reported once: the file is usable afterwards.
        file.flush().await.unwrap();
    });
}

#[test]
fn sync_all_keeps_a_write_error_for_flush() {
    on_both_flavors(|dir| async move {
        let path = dir.join("read-only");
        std::fs::write(&path, HELLO).unwrap();
        let mut file = File::open(&path).await.unwrap();
        file.write_all(b"xyz").await.unwrap();
        file.sync_all().await.unwrap();
        assert!(file.flush().await.is_err());
    });
}

/// Starts a read of up to 64 bytes and gives up on it while it is queued, so the bytes it brings
/// stay in the file's buffer for the next, smaller read. The runtime's only blocking thread is
/// held busy meanwhile, so the read cannot complete early.
async fn start_read_ahead(file: &mut File) {
    let (release, gate) = std::sync::mpsc::channel::<()>();
    let blocker = eddy_executor::task::spawn_blocking(move || gate.recv().unwrap());
    poll_fn(|cx| {
        let mut big = [0; 64];
        let polled = Pin::new(&mut *file).poll_read(cx, &mut ReadBuf::new(&mut big));
        assert!(
            polled.is_pending(),
            "the read waits for the blocking thread"
        );
        Poll::Ready(())
    })
    .await;
    release.send(()).unwrap();
    blocker.await.unwrap();
}

#[test]
fn bytes_read_ahead_are_given_back_before_a_write() {
    on_both_flavors_with(1, |dir| async move {
        let path = dir.join("rw");
        std::fs::write(&path, b"0123456789").unwrap();
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .await
            .unwrap();
        // Start a read for up to 64 bytes, then take only 4 of what it brings.
        start_read_ahead(&mut file).await;
        let mut small = [0; 4];
        file.read_exact(&mut small).await.unwrap();
        assert_eq!(&small, b"0123");
        // The write lands where the caller stands (offset 4), not where the kernel's read left
        // the cursor (the end).
        file.write_all(b"ab").await.unwrap();
        file.flush().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"0123ab6789");
        assert_eq!(file.stream_position().await.unwrap(), 6);
    });
}

#[test]
fn relative_seek_counts_from_the_callers_position() {
    on_both_flavors_with(1, |dir| async move {
        let path = dir.join("seek");
        std::fs::write(&path, b"0123456789").unwrap();
        let mut file = File::open(&path).await.unwrap();
        start_read_ahead(&mut file).await;
        let mut two = [0; 2];
        file.read_exact(&mut two).await.unwrap();
        assert_eq!(file.seek(SeekFrom::Current(3)).await.unwrap(), 5);
        file.read_exact(&mut two).await.unwrap();
        assert_eq!(&two, b"56");
        assert_eq!(file.seek(SeekFrom::End(-1)).await.unwrap(), 9);
        assert_eq!(file.seek(SeekFrom::Start(1)).await.unwrap(), 1);
        file.read_exact(&mut two).await.unwrap();
        assert_eq!(&two, b"12");
        file.rewind().await.unwrap();
        assert_eq!(file.stream_position().await.unwrap(), 0);
    });
}

#[test]
fn start_seek_while_an_operation_is_in_flight_is_an_error() {
    on_both_flavors(|dir| async move {
        let path = dir.join("busy");
        std::fs::write(&path, HELLO).unwrap();
        let mut file = File::open(&path).await.unwrap();
        Pin::new(&mut file).start_seek(SeekFrom::Start(3)).unwrap();
        let error = Pin::new(&mut file)
            .start_seek(SeekFrom::Start(0))
            .unwrap_err();
        assert!(error
            .to_string()
            .contains("call poll_complete before start_seek"));
        let position = poll_fn(|cx| Pin::new(&mut file).poll_complete(cx)).await;
        assert_eq!(position.unwrap(), 3);
    });
}

#[test]
fn empty_read_does_not_read_end_of_file() {
    on_both_flavors(|dir| async move {
        let path = dir.join("a");
        std::fs::write(&path, HELLO).unwrap();
        let mut file = File::open(&path).await.unwrap();
        assert_eq!(file.read(&mut []).await.unwrap(), 0);
        let mut buf = [0; 64];
        assert_eq!(file.read(&mut buf).await.unwrap(), HELLO.len());
        assert_eq!(file.read(&mut buf).await.unwrap(), 0);
    });
}

#[test]
fn max_buf_size_caps_each_trip_and_survives_try_clone() {
    on_both_flavors(|dir| async move {
        let path = dir.join("capped");
        let mut file = File::create(&path).await.unwrap();
        file.set_max_buf_size(3);
        assert_eq!(file.max_buf_size(), 3);
        assert_eq!(file.write(HELLO).await.unwrap(), 3);
        let clone = file.try_clone().await.unwrap();
        assert_eq!(clone.max_buf_size(), 3);
        assert_eq!(std::fs::read(&path).unwrap(), b"hel");

        let mut file = File::open(&path).await.unwrap();
        file.set_max_buf_size(1);
        let mut buf = [0; 64];
        assert_eq!(file.read(&mut buf).await.unwrap(), 1);
    });
}

#[test]
#[should_panic(expected = "`max_buf_size` must be greater than 0")]
fn max_buf_size_of_zero_panics() {
    let file = std::fs::File::open(env!("CARGO_MANIFEST_DIR")).unwrap();
    File::from_std(file).set_max_buf_size(0);
}

#[test]
fn write_vectored_takes_every_slice() {
    on_both_flavors(|dir| async move {
        let path = dir.join("vectored");
        let mut file = File::create(&path).await.unwrap();
        let slices = [IoSlice::new(b"ab"), IoSlice::new(b""), IoSlice::new(b"cd")];
        assert_eq!(file.write_vectored(&slices).await.unwrap(), 4);
        file.flush().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"abcd");
    });
}

#[test]
fn set_len_waits_for_the_write_in_flight() {
    on_both_flavors(|dir| async move {
        let path = dir.join("len");
        let mut file = File::create(&path).await.unwrap();
        file.write_all(HELLO).await.unwrap();
        file.set_len(5).await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"hello");
        file.set_len(7).await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"hello\0\0");
        assert_eq!(file.metadata().await.unwrap().len(), 7);
    });
}

#[test]
fn sync_all_and_sync_data_wait_for_the_write_in_flight() {
    on_both_flavors(|dir| async move {
        let path = dir.join("synced");
        let mut file = File::create(&path).await.unwrap();
        file.write_all(b"one").await.unwrap();
        file.sync_all().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        file.write_all(b"two").await.unwrap();
        file.sync_data().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"onetwo");
    });
}

#[test]
fn try_clone_shares_the_cursor() {
    on_both_flavors(|dir| async move {
        let path = dir.join("clone");
        let mut file = File::create(&path).await.unwrap();
        file.write_all(b"first ").await.unwrap();
        let mut clone = file.try_clone().await.unwrap();
        clone.write_all(b"second").await.unwrap();
        clone.flush().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"first second");
    });
}

#[test]
fn into_std_waits_for_the_write_in_flight() {
    on_both_flavors(|dir| async move {
        use std::io::Write;
        let path = dir.join("std");
        let mut file = File::create(&path).await.unwrap();
        file.write_all(b"async ").await.unwrap();
        let mut std_file = file.into_std().await;
        std_file.write_all(b"then std").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"async then std");
    });
}

#[test]
fn try_into_std_on_an_idle_file() {
    on_both_flavors(|dir| async move {
        let path = dir.join("idle");
        let mut file = File::create(&path).await.unwrap();
        file.write_all(HELLO).await.unwrap();
        file.flush().await.unwrap();
        let std_file = file.try_into_std().unwrap();
        assert_eq!(std_file.metadata().unwrap().len(), HELLO.len() as u64);
    });
}

#[test]
fn permissions_and_times() {
    on_both_flavors(|dir| async move {
        let path = dir.join("meta");
        let file = File::create(&path).await.unwrap();
        let mut permissions = file.metadata().await.unwrap().permissions();
        permissions.set_readonly(true);
        file.set_permissions(permissions).await.unwrap();
        assert!(std::fs::metadata(&path).unwrap().permissions().readonly());

        let accessed = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
        let modified = SystemTime::UNIX_EPOCH + Duration::from_secs(1_500_000_000);
        let times = FileTimes::new()
            .set_accessed(accessed)
            .set_modified(modified);
        file.set_times(times).await.unwrap();
        let metadata = file.metadata().await.unwrap();
        assert_eq!(metadata.accessed().unwrap(), accessed);
        assert_eq!(metadata.modified().unwrap(), modified);

        let later = modified + Duration::from_secs(60);
        file.set_modified(later).await.unwrap();
        assert_eq!(file.metadata().await.unwrap().modified().unwrap(), later);
    });
}

#[test]
fn create_new_refuses_an_existing_file() {
    on_both_flavors(|dir| async move {
        let path = dir.join("new");
        File::create_new(&path).await.unwrap();
        let error = File::create_new(&path).await.unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::AlreadyExists);
        let error = File::open(dir.join("missing")).await.unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
    });
}

#[cfg(unix)]
#[test]
fn raw_descriptors_round_trip() {
    use std::os::fd::{AsFd, AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
    on_both_flavors(|dir| async move {
        let path = dir.join("fd");
        std::fs::write(&path, HELLO).unwrap();
        let file = File::open(&path).await.unwrap();
        assert_eq!(file.as_fd().as_raw_fd(), file.as_raw_fd());
        let raw = file.into_std().await.into_raw_fd();
        // SAFETY: `raw` was just released by the std file, so this is its only owner.
        let mut file = unsafe { File::from_raw_fd(raw) };
        let mut contents = Vec::new();
        file.read_to_end(&mut contents).await.unwrap();
        assert_eq!(contents, HELLO);

        let owned = OwnedFd::from(std::fs::File::open(&path).unwrap());
        let mut file = File::from(owned);
        contents.clear();
        file.read_to_end(&mut contents).await.unwrap();
        assert_eq!(contents, HELLO);
    });
}

#[test]
fn debug_shows_the_std_file() {
    let file = File::from(std::fs::File::open(env!("CARGO_MANIFEST_DIR")).unwrap());
    let shown = format!("{file:?}");
    assert!(
        shown.starts_with("tokio::fs::File { std: File {"),
        "{shown}"
    );
}

#[test]
fn many_files_written_and_read_at_once() {
    on_both_flavors(|dir| async move {
        let dir = std::sync::Arc::new(dir);
        let tasks: Vec<_> = (0..64)
            .map(|i| {
                let path = dir.join(&format!("f{i}"));
                eddy_executor::spawn(async move {
                    let body = format!("file number {i}");
                    let mut file = File::create(&path).await.unwrap();
                    file.write_all(body.as_bytes()).await.unwrap();
                    file.flush().await.unwrap();
                    let mut back = String::new();
                    File::open(&path)
                        .await
                        .unwrap()
                        .read_to_string(&mut back)
                        .await
                        .unwrap();
                    assert_eq!(back, body);
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
}

/// Whether `polled` is Tokio's error for a blocking job that did not run.
fn is_background_failure<T>(polled: Poll<std::io::Result<T>>) -> bool {
    match polled {
        Poll::Ready(Err(error)) => error.to_string() == "background task failed",
        _ => false,
    }
}

#[test]
fn operations_fail_cleanly_once_the_pool_is_gone() {
    let dir = support::TempDir::new();
    let path = dir.join("orphan");
    std::fs::write(&path, HELLO).unwrap();
    let runtime = eddy_executor::runtime::Builder::new_multi_thread()
        .build()
        .unwrap();
    let handle = runtime.handle().clone();
    runtime.shutdown_timeout(Duration::ZERO);
    let _entered = handle.enter();

    let open = || {
        let std = std::fs::File::options()
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        File::from_std(std)
    };
    // Each operation fails, and the next one on the same file fails the same way instead of
    // panicking on a poisoned state.
    let mut file = open();
    for _ in 0..2 {
        assert!(is_background_failure(
            task::spawn(file.read(&mut [0; 8])).poll()
        ));
        assert!(is_background_failure(
            task::spawn(file.seek(SeekFrom::Start(0))).poll()
        ));
        assert!(is_background_failure(task::spawn(file.set_len(0)).poll()));
    }
    let mut file = open();
    // A write is reported done before it runs; the failure comes with the next operation.
    assert!(matches!(
        task::spawn(file.write(b"z")).poll(),
        Poll::Ready(Ok(1))
    ));
    assert!(is_background_failure(task::spawn(file.flush()).poll()));
    assert!(is_background_failure(
        task::spawn(eddy_fs::read(&path)).poll()
    ));
    assert!(is_background_failure(
        task::spawn(eddy_fs::read_dir(dir.path())).poll()
    ));
    assert_eq!(std::fs::read(&path).unwrap(), HELLO);
}

#[test]
fn a_write_reported_done_lands_even_if_the_runtime_shuts_down() {
    let dir = support::TempDir::new();
    let path = dir.join("last-words");
    let runtime = eddy_executor::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(1)
        .build()
        .unwrap();
    let (release, gate) = std::sync::mpsc::channel::<()>();
    let (file, probe) = runtime.block_on(async {
        let mut file = File::create(&path).await.unwrap();
        // Hold the only blocking thread, so the write below waits in the pool's queue.
        drop(eddy_executor::task::spawn_blocking(move || {
            let _ = gate.recv();
        }));
        file.write_all(b"last words").await.unwrap();
        // An ordinary job queued behind it: the shutdown cancels this one.
        (file, eddy_executor::task::spawn_blocking(|| ()))
    });
    drop(file);
    let dropper = std::thread::spawn(move || drop(runtime));
    let probed = eddy_core::block_on::block_on(&mut eddy_core::park::ParkThread::new(), probe);
    assert!(probed.unwrap_err().is_cancelled(), "the shutdown has begun");
    // Only now may the blocking thread go on: the write, accepted before the shutdown, runs.
    let _ = release.send(());
    dropper.join().unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"last words");
}
