//! The batch engine: one shared pipeline, many files, in parallel, each
//! file's outcome recorded and none able to stop the others.

use super::error::{Cause, FileError};
use super::filter::Filter;
use super::parallel::{for_each_unordered, map_ordered, Control};
use super::plan::{check_layout, up_to_date, Mirror, Planner, SetupError, Source, Task};
use super::read::{binary_offset, read_input};
use super::report::{Observer, Outcome, Skip, Summary, Tally};
use super::write::write_atomic;
use crate::emit::{render, to_json_value, Format, TextOptions};
use crate::limits::{gunzip_limited, is_gzip};
use crate::{Article, Input, InputKind, Pipeline};
use std::io::{self, Write};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// How a batch reads, cleans and writes, whatever its inputs and output.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// The output format of each file.
    pub format: Format,
    /// Options of text output.
    pub text: TextOptions,
    /// Which files a directory walk picks up.
    pub filter: Arc<Filter>,
    /// The largest file accepted, after decompression, in bytes.
    pub max_bytes: usize,
    /// A charset label to hint to the decoder.
    pub charset: Option<String>,
    /// Skip inputs whose output is at least as new as they are.
    pub incremental: bool,
    /// Accept an output directory inside an input directory (the walk then
    /// skips it).
    pub allow_nested_output: bool,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            format: Format::Text,
            text: TextOptions::default(),
            filter: Arc::new(Filter::default()),
            max_bytes: crate::Limits::default().max_input_bytes,
            charset: None,
            incremental: false,
            allow_nested_output: false,
        }
    }
}

/// A configured batch: a pipeline shared by every worker, the options, the
/// workers and stop flag, running counts, and an observer of each file.
///
/// ```
/// use thresh::batch::{Batch, BatchOptions, Source};
/// use thresh::Pipeline;
/// let input = tempfile::tempdir().unwrap();
/// let output = tempfile::tempdir().unwrap();
/// std::fs::create_dir(input.path().join("news")).unwrap();
/// std::fs::write(input.path().join("news/a.txt"), "Headline Here\n\nIt’s here.").unwrap();
/// std::fs::write(input.path().join("b.txt"), "A\x00binary").unwrap();
///
/// let pipeline = Pipeline::default();
/// let batch = Batch::new(&pipeline, BatchOptions::default());
/// let summary = batch.mirror(&[Source::new(input.path())], output.path()).unwrap();
/// assert_eq!((summary.ok, summary.failed), (1, 1));
/// let cleaned = std::fs::read_to_string(output.path().join("news/a.txt")).unwrap();
/// assert_eq!(cleaned, "It's here.\n");
/// ```
pub struct Batch<'a> {
    pipeline: &'a Pipeline,
    options: BatchOptions,
    control: Control,
    tally: Arc<Tally>,
    observer: &'a dyn Observer,
}

impl<'a> Batch<'a> {
    /// A batch on all cores, observed by no one.
    pub fn new(pipeline: &'a Pipeline, options: BatchOptions) -> Self {
        Batch {
            pipeline,
            options,
            control: Control::default(),
            tally: Arc::default(),
            observer: &(),
        }
    }

    /// Sets the worker count and the stop flag.
    pub fn control(mut self, control: Control) -> Self {
        self.control = control;
        self
    }

    /// Sets who hears about each file.
    pub fn observer(mut self, observer: &'a dyn Observer) -> Self {
        self.observer = observer;
        self
    }

    /// The running counts, to watch from another thread.
    pub fn tally(&self) -> Arc<Tally> {
        Arc::clone(&self.tally)
    }

    /// The options.
    pub fn options(&self) -> &BatchOptions {
        &self.options
    }

    /// Cleans every file of `sources` into `out_dir`, mirroring each
    /// directory's tree, in parallel. Each output is written atomically.
    /// Fails before any work if the directories overlap unsafely.
    pub fn mirror(&self, sources: &[Source], out_dir: &Path) -> Result<Summary, SetupError> {
        let started = Instant::now();
        check_layout(sources, out_dir, self.options.allow_nested_output)?;
        // A relative directory would cost a getcwd per temporary file.
        let absolute = std::path::absolute(out_dir).map_err(SetupError::io(out_dir))?;
        let mirror = Mirror {
            out_dir: &absolute,
            format: self.options.format,
            interleave: self.control.jobs(),
        };
        let tasks = Planner::new(sources, Arc::clone(&self.options.filter), Some(mirror)).tasks();
        let stopped = for_each_unordered(&self.control, tasks, |task| self.settle(task))
            .map_err(SetupError::io(out_dir))?;
        Ok(self.tally.summary(started.elapsed(), stopped))
    }

    /// Cleans every file of `sources` into one stream, in walk order. In
    /// JSONL format each record gets a `path` field naming its input.
    pub fn concat(&self, sources: &[Source], mut out: impl Write + Send) -> io::Result<Summary> {
        let started = Instant::now();
        let tasks = Planner::new(sources, Arc::clone(&self.options.filter), None).tasks();
        let work = |task| match task {
            Task::Done { source, outcome } => (source, outcome, None),
            Task::Clean { source, .. } => match self.render_file(&source) {
                Ok((rendered, bytes_in)) => {
                    let outcome = Outcome::Written {
                        bytes_in,
                        bytes_out: rendered.len() as u64,
                    };
                    (source, outcome, Some(rendered))
                }
                Err(error) => (source, Outcome::Failed(error), None),
            },
        };
        let sink = |(source, outcome, rendered): (PathBuf, Outcome, Option<String>)| {
            if let Some(rendered) = rendered {
                out.write_all(rendered.as_bytes())?;
            }
            self.finish(&source, outcome);
            Ok(())
        };
        let stopped = map_ordered(&self.control, tasks, work, sink)?;
        out.flush()?;
        Ok(self.tally.summary(started.elapsed(), stopped))
    }

