//! `task::Builder`: spawning with options, for now a name.
//!
//! The name travels with the spawn site in a `SpawnMeta` down to the task allocation, which
//! keeps it in the header, where dumps, hooks and tracing read it without touching the future;
//! unnamed spawns through the builder cost what a plain `spawn` does.

use super::local_set::spawn_local_with;
use super::{JoinHandle, LocalSet};
use crate::runtime::task::{SpawnMeta, TaskKind};
use crate::runtime::{scheduler, Handle};
use std::future::Future;
use std::io;

/// Spawns tasks with options (a name) set up front.
///
/// ```
/// use eddy_executor::task;
///
/// let rt = eddy_executor::runtime::Builder::new_current_thread().build().unwrap();
/// rt.block_on(async {
///     let handle = task::Builder::new().name("worker").spawn(async { 1 }).unwrap();
///     assert_eq!(handle.await.unwrap(), 1);
/// });
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct Builder<'a> {
    name: Option<&'a str>,
}

impl<'a> Builder<'a> {
    /// A builder with no options set.
    pub fn new() -> Builder<'a> {
        Builder { name: None }
    }

    /// Names the task, for tracing and metrics.
    pub fn name(self, name: &'a str) -> Builder<'a> {
        Builder { name: Some(name) }
    }

    /// Spawns `future` on the current runtime (see [`spawn`](super::spawn)).
    ///
    /// # Panics
    ///
    /// Panics outside a runtime.
    #[track_caller]
    pub fn spawn<F>(self, future: F) -> io::Result<JoinHandle<F::Output>>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let meta = self.meta(TaskKind::Task);
        let handle = scheduler::with_current(|handle| handle.spawn(future, meta));
        match handle {
            Ok(handle) => Ok(handle),
            Err(error) => panic!("{error}"),
        }
    }

    /// Spawns `future` on the runtime of `handle`.
    #[track_caller]
    pub fn spawn_on<F>(self, future: F, handle: &Handle) -> io::Result<JoinHandle<F::Output>>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Ok(handle.inner.spawn(future, self.meta(TaskKind::Task)))
    }

    /// Spawns a `!Send` `future` on the current [`LocalSet`] (see
    /// [`spawn_local`](super::spawn_local)).
    ///
    /// # Panics
    ///
    /// Panics outside a `LocalSet`.
    #[track_caller]
    pub fn spawn_local<F>(self, future: F) -> io::Result<JoinHandle<F::Output>>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        Ok(spawn_local_with(future, self.meta(TaskKind::Local)))
    }

    /// Spawns a `!Send` `future` on `local_set`.
    #[track_caller]
    pub fn spawn_local_on<F>(
        self,
        future: F,
        local_set: &LocalSet,
    ) -> io::Result<JoinHandle<F::Output>>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        Ok(local_set.spawn_local_with(future, self.meta(TaskKind::Local)))
    }

    /// Runs `func` on the current runtime's blocking pool (see
    /// [`spawn_blocking`](super::spawn_blocking)).
    ///
    /// # Panics
    ///
    /// Panics outside a runtime.
    #[track_caller]
    pub fn spawn_blocking<F, R>(self, func: F) -> io::Result<JoinHandle<R>>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        let meta = self.meta(TaskKind::Blocking);
        let handle = scheduler::with_current(|handle| handle.spawn_blocking(func, meta));
        match handle {
            Ok(handle) => Ok(handle),
            Err(error) => panic!("{error}"),
        }
    }

    /// Runs `func` on the blocking pool of `handle`'s runtime.
    #[track_caller]
    pub fn spawn_blocking_on<F, R>(self, func: F, handle: &Handle) -> io::Result<JoinHandle<R>>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        Ok(handle
            .inner
            .spawn_blocking(func, self.meta(TaskKind::Blocking)))
    }

    /// The name and the caller's location, for a task of `kind`.
    #[track_caller]
    fn meta(self, kind: TaskKind) -> SpawnMeta<'a> {
        SpawnMeta::caller(kind).named(self.name)
    }
}
