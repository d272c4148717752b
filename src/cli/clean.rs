//! `thresh clean`: one input to one output, or whole trees mirrored into an
//! output directory, or many inputs into one JSONL stream.

use super::{explain::explain, io, is_std, path, CleanArgs};
use anyhow::{bail, Context};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use thresh::batch::{output_path, walk, DEFAULT_EXTENSIONS};
use thresh::emit::{render, to_json_value, Format, TextOptions};
use thresh::{Input, Pipeline};

/// Everything a run needs besides the list of inputs.
struct Run {
    pipeline: Pipeline,
    format: Format,
    text: TextOptions,
    charset: Option<String>,
    explain: bool,
    failed: usize,
    written: usize,
}

pub fn run(args: CleanArgs) -> anyhow::Result<ExitCode> {
    let pipeline = args
        .common
        .builder()
        .input_kind(args.input_kind.into())
        .build()?;
    let mut run = Run {
        pipeline,
        format: args.format.into(),
        text: TextOptions {
            with_metadata: args.with_metadata,
        },
        charset: args.common.charset.clone(),
        explain: args.explain,
        failed: 0,
        written: 0,
    };
    let single =
        args.inputs.len() == 1 && (is_std(&args.inputs[0]) || !path(&args.inputs[0]).is_dir());
    let output = args.output.as_deref().unwrap_or("-");
    if single {
        run.one(&args.inputs[0], output)?;
    } else if is_std(output) || (run.format == Format::Jsonl && !path(output).is_dir()) {
        run.stream(&args.inputs, output)?;
    } else {
        run.mirror(&args.inputs, &path(output))?;
    }
    Ok(if run.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

impl Run {
    /// Cleans one input; an `Err` is reported and counted, not fatal.
    fn article(&mut self, source: &str, bytes: &[u8]) -> Option<thresh::Article> {
        let mut input = Input::new(bytes);
        if let Some(label) = &self.charset {
            input = input.charset(label);
        }
        match self.pipeline.clean(input) {
            Ok(article) => {
                if self.explain {
                    explain(source, &article);
                }
                Some(article)
            }
            Err(error) => {
                self.fail(source, &error);
                None
            }
        }
    }

    /// A walked path, or `None` after reporting why the walk could not list it.
    fn listed(&mut self, root: &Path, file: std::io::Result<PathBuf>) -> Option<PathBuf> {
        file.map_err(|error| self.fail(&root.display().to_string(), &error))
            .ok()
    }

    /// A file's bytes, or `None` after reporting why it could not be read.
    fn load(&mut self, source: &str, file: &Path) -> Option<Vec<u8>> {
        thresh::batch::read_input(file)
            .map_err(|error| self.fail(source, &error))
            .ok()
    }

    fn fail(&mut self, source: &str, error: &dyn std::fmt::Display) {
        eprintln!("thresh: {source}: {error}");
        self.failed += 1;
    }

    /// One file or standard input to one file, a directory, or standard output.
    fn one(&mut self, input: &str, output: &str) -> anyhow::Result<()> {
        let bytes = io::read(input)?;
        let Some(article) = self.article(input, &bytes) else {
            return Ok(());
        };
        let rendered = render(&article, self.format, self.text);
        let target = if !is_std(output) && path(output).is_dir() {
            let name = if is_std(input) { "stdin" } else { input };
            let file = Path::new(name)
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_else(|| "stdin".into());
            output_path(Path::new(""), &file, &path(output), self.format)
                .display()
                .to_string()
        } else {
            output.to_owned()
        };
        io::write(&target, rendered.as_bytes())
    }

    /// Many inputs into one JSONL stream, each record tagged with its path.
    fn stream(&mut self, inputs: &[String], output: &str) -> anyhow::Result<()> {
        if self.format != Format::Jsonl {
            bail!(
                "several inputs need -o DIRECTORY, or --format jsonl to stream them into one file"
            );
        }
        let mut lines = String::new();
        for (root, file) in expand(inputs) {
            let Some(file) = self.listed(&root, file) else {
                continue;
            };
            let source = file.display().to_string();
            let Some(bytes) = self.load(&source, &file) else {
                continue;
            };
            if let Some(article) = self.article(&source, &bytes) {
                let mut value = to_json_value(&article);
                value["path"] = source.into();
                lines.push_str(&value.to_string());
                lines.push('\n');
            }
        }
        io::write(output, lines.as_bytes())
    }

    /// Each input tree mirrored into `out_dir`, one output file per input file.
    fn mirror(&mut self, inputs: &[String], out_dir: &Path) -> anyhow::Result<()> {
        refuse_nested(inputs, out_dir)?;
        let mut targets = HashSet::new();
        for (root, file) in expand(inputs) {
            let Some(file) = self.listed(&root, file) else {
                continue;
            };
            let target = output_path(&root, &file, out_dir, self.format);
            let source = file.display().to_string();
            if !targets.insert(target.clone()) {
                self.fail(
                    &source,
                    &format!("another input already maps to {}", target.display()),
                );
                continue;
            }
            self.mirror_file(&source, &file, &target);
        }
        eprintln!(
            "thresh: {} written to {}, {} failed",
            self.written,
            out_dir.display(),
            self.failed
        );
        Ok(())
    }

    fn mirror_file(&mut self, source: &str, file: &Path, target: &Path) {
        let Some(bytes) = self.load(source, file) else {
            return;
        };
        let Some(article) = self.article(source, &bytes) else {
            return;
        };
        let rendered = render(&article, self.format, self.text);
        match thresh::batch::write_atomic(target, rendered.as_bytes()) {
            Ok(()) => self.written += 1,
            Err(error) => self.fail(&target.display().to_string(), &error),
        }
    }
}

/// Every input file paired with the root its output path is relative to: a
/// directory's files relative to the directory, a lone file relative to its parent.
fn expand(inputs: &[String]) -> impl Iterator<Item = (PathBuf, std::io::Result<PathBuf>)> + '_ {
    inputs.iter().flat_map(|arg| {
        let input = path(arg);
        let files: Box<dyn Iterator<Item = std::io::Result<PathBuf>>> = if input.is_dir() {
            Box::new(walk(&input, DEFAULT_EXTENSIONS))
        } else {
            Box::new(std::iter::once(Ok(input.clone())))
        };
        let root = if input.is_dir() {
            input.clone()
        } else {
            input.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        files.map(move |file| (root.clone(), file))
    })
}

/// An output directory inside an input directory would feed outputs back in.
fn refuse_nested(inputs: &[String], out_dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("{}: cannot create", out_dir.display()))?;
    let out = out_dir
        .canonicalize()
        .with_context(|| format!("{}: cannot resolve", out_dir.display()))?;
    for arg in inputs.iter().filter(|arg| path(arg).is_dir()) {
        let input = path(arg)
            .canonicalize()
            .with_context(|| format!("{arg}: cannot resolve"))?;
        if out.starts_with(&input) {
            bail!(
                "output directory {} lies inside input directory {arg}; choose another",
                out_dir.display()
            );
        }
    }
    Ok(())
}
