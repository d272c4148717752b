//! Batch work: finding input files, mapping them to output paths, reading
//! them and writing results so that an interrupted run never leaves a
//! half-written file.

mod walk;
mod write;

pub use walk::{is_candidate, walk, DEFAULT_EXTENSIONS};
pub use write::write_atomic;

use crate::emit::Format;
use std::io;
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
    let relative = file.strip_prefix(root).unwrap_or(file);
    let mut out = out_dir.join(relative);
    if out
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("gz"))
    {
        out.set_extension("");
    }
    out.set_extension(format.extension());
    out
}

/// Reads an input file.
pub fn read_input(path: &Path) -> io::Result<Vec<u8>> {
    std::fs::read(path)
}
