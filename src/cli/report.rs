//! What a batch tells the user: each failure as it happens, `--explain`
//! audits, the `--report` JSON file, and the closing summary.

use super::explain::explain;
use super::progress::Console;
use anyhow::Context;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tempfile::TempPath;
use thresh::batch::{Observer, Outcome, Skip, Summary};
use thresh::Article;

/// Hears about every file of a batch and tells the user.
pub struct Reporter {
    console: Arc<Console>,
    explain: bool,
    report: Option<Mutex<ReportFile>>,
}

impl Reporter {
    /// Prints to `console`, with the audit of every article when `explain`,
    /// and writes `report` when given.
    pub fn new(console: Arc<Console>, explain: bool, report: Option<&str>) -> anyhow::Result<Self> {
        let report = report.map(ReportFile::create).transpose()?;
        Ok(Reporter {
            console,
            explain,
            report: report.map(Mutex::new),
        })
    }

    /// Completes the report file with the summary and renames it into place.
    pub fn finish(self, summary: &Summary) -> anyhow::Result<()> {
        match self.report {
            Some(report) => report
                .into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .finish(summary),
            None => Ok(()),
        }
    }
}

impl Observer for Reporter {
    fn cleaned(&self, source: &Path, article: &Article) {
        if self.explain {
            self.console
                .print(&explain(&source.display().to_string(), article));
        }
    }

    fn finished(&self, source: &Path, outcome: &Outcome) {
        let entry = match outcome {
            Outcome::Failed(error) => Entry {
                path: &error.path,
                outcome: "failed",
                cause: error.cause.label(),
                error: error.cause.to_string(),
            },
            Outcome::Skipped(Skip::SymlinkLoop) => Entry {
                path: source,
                outcome: "skipped",
                cause: Skip::SymlinkLoop.label(),
                error: "symbolic link to a directory that contains it, not followed".into(),
            },
            _ => return,
        };
        self.console.print(&format!(
            "thresh: {}: {}",
            entry.path.display(),
            entry.error
        ));
        if let Some(report) = &self.report {
            report.lock().unwrap_or_else(|e| e.into_inner()).add(&entry);
        }
    }
}

/// One failed or skipped file in the report.
#[derive(Serialize)]
struct Entry<'a> {
    path: &'a Path,
    outcome: &'static str,
    cause: &'static str,
    error: String,
}

/// The `--report` file, written as files finish so that it needs no memory
/// per file: `{"files": [entries...], "summary": {...}}`, renamed into
/// place when complete.
struct ReportFile {
    out: BufWriter<std::fs::File>,
    temp: TempPath,
    path: PathBuf,
    entries: u64,
    error: Option<std::io::Error>,
}

impl ReportFile {
    fn create(arg: &str) -> anyhow::Result<ReportFile> {
        let path = PathBuf::from(arg);
        let temp =
            thresh::batch::temp_beside(&path).with_context(|| format!("{arg}: cannot write"))?;
        let (file, temp) = temp.into_parts();
        let mut report = ReportFile {
            out: BufWriter::new(file),
            temp,
            path,
            entries: 0,
            error: None,
        };
        report.put(b"{\"files\": [");
        Ok(report)
    }

    fn put(&mut self, bytes: &[u8]) {
        if self.error.is_none() {
            self.error = self.out.write_all(bytes).err();
        }
    }

    fn add(&mut self, entry: &Entry<'_>) {
        let separator: &[u8] = if self.entries == 0 { b"\n  " } else { b",\n  " };
        self.put(separator);
        let json = serde_json::to_vec(entry).unwrap_or_default();
        self.put(&json);
        self.entries += 1;
    }

    fn finish(mut self, summary: &Summary) -> anyhow::Result<()> {
        self.put(b"\n],\n\"summary\": ");
        let json = serde_json::to_vec_pretty(summary).unwrap_or_default();
        self.put(&json);
        self.put(b"}\n");
        let name = self.path.display().to_string();
        if let Some(error) = self.error {
            return Err(error).with_context(|| format!("{name}: cannot write"));
        }
        self.out
            .flush()
            .with_context(|| format!("{name}: cannot write"))?;
        self.temp
            .persist(&self.path)
            .map_err(|e| e.error)
            .with_context(|| format!("{name}: cannot write"))
    }
}

/// The closing summary: counts, bytes, speed, removals per rule, failures
/// per cause. `unit` is "files" or "records".
pub fn summary_text(summary: &Summary, unit: &str) -> String {
    let done = summary.ok + summary.failed + summary.skipped;
    let mut text = format!(
        "thresh: {done} {unit} in {:.1} s: {} ok, {} failed, {} skipped\n",
        summary.seconds, summary.ok, summary.failed, summary.skipped
    );
    let _ = writeln!(
        text,
        "thresh: {} in, {} out, {:.1} MB/s, {:.0} {unit}/s",
        megabytes(summary.bytes_in),
        megabytes(summary.bytes_out),
        summary.megabytes_per_second(),
        summary.files_per_second()
    );
    let groups = [
        ("blocks removed", counts(&summary.removed_per_rule)),
        ("failed", counts(&summary.failed_by_cause)),
        ("skipped", counts(&summary.skipped_by_reason)),
    ];
    for (name, list) in groups {
        if !list.is_empty() {
            let _ = writeln!(text, "thresh: {name}: {list}");
        }
    }
    if summary.interrupted {
        text.push_str("thresh: interrupted; run again with --incremental to finish\n");
    }
    text
}

fn counts<K: std::fmt::Display>(map: &std::collections::BTreeMap<K, u64>) -> String {
    let mut pairs: Vec<_> = map.iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(a.1));
    let items: Vec<String> = pairs.iter().map(|(k, n)| format!("{k} {n}")).collect();
    items.join(", ")
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}
