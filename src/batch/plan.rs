//! Deciding, before any work, what each input becomes: where its output
//! goes, whether another input already claimed that output, and whether
//! the layout of inputs and output is safe at all.

use super::error::{Cause, FileError};
use super::filter::Filter;
use super::report::{Outcome, Skip};
use super::walk::{Found, Walk};
use super::write::sweep_temps;
use crate::emit::Format;
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// One input of a batch: a directory walked recursively, or a lone file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A directory; its files' outputs keep their paths relative to it.
    Dir(PathBuf),
    /// A file; its output goes straight into the output directory.
    File(PathBuf),
}

impl Source {
    /// A directory source if `path` is a directory, a file source otherwise
    /// (a missing file fails when the batch reads it, not before).
    pub fn new(path: impl Into<PathBuf>) -> Source {
        let path = path.into();
        if path.is_dir() {
            Source::Dir(path)
        } else {
            Source::File(path)
        }
    }

    /// The path given.
    pub fn path(&self) -> &Path {
        match self {
            Source::Dir(path) | Source::File(path) => path,
        }
    }
}

/// Why a batch could not start, or had to stop as a whole.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The output directory is an input directory or lies inside one.
    #[error("output directory {} lies inside input directory {}; choose another, or pass --allow-nested-output", out.display(), input.display())]
    NestedOutput {
        /// The output directory.
        out: PathBuf,
        /// The input directory containing it.
        input: PathBuf,
    },
    /// An input directory lies inside the output directory, where outputs
    /// could replace inputs.
    #[error("input directory {} lies inside output directory {}, where outputs could replace inputs; choose another", input.display(), out.display())]
    InputInsideOutput {
        /// The input directory.
        input: PathBuf,
        /// The output directory containing it.
        out: PathBuf,
    },
    /// A path could not be created, resolved or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
}

impl SetupError {
    pub(crate) fn io(path: &Path) -> impl FnOnce(io::Error) -> SetupError + '_ {
        move |source| SetupError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Creates `out_dir` and checks that no input directory contains it (unless
/// `allow_nested`) and that it contains no input directory. Returns the
/// directory's resolved path.
pub(crate) fn check_layout(
    sources: &[Source],
    out_dir: &Path,
    allow_nested: bool,
) -> Result<PathBuf, SetupError> {
    fs::create_dir_all(out_dir).map_err(SetupError::io(out_dir))?;
    let out = out_dir.canonicalize().map_err(SetupError::io(out_dir))?;
    for source in sources {
        let Source::Dir(input) = source else {
            continue;
        };
        let resolved = input.canonicalize().map_err(SetupError::io(input))?;
        // Even when nesting is allowed, outputs beside their inputs could replace them.
        if out.starts_with(&resolved) && (out == resolved || !allow_nested) {
            return Err(SetupError::NestedOutput {
                out: out_dir.to_path_buf(),
                input: input.clone(),
            });
        }
        if resolved.starts_with(&out) && resolved != out {
            return Err(SetupError::InputInsideOutput {
                input: input.clone(),
                out: out_dir.to_path_buf(),
            });
        }
    }
    Ok(out)
}

/// Where the output for a file at `relative` goes inside `out_dir`: the same
/// relative path with the extension replaced by the format's (a trailing
/// `.gz` is dropped first).
pub(crate) fn target_for(relative: &Path, out_dir: &Path, format: Format) -> PathBuf {
    let mut out = out_dir.join(relative);
    if super::read::is_gzip_name(&out) {
        out.set_extension("");
    }
    out.set_extension(format.extension());
    out
}

/// True when `target` exists and is at least as new as `source`. Outputs are
/// renamed into place whole, so an existing one is complete.
pub(crate) fn up_to_date(source: &Path, target: &Path) -> bool {
    let modified = |path: &Path| fs::metadata(path).and_then(|meta| meta.modified());
    match (modified(source), modified(target)) {
        (Ok(input), Ok(output)) => output >= input,
        _ => false,
    }
}

/// One unit of work for the workers.
#[derive(Debug)]
pub(crate) enum Task {
    /// Clean `source`, and write to `target` when mirroring.
    Clean {
        source: PathBuf,
        target: Option<PathBuf>,
    },
    /// Already decided while planning: a walk error, a loop, a collision.
    Done { source: PathBuf, outcome: Outcome },
}

/// Where a planner writes, when it mirrors.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mirror<'a> {
    pub out_dir: &'a Path,
    pub format: Format,
    /// How many input directories to take files from in turn.
    pub interleave: usize,
}

/// Turns what the walks find into tasks, one directory at a time, so that
/// it only remembers the outputs of the directories being planned.
pub(crate) struct Planner<'a> {
    sources: &'a [Source],
    filter: Arc<Filter>,
    mirror: Option<Mirror<'a>>,
    started: SystemTime,
    /// Per open directory (source index, relative path), each output
    /// claimed so far and the input that claimed it.
    claims: HashMap<(usize, PathBuf), HashMap<PathBuf, PathBuf>>,
}

