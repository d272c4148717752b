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
        /// True for the last file of its directory.
        last: bool,
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
/// directory's files in name order before its subdirectories (or, with
/// [`interleave`](Walk::interleave), a few directories' files in turn).
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
    /// The listed directories whose entries are still to yield, taken in turn.
    open: VecDeque<VecDeque<Found>>,
    width: usize,
    exclude: Vec<DirId>,
}

/// What one directory's listing yields: problems first, then files, so that
/// the last item of a directory with files is a file.
#[derive(Default)]
struct Listing {
    problems: Vec<Found>,
    files: Vec<Found>,
}

impl Walk {
    /// A walk of `root`; a root that cannot be listed comes out as one error.
    pub fn new(root: &Path, filter: impl Into<Arc<Filter>>) -> Walk {
        let mut walk = Walk {
            root: root.to_path_buf(),
            filter: filter.into(),
            stack: Vec::new(),
            open: VecDeque::new(),
            width: 1,
            exclude: Vec::new(),
        };
        match dir_id(root) {
            Ok(id) => walk.stack.push(Pending {
                path: root.to_path_buf(),
                chain: Arc::new(Chain { id, parent: None }),
            }),
            Err(e) => walk.open.push_back(VecDeque::from([list_error(root, e)])),
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

    /// Yields the files of up to `dirs` directories in turn, one from each,
    /// instead of one directory after another. Parallel workers then write
    /// into different output directories, which file systems serialise far
    /// less than writes into one. Memory holds `dirs` listings.
    pub fn interleave(mut self, dirs: usize) -> Walk {
        self.width = dirs.max(1);
        self
    }

    fn visit(&mut self, dir: Pending) -> VecDeque<Found> {
        let entries = match list_sorted(&dir.path) {
            Ok(entries) => entries,
            Err(e) => return VecDeque::from([list_error(&dir.path, e)]),
        };
        let mut listing = Listing::default();
        let mut subdirs = Vec::new();
        for (path, kind) in entries {
            match kind {
                Ok(kind) => self.classify(path, kind, &dir.chain, &mut listing, &mut subdirs),
                Err(e) => listing.problems.push(read_error(&path, e)),
            }
        }
        self.stack.extend(subdirs.into_iter().rev());
        if let Some(Found::File { last, .. }) = listing.files.last_mut() {
            *last = true;
        }
        listing.problems.into_iter().chain(listing.files).collect()
    }

    /// Sorts one entry into a file to yield, a directory to visit, a loop or
    /// an error.
    fn classify(
        &self,
        path: PathBuf,
        kind: FileType,
        chain: &Arc<Chain>,
        listing: &mut Listing,
        subdirs: &mut Vec<Pending>,
    ) {
        let kind = resolve(&path, kind);
        if let Kind::Dir = kind {
            match dir_id(&path) {
                Ok(id) if self.exclude.contains(&id) => {}
                Ok(id) if chain.contains(&id) => listing.problems.push(Found::Loop { path }),
                Ok(id) => subdirs.push(Pending {
                    path,
                    chain: Arc::new(Chain {
                        id,
                        parent: Some(Arc::clone(chain)),
                    }),
                }),
                Err(e) => listing.problems.push(list_error(&path, e)),
            }
            return;
        }
        let relative = path.strip_prefix(&self.root).unwrap_or(&path);
        if !self.filter.matches(relative) {
            return;
        }
        let relative = relative.to_path_buf();
        match kind {
            Kind::File => listing.files.push(Found::File {
                path,
                relative,
                last: false,
            }),
            Kind::Broken(e) => listing.problems.push(read_error(&path, e)),
            // Opening a FIFO or a device could block the walk forever.
            _ => listing
                .problems
                .push(read_error(&path, io::Error::other("not a regular file"))),
        }
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
        while self.open.len() < self.width {
            let Some(dir) = self.stack.pop() else {
                break;
            };
            let listed = self.visit(dir);
            if !listed.is_empty() {
                self.open.push_back(listed);
            }
        }
        let mut turn = self.open.pop_front()?;
        let found = turn.pop_front();
        if !turn.is_empty() {
            self.open.push_back(turn);
        }
        found
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

#[cfg(test)]
mod tests {
    use super::*;

    fn files(walk: Walk) -> Vec<(String, bool)> {
        walk.filter_map(|found| match found {
            Found::File { relative, last, .. } => Some((relative.display().to_string(), last)),
            _ => None,
        })
        .collect()
    }

    #[test]
    fn interleaving_takes_directories_in_turn_and_marks_each_last_file() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a/1.txt", "a/2.txt", "a/3.txt", "b/1.txt", "b/2.txt"] {
            let path = dir.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x").unwrap();
        }
        let turns = files(Walk::new(dir.path(), Filter::default()).interleave(2));
        let expected = [
            ("a/1.txt", false),
            ("b/1.txt", false),
            ("a/2.txt", false),
            ("b/2.txt", true),
            ("a/3.txt", true),
        ];
        let expected: Vec<(String, bool)> =
            expected.iter().map(|(n, l)| (n.to_string(), *l)).collect();
        assert_eq!(turns, expected);
        let in_order: Vec<String> = files(Walk::new(dir.path(), Filter::default()))
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(
            in_order,
            ["a/1.txt", "a/2.txt", "a/3.txt", "b/1.txt", "b/2.txt"]
        );
    }
}
