//! The pipeline: decode, repair and structure turn bytes into a document,
//! then the chain of document stages runs in order.

use crate::article::Article;
use crate::decode::decode;
use crate::document::{Document, EncodingSource, Metadata};
use crate::error::{BuildError, Error};
use crate::input::{Input, InputKind};
use crate::normalize::{Normalize, Normalizer, QuoteStyle};
use crate::repair::RepairOptions;
use crate::stage::Stage;
use crate::strip::{Boilerplate, Captions, Dates, Dedup, RuleSet, Rules, Tail};
use crate::structure::{detect_language, resolve_kind, Favor, HtmlStructure, TextStructure};
use std::sync::Arc;

/// Hard limits. Input over a limit gets an [`Error`] (or, for long lines,
/// is cut into pieces), never a crash, a stack overflow or a runaway
/// allocation. Every limit is set through
/// [`PipelineBuilder::limits`] and, on the command line, a `--max-*` flag.
///
/// ```
/// use thresh::{Error, Limits, Pipeline};
/// let limits = Limits { max_blocks: 2, ..Limits::default() };
/// let pipeline = Pipeline::builder().limits(limits).build().unwrap();
/// assert_eq!(pipeline.clean("one\ntwo\nthree").unwrap_err(), Error::TooManyBlocks { limit: 2 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest input accepted, in bytes, as handed over (compressed or
    /// not; default 64 MiB).
    pub max_input_bytes: usize,
    /// The most bytes a gzip-compressed input may inflate to (default 64
    /// MiB). Input that starts with the gzip magic bytes is decompressed
    /// first, and decompression stops one byte past this limit, so a gzip
    /// bomb costs at most this much memory. [`read_gzip_limited`](crate::limits::read_gzip_limited)
    /// applies the same limit to callers that decompress themselves.
    pub max_decompressed_bytes: usize,
    /// The most blocks one document may have (default 1,000,000).
    pub max_blocks: usize,
    /// The longest line of text input, in bytes (default 64 KiB). A longer
    /// line is not refused: it is cut into pieces of at most this size, at
    /// a space in the second half of each piece when there is one, and each
    /// piece becomes its own block. No paragraph is that long, and the cut
    /// keeps every later stage's work per block bounded.
    pub max_line_bytes: usize,
    /// The deepest element nesting of HTML input (default 512; `<html>` is
    /// at depth 1). Deeper pages are refused with [`Error::DomTooDeep`] as
    /// soon as the parser builds an element that deep: its scope checks
    /// take time that grows with the depth, so a page nested without limit
    /// would take time quadratic in its size. Text input has no tree.
    pub max_dom_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 64 << 20,
            max_decompressed_bytes: 64 << 20,
            max_blocks: 1_000_000,
            max_line_bytes: 64 << 10,
            max_dom_depth: 512,
        }
    }
}

/// A built-in document stage: its name and how to make it from the
/// builder's settings, so that options set after `without` or `before` still
/// reach it.
struct Builtin {
    name: &'static str,
    make: fn(&PipelineBuilder) -> Arc<dyn Stage>,
}

/// The document stages every pipeline starts with, in order: the strip
/// stages (see [`crate::strip`]), then normalization.
const DEFAULT_CHAIN: &[Builtin] = &[
    Builtin {
        name: "rules",
        make: |builder| Arc::new(Rules::new(Arc::clone(&builder.rules))),
    },
    Builtin {
        name: "captions",
        make: |builder| {
            Arc::new(Captions {
                keep_marked: builder.keep_captions,
            })
        },
    },
    Builtin {
        name: "dates",
        make: |_| Arc::new(Dates),
    },
    Builtin {
        name: "tail",
        make: |builder| Arc::new(Tail::new(Arc::clone(&builder.rules))),
    },
    Builtin {
        name: "dedup",
        make: |_| Arc::new(Dedup),
    },
    Builtin {
        name: "boilerplate",
        make: |_| Arc::new(Boilerplate),
    },
    Builtin {
        name: "normalize",
        make: |builder| Arc::new(Normalize(builder.normalizer)),
    },
];

