//! `thresh eval`: clean every page of a dataset with the default pipeline
//! and score the texts against the gold article bodies.

use super::{io, EvalArgs, EvalInput};
use anyhow::Context;
use flate2::read::GzDecoder;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use thresh::eval::{load_gold, score, DocScore, Scores};
use thresh::{Input, InputKind, Pipeline};

/// What the pipeline made of a dataset.
struct Outcome {
    predictions: BTreeMap<String, String>,
    /// The documents the pipeline refused, id to cause; they score as empty
    /// predictions, so that the numbers stay comparable across versions.
    failures: BTreeMap<String, String>,
}

/// Everything `--json` writes.
#[derive(Serialize)]
struct Report<'a> {
    dataset: String,
    input: &'static str,
    failures: &'a BTreeMap<String, String>,
    #[serde(flatten)]
    scores: &'a Scores,
}

pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.dataset;
    let meta = std::fs::metadata(dir).with_context(|| dir.display().to_string())?;
    anyhow::ensure!(meta.is_dir(), "{}: not a directory", dir.display());
    let gold = load_gold(dir)?;
    let pipeline = args.strip.apply(Pipeline::builder())?.build()?;
    let outcome = predict(&pipeline, dir, args.input, &gold)?;
    let scores = score(&gold, &outcome.predictions);
    if let Some(file) = &args.json {
        let report = Report {
            dataset: dir.display().to_string(),
            input: input_name(args.input),
            failures: &outcome.failures,
            scores: &scores,
        };
        io::write(file, &to_json(&report)?)?;
    }
    if let Some(file) = &args.pred {
        io::write(file, &to_json(&pred_entries(&outcome.predictions))?)?;
    }
    let mut text = summary(&args, &scores, &outcome.failures);
    if args.per_doc {
        text.push_str(&per_doc_rows(&scores.per_doc));
    }
    io::write_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Cleans every gold document's page; an unreadable page is an error, a
/// page the pipeline refuses is a failure.
fn predict(
    pipeline: &Pipeline,
    dir: &Path,
    input: EvalInput,
    gold: &BTreeMap<String, String>,
) -> anyhow::Result<Outcome> {
    let results: Vec<anyhow::Result<(&String, Result<String, thresh::Error>)>> = gold
        .par_iter()
        .map(|(id, _)| {
            let bytes = read_page(dir, input, id)?;
            let article = pipeline.clean(Input::new(&bytes).kind(input_kind(input)));
            Ok((id, article.map(|article| article.text())))
        })
        .collect();
    let mut outcome = Outcome {
        predictions: BTreeMap::new(),
        failures: BTreeMap::new(),
    };
    for result in results {
        match result? {
            (id, Ok(text)) => outcome.predictions.insert(id.clone(), text),
            (id, Err(error)) => outcome.failures.insert(id.clone(), error.to_string()),
        };
    }
    Ok(outcome)
}

fn read_page(dir: &Path, input: EvalInput, id: &str) -> anyhow::Result<Vec<u8>> {
    let path = page_path(dir, input, id);
    let read = || match input {
        EvalInput::Text => std::fs::read(&path),
        EvalInput::Html => {
            let mut bytes = Vec::new();
            GzDecoder::new(std::fs::File::open(&path)?).read_to_end(&mut bytes)?;
            Ok(bytes)
        }
    };
    read().with_context(|| path.display().to_string())
}

fn page_path(dir: &Path, input: EvalInput, id: &str) -> PathBuf {
    match input {
        EvalInput::Text => dir.join("text").join(format!("{id}.txt")),
        EvalInput::Html => dir.join("html").join(format!("{id}.html.gz")),
    }
}

fn input_kind(input: EvalInput) -> InputKind {
    match input {
        EvalInput::Text => InputKind::Text,
        EvalInput::Html => InputKind::Html,
    }
}

fn input_name(input: EvalInput) -> &'static str {
    match input {
        EvalInput::Text => "text",
        EvalInput::Html => "html",
    }
}

fn summary(args: &EvalArgs, scores: &Scores, failures: &BTreeMap<String, String>) -> String {
    let mut text = format!(
        "dataset    {} ({} input)\ndocuments  {}\nprecision  {:.4}\nrecall     {:.4}\nF1         {:.4}\naccuracy   {:.4}\n",
        args.dataset.display(),
        input_name(args.input),
        scores.docs,
        scores.precision,
        scores.recall,
        scores.f1,
        scores.accuracy,
    );
    text.push_str(&failure_lines(failures));
    text
}

/// The failures grouped by cause, as they are usually one cause repeated.
fn failure_lines(failures: &BTreeMap<String, String>) -> String {
    if failures.is_empty() {
        return String::new();
    }
    let mut causes: BTreeMap<&str, usize> = BTreeMap::new();
    for cause in failures.values() {
        *causes.entry(cause).or_default() += 1;
    }
    let mut text = format!(
        "failed     {} documents, scored as empty predictions:\n",
        failures.len()
    );
    for (cause, count) in causes {
        text.push_str(&format!("           {count} × {cause}\n"));
    }
    text
}

/// One row per document, worst first: a document without an F1 ranks as
/// 1 when both texts are empty and as 0 otherwise.
fn per_doc_rows(per_doc: &[DocScore]) -> String {
    let rank = |doc: &DocScore| doc.f1.unwrap_or(if doc.exact { 1.0 } else { 0.0 });
    let mut docs: Vec<&DocScore> = per_doc.iter().collect();
    docs.sort_by(|a, b| rank(a).total_cmp(&rank(b)));
    let mut text = String::from("\nid\tP\tR\tF1\n");
    for doc in docs {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            doc.id,
            cell(doc.precision),
            cell(doc.recall),
            cell(doc.f1)
        ));
    }
    text
}

fn cell(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.4}"))
}

/// Predictions in the gold file's shape, which score.py reads.
fn pred_entries(predictions: &BTreeMap<String, String>) -> BTreeMap<&str, serde_json::Value> {
    predictions
        .iter()
        .map(|(id, text)| (id.as_str(), serde_json::json!({ "articleBody": text })))
        .collect()
}

fn to_json(value: &impl Serialize) -> anyhow::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value).context("encoding JSON")?;
    bytes.push(b'\n');
    Ok(bytes)
}
