//! [`DirBuilder`]: std's directory builder, with an `async` [`create`](DirBuilder::create).

use crate::blocking::asyncify;
use std::io;
use std::path::Path;

/// Creates directories with options: recursively or not, and on Unix with a mode.
///
/// ```
/// # let runtime = eddy_executor::runtime::Builder::new_current_thread().build().unwrap();
/// # runtime.block_on(async {
/// let base = std::env::temp_dir().join(format!("eddy-fs-doc-builder-{}", std::process::id()));
/// eddy_fs::DirBuilder::new().recursive(true).create(base.join("a/b")).await?;
/// assert!(base.join("a/b").is_dir());
/// # std::fs::remove_dir_all(&base)?;
/// # Ok::<_, std::io::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Default)]
pub struct DirBuilder {
    recursive: bool,
    #[cfg(unix)]
    mode: Option<u32>,
}

impl DirBuilder {
    /// A builder that creates one directory with the default mode.
    pub fn new() -> DirBuilder {
        DirBuilder::default()
    }

    /// Also create missing parents (and accept a directory that already exists).
    pub fn recursive(&mut self, recursive: bool) -> &mut DirBuilder {
        self.recursive = recursive;
        self
    }

    /// Creates the directory at `path`.
    ///
    /// # Errors
    ///
    /// The errors of [`std::fs::DirBuilder::create`]: without `recursive`,
    /// [`io::ErrorKind::AlreadyExists`] if the path exists and [`io::ErrorKind::NotFound`] if
    /// its parent does not.
    pub async fn create(&self, path: impl AsRef<Path>) -> io::Result<()> {
        let path = path.as_ref().to_owned();
        let builder = self.to_std();
        asyncify(move || builder.create(path)).await
    }

    fn to_std(&self) -> std::fs::DirBuilder {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(self.recursive);
        #[cfg(unix)]
        if let Some(mode) = self.mode {
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, mode);
        }
        builder
    }
}

#[cfg(unix)]
impl DirBuilder {
    /// The permission bits of the directories created (before the umask); `0o777` by default.
    pub fn mode(&mut self, mode: u32) -> &mut DirBuilder {
        self.mode = Some(mode);
        self
    }
}
