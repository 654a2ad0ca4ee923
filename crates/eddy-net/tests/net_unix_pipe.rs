//! `unix::pipe`: anonymous pipes and FIFOs opened as a `Sender` and a `Receiver`.

mod support;

use eddy_io::{AsyncReadExt, AsyncWriteExt};
use eddy_net::unix::pipe;
use std::io::{self, ErrorKind};
use std::path::PathBuf;
use support::{join2, run};

/// A fresh FIFO in the temp directory, removed when dropped.
struct Fifo(PathBuf);

impl Fifo {
    fn new(name: &str) -> Fifo {
        let path = std::env::temp_dir().join(format!("eddy-{}-{name}.fifo", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let status = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(status.success(), "mkfifo {}", path.display());
        Fifo(path)
    }
}

impl Drop for Fifo {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn an_anonymous_pipe_carries_bytes_then_end_of_file() {
    run(async {
        let (mut sender, mut receiver) = pipe::pipe().unwrap();
        let writer = async move {
            sender.write_all(&[7; 100_000]).await.unwrap();
        };
        let reader = async {
            let mut all = Vec::new();
            receiver.read_to_end(&mut all).await.unwrap();
            all
        };
        let ((), all) = join2(writer, reader).await;
        assert_eq!(all.len(), 100_000);
        assert!(all.iter().all(|&byte| byte == 7));
    });
}

#[test]
fn try_read_and_try_write_without_waiting() {
    run(async {
        let (sender, receiver) = pipe::pipe().unwrap();
        let mut buf = [0; 4];
        assert_eq!(
            receiver.try_read(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        sender.writable().await.unwrap();
        assert_eq!(sender.try_write(b"ping").unwrap(), 4);
        receiver.readable().await.unwrap();
        let mut grown = Vec::with_capacity(4);
        assert_eq!(receiver.try_read_buf(&mut grown).unwrap(), 4);
        assert_eq!(grown, b"ping");
        drop(sender);
        receiver.readable().await.unwrap();
        assert_eq!(receiver.try_read(&mut buf).unwrap(), 0, "end of file");
    });
}

#[test]
fn a_fifo_opens_as_both_ends() {
    run(async {
        let fifo = Fifo::new("both-ends");
        // No reader yet: a write-only open fails with ENXIO.
        let error = pipe::OpenOptions::new().open_sender(&fifo.0).unwrap_err();
        assert_eq!(error.raw_os_error(), Some(libc::ENXIO));
        let mut receiver = pipe::OpenOptions::new().open_receiver(&fifo.0).unwrap();
        let mut sender = pipe::OpenOptions::new().open_sender(&fifo.0).unwrap();
        sender.write_all(b"through the fifo").await.unwrap();
        drop(sender);
        let mut got = String::new();
        receiver.read_to_string(&mut got).await.unwrap();
        assert_eq!(got, "through the fifo");
    });
}

#[cfg(target_os = "linux")]
#[test]
fn read_write_opens_a_sender_without_a_reader() {
    run(async {
        let fifo = Fifo::new("read-write");
        let sender = pipe::OpenOptions::new()
            .read_write(true)
            .open_sender(&fifo.0)
            .unwrap();
        sender.writable().await.unwrap();
        assert_eq!(sender.try_write(b"kept").unwrap(), 4);
    });
}

#[test]
fn regular_files_and_wrong_modes_are_refused() {
    run(async {
        let exe = std::env::current_exe().unwrap();
        let error = pipe::OpenOptions::new().open_receiver(&exe).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert_eq!(error.to_string(), "not a pipe");

        let (sender, receiver) = pipe::pipe().unwrap();
        let read_end = receiver.into_blocking_fd().unwrap();
        let error = pipe::Sender::from_owned_fd(read_end).unwrap_err();
        assert_eq!(error.to_string(), "not in O_WRONLY or O_RDWR access mode");
        let write_end = sender.into_nonblocking_fd().unwrap();
        let sender = pipe::Sender::from_owned_fd(write_end).unwrap();
        // The read end was dropped with the refused `Sender`: writing breaks the pipe.
        sender.writable().await.unwrap();
        assert_eq!(
            sender.try_write(b"x").map_err(|e| e.kind()),
            Err(ErrorKind::BrokenPipe)
        );
    });
}

#[test]
fn std_pipe_ends_are_switched_to_non_blocking() -> io::Result<()> {
    run(async {
        let (reader, writer) = std::io::pipe()?;
        let receiver = pipe::Receiver::from_owned_fd(reader.into())?;
        let sender = pipe::Sender::from_owned_fd(writer.into())?;
        let mut buf = [0; 1];
        // A blocking read end would hang here instead of reporting `WouldBlock`.
        assert_eq!(
            receiver.try_read(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        sender.writable().await?;
        sender.try_write(b"y")?;
        receiver.readable().await?;
        assert_eq!(receiver.try_read(&mut buf)?, 1);
        Ok(())
    })
}