    fn settle(&self, task: Task) {
        let (source, outcome) = match task {
            Task::Done { source, outcome } => (source, outcome),
            Task::Clean {
                source,
                target: Some(target),
            } => {
                let outcome = self.mirror_file(&source, &target);
                (source, outcome)
            }
            Task::Clean { source, .. } => {
                let outcome = self.render_file(&source).map(|(_, bytes_in)| bytes_in);
                let outcome = outcome.map_or_else(Outcome::Failed, |bytes_in| Outcome::Written {
                    bytes_in,
                    bytes_out: 0,
                });
                (source, outcome)
            }
        };
        self.finish(&source, outcome);
    }

    pub(crate) fn finish(&self, source: &Path, outcome: Outcome) {
        self.tally.record(&outcome);
        self.observer.finished(source, &outcome);
    }

    fn mirror_file(&self, source: &Path, target: &Path) -> Outcome {
        if self.options.incremental && up_to_date(source, target) {
            return Outcome::Skipped(Skip::UpToDate);
        }
        let (rendered, bytes_in) = match self.render_file(source) {
            Ok(done) => done,
            Err(error) => return Outcome::Failed(error),
        };
        match write_atomic(target, rendered.as_bytes()) {
            Ok(()) => Outcome::Written {
                bytes_in,
                bytes_out: rendered.len() as u64,
            },
            Err(e) => Outcome::Failed(FileError::new(
                source,
                Cause::Write {
                    target: target.to_path_buf(),
                    source: e,
                },
            )),
        }
    }

    /// Reads, cleans and renders one file; returns the output and the bytes read.
    fn render_file(&self, source: &Path) -> Result<(String, u64), FileError> {
        let bytes = read_input(source, self.options.max_bytes)?;
        let rendered = self.render_bytes(source, &bytes)?;
        Ok((rendered, bytes.len() as u64))
    }

    /// Cleans the bytes of one document read from `source` and renders it
    /// in the batch's format. Refuses binary data. Gzip data (standard
    /// input, or a compressed file not named `.gz`) is inflated first, no
    /// further than the pipeline's `max_decompressed_bytes`, and what it
    /// holds is judged instead of the compressed bytes, which look binary.
    ///
    /// ```
    /// use std::path::Path;
    /// use thresh::batch::{Batch, BatchOptions};
    /// use thresh::Pipeline;
    /// let pipeline = Pipeline::default();
    /// let batch = Batch::new(&pipeline, BatchOptions::default());
    /// assert_eq!(batch.render_bytes(Path::new("-"), b"Body.").unwrap(), "Body.\n");
    /// assert!(batch.render_bytes(Path::new("-"), b"\x89PNG\x00").is_err());
    /// ```
    pub fn render_bytes(&self, source: &Path, bytes: &[u8]) -> Result<String, FileError> {
        let inflated;
        let bytes = if is_gzip(bytes) {
            let limit = self.pipeline.limits().max_decompressed_bytes;
            inflated = gunzip_limited(bytes, limit)
                .map_err(|error| FileError::new(source, Cause::Clean(error)))?;
            &inflated[..]
        } else {
            bytes
        };
        if let Some(offset) = binary_offset(bytes) {
            return Err(FileError::new(source, Cause::Binary { offset }));
        }
        let article = self.clean(source, Input::new(bytes))?;
        Ok(self.render(source, &article))
    }

    fn render(&self, source: &Path, article: &Article) -> String {
        if self.options.format != Format::Jsonl {
            return render(article, self.options.format, self.options.text);
        }
        let mut value = to_json_value(article);
        value["path"] = source.display().to_string().into();
        let mut line = value.to_string();
        line.push('\n');
        line
    }

    /// Cleans one document with the shared pipeline. A panic in the
    /// pipeline becomes this document's failure, not the batch's end.
    pub(crate) fn clean(&self, source: &Path, input: Input<'_>) -> Result<Article, FileError> {
        let mut input = input;
        if let Some(label) = &self.options.charset {
            input = input.charset(label);
        }
        let cleaned = std::panic::catch_unwind(AssertUnwindSafe(|| self.pipeline.clean(input)));
        let article = match cleaned {
            Ok(Ok(article)) => article,
            Ok(Err(error)) => return Err(FileError::new(source, Cause::Clean(error))),
            Err(panic) => return Err(FileError::new(source, Cause::Panic(panic_text(&panic)))),
        };
        self.observer.cleaned(source, &article);
        self.tally.record_removed(&article);
        Ok(article)
    }

    /// Cleans one document of the given kind, as JSONL records need.
    pub(crate) fn clean_kind(
        &self,
        source: &Path,
        bytes: &[u8],
        kind: InputKind,
        url: Option<&str>,
    ) -> Result<Article, FileError> {
        let input = Input::new(bytes).kind(kind);
        self.clean(source, url.map_or(input, |url| input.url(url)))
    }

    pub(crate) fn control_ref(&self) -> &Control {
        &self.control
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_owned())
}