impl<'a> Planner<'a> {
    pub fn new(sources: &'a [Source], filter: Arc<Filter>, mirror: Option<Mirror<'a>>) -> Self {
        Planner {
            sources,
            filter,
            mirror,
            started: SystemTime::now(),
            claims: HashMap::new(),
        }
    }

    /// Every task of every source, in order, planned as they are walked.
    pub fn tasks(mut self) -> impl Iterator<Item = Task> + Send + 'a {
        let filter = Arc::clone(&self.filter);
        let mirror = self.mirror;
        let found = self
            .sources
            .iter()
            .enumerate()
            .flat_map(move |(index, source)| {
                found_in(source, &filter, mirror).map(move |found| (index, found))
            });
        found.map(move |(index, found)| self.plan(index, found))
    }

    fn plan(&mut self, index: usize, found: Found) -> Task {
        match found {
            Found::File {
                path,
                relative,
                last,
            } => {
                let task = self.claim(index, path, &relative);
                if last {
                    let parent = relative.parent().unwrap_or(Path::new(""));
                    self.claims.remove(&(index, parent.to_path_buf()));
                }
                task
            }
            Found::Loop { path } => Task::Done {
                source: path,
                outcome: Outcome::Skipped(Skip::SymlinkLoop),
            },
            Found::Error(error) => Task::Done {
                source: error.path.clone(),
                outcome: Outcome::Failed(error),
            },
        }
    }

    /// Gives `source` its output, unless another input already has it.
    fn claim(&mut self, index: usize, source: PathBuf, relative: &Path) -> Task {
        let Some(mirror) = self.mirror else {
            return Task::Clean {
                source,
                target: None,
            };
        };
        let parent = relative.parent().unwrap_or(Path::new(""));
        let key = (index, parent.to_path_buf());
        if !self.claims.contains_key(&key) {
            let claims = self.enter(index, parent, mirror);
            self.claims.insert(key.clone(), claims);
        }
        let claims = self.claims.entry(key).or_default();
        let target = target_for(relative, mirror.out_dir, mirror.format);
        if let Some(first) = claims.get(&target) {
            let cause = Cause::Collision {
                target,
                first: first.clone(),
            };
            return Task::Done {
                outcome: Outcome::Failed(FileError::new(&source, cause)),
                source,
            };
        }
        if matches!(self.sources[index], Source::File(_)) && same_file(&source, &target) {
            let cause = Cause::Write {
                target,
                source: io::Error::other("the output would replace the input"),
            };
            return Task::Done {
                outcome: Outcome::Failed(FileError::new(&source, cause)),
                source,
            };
        }
        claims.insert(target.clone(), source.clone());
        Task::Clean {
            source,
            target: Some(target),
        }
    }

    /// Starts planning the directory `parent` of source `index`: its output
    /// names may already be taken by earlier sources with the same layout,
    /// and its output directory may hold a killed run's temporary files.
    fn enter(&self, index: usize, parent: &Path, mirror: Mirror<'_>) -> HashMap<PathBuf, PathBuf> {
        let mut claims = HashMap::new();
        for earlier in &self.sources[..index] {
            for (relative, path) in files_in(earlier, parent, &self.filter) {
                let target = target_for(&relative, mirror.out_dir, mirror.format);
                claims.entry(target).or_insert(path);
            }
        }
        // Best effort: a temporary file that stays is ignored by every walk.
        let _ = sweep_temps(&mirror.out_dir.join(parent), self.started);
        claims
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// What a walk of `source` finds.
fn found_in(
    source: &Source,
    filter: &Arc<Filter>,
    mirror: Option<Mirror<'_>>,
) -> Box<dyn Iterator<Item = Found> + Send> {
    match source {
        Source::Dir(root) => {
            let walk = Walk::new(root, Arc::clone(filter));
            Box::new(match mirror {
                Some(mirror) => walk.exclude(mirror.out_dir).interleave(mirror.interleave),
                None => walk,
            })
        }
        Source::File(path) => {
            let relative = PathBuf::from(path.file_name().unwrap_or(path.as_os_str()));
            Box::new(std::iter::once(Found::File {
                path: path.clone(),
                relative,
                last: true,
            }))
        }
    }
}

/// The files `source` has directly in its directory `parent`, as a walk
/// would find them: relative path and full path.
fn files_in(source: &Source, parent: &Path, filter: &Filter) -> Vec<(PathBuf, PathBuf)> {
    match source {
        Source::File(path) if parent.as_os_str().is_empty() => {
            let name = PathBuf::from(path.file_name().unwrap_or(path.as_os_str()));
            vec![(name, path.clone())]
        }
        Source::File(_) => Vec::new(),
        Source::Dir(root) => {
            let dir = root.join(parent);
            let Ok(entries) = fs::read_dir(&dir) else {
                return Vec::new();
            };
            entries
                .flatten()
                .filter(|entry| entry.path().is_file())
                .map(|entry| (parent.join(entry.file_name()), entry.path()))
                .filter(|(relative, _)| filter.matches(relative))
                .collect()
        }
    }
}
