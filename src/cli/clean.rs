//! `thresh clean`: standard input to one output, input trees mirrored into
//! an output directory in parallel, inputs into one stream, or JSONL
//! streams record by record. The work is [`thresh::batch`]'s; this module
//! picks the mode, wires progress and Ctrl-C, and prints.

use super::io::{self, is_closed_pipe, open_stream, Output};
use super::progress::{Console, Inputs, Watch};
use super::report::{summary_text, Reporter};
use super::{is_std, path, CleanArgs};
use anyhow::{bail, ensure, Context};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;
use thresh::batch::{Batch, BatchOptions, Control, Filter, JsonlOptions, Source, Summary};
use thresh::emit::{Format, TextOptions};
use thresh::Pipeline;

/// The exit code of a run stopped by Ctrl-C, as shells report SIGINT.
const INTERRUPTED: u8 = 130;

/// What a `clean` invocation does, decided once from its arguments.
enum Plan {
    /// Standard input to standard output or a file.
    Stdin { output: String },
    /// Many files or records.
    Batch(Mode),
}

/// The ways of cleaning many files or records.
enum Mode {
    /// Input files and trees, in order, into one stream (one file alone, or
    /// many as JSONL records).
    Concat {
        sources: Vec<Source>,
        output: String,
    },
    /// Input trees mirrored into a directory.
    Mirror {
        sources: Vec<Source>,
        out_dir: PathBuf,
    },
    /// JSONL streams cleaned record by record into one stream.
    Jsonl { inputs: Vec<String>, output: String },
}

pub fn run(args: CleanArgs) -> anyhow::Result<ExitCode> {
    let pipeline = args
        .strip
        .apply(args.common.builder())?
        .input_kind(args.input_kind.into())
        .build()?;
    let options = options(&args)?;
    match plan(&args, options.format)? {
        Plan::Stdin { output } => stdin(&pipeline, options, &output, args.explain),
        Plan::Batch(mode) => batch(&pipeline, &args, options, mode),
    }
}

fn options(args: &CleanArgs) -> anyhow::Result<BatchOptions> {
    let filter = match args.batch.globs.as_slice() {
        [] => Filter::default(),
        globs => Filter::new(globs).context("--glob")?,
    };
    Ok(BatchOptions {
        format: args.format.into(),
        text: TextOptions {
            with_metadata: args.with_metadata,
        },
        filter: Arc::new(filter),
        max_bytes: args.common.max_bytes,
        charset: args.common.charset.clone(),
        incremental: args.batch.incremental,
        allow_nested_output: args.batch.allow_nested_output,
    })
}

fn plan(args: &CleanArgs, format: Format) -> anyhow::Result<Plan> {
    let output = args.output.clone().unwrap_or_else(|| "-".into());
    let to_dir = !is_std(&output) && (path(&output).is_dir() || output.ends_with('/'));
    if args.stream.jsonl {
        ensure!(
            !to_dir,
            "--jsonl writes one stream: give -o FILE or -o - (standard output), not a directory"
        );
        let inputs = args.inputs.clone();
        return Ok(Plan::Batch(Mode::Jsonl { inputs, output }));
    }
    if args.inputs.iter().any(|input| is_std(input)) {
        ensure!(
            args.inputs.len() == 1,
            "`-` (standard input) must be the only input"
        );
        let output = match to_dir {
            true => path(&output).join(format!("stdin.{}", format.extension())),
            false => path(&output),
        };
        let output = output.display().to_string();
        return Ok(Plan::Stdin { output });
    }
    let sources: Vec<Source> = args.inputs.iter().map(Source::new).collect();
    let one_stream = format == Format::Jsonl || matches!(sources.as_slice(), [Source::File(_)]);
    Ok(Plan::Batch(match (to_dir, one_stream, is_std(&output)) {
        (false, true, _) => Mode::Concat { sources, output },
        (false, false, true) => bail!(
            "several inputs or a directory need -o DIRECTORY, or --format jsonl to stream them into one file"
        ),
        _ => Mode::Mirror {
            sources,
            out_dir: path(&output),
        },
    }))
}

