//! A recursive directory walk that streams: it holds one directory's
//! listing and the directories still to visit, never the whole tree. It
//! never recurses on the stack, never stops at an unreadable entry, and
//! follows symbolic links to directories but not round a loop.

use super::error::{Cause, FileError};
use super::filter::Filter;
use std::collections::VecDeque;
use std::fs::{self, FileType};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One thing a [`Walk`] found.
#[derive(Debug)]
pub enum Found {
    /// A file the filter matched.
    File {
        /// Its path: the root joined with `relative`.
        path: PathBuf,
        /// Its path relative to the root of the walk.
        relative: PathBuf,
    },
    /// A symbolic link to a directory that contains it, not followed: the
    /// files below are reached through the real path.
    Loop {
        /// The link.
        path: PathBuf,
    },
    /// A directory that could not be listed, or an entry that could not be
    /// examined or is not a regular file.
    Error(FileError),
}

/// Identifies a directory however it is reached, to detect loops.
#[cfg(unix)]
type DirId = (u64, u64);
#[cfg(not(unix))]
type DirId = PathBuf;

#[cfg(unix)]
fn dir_id(path: &Path) -> io::Result<DirId> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(path)?;
    Ok((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn dir_id(path: &Path) -> io::Result<DirId> {
    fs::canonicalize(path)
}

/// The directories from the root down to one being visited.
struct Chain {
    id: DirId,
    parent: Option<Arc<Chain>>,
}

impl Chain {
    fn contains(self: &Arc<Chain>, id: &DirId) -> bool {
        let mut node = Some(self);
        while let Some(chain) = node {
            if &chain.id == id {
                return true;
            }
            node = chain.parent.as_ref();
        }
        false
    }
}

struct Pending {
    path: PathBuf,
    chain: Arc<Chain>,
}

/// Every file under a root that a [`Filter`] matches, depth first, each
/// directory's files in name order before its subdirectories.
///
/// ```
/// use thresh::batch::{Filter, Found, Walk};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::create_dir(dir.path().join("sub")).unwrap();
/// std::fs::write(dir.path().join("sub/b.txt"), "b").unwrap();
/// std::fs::write(dir.path().join("a.txt"), "a").unwrap();
/// std::fs::write(dir.path().join("c.png"), "c").unwrap();
/// let found: Vec<String> = Walk::new(dir.path(), Filter::default())
///     .filter_map(|found| match found {
///         Found::File { relative, .. } => Some(relative.display().to_string()),
///         _ => None,
///     })
///     .collect();
/// assert_eq!(found, ["a.txt", "sub/b.txt"]);
/// ```
pub struct Walk {
    root: PathBuf,
    filter: Arc<Filter>,
    stack: Vec<Pending>,
    ready: VecDeque<Found>,
    exclude: Vec<DirId>,
}

impl Walk {
    /// A walk of `root`; a root that cannot be listed comes out as one error.
    pub fn new(root: &Path, filter: impl Into<Arc<Filter>>) -> Walk {
        let mut walk = Walk {
            root: root.to_path_buf(),
            filter: filter.into(),
            stack: Vec::new(),
            ready: VecDeque::new(),
            exclude: Vec::new(),
        };
        match dir_id(root) {
            Ok(id) => walk.stack.push(Pending {
                path: root.to_path_buf(),
                chain: Arc::new(Chain { id, parent: None }),
            }),
            Err(e) => walk.ready.push_back(list_error(root, e)),
        }
        walk
    }

    /// Skips the directory `dir` (and what is below it) wherever the walk
    /// meets it: a run's own output directory nested in its input.
    pub fn exclude(mut self, dir: &Path) -> Walk {
        if let Ok(id) = dir_id(dir) {
            self.exclude.push(id);
        }
        self
    }

    fn visit(&mut self, dir: Pending) {
        let entries = match list_sorted(&dir.path) {
            Ok(entries) => entries,
            Err(e) => return self.ready.push_back(list_error(&dir.path, e)),
        };
        let mut subdirs = Vec::new();
        for (path, kind) in entries {
            match kind {
                Ok(kind) => self.classify(path, kind, &dir.chain, &mut subdirs),
                Err(e) => self.ready.push_back(read_error(&path, e)),
            }
        }
        self.stack.extend(subdirs.into_iter().rev());
    }

    /// Sorts one entry into a file to yield, a directory to visit, a loop or
    /// an error.
    fn classify(
        &mut self,
        path: PathBuf,
        kind: FileType,
        chain: &Arc<Chain>,
        subdirs: &mut Vec<Pending>,
    ) {
        let kind = resolve(&path, kind);
        if let Kind::Dir = kind {
            match dir_id(&path) {
                Ok(id) if self.exclude.contains(&id) => {}
                Ok(id) if chain.contains(&id) => self.ready.push_back(Found::Loop { path }),
                Ok(id) => subdirs.push(Pending {
                    path,
                    chain: Arc::new(Chain {
                        id,
                        parent: Some(Arc::clone(chain)),
                    }),
                }),
                Err(e) => self.ready.push_back(list_error(&path, e)),
            }
            return;
        }
        let relative = path.strip_prefix(&self.root).unwrap_or(&path);
        if !self.filter.matches(relative) {
            return;
        }
        let relative = relative.to_path_buf();
        self.ready.push_back(match kind {
            Kind::File => Found::File { path, relative },
            Kind::Broken(e) => read_error(&path, e),
            // Opening a FIFO or a device could block the walk forever.
            _ => read_error(&path, io::Error::other("not a regular file")),
        });
    }
}

/// What an entry is once symbolic links are followed.
enum Kind {
    Dir,
    File,
    Other,
    /// A dangling link, or links in a loop.
    Broken(io::Error),
}

fn resolve(path: &Path, kind: FileType) -> Kind {
    let kind = if kind.is_symlink() {
        match fs::metadata(path) {
            Ok(meta) => meta.file_type(),
            Err(e) => return Kind::Broken(e),
        }
    } else {
        kind
    };
    match kind {
        kind if kind.is_dir() => Kind::Dir,
        kind if kind.is_file() => Kind::File,
        _ => Kind::Other,
    }
}

impl Iterator for Walk {
    type Item = Found;

    fn next(&mut self) -> Option<Found> {
        loop {
            if let Some(found) = self.ready.pop_front() {
                return Some(found);
            }
            let dir = self.stack.pop()?;
            self.visit(dir);
        }
    }
}

/// A directory's entries with their types, in name order.
fn list_sorted(dir: &Path) -> io::Result<Vec<(PathBuf, io::Result<FileType>)>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        entries.push((entry.path(), entry.file_type()));
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

fn list_error(path: &Path, error: io::Error) -> Found {
    Found::Error(FileError::new(path, Cause::List(error)))
}

fn read_error(path: &Path, error: io::Error) -> Found {
    Found::Error(FileError::new(path, Cause::Read(error)))
}
