//! Command-line arguments and dispatch.

mod clean;
mod eval;
mod explain;
mod fix;
mod io;
mod progress;
mod report;
mod rules;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use thresh::emit::Format;
use thresh::normalize::QuoteStyle;
use thresh::InputKind;

/// thresh separates the grain from the chaff: it turns scraped web articles
/// into clean article text, with metadata and an audit of what it removed.
#[derive(Debug, Parser)]
#[command(name = "thresh", version, about, long_about = None, propagate_version = true)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Clean articles: keep the article text, drop the junk, report what went.
    ///
    /// Each INPUT is a file, a directory (walked recursively for .txt, .html,
    /// .htm and .xhtml files and their .gz forms, mirrored into the output
    /// directory in parallel), or `-` for standard input. With --jsonl, each
    /// INPUT is a JSONL stream of records to clean in order.
    Clean(Box<CleanArgs>),
    /// Fix text without stripping anything: decode, repair mojibake,
    /// entities and invisible characters, normalize quotes and spaces, and
    /// keep every line where it was.
    Fix(FixArgs),
    /// Score the default pipeline on a dataset: clean every page of
    /// DATASET_DIR (gold.json, text/<id>.txt, html/<id>.html.gz) and compare
    /// the results with the gold article bodies, as shared/eval/score.py does.
    Eval(EvalArgs),
    /// List the strip rules: name, category, action, languages and reason,
    /// with the changes a --rules file makes; --toml prints the table itself,
    /// the format for your own rules files.
    Rules(RulesArgs),
}

#[derive(Debug, clap::Args)]
struct RulesArgs {
    /// A rules file to merge over the built-in table.
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// Print the table as TOML instead of listing it.
    #[arg(long)]
    toml: bool,
}

#[derive(Debug, clap::Args)]
struct CleanArgs {
    /// Files, directories, or `-` for standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    /// Where to write: a file, a directory, or `-` for standard output (the
    /// default for a single file). Required for directory inputs.
    #[arg(short, long, value_name = "PATH")]
    output: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    strip: StripArgs,
    /// Whether inputs are extracted text, HTML pages, or decided per file.
    #[arg(long, value_enum, default_value_t = KindArg::Auto)]
    input_kind: KindArg,
    /// In text output, put a header with title, date, byline and source above the body.
    #[arg(long)]
    with_metadata: bool,
    /// Print every removed block and the rule that removed it to standard error.
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    batch: BatchArgs,
    #[command(flatten)]
    stream: StreamArgs,
}

#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Directories")]
struct BatchArgs {
    /// Worker threads; 0 means one per core.
    #[arg(short, long, value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Clean only files matching PATTERN, relative to each input directory,
    /// ignoring case (repeatable; replaces the defaults *.html, *.htm,
    /// *.txt, *.xhtml and their .gz forms).
    #[arg(long = "glob", value_name = "PATTERN")]
    globs: Vec<String>,
    /// Skip inputs whose output exists and is newer: finishes an
    /// interrupted run without redoing it. Outputs made with other options
    /// are not detected.
    #[arg(long)]
    incremental: bool,
    /// Accept an output directory inside an input directory; the walk then
    /// skips it.
    #[arg(long)]
    allow_nested_output: bool,
    /// Write the summary and every failed or skipped file as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    report: Option<String>,
    /// No progress display and no summary; errors are still printed.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Streaming")]
struct StreamArgs {
    /// Read each INPUT (`-` for standard input, `.gz` allowed) as JSONL: one
    /// JSON object per line, cleaned in parallel and written in order to
    /// --output (standard output by default, `.gz` compresses).
    #[arg(long)]
    jsonl: bool,
    /// The field holding an HTML page.
    #[arg(long, value_name = "NAME", default_value = "html")]
    html_field: String,
    /// The field holding extracted text, used when there is no HTML field.
    #[arg(long, value_name = "NAME", default_value = "text")]
    text_field: String,
    /// The field the cleaned text is written to.
    #[arg(long, value_name = "NAME", default_value = "text")]
    output_field: String,
    /// Add a `removed` list to each record: every removed piece, its rule and reason.
    #[arg(long)]
    audit: bool,
    /// Write the records that failed (with an `error` field) to FILE instead of the output.
    #[arg(long, value_name = "FILE")]
    errors: Option<String>,
}

#[derive(Debug, clap::Args)]
struct FixArgs {
    /// The file to fix, or `-` for standard input.
    #[arg(default_value = "-", value_name = "FILE")]
    input: String,
    /// Where to write: a file, or `-` for standard output.
    #[arg(short, long, default_value = "-", value_name = "PATH")]
    output: String,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, clap::Args)]
struct EvalArgs {
    /// The dataset directory.
    #[arg(value_name = "DATASET_DIR")]
    dataset: PathBuf,
    /// Which form of each page to clean.
    #[arg(long, value_enum, default_value_t = EvalInput::Text)]
    input: EvalInput,
    /// After the summary, print each document's precision, recall and F1, worst first.
    #[arg(long)]
    per_doc: bool,
    /// Write the scores, per-document rows and failures as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<String>,
    /// Write the predictions as {"<id>": {"articleBody": ...}} to FILE, for
    /// score.py (refused pages are left out, which score.py counts as empty).
    #[arg(long, value_name = "FILE")]
    pred: Option<String>,
    #[command(flatten)]
    strip: StripArgs,
}

