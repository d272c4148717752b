//! JSONL streaming: one JSON object per line in, the same object plus the
//! cleaned article per line out, in the same order. A line that cannot be
//! cleaned still produces a line, with an `error` field, so the line counts
//! in and out always match.

use super::engine::Batch;
use super::error::{Cause, FileError};
use super::lines::{Line, Lines};
use super::parallel::map_ordered;
use super::report::{Outcome, Summary};
use crate::{Article, InputKind};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// Which fields a JSONL record is read from and written to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonlOptions {
    /// The field holding an HTML page (tried first).
    pub html_field: String,
    /// The field holding extracted text (tried when there is no HTML field).
    pub text_field: String,
    /// The field the cleaned text goes to.
    pub output_field: String,
    /// Add a `removed` list: each removed piece with its rule and reason.
    pub audit: bool,
}

impl Default for JsonlOptions {
    fn default() -> Self {
        JsonlOptions {
            html_field: "html".into(),
            text_field: "text".into(),
            output_field: "text".into(),
            audit: false,
        }
    }
}

/// The fields of a JSON object in their order, each value's JSON text kept
/// exactly as it came, so that passing it through changes nothing.
struct Fields<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Fields<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct InOrder<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for InOrder<'a> {
            type Value = Fields<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Fields<'a>, M::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(field) = map.next_entry()? {
                    fields.push(field);
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(InOrder(std::marker::PhantomData))
    }
}

impl<'a> Fields<'a> {
    fn get(&self, name: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(key, _)| key == name).map(|(_, v)| *v)
    }

    fn string(&self, name: &str) -> Result<Option<String>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(raw) => serde_json::from_str(raw.get())
                .map(Some)
                .map_err(|_| format!("field {name:?} is not a string")),
        }
    }
}

/// One removed piece in a record's `removed` list.
#[derive(Serialize)]
struct RemovedPiece<'a> {
    rule: &'a str,
    reason: &'a str,
    part: &'a str,
    text: &'a str,
}

/// Writes a JSON object: `kept` fields as they came, then `added` ones.
struct ObjectWriter {
    out: String,
}

impl ObjectWriter {
    fn new() -> Self {
        ObjectWriter {
            out: String::from("{"),
        }
    }

    fn field(&mut self, key: &str, value: &impl Serialize) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        // Strings and raw JSON always serialize.
        self.out
            .push_str(&serde_json::to_string(key).unwrap_or_default());
        self.out.push(':');
        self.out
            .push_str(&serde_json::to_string(value).unwrap_or_else(|_| "null".into()));
    }

    fn kept(&mut self, fields: &Fields<'_>, replaced: &[&str]) {
        for (key, value) in &fields.0 {
            if !replaced.contains(&key.as_str()) {
                self.field(key, value);
            }
        }
    }

    fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// What one line became: the output line (without newline) and whether it
/// was cleaned.
struct Record {
    line: String,
    outcome: Outcome,
}

impl Batch<'_> {
    /// Cleans a JSONL stream: each line of `input` is a JSON object whose
    /// HTML or text field is cleaned; every other field passes through
    /// untouched and `title`, `date`, `byline` and the text field (and with
    /// `audit`, `removed`) are added. Lines are cleaned in parallel and
    /// written in input order. A line that fails gives a line with an
    /// `error` field, to `errors` if given, else to `output`; so every
    /// input line gives exactly one output line. `name` names the input in
    /// errors. A read error of `input` ends the stream and is returned,
    /// after everything read before it is written.
    ///
    /// ```
    /// use thresh::batch::{Batch, BatchOptions, JsonlOptions};
    /// use thresh::Pipeline;
    /// let input = "{\"id\":1,\"text\":\"Headline Here\\n\\nIt’s here.\"}\nnot json\n";
    /// let pipeline = Pipeline::default();
    /// let batch = Batch::new(&pipeline, BatchOptions::default());
    /// let mut out = Vec::new();
    /// let summary = batch
    ///     .jsonl("-", input.as_bytes(), &mut out, None, &JsonlOptions::default())
    ///     .unwrap();
    /// assert_eq!((summary.ok, summary.failed), (1, 1));
    /// let lines: Vec<serde_json::Value> = String::from_utf8(out)
    ///     .unwrap()
    ///     .lines()
    ///     .map(|line| serde_json::from_str(line).unwrap())
    ///     .collect();
    /// assert_eq!(lines[0]["id"], 1);
    /// assert_eq!(lines[0]["title"], "Headline Here");
    /// assert_eq!(lines[0]["text"], "It's here.");
    /// assert_eq!(lines[1]["line"], 2);
    /// assert!(lines[1]["error"].is_string());
    /// ```
    pub fn jsonl(
        &self,
        name: &str,
        input: impl Read + Send,
        output: impl Write + Send,
        errors: Option<&mut (dyn Write + Send)>,
        options: &JsonlOptions,
    ) -> io::Result<Summary> {
        let started = Instant::now();
        let sinks = Sinks {
            output: Mutex::new(output),
            errors: errors.map(Mutex::new),
            waiting: AtomicBool::new(false),
        };
        let mut lines = Lines::new(input, self.options().max_bytes, |waiting| {
            sinks.waiting.store(waiting, Ordering::SeqCst);
            if waiting {
                // Whoever feeds us a line at a time needs the answers so far.
                let _ = sinks.flush();
            }
        });
        let work = |line: Line| self.record(name, options, line);
        let sink = |record: Record| {
            sinks.write(&record)?;
            self.finish(&record_path(name, &record), record.outcome);
            Ok(())
        };
        let stopped = map_ordered(self.control_ref(), lines.by_ref(), work, sink)?;
        let read_error = lines.take_error();
        drop(lines);
        sinks.flush()?;
        match read_error {
            Some(error) => Err(io::Error::new(error.kind(), format!("{name}: {error}"))),
            None => Ok(self.tally().summary(started.elapsed(), stopped)),
        }
    }

    fn record(&self, name: &str, options: &JsonlOptions, line: Line) -> Record {
        let path = PathBuf::from(format!("{name}:{}", line.number));
        let fail = |cause: Cause| Outcome::Failed(FileError::new(&path, cause));
        let bytes = match line.bytes {
            Ok(bytes) => bytes,
            Err(cause) => return malformed(line.number, None, fail(cause)),
        };
        let parsed = match bytes.iter().all(u8::is_ascii_whitespace) {
            true => Err("an empty line, not a JSON object".to_owned()),
            false => serde_json::from_slice(&bytes).map_err(|e| format!("not a JSON object: {e}")),
        };
        let fields: Fields = match parsed {
            Ok(fields) => fields,
            Err(message) => {
                return malformed(line.number, Some(&bytes), fail(Cause::Record(message)));
            }
        };
        match self.clean_fields(&path, &fields, options) {
            Ok(article) => cleaned_record(&fields, &article, bytes.len(), options),
            Err(error) => {
                let mut object = ObjectWriter::new();
                object.kept(&fields, &["error"]);
                object.field("error", &error.cause.to_string());
                Record {
                    line: object.finish(),
                    outcome: Outcome::Failed(error),
                }
            }
        }
    }

    fn clean_fields(
        &self,
        path: &Path,
        fields: &Fields<'_>,
        options: &JsonlOptions,
    ) -> Result<Article, FileError> {
        let fail = |message: String| FileError::new(path, Cause::Record(message));
        let html = fields.string(&options.html_field).map_err(fail)?;
        let (body, kind) = match html {
            Some(html) => (html, InputKind::Html),
            None => match fields.string(&options.text_field).map_err(fail)? {
                Some(text) => (text, InputKind::Text),
                None => {
                    let (html, text) = (&options.html_field, &options.text_field);
                    return Err(fail(format!("no {html:?} or {text:?} field")));
                }
            },
        };
        let url = fields.string("url").ok().flatten();
        self.clean_kind(path, body.as_bytes(), kind, url.as_deref())
    }
}