#[derive(Clone)]
enum Slot {
    Builtin(&'static Builtin),
    Custom(Arc<dyn Stage>),
}

impl Slot {
    fn name(&self) -> &str {
        match self {
            Slot::Builtin(builtin) => builtin.name,
            Slot::Custom(stage) => stage.name(),
        }
    }
}

/// Builds a [`Pipeline`]. The defaults need no configuration; every method
/// takes and returns the builder, so calls chain.
///
/// ```
/// use thresh::normalize::QuoteStyle;
/// use thresh::{Document, Pipeline, Stage};
///
/// struct Shout;
/// impl Stage for Shout {
///     fn name(&self) -> &str { "shout" }
///     fn apply(&self, doc: &mut Document) {
///         for block in doc.kept_mut() {
///             block.text = block.text.to_uppercase();
///         }
///     }
/// }
///
/// let pipeline = Pipeline::builder()
///     .quotes(QuoteStyle::Keep)
///     .before("normalize", Shout)
///     .build()
///     .unwrap();
/// assert_eq!(pipeline.stage_names().last(), Some(&"normalize"));
/// assert!(pipeline.stage_names().ends_with(&["shout", "normalize"]));
/// assert_eq!(pipeline.clean("“quiet”").unwrap().text(), "“QUIET”");
/// ```
#[derive(Clone)]
pub struct PipelineBuilder {
    slots: Vec<Slot>,
    repair: RepairOptions,
    normalizer: Normalizer,
    input_kind: InputKind,
    limits: Limits,
    detect_title: bool,
    rules: Arc<RuleSet>,
    favor: Favor,
    keep_captions: bool,
    error: Option<BuildError>,
}

impl Default for PipelineBuilder {
    fn default() -> Self {
        PipelineBuilder {
            slots: DEFAULT_CHAIN.iter().map(Slot::Builtin).collect(),
            repair: RepairOptions::default(),
            normalizer: Normalizer::default(),
            input_kind: InputKind::Auto,
            limits: Limits::default(),
            detect_title: true,
            rules: RuleSet::builtin(),
            favor: Favor::default(),
            keep_captions: false,
            error: None,
        }
    }
}

impl PipelineBuilder {
    /// Which repair fixes run.
    pub fn repair(mut self, options: RepairOptions) -> Self {
        self.repair = options;
        self
    }

    /// How quote marks come out (ASCII by default).
    pub fn quotes(mut self, style: QuoteStyle) -> Self {
        self.normalizer.quotes = style;
        self
    }

    /// All normalization options at once.
    pub fn normalizer(mut self, normalizer: Normalizer) -> Self {
        self.normalizer = normalizer;
        self
    }

    /// Whether inputs are text, HTML, or decided per document (the default).
    pub fn input_kind(mut self, kind: InputKind) -> Self {
        self.input_kind = kind;
        self
    }

    /// The hard limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Whether a headline on the first line of text input becomes the title (on by default).
    pub fn detect_title(mut self, on: bool) -> Self {
        self.detect_title = on;
        self
    }

    /// The strip rule table (by default the built-in one). Build one with
    /// [`RuleSet::from_toml`] to add, override or disable rules.
    pub fn rules(mut self, rules: Arc<RuleSet>) -> Self {
        self.rules = rules;
        self
    }

    /// Where HTML extraction sets its thresholds (balanced by default).
    pub fn favor(mut self, favor: Favor) -> Self {
        self.favor = favor;
        self
    }

    /// Whether picture captions marked by the structure stage (HTML
    /// `figcaption`) stay in the text; they are dropped by default.
    pub fn keep_captions(mut self, keep: bool) -> Self {
        self.keep_captions = keep;
        self
    }

    /// Appends a stage at the end of the chain.
    pub fn with(mut self, stage: impl Stage + 'static) -> Self {
        self.slots.push(Slot::Custom(Arc::new(stage)));
        self
    }

    /// Inserts a stage just before the stage named `name`.
    pub fn before(self, name: &str, stage: impl Stage + 'static) -> Self {
        self.insert_at(name, 0, stage)
    }

    /// Inserts a stage just after the stage named `name`.
    pub fn after(self, name: &str, stage: impl Stage + 'static) -> Self {
        self.insert_at(name, 1, stage)
    }

    /// Removes the stage named `name` from the chain.
    pub fn without(mut self, name: &str) -> Self {
        match self.position(name) {
            Some(at) => {
                self.slots.remove(at);
            }
            None => self.fail(name),
        }
        self
    }

    fn insert_at(mut self, name: &str, offset: usize, stage: impl Stage + 'static) -> Self {
        match self.position(name) {
            Some(at) => self
                .slots
                .insert(at + offset, Slot::Custom(Arc::new(stage))),
            None => self.fail(name),
        }
        self
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.slots.iter().position(|slot| slot.name() == name)
    }

    fn fail(&mut self, name: &str) {
        if self.error.is_none() {
            let known: Vec<&str> = self.slots.iter().map(Slot::name).collect();
            self.error = Some(BuildError::UnknownStage {
                name: name.to_owned(),
                known: known.join(", "),
            });
        }
    }

    /// Builds the pipeline, or reports the first stage name that did not resolve.
    pub fn build(self) -> Result<Pipeline, BuildError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        Ok(self.assemble())
    }