/// What is extracted and stripped: shared by `clean` and `eval`, so a
/// setting can be scored before it is used.
#[derive(Debug, clap::Args)]
struct StripArgs {
    /// How HTML extraction sets its thresholds: precision drops anything
    /// doubtful, recall keeps anything plausible.
    #[arg(long, value_enum, default_value_t = FavorArg::Balanced)]
    favor: FavorArg,
    /// Keep picture captions, which are dropped by default.
    #[arg(long)]
    keep_captions: bool,
    /// Leave a stage out of the chain (repeatable): rules, captions, dates,
    /// tail, dedup, boilerplate or normalize.
    #[arg(long, value_name = "STAGE")]
    without: Vec<String>,
    /// Strip rules to add, override or disable, from a TOML file in the
    /// format of the built-in table (`thresh rules --toml` prints it).
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FavorArg {
    /// Drop anything doubtful.
    Precision,
    /// The default balance.
    Balanced,
    /// Keep anything plausible.
    Recall,
}

impl From<FavorArg> for thresh::Favor {
    fn from(arg: FavorArg) -> Self {
        match arg {
            FavorArg::Precision => thresh::Favor::Precision,
            FavorArg::Balanced => thresh::Favor::Balanced,
            FavorArg::Recall => thresh::Favor::Recall,
        }
    }
}

impl StripArgs {
    /// Applies the settings to a builder; fails on an unreadable or invalid
    /// rules file.
    fn apply(&self, builder: thresh::PipelineBuilder) -> anyhow::Result<thresh::PipelineBuilder> {
        use anyhow::Context;
        let mut builder = builder
            .favor(self.favor.into())
            .keep_captions(self.keep_captions);
        if let Some(file) = &self.rules {
            let extra = std::fs::read_to_string(file)
                .with_context(|| format!("--rules {}", file.display()))?;
            let rules = thresh::strip::RuleSet::from_toml(&[thresh::strip::BUILTIN_RULES, &extra])
                .with_context(|| format!("--rules {}", file.display()))?;
            builder = builder.rules(std::sync::Arc::new(rules));
        }
        for stage in &self.without {
            builder = builder.without(stage);
        }
        Ok(builder)
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum EvalInput {
    /// The scraped text, text/<id>.txt.
    Text,
    /// The raw page, html/<id>.html.gz.
    Html,
}

#[derive(Debug, clap::Args)]
struct CommonArgs {
    /// How to write quote marks.
    #[arg(long, value_enum, default_value_t = QuotesArg::Ascii)]
    quotes: QuotesArg,
    /// The input's charset, when known (as from an HTTP header); the bytes
    /// still win when they are valid UTF-8.
    #[arg(long, value_name = "LABEL")]
    charset: Option<String>,
    /// Refuse inputs larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = thresh::Limits::default().max_input_bytes)]
    max_bytes: usize,
    /// Refuse gzip-compressed inputs that inflate to more than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = thresh::Limits::default().max_decompressed_bytes)]
    max_decompressed_bytes: usize,
    /// Refuse inputs that split into more than this many blocks.
    #[arg(long, value_name = "N", default_value_t = thresh::Limits::default().max_blocks)]
    max_blocks: usize,
    /// Cut lines longer than this many bytes into pieces, each its own block.
    #[arg(long, value_name = "BYTES", default_value_t = thresh::Limits::default().max_line_bytes)]
    max_line_bytes: usize,
    /// Refuse HTML nested deeper than this many elements (HTML input only).
    #[arg(long, value_name = "N", default_value_t = thresh::Limits::default().max_dom_depth)]
    max_dom_depth: usize,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    /// The article body, paragraphs separated by a blank line.
    Text,
    /// One JSON object per article: metadata, text, blocks, removed, stats.
    Json,
    /// The same object on one line per article.
    Jsonl,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum QuotesArg {
    /// Curly, low-9 and reversed quotes and primes become " and '.
    Ascii,
    /// Straight quotes become curly ones.
    Curly,
    /// Quotes stay as they are.
    Keep,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum KindArg {
    /// HTML if the input starts with markup, text otherwise.
    Auto,
    /// Extracted text.
    Text,
    /// An HTML page.
    Html,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Self {
        match arg {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
        }
    }
}

impl From<QuotesArg> for QuoteStyle {
    fn from(arg: QuotesArg) -> Self {
        match arg {
            QuotesArg::Ascii => QuoteStyle::Ascii,
            QuotesArg::Curly => QuoteStyle::Curly,
            QuotesArg::Keep => QuoteStyle::Keep,
        }
    }
}

impl From<KindArg> for InputKind {
    fn from(arg: KindArg) -> Self {
        match arg {
            KindArg::Auto => InputKind::Auto,
            KindArg::Text => InputKind::Text,
            KindArg::Html => InputKind::Html,
        }
    }
}

impl CommonArgs {
    fn builder(&self) -> thresh::PipelineBuilder {
        let limits = thresh::Limits {
            max_input_bytes: self.max_bytes,
            max_decompressed_bytes: self.max_decompressed_bytes,
            max_blocks: self.max_blocks,
            max_line_bytes: self.max_line_bytes,
            max_dom_depth: self.max_dom_depth,
        };
        thresh::Pipeline::builder()
            .quotes(self.quotes.into())
            .limits(limits)
    }
}

/// Where a path argument points: standard input/output or a file system path.
fn is_std(arg: &str) -> bool {
    arg == "-"
}

fn path(arg: &str) -> PathBuf {
    PathBuf::from(arg)
}

/// Runs the command; `Err` is a usage or setup error (exit code 2), and
/// per-file failures come back as exit code 1.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Clean(args) => clean::run(*args),
        Command::Fix(args) => fix::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Rules(args) => rules::run(args),
    }
}
