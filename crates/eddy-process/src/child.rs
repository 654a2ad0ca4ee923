//! A spawned child: its exit, its kill switch and its pipes.
//!
//! A `Child` is `Running` until a wait collects the exit status, then `Exited` with the status
//! kept, so waiting again returns it again (as std's does). Dropping a running child hands the
//! process to the orphan reaper (`orphan.rs`) after the optional `SIGKILL`.

use crate::exit::ExitWatch;
use crate::orphan;
use crate::stdio::{ChildStderr, ChildStdin, ChildStdout};
use eddy_io::{AsyncRead, AsyncReadExt};
use eddy_reactor::driver::Handle;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::pin;
use std::process::{Child as StdChild, Command as StdCommand, ExitStatus, Output};
use std::task::{Context, Poll};

/// A child process spawned by [`Command::spawn`](crate::Command::spawn).
///
/// Unlike std's, dropping it does not leak a zombie: the runtime reaps the process when it
/// exits (and kills it first if [`Command::kill_on_drop`](crate::Command::kill_on_drop) was
/// set).
pub struct Child {
    state: State,
    /// The child's stdin, if it was piped. Taken by [`Child::wait`], which closes it.
    pub stdin: Option<ChildStdin>,
    /// The child's stdout, if it was piped.
    pub stdout: Option<ChildStdout>,
    /// The child's stderr, if it was piped.
    pub stderr: Option<ChildStderr>,
}

/// The piped standard streams of a new child.
type Pipes = (Option<ChildStdin>, Option<ChildStdout>, Option<ChildStderr>);

enum State {
    Running(Running),
    Exited(ExitStatus),
}

/// A child not yet reaped. `process` is `Some` until the drop hands it to the orphan reaper.
struct Running {
    process: Option<(StdChild, ExitWatch)>,
    kill_on_drop: bool,
}

impl Child {
    /// Spawns `command` and registers the child with the current reactor.
    #[track_caller]
    pub(crate) fn spawn(command: &mut StdCommand, kill_on_drop: bool) -> io::Result<Child> {
        // Looked up first, reported after std's spawn: a missing program is `NotFound` even
        // outside a runtime, as with Tokio, but no child is left running when we panic.
        let handle = Handle::try_current();
        let mut child = command.spawn()?;
        let handle = match handle {
            Ok(handle) => handle,
            Err(error) => {
                let _ = child.kill();
                orphan::reap_on_thread(child);
                panic!("{error}");
            }
        };
        Child::register(child, handle, kill_on_drop)
    }

    fn register(mut child: StdChild, handle: Handle, kill_on_drop: bool) -> io::Result<Child> {
        match Child::pipes(&mut child, &handle) {
            Ok((stdin, stdout, stderr)) => match ExitWatch::new(child.id(), handle) {
                Ok(watch) => Ok(Child {
                    state: State::Running(Running {
                        process: Some((child, watch)),
                        kill_on_drop,
                    }),
                    stdin,
                    stdout,
                    stderr,
                }),
                Err(error) => Err(abandon(child, error)),
            },
            Err(error) => Err(abandon(child, error)),
        }
    }

    fn pipes(child: &mut StdChild, handle: &Handle) -> io::Result<Pipes> {
        let stdin = child.stdin.take();
        let stdout = child.stdout.take();
        let stderr = child.stderr.take();
        Ok((
            stdin
                .map(|io| ChildStdin::with_handle(io, handle.clone()))
                .transpose()?,
            stdout
                .map(|io| ChildStdout::with_handle(io, handle.clone()))
                .transpose()?,
            stderr
                .map(|io| ChildStderr::with_handle(io, handle.clone()))
                .transpose()?,
        ))
    }

    /// The child's process id, or `None` once it has been reaped (the id may be reused).
    pub fn id(&self) -> Option<u32> {
        match &self.state {
            State::Running(running) => running.process.as_ref().map(|(child, _)| child.id()),
            State::Exited(_) => None,
        }
    }

    /// Sends `SIGKILL` without waiting for the child to exit; a no-op once it was reaped.
    ///
    /// Follow it with [`Child::wait`] to collect the status (a dropped child is reaped
    /// anyway).
    pub fn start_kill(&mut self) -> io::Result<()> {
        match &mut self.state {
            State::Running(running) => running.kill(),
            State::Exited(_) => Ok(()),
        }
    }

