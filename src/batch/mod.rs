//! Batch work: cleaning a directory tree of any size in parallel, or a
//! JSONL stream, losing nothing.
//!
//! - [`Walk`] streams the files of a tree that a [`Filter`] matches,
//!   following links to directories but reporting loops;
//! - [`read_input`] reads a file, gzipped or not, never past a byte limit;
//! - [`write_atomic`] writes through a temporary file and a rename, so an
//!   interrupted run leaves whole outputs or none;
//! - [`Batch`] runs one shared pipeline on many workers: [`Batch::mirror`]
//!   mirrors input trees into an output directory, [`Batch::concat`] writes
//!   one stream, [`Batch::jsonl`] cleans a JSONL stream in order;
//! - [`Tally`], [`Summary`] and [`Observer`] report what became of each file.
//!
//! A failing file is recorded and the batch goes on; memory is bounded by
//! the files in flight, not by how many there are.

mod engine;
mod error;
mod filter;
mod jsonl;
mod lines;
mod parallel;
mod plan;
mod read;
mod report;
mod walk;
mod write;

pub use engine::{Batch, BatchOptions};
pub use error::{Cause, FileError};
pub use filter::{is_temp_name, Filter, DEFAULT_GLOBS};
pub use jsonl::JsonlOptions;
pub use lines::{Line, Lines};
pub use parallel::{for_each_unordered, map_ordered, Control};
pub use plan::{SetupError, Source};
pub use read::{binary_offset, is_gzip_name, read_input, read_stream};
pub use report::{Observer, Outcome, Progress, Skip, Summary, Tally};
pub use walk::{Found, Walk};
pub use write::{sweep_temps, temp_beside, write_atomic};

use crate::emit::Format;
use std::path::{Path, PathBuf};

/// Where the output for `file`, found under `root`, goes inside `out_dir`:
/// the same relative path with the extension replaced by the format's
/// (a trailing `.gz` is dropped first).
///
/// ```
/// use std::path::Path;
/// use thresh::batch::output_path;
/// use thresh::emit::Format;
/// let out = output_path(Path::new("scrape"), Path::new("scrape/news/a.html.gz"), Path::new("clean"), Format::Json);
/// assert_eq!(out, Path::new("clean/news/a.json"));
/// ```
pub fn output_path(root: &Path, file: &Path, out_dir: &Path, format: Format) -> PathBuf {
    plan::target_for(file.strip_prefix(root).unwrap_or(file), out_dir, format)
}
