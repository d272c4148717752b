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

/// One row of the table that names each cause in summaries.
struct CauseLabel {
    matches: fn(&Cause) -> bool,
    label: &'static str,
}

/// Short, path-free names of causes, so a summary can count failures by
/// cause in bounded memory however many files fail.
const LABELS: &[CauseLabel] = &[
    CauseLabel {
        matches: |c| matches!(c, Cause::List(_)),
        label: "unlistable directory",
    },
    CauseLabel {
        matches: |c| matches!(c, Cause::Read(_)),
        label: "unreadable",
    },
    CauseLabel {
        matches: |c| {
            matches!(
                c,
                Cause::TooLarge { .. }
                    | Cause::OverLimit { .. }
                    | Cause::Clean(crate::Error::InputTooLarge { .. })
            )
        },
        label: "over --max-bytes",
    },
    CauseLabel {
        matches: |c| matches!(c, Cause::BadGzip(_)),
        label: "bad gzip",
    },
    CauseLabel {
        matches: |c| matches!(c, Cause::Binary { .. }),
        label: "binary, not text",
    },
    CauseLabel {
        matches: |c| matches!(c, Cause::Clean(crate::Error::HtmlUnsupported)),
        label: "HTML (not supported yet)",
    },
    CauseLabel {
        matches: |c| matches!(c, Cause::Clean(crate::Error::TooManyBlocks { .. })),
        label: "too many blocks",
    },
    CauseLabel {
        matches: |c| matches!(c, Cause::Write { .. }),
        label: "unwritable output",
    },
    CauseLabel {
        matches: |c| matches!(c, Cause::Collision { .. }),
        label: "output collision",
    },
    CauseLabel {
        matches: |c| matches!(c, Cause::Record(_)),
        label: "malformed record",
    },
    CauseLabel {
        matches: |c| matches!(c, Cause::Panic(_)),
        label: "internal error",
    },
];

impl Cause {
    /// A short name of the kind of failure, the same for every file that
    /// failed this way.
    pub fn label(&self) -> &'static str {
        LABELS
            .iter()
            .find(|row| (row.matches)(self))
            .map_or("other", |row| row.label)
    }
}