    /// Sends `SIGKILL` and waits for the child to exit.
    pub async fn kill(&mut self) -> io::Result<()> {
        self.start_kill()?;
        self.wait().await?;
        Ok(())
    }

    /// Closes the child's stdin (so it cannot block reading it), then waits for it to exit.
    ///
    /// Cancel-safe; after it returned, it returns the same status again.
    pub async fn wait(&mut self) -> io::Result<ExitStatus> {
        drop(self.stdin.take());
        let running = match &mut self.state {
            State::Running(running) => running,
            State::Exited(status) => return Ok(*status),
        };
        let status = poll_fn(|cx| running.poll_exit(cx)).await?;
        self.state = State::Exited(status);
        Ok(status)
    }

    /// The exit status if the child has exited (reaping it), `None` if it still runs.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        let running = match &mut self.state {
            State::Running(running) => running,
            State::Exited(status) => return Ok(Some(*status)),
        };
        let status = running.child().try_wait()?;
        if let Some(status) = status {
            self.state = State::Exited(status);
        }
        Ok(status)
    }

    /// Waits for the child while reading all of its piped stdout and stderr.
    ///
    /// Both pipes are read concurrently with the wait, so a child that fills a pipe cannot
    /// deadlock against us. Pipes that were not configured give empty vectors.
    pub async fn wait_with_output(mut self) -> io::Result<Output> {
        let mut stdout_pipe = self.stdout.take();
        let mut stderr_pipe = self.stderr.take();
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let status = {
            let mut wait = pin!(self.wait());
            let mut read_stdout = pin!(read_all(stdout_pipe.as_mut(), &mut stdout));
            let mut read_stderr = pin!(read_all(stderr_pipe.as_mut(), &mut stderr));
            let (mut status, mut stdout_done, mut stderr_done) = (None, false, false);
            poll_fn(|cx| {
                if status.is_none() {
                    if let Poll::Ready(result) = wait.as_mut().poll(cx) {
                        status = Some(result?);
                    }
                }
                if !stdout_done {
                    stdout_done = read_stdout.as_mut().poll(cx)?.is_ready();
                }
                if !stderr_done {
                    stderr_done = read_stderr.as_mut().poll(cx)?.is_ready();
                }
                match status {
                    Some(status) if stdout_done && stderr_done => {
                        Poll::Ready(Ok::<_, io::Error>(status))
                    }
                    _ => Poll::Pending,
                }
            })
            .await?
        };
        // The pipes close only now, after the child exited and both reached their end.
        drop((stdout_pipe, stderr_pipe));
        Ok(Output {
            status,
            stdout,
            stderr,
        })
    }
}

/// Reads `pipe` (if any) to its end into `buf`.
async fn read_all<R: AsyncRead + Unpin>(pipe: Option<&mut R>, buf: &mut Vec<u8>) -> io::Result<()> {
    if let Some(pipe) = pipe {
        pipe.read_to_end(buf).await?;
    }
    Ok(())
}

/// Gives up on a child we could not register: kills it and reaps it off the runtime.
fn abandon(mut child: StdChild, error: io::Error) -> io::Error {
    let _ = child.kill();
    orphan::reap_on_thread(child);
    error
}

impl Running {
    fn child(&mut self) -> &mut StdChild {
        let (child, _) = self
            .process
            .as_mut()
            .expect("eddy: the process is present until drop");
        child
    }

    fn kill(&mut self) -> io::Result<()> {
        self.child().kill()?;
        // Killed already: a later drop need not (and must not, if the pid was reused) kill.
        self.kill_on_drop = false;
        Ok(())
    }

    fn poll_exit(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<ExitStatus>> {
        let (child, watch) = self
            .process
            .as_mut()
            .expect("eddy: the process is present until drop");
        let polled = watch.poll_exit(cx, child);
        if let Poll::Ready(Ok(_)) = polled {
            self.kill_on_drop = false;
        }
        polled
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let Some((mut child, watch)) = self.process.take() else {
            return;
        };
        if self.kill_on_drop {
            let _ = child.kill();
        }
        if let Ok(None) = child.try_wait() {
            orphan::adopt(child, watch);
        }
    }
}

impl fmt::Debug for Child {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Child")
            .field("pid", &self.id())
            .field("stdin", &self.stdin)
            .field("stdout", &self.stdout)
            .field("stderr", &self.stderr)
            .finish_non_exhaustive()
    }
}