/// Standard input to one output.
fn stdin(
    pipeline: &Pipeline,
    options: BatchOptions,
    output: &str,
    explain: bool,
) -> anyhow::Result<ExitCode> {
    let console = Arc::new(Console::messages_only());
    let reporter = Reporter::new(console, explain, None)?;
    let batch = Batch::new(pipeline, options).observer(&reporter);
    let source = Path::new("-");
    let cleaned = io::read_stdin(batch.options().max_bytes)
        .map_err(|cause| thresh::batch::FileError::new(source, cause))
        .and_then(|bytes| batch.render_bytes(source, &bytes));
    match cleaned {
        Ok(rendered) => {
            io::write(output, rendered.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("thresh: {error}");
            Ok(ExitCode::from(1))
        }
    }
}

/// Many files or records, in parallel, with progress, Ctrl-C and a summary.
fn batch(
    pipeline: &Pipeline,
    args: &CleanArgs,
    options: BatchOptions,
    mode: Mode,
) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let single = matches!(&mode, Mode::Concat { sources, .. } if matches!(sources.as_slice(), [Source::File(_)]));
    let console = Arc::new(match (&mode, single) {
        (_, true) => Console::messages_only(),
        (Mode::Jsonl { .. }, _) => Console::new(args.batch.quiet, false),
        _ => Console::new(args.batch.quiet, true),
    });
    let control = Control::new(args.batch.jobs);
    if !single {
        on_ctrl_c(control.stop_flag())?;
    }
    let reporter = Reporter::new(
        Arc::clone(&console),
        args.explain,
        args.batch.report.as_deref(),
    )?;
    let batch = Batch::new(pipeline, options)
        .control(control)
        .observer(&reporter);
    let watch = Watch::start(&console, batch.tally(), inputs(&mode, batch.options()));
    let ran = run_mode(&batch, args, &mode, &console);
    watch.finish();
    let (interrupted, stream_failures) = ran?;
    let summary = batch.tally().summary(started.elapsed(), interrupted);
    drop(batch);
    if !args.batch.quiet && !single {
        let unit = match mode {
            Mode::Jsonl { .. } => "records",
            _ => "files",
        };
        console.print(&summary_text(&summary, unit));
    }
    reporter.finish(&summary)?;
    Ok(exit_code(&summary, &mode, stream_failures))
}

/// Runs the mode; returns whether it was interrupted and how many JSONL
/// streams could not be read.
fn run_mode(
    batch: &Batch<'_>,
    args: &CleanArgs,
    mode: &Mode,
    console: &Console,
) -> anyhow::Result<(bool, usize)> {
    match mode {
        Mode::Mirror { sources, out_dir } => Ok((batch.mirror(sources, out_dir)?.interrupted, 0)),
        Mode::Concat { sources, output } => {
            let mut out = Output::create(output)?;
            let summary = match batch.concat(sources, &mut out) {
                Err(e) if is_closed_pipe(&e) => return Ok((false, 0)),
                done => done.with_context(|| format!("{output}: cannot write"))?,
            };
            // A lone file that failed leaves no empty output behind.
            if summary.ok > 0 || summary.failed == 0 {
                out.commit()?;
            }
            Ok((summary.interrupted, 0))
        }
        Mode::Jsonl { inputs, output } => jsonl(batch, args, inputs, output, console),
    }
}

/// Every JSONL input in turn into one output (and failed records into
/// --errors).
fn jsonl(
    batch: &Batch<'_>,
    args: &CleanArgs,
    inputs: &[String],
    output: &str,
    console: &Console,
) -> anyhow::Result<(bool, usize)> {
    let options = JsonlOptions {
        html_field: args.stream.html_field.clone(),
        text_field: args.stream.text_field.clone(),
        output_field: args.stream.output_field.clone(),
        audit: args.stream.audit,
    };
    let mut out = Output::create(output)?;
    let mut errors = args
        .stream
        .errors
        .as_deref()
        .map(Output::create)
        .transpose()?;
    let mut failures = 0;
    let mut interrupted = false;
    for input in inputs {
        let errors = errors.as_mut().map(|e| e as &mut (dyn Write + Send));
        let done = open_stream(input)
            .and_then(|reader| Ok(batch.jsonl(input, reader, &mut out, errors, &options)?));
        match done {
            Ok(summary) if summary.interrupted => {
                interrupted = true;
                break;
            }
            Ok(_) => {}
            Err(e) if e.downcast_ref().is_some_and(is_closed_pipe) => break,
            Err(e) => {
                console.print(&format!("thresh: {e:#}"));
                failures += 1;
            }
        }
    }
    out.commit()?;
    errors.map(Output::commit).transpose()?;
    Ok((interrupted, failures))
}

/// What the progress display counts ahead: the files a walk will find.
fn inputs(mode: &Mode, options: &BatchOptions) -> Option<Inputs> {
    let (sources, exclude) = match mode {
        Mode::Mirror { sources, out_dir } => (sources, Some(out_dir.clone())),
        Mode::Concat { sources, .. } => (sources, None),
        _ => return None,
    };
    Some(Inputs {
        sources: sources.clone(),
        filter: Arc::clone(&options.filter),
        exclude,
    })
}

/// The first Ctrl-C stops the batch after the files in flight; a second
/// one quits at once (a killed run leaves only temporary files, which the
/// next run removes).
fn on_ctrl_c(stop: Arc<AtomicBool>) -> anyhow::Result<()> {
    ctrlc::set_handler(move || {
        if stop.swap(true, Ordering::SeqCst) {
            std::process::exit(INTERRUPTED.into());
        }
        eprintln!("thresh: stopping after the files in flight (Ctrl-C again to quit at once)");
    })
    .context("installing the Ctrl-C handler")
}

/// 130 when interrupted; 1 when a file failed (for JSONL, when a stream
/// could not be read: failed records are reported in the data, so that a
/// Spark or Hadoop task does not fail over one bad line); 0 otherwise.
fn exit_code(summary: &Summary, mode: &Mode, stream_failures: usize) -> ExitCode {
    let failed = match mode {
        Mode::Jsonl { .. } => stream_failures > 0,
        _ => summary.failed > 0,
    };
    match (summary.interrupted, failed) {
        (true, _) => ExitCode::from(INTERRUPTED),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    }
}
