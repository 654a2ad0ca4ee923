//! The process builder: std's `Command`, plus `kill_on_drop` and an async spawn.

use crate::child::Child;
use std::ffi::OsStr;
use std::fmt;
use std::future::Future;
use std::io;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command as StdCommand, ExitStatus, Output, Stdio};

/// Builds and spawns a child process whose exit and pipes are awaited on the runtime.
///
/// The builder methods are std's, returning `&mut Command` so calls chain. By default the child
/// inherits this process's standard streams (as with std); [`Command::output`] pipes stdout and
/// stderr instead.
pub struct Command {
    std: StdCommand,
    kill_on_drop: bool,
}

impl Command {
    /// A command that runs `program`, found through `PATH` if it has no slash.
    pub fn new<S: AsRef<OsStr>>(program: S) -> Command {
        Command::from(StdCommand::new(program))
    }

    /// The std builder inside.
    pub fn as_std(&self) -> &StdCommand {
        &self.std
    }

    /// The std builder inside, for options eddy does not wrap.
    pub fn as_std_mut(&mut self) -> &mut StdCommand {
        &mut self.std
    }

    /// The std builder inside; `kill_on_drop` is lost.
    pub fn into_std(self) -> StdCommand {
        self.std
    }

    /// Appends one argument.
    pub fn arg<S: AsRef<OsStr>>(&mut self, arg: S) -> &mut Command {
        self.std.arg(arg);
        self
    }

    /// Appends several arguments.
    pub fn args<I, S>(&mut self, args: I) -> &mut Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.std.args(args);
        self
    }

    /// Sets an environment variable for the child.
    pub fn env<K, V>(&mut self, key: K, val: V) -> &mut Command
    where
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        self.std.env(key, val);
        self
    }

    /// Sets several environment variables for the child.
    pub fn envs<I, K, V>(&mut self, vars: I) -> &mut Command
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        self.std.envs(vars);
        self
    }

    /// Removes an environment variable from the child's environment.
    pub fn env_remove<K: AsRef<OsStr>>(&mut self, key: K) -> &mut Command {
        self.std.env_remove(key);
        self
    }

    /// Starts the child with an empty environment (plus what `env` adds).
    pub fn env_clear(&mut self) -> &mut Command {
        self.std.env_clear();
        self
    }

    /// Sets the child's working directory.
    pub fn current_dir<P: AsRef<Path>>(&mut self, dir: P) -> &mut Command {
        self.std.current_dir(dir);
        self
    }

    /// Configures the child's standard input; `Stdio::piped()` makes [`Child::stdin`].
    pub fn stdin<T: Into<Stdio>>(&mut self, cfg: T) -> &mut Command {
        self.std.stdin(cfg);
        self
    }

    /// Configures the child's standard output; `Stdio::piped()` makes [`Child::stdout`].
    pub fn stdout<T: Into<Stdio>>(&mut self, cfg: T) -> &mut Command {
        self.std.stdout(cfg);
        self
    }

    /// Configures the child's standard error; `Stdio::piped()` makes [`Child::stderr`].
    pub fn stderr<T: Into<Stdio>>(&mut self, cfg: T) -> &mut Command {
        self.std.stderr(cfg);
        self
    }

    /// Whether dropping the [`Child`] before it exited sends it `SIGKILL` (default: no).
    ///
    /// Either way, a dropped child is reaped by the runtime once it exits.
    pub fn kill_on_drop(&mut self, kill_on_drop: bool) -> &mut Command {
        self.kill_on_drop = kill_on_drop;
        self
    }

    /// Runs the child with user id `id` (`setuid`).
    pub fn uid(&mut self, id: u32) -> &mut Command {
        self.std.uid(id);
        self
    }

    /// Runs the child with group id `id` (`setgid`).
    pub fn gid(&mut self, id: u32) -> &mut Command {
        self.std.gid(id);
        self
    }

    /// Sets the child's `argv[0]`, which by default is the program name.
    pub fn arg0<S: AsRef<OsStr>>(&mut self, arg: S) -> &mut Command {
        self.std.arg0(arg);
        self
    }

    /// Runs `f` in the child after `fork`, before `exec`.
    ///
    /// # Safety
    ///
    /// The same contract as std's [`CommandExt::pre_exec`]: `f` runs in a forked copy of a
    /// possibly multi-threaded process, so it may only do async-signal-safe work (no
    /// allocation, no locks other threads may have held).
    pub unsafe fn pre_exec<F>(&mut self, f: F) -> &mut Command
    where
        F: FnMut() -> io::Result<()> + Send + Sync + 'static,
    {
        // SAFETY: the caller upholds `CommandExt::pre_exec`'s contract, which ours repeats.
        unsafe { self.std.pre_exec(f) };
        self
    }

    /// Puts the child in process group `pgroup` (0: a new group led by the child).
    pub fn process_group(&mut self, pgroup: i32) -> &mut Command {
        self.std.process_group(pgroup);
        self
    }

    /// Spawns the child, registering its exit watch and pipes with the current reactor.
    ///
    /// # Errors
    ///
    /// std's: `NotFound` for a missing program, `PermissionDenied`, `WouldBlock` when the
    /// process limit is reached, ...
    ///
    /// # Panics
    ///
    /// Outside a runtime, or in a runtime built without I/O.
    #[track_caller]
    pub fn spawn(&mut self) -> io::Result<Child> {
        Child::spawn(&mut self.std, self.kill_on_drop)
    }

    /// Spawns the child with its stdio handles closed, and waits for it to exit.
    ///
    /// The spawn happens when this is called; the future only waits.
    #[track_caller]
    pub fn status(&mut self) -> impl Future<Output = io::Result<ExitStatus>> {
        let child = self.spawn();
        async {
            let mut child = child?;
            // The child may block on a pipe we hold: close them all before waiting.
            drop((child.stdin.take(), child.stdout.take(), child.stderr.take()));
            child.wait().await
        }
    }

    /// Spawns the child with stdout and stderr piped, and collects them and its status.
    ///
    /// The spawn happens when this is called; the future only waits and reads.
    #[track_caller]
    pub fn output(&mut self) -> impl Future<Output = io::Result<Output>> {
        self.std.stdout(Stdio::piped());
        self.std.stderr(Stdio::piped());
        let child = self.spawn();
        async { child?.wait_with_output().await }
    }

    /// Whether a dropped [`Child`] is killed; see [`Command::kill_on_drop`].
    pub fn get_kill_on_drop(&self) -> bool {
        self.kill_on_drop
    }
}

impl From<StdCommand> for Command {
    fn from(std: StdCommand) -> Command {
        Command {
            std,
            kill_on_drop: false,
        }
    }
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Command")
            .field("std", &self.std)
            .field("kill_on_drop", &self.kill_on_drop)
            .finish()
    }
}