/// The record of a cleaned line: the input's fields, then the article's.
fn cleaned_record(
    fields: &Fields<'_>,
    article: &Article,
    bytes_in: usize,
    options: &JsonlOptions,
) -> Record {
    let output_field = options.output_field.as_str();
    let replaced = ["title", "date", "byline", output_field, "removed"];
    let added = if options.audit {
        &replaced[..]
    } else {
        &replaced[..4]
    };
    let meta = article.meta();
    let mut object = ObjectWriter::new();
    object.kept(fields, added);
    object.field("title", &meta.title);
    object.field("date", &meta.date);
    object.field("byline", &meta.byline);
    object.field(output_field, &article.text());
    if options.audit {
        let removed: Vec<RemovedPiece> = article
            .removed()
            .map(|r| RemovedPiece {
                rule: r.rule,
                reason: r.reason,
                part: r.part,
                text: r.text,
            })
            .collect();
        object.field("removed", &removed);
    }
    let line = object.finish();
    let outcome = Outcome::Written {
        bytes_in: bytes_in as u64,
        bytes_out: line.len() as u64 + 1,
    };
    Record { line, outcome }
}

/// The record for a line that is not a JSON object: the error, the line
/// number and, when it was kept, the line itself, so nothing is lost.
fn malformed(number: u64, bytes: Option<&[u8]>, outcome: Outcome) -> Record {
    let mut object = ObjectWriter::new();
    if let Outcome::Failed(error) = &outcome {
        object.field("error", &error.cause.to_string());
    }
    object.field("line", &number);
    if let Some(bytes) = bytes {
        object.field("input", &String::from_utf8_lossy(bytes));
    }
    Record {
        line: object.finish(),
        outcome,
    }
}

fn record_path(name: &str, record: &Record) -> PathBuf {
    match &record.outcome {
        Outcome::Failed(error) => error.path.clone(),
        _ => PathBuf::from(name),
    }
}

/// Where records go, shared by the workers and the line reader.
struct Sinks<'e, W> {
    output: Mutex<W>,
    errors: Option<Mutex<&'e mut (dyn Write + Send)>>,
    /// Set while the reader waits for input: then each record is flushed
    /// as soon as it is written.
    waiting: AtomicBool,
}

impl<W: Write> Sinks<'_, W> {
    fn write(&self, record: &Record) -> io::Result<()> {
        let failed = matches!(record.outcome, Outcome::Failed(_));
        match (&self.errors, failed) {
            (Some(errors), true) => write_line(&mut *lock(errors), &record.line, &self.waiting),
            _ => write_line(&mut *lock(&self.output), &record.line, &self.waiting),
        }
    }

    fn flush(&self) -> io::Result<()> {
        if let Some(errors) = &self.errors {
            lock(errors).flush()?;
        }
        lock(&self.output).flush()
    }
}

fn write_line(out: &mut impl Write, line: &str, waiting: &AtomicBool) -> io::Result<()> {
    out.write_all(line.as_bytes())?;
    out.write_all(b"\n")?;
    if waiting.load(Ordering::SeqCst) {
        out.flush()?;
    }
    Ok(())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
