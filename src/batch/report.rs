//! What a batch reports: each file's outcome as it happens, running counts
//! for a progress display, and the summary at the end. Memory stays bounded
//! however many files there are: counts are kept per rule and per cause,
//! and per-file details go to an [`Observer`] as they happen.

use super::error::FileError;
use crate::article::Article;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// What became of one file or record.
#[derive(Debug)]
pub enum Outcome {
    /// Cleaned and written.
    Written {
        /// Bytes read (after decompression).
        bytes_in: u64,
        /// Bytes written.
        bytes_out: u64,
    },
    /// Left alone, and nothing is wrong.
    Skipped(Skip),
    /// Not cleaned; the batch went on.
    Failed(FileError),
}

/// Why a file was left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// `--incremental`: its output is newer than the input.
    UpToDate,
    /// A symbolic link leading back to its own ancestor; the files below it
    /// are reached through the real path.
    SymlinkLoop,
}

impl Skip {
    /// A short name of the reason.
    pub fn label(self) -> &'static str {
        match self {
            Skip::UpToDate => "up to date",
            Skip::SymlinkLoop => "symbolic link loop",
        }
    }
}

/// Hears about each file as the batch goes. Called from worker threads, so
/// implementations synchronise what they share; they should be quick, as a
/// worker waits for them.
pub trait Observer: Sync {
    /// An article was cleaned from `source` (before it is written).
    fn cleaned(&self, _source: &Path, _article: &Article) {}
    /// `source` is done, one way or another.
    fn finished(&self, _source: &Path, _outcome: &Outcome) {}
}

/// An observer that ignores everything.
impl Observer for () {}

/// Running counts, safe to read from another thread while a batch runs.
#[derive(Debug, Default)]
pub struct Tally {
    ok: AtomicU64,
    failed: AtomicU64,
    skipped: AtomicU64,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    detail: Mutex<Detail>,
}

#[derive(Debug, Default)]
struct Detail {
    removed_per_rule: BTreeMap<String, u64>,
    failed_by_cause: BTreeMap<&'static str, u64>,
    skipped_by_reason: BTreeMap<&'static str, u64>,
}

/// A snapshot of the running counts, for a progress display.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Files (or records) cleaned and written.
    pub ok: u64,
    /// Files that failed.
    pub failed: u64,
    /// Files skipped.
    pub skipped: u64,
    /// Bytes read so far.
    pub bytes_in: u64,
}

impl Progress {
    /// Files done, whatever their outcome.
    pub fn done(&self) -> u64 {
        self.ok + self.failed + self.skipped
    }
}

impl Tally {
    /// Counts one outcome.
    pub fn record(&self, outcome: &Outcome) {
        let add = |counter: &AtomicU64, n: u64| counter.fetch_add(n, Ordering::Relaxed);
        match outcome {
            Outcome::Written {
                bytes_in,
                bytes_out,
            } => {
                add(&self.bytes_in, *bytes_in);
                add(&self.bytes_out, *bytes_out);
                add(&self.ok, 1);
            }
            Outcome::Skipped(skip) => {
                *self
                    .detail()
                    .skipped_by_reason
                    .entry(skip.label())
                    .or_default() += 1;
                add(&self.skipped, 1);
            }
            Outcome::Failed(error) => {
                *self
                    .detail()
                    .failed_by_cause
                    .entry(error.cause.label())
                    .or_default() += 1;
                add(&self.failed, 1);
            }
        }
    }

    /// Counts the blocks and edges an article lost, per rule.
    pub fn record_removed(&self, article: &Article) {
        let mut detail = self.detail();
        for removed in article.removed() {
            match detail.removed_per_rule.get_mut(removed.rule) {
                Some(count) => *count += 1,
                None => {
                    detail.removed_per_rule.insert(removed.rule.to_owned(), 1);
                }
            }
        }
    }

    /// The counts so far.
    pub fn progress(&self) -> Progress {
        let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        Progress {
            ok: get(&self.ok),
            failed: get(&self.failed),
            skipped: get(&self.skipped),
            bytes_in: get(&self.bytes_in),
        }
    }

    /// The summary of everything counted.
    pub fn summary(&self, elapsed: Duration, interrupted: bool) -> Summary {
        let progress = self.progress();
        let detail = self.detail();
        Summary {
            ok: progress.ok,
            failed: progress.failed,
            skipped: progress.skipped,
            bytes_in: progress.bytes_in,
            bytes_out: self.bytes_out.load(Ordering::Relaxed),
            seconds: elapsed.as_secs_f64(),
            interrupted,
            removed_per_rule: detail.removed_per_rule.clone(),
            failed_by_cause: detail.failed_by_cause.clone(),
            skipped_by_reason: detail.skipped_by_reason.clone(),
        }
    }

    fn detail(&self) -> std::sync::MutexGuard<'_, Detail> {
        // Counts stay meaningful even if an observer panicked mid-update.
        self.detail.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The end-of-run summary: counts, bytes, time, removals per rule, and
/// failures and skips per cause.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Files (or records) cleaned and written.
    pub ok: u64,
    /// Files that failed.
    pub failed: u64,
    /// Files skipped.
    pub skipped: u64,
    /// Bytes read from the files cleaned.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Wall-clock time of the run.
    pub seconds: f64,
    /// True when the run was stopped before it had seen every input.
    pub interrupted: bool,
    /// Blocks and edges removed, per rule.
    pub removed_per_rule: BTreeMap<String, u64>,
    /// Failures per cause (see [`Cause::label`](crate::batch::Cause::label)).
    pub failed_by_cause: BTreeMap<&'static str, u64>,
    /// Skips per reason (see [`Skip::label`]).
    pub skipped_by_reason: BTreeMap<&'static str, u64>,
}

impl Summary {
    /// Input megabytes (10^6 bytes) cleaned per second of the run.
    ///
    /// ```
    /// use thresh::batch::Summary;
    /// let summary = Summary { bytes_in: 3_000_000, seconds: 2.0, ..Summary::default() };
    /// assert_eq!(summary.megabytes_per_second(), 1.5);
    /// ```
    pub fn megabytes_per_second(&self) -> f64 {
        rate(self.bytes_in as f64 / 1e6, self.seconds)
    }

    /// Files (or records) done per second of the run.
    pub fn files_per_second(&self) -> f64 {
        rate((self.ok + self.failed + self.skipped) as f64, self.seconds)
    }

    /// True when nothing failed and nothing was left undone.
    pub fn succeeded(&self) -> bool {
        self.failed == 0 && !self.interrupted
    }
}

fn rate(amount: f64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        amount / seconds
    } else {
        0.0
    }
}