    fn assemble(&self) -> Pipeline {
        let stages = self
            .slots
            .iter()
            .map(|slot| match slot {
                Slot::Custom(stage) => Arc::clone(stage),
                Slot::Builtin(builtin) => (builtin.make)(self),
            })
            .collect();
        Pipeline {
            stages,
            repair: self.repair,
            normalizer: self.normalizer,
            input_kind: self.input_kind,
            limits: self.limits,
            text: TextStructure {
                max_blocks: self.limits.max_blocks,
                max_line_bytes: self.limits.max_line_bytes,
                detect_title: self.detect_title,
            },
            html: HtmlStructure {
                max_blocks: self.limits.max_blocks,
                max_depth: self.limits.max_dom_depth,
                favor: self.favor,
            },
        }
    }
}

/// Text fixed by [`Pipeline::fix`], with what decoding and repair found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    /// The fixed text, lines as they were.
    pub text: String,
    /// Encoding, how it was chosen, and the repairs applied.
    pub meta: Metadata,
}

/// A configured cleaner: immutable, `Send + Sync`, built once and shared.
///
/// ```
/// use thresh::Pipeline;
/// let pipeline = Pipeline::default();
/// let article = pipeline.clean("It&#8217;s “done”\u{200B}.").unwrap();
/// assert_eq!(article.text(), "It's \"done\".");
/// ```
#[derive(Clone)]
pub struct Pipeline {
    stages: Vec<Arc<dyn Stage>>,
    repair: RepairOptions,
    normalizer: Normalizer,
    input_kind: InputKind,
    limits: Limits,
    text: TextStructure,
    html: HtmlStructure,
}

impl Default for Pipeline {
    fn default() -> Self {
        PipelineBuilder::default().assemble()
    }
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("stages", &self.stage_names())
            .field("repair", &self.repair)
            .field("normalizer", &self.normalizer)
            .field("input_kind", &self.input_kind)
            .field("limits", &self.limits)
            .finish()
    }
}

impl Pipeline {
    /// A builder starting from the default chain.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// The names of the document stages, in the order they run.
    pub fn stage_names(&self) -> Vec<&str> {
        self.stages.iter().map(|stage| stage.name()).collect()
    }

    /// Cleans one document: decode, repair, structure, then every stage.
    pub fn clean<'a>(&self, input: impl Into<Input<'a>>) -> Result<Article, Error> {
        let input = input.into();
        let mut doc = self.front_end(&input)?;
        for stage in &self.stages {
            stage.apply(&mut doc);
        }
        Ok(Article::new(doc, input.bytes().len()))
    }

    /// Decodes, repairs and normalizes text without splitting it into
    /// blocks or stripping anything, keeping every line, like ftfy.
    ///
    /// ```
    /// use thresh::Pipeline;
    /// let fixed = Pipeline::default().fix("l\u{e2}\u{20ac}\u{2122}ami  \r\n\r\n  “ok”  ").unwrap();
    /// assert_eq!(fixed.text, "l'ami\n\n  \"ok\"");
    /// ```
    pub fn fix<'a>(&self, input: impl Into<Input<'a>>) -> Result<Fixed, Error> {
        let input = input.into();
        let (text, meta) = self.decode_and_repair(&input)?;
        let text = self.normalizer.lines(&text).into_owned();
        Ok(Fixed { text, meta })
    }

    /// The limits in force, for callers that read or decompress input
    /// themselves and want to apply the same ones.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The input decoded and repaired, before any normalization.
    pub(crate) fn decode_and_repair(&self, input: &Input<'_>) -> Result<(String, Metadata), Error> {
        let (text, mut meta) = self.decode(input)?;
        let text =
            self.repair
                .repair_before(text, self.normalizer.ascii_marks(), &mut meta.repairs);
        Ok((text, meta))
    }

    fn decode(&self, input: &Input<'_>) -> Result<(String, Metadata), Error> {
        let bytes = input.bytes();
        if bytes.len() > self.limits.max_input_bytes {
            return Err(Error::InputTooLarge {
                size: bytes.len(),
                limit: self.limits.max_input_bytes,
            });
        }
        let inflated;
        let bytes = if crate::limits::is_gzip(bytes) {
            inflated = crate::limits::gunzip_limited(bytes, self.limits.max_decompressed_bytes)?;
            &inflated[..]
        } else {
            bytes
        };
        let decoded = decode(bytes, input.charset_hint(), input.url_hint());
        let meta = Metadata {
            url: input.url_hint().map(str::to_owned),
            encoding: Some(decoded.encoding.name().to_owned()),
            encoding_source: decoded.source,
            decode_errors: decoded.had_errors,
            ..Metadata::default()
        };
        Ok((decoded.text, meta))
    }

    fn front_end(&self, input: &Input<'_>) -> Result<Document, Error> {
        let (text, meta) = self.decode(input)?;
        let requested = match input.input_kind() {
            InputKind::Auto => self.input_kind,
            kind => kind,
        };
        match resolve_kind(requested, &text) {
            InputKind::Html => self.html_document(&text, meta),
            _ => {
                let mut meta = meta;
                let text = self.repair.repair_before(
                    text,
                    self.normalizer.ascii_marks(),
                    &mut meta.repairs,
                );
                let mut doc = self.text.build(&text)?;
                doc.meta = Metadata {
                    title: doc.meta.title,
                    source: doc.meta.source,
                    language: detect_language(&doc.blocks),
                    input_kind: InputKind::Text,
                    ..meta
                };
                Ok(doc)
            }
        }
    }

    /// HTML is parsed as decoded, then repaired block by block: repairing
    /// the markup first would turn `&lt;` into tags and break the parse.
    /// Only the blocks extraction kept are repaired; the audit shows the
    /// others as the page had them.
    fn html_document(&self, text: &str, mut meta: Metadata) -> Result<Document, Error> {
        let mut doc = self.html.build(text, meta.url.as_deref())?;
        for block in doc.blocks.iter_mut().filter(|block| block.is_kept()) {
            let text = std::mem::take(&mut block.text);
            block.text =
                self.repair
                    .repair_before(text, self.normalizer.ascii_marks(), &mut meta.repairs);
        }
        let page = std::mem::take(&mut doc.meta);
        let marks = self.normalizer.ascii_marks();
        let repair = |value: Option<String>| {
            value.map(|v| self.repair.repair_before(v, marks, &mut Vec::new()))
        };
        doc.meta = Metadata {
            title: repair(page.title),
            byline: repair(page.byline),
            source: repair(page.source),
            date: page.date,
            canonical: page.canonical,
            language: page.language.or_else(|| detect_language(&doc.blocks)),
            input_kind: InputKind::Html,
            ..meta
        };
        Ok(doc)
    }
}

