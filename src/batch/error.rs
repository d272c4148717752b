//! Per-file errors. A batch never stops at one: each is recorded with the
//! path it concerns and the run goes on.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why one file (or one JSONL record) of a batch failed, with its path.
///
/// ```
/// use thresh::batch::{Cause, FileError};
/// let error = FileError::new("scrape/a.txt", Cause::TooLarge { size: 9, limit: 4 });
/// assert_eq!(error.to_string(), "scrape/a.txt: 9 bytes, over the limit of 4 bytes (raise --max-bytes)");
/// assert_eq!(error.cause.label(), "over --max-bytes");
/// ```
#[derive(Debug)]
pub struct FileError {
    /// The file (or `<input>:<line>` for a JSONL record).
    pub path: PathBuf,
    /// What went wrong.
    pub cause: Cause,
}

impl FileError {
    /// An error about `path`.
    pub fn new(path: impl Into<PathBuf>, cause: Cause) -> Self {
        FileError {
            path: path.into(),
            cause,
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.cause)
    }
}

impl std::error::Error for FileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.cause)
    }
}

/// What went wrong with one file, without the path.
#[derive(Debug, thiserror::Error)]
pub enum Cause {
    /// A directory could not be listed.
    #[error("cannot list directory: {0}")]
    List(io::Error),
    /// The file could not be opened or read.
    #[error("cannot read: {0}")]
    Read(io::Error),
    /// The file is larger than the byte limit.
    #[error("{size} bytes, over the limit of {limit} bytes (raise --max-bytes)")]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit in force.
        limit: usize,
    },
    /// A stream of unknown size, or a gzip file once decompressed (a gzip
    /// bomb, or just big), holds more than the byte limit.
    #[error("{what} more than {limit} bytes, over the limit (raise --max-bytes)")]
    OverLimit {
        /// `"decompresses to"`, `"holds"`: what the input does.
        what: &'static str,
        /// The limit in force.
        limit: usize,
    },
    /// A `.gz` file is not valid gzip data.
    #[error("bad gzip data: {0}")]
    BadGzip(io::Error),
    /// The bytes hold a NUL byte early on: an image, an archive, not text.
    #[error("binary data (NUL byte at offset {offset}), not text")]
    Binary {
        /// Where the first NUL byte is.
        offset: usize,
    },
    /// The pipeline refused the document.
    #[error("{0}")]
    Clean(crate::Error),
    /// The output could not be written.
    #[error("cannot write {}: {source}", target.display())]
    Write {
        /// The output path.
        target: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// Another input already maps to the same output file (`a.html` and `a.htm`).
    #[error("output {} is already written from {}; rename one of them", target.display(), first.display())]
    Collision {
        /// The shared output path.
        target: PathBuf,
        /// The input that claimed it first.
        first: PathBuf,
    },
    /// A JSONL line is not a JSON object, or lacks the text field.
    #[error("{0}")]
    Record(String),
    /// The pipeline panicked on this input: a bug, reported rather than fatal.
    #[error("internal error, please report: {0}")]
    Panic(String),
}

impl Cause {
    /// A short name of the kind of failure, the same for every file that
    /// failed this way, so a summary can count failures by cause in bounded
    /// memory however many files fail.
    pub fn label(&self) -> &'static str {
        use crate::Error;
        match self {
            Cause::List(_) => "unlistable directory",
            Cause::Read(_) => "unreadable",
            Cause::TooLarge { .. }
            | Cause::OverLimit { .. }
            | Cause::Clean(Error::InputTooLarge { .. }) => "over --max-bytes",
            Cause::Clean(Error::DecompressedTooLarge { .. }) => "over --max-decompressed-bytes",
            Cause::BadGzip(_) | Cause::Clean(Error::Gzip { .. }) => "bad gzip",
            Cause::Binary { .. } => "binary, not text",
            Cause::Clean(Error::TooManyBlocks { .. }) => "too many blocks",
            Cause::Clean(Error::DomTooDeep { .. }) => "HTML nested too deep",
            Cause::Write { .. } => "unwritable output",
            Cause::Collision { .. } => "output collision",
            Cause::Record(_) => "malformed record",
            Cause::Panic(_) => "internal error",
        }
    }
}