impl EncodingSource {
    /// True when the encoding was read from the input rather than guessed.
    pub fn is_certain(self) -> bool {
        !matches!(self, EncodingSource::Guessed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn pipeline_is_send_and_sync() {
        assert_send_sync::<Pipeline>();
    }

    #[test]
    fn unknown_stage_names_fail_the_build() {
        let error = Pipeline::builder().without("nope").build().unwrap_err();
        assert!(error.to_string().contains("nope"));
    }

    #[test]
    fn without_removes_a_stage() {
        let pipeline = Pipeline::builder().without("normalize").build().unwrap();
        assert!(!pipeline.stage_names().contains(&"normalize"));
        assert_eq!(pipeline.clean("“a”").unwrap().text(), "“a”");
    }

    #[test]
    fn input_over_the_limit_is_refused() {
        let limits = Limits {
            max_input_bytes: 4,
            ..Limits::default()
        };
        let pipeline = Pipeline::builder().limits(limits).build().unwrap();
        assert_eq!(
            pipeline.clean("12345").unwrap_err(),
            Error::InputTooLarge { size: 5, limit: 4 }
        );
    }

    #[test]
    fn html_is_recognised_and_extracted() {
        let page = "<!doctype html><html><body><nav><a href=/>Home</a></nav>\
            <p>Hi there, this is the whole of the article, said the editor.</p></body></html>";
        let article = Pipeline::default().clean(page).unwrap();
        assert_eq!(
            article.text(),
            "Hi there, this is the whole of the article, said the editor."
        );
        assert_eq!(
            article.removed().next().map(|r| r.rule),
            Some("outside_content")
        );
        let as_text = Pipeline::default()
            .clean(Input::new(page.as_bytes()).kind(InputKind::Text))
            .unwrap();
        assert!(as_text.text().contains("<nav>"));
    }

    #[test]
    fn html_is_parsed_before_entities_are_repaired() {
        let page = "<html><body><p>Use &lt;p&gt; for paragraphs, and more, the guide says.</p></body></html>";
        let article = Pipeline::default().clean(page).unwrap();
        assert_eq!(
            article.text(),
            "Use <p> for paragraphs, and more, the guide says."
        );
        let escaped_twice = "<html><body><p>Fish &amp;amp; chips, the menu says, cost less on Fridays.</p></body></html>";
        let article = Pipeline::default().clean(escaped_twice).unwrap();
        assert_eq!(
            article.text(),
            "Fish & chips, the menu says, cost less on Fridays."
        );
    }

    #[test]
    fn metadata_records_decoding() {
        let article = Pipeline::default()
            .clean(Input::new(b"Caf\xe9 au lait.").charset("latin1"))
            .unwrap();
        assert_eq!(article.text(), "Café au lait.");
        assert_eq!(article.meta().encoding.as_deref(), Some("windows-1252"));
        assert_eq!(article.meta().encoding_source, EncodingSource::Hint);
    }
}
