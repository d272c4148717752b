//! The metric against its reference, shared/eval/score.py, run by python3 on
//! the same texts; and `thresh eval` against the library.

mod common;

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use thresh::eval::{is_word_char, load_gold, score, tokenize, Scores};
use thresh::{Input, InputKind, Pipeline};

type Texts = BTreeMap<String, String>;

fn eval_dir(set: &str) -> PathBuf {
    common::shared().join("eval").join(set)
}

/// Runs python3 and returns its standard output; any failure panics with
/// its standard error, as a missing Python must not pass for agreement.
fn python(args: &[&str]) -> Vec<u8> {
    let out = Command::new("python3")
        .args(args)
        .output()
        .expect("python3 must be on PATH to check the metric against score.py");
    assert!(
        out.status.success(),
        "python3 {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// score.py's metrics and per-document rows for `pred` against `gold` (a
/// dataset directory or a gold file).
fn score_py(gold: &Path, pred: &Texts) -> Value {
    let tmp = tempfile::tempdir().unwrap();
    let (pred_file, out_file) = (tmp.path().join("pred.json"), tmp.path().join("out.json"));
    let entries: BTreeMap<&String, Value> = pred
        .iter()
        .map(|(id, text)| (id, json!({ "articleBody": text })))
        .collect();
    std::fs::write(&pred_file, serde_json::to_vec(&entries).unwrap()).unwrap();
    let script = common::shared().join("eval/score.py");
    python(&[
        path_str(&script),
        path_str(gold),
        path_str(&pred_file),
        "--per-doc",
        "--json",
        path_str(&out_file),
    ]);
    let mut results: Value = serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    results[path_str(&pred_file)].take()
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}

fn assert_agree(name: &str, rust: &Scores, py: &Value) {
    let metrics = &py["metrics"];
    let pairs = [
        ("precision", rust.precision),
        ("recall", rust.recall),
        ("f1", rust.f1),
        ("accuracy", rust.accuracy),
    ];
    for (key, ours) in pairs {
        let theirs = metrics[key].as_f64().unwrap();
        assert!(
            (ours - theirs).abs() < 1e-9,
            "{name}: {key} is {ours} in Rust, {theirs} in score.py"
        );
    }
    assert_eq!(metrics["n"].as_u64(), Some(rust.docs as u64), "{name}: n");
    let rows = py["per_doc"].as_array().unwrap();
    assert_eq!(rows.len(), rust.per_doc.len(), "{name}: per-doc rows");
    for (doc, row) in rust.per_doc.iter().zip(rows) {
        let counts = [row["tp"].as_u64(), row["fp"].as_u64(), row["fn"].as_u64()];
        let ours = [doc.tp, doc.fp, doc.fn_].map(|n| Some(n as u64));
        assert_eq!(row["id"], doc.id.as_str(), "{name}: id order");
        assert_eq!(counts, ours, "{name}: {} tp/fp/fn", doc.id);
        assert_eq!(
            row["exact"].as_bool(),
            Some(doc.exact),
            "{name}: {} exact",
            doc.id
        );
    }
}

/// The crude scraped texts, `text/<id>.txt`, as predictions.
fn scraped_texts(dir: &Path) -> Texts {
    let text_dir = dir.join("text");
    let entries = std::fs::read_dir(&text_dir).unwrap_or_else(|e| panic!("{text_dir:?}: {e}"));
    entries
        .map(|entry| {
            let path = entry.unwrap().path();
            let id = path.file_stem().unwrap().to_str().unwrap().to_owned();
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            (id, text)
        })
        .collect()
}

/// "Doing nothing" (scoring the scraped text as it is) agrees with score.py
/// and gives the figure shared/eval/README.md quotes.
fn doing_nothing_agrees(set: &str, readme_f1: f64) {
    let dir = eval_dir(set);
    let gold = load_gold(&dir).unwrap();
    let pred = scraped_texts(&dir);
    let rust = score(&gold, &pred);
    assert_agree(set, &rust, &score_py(&dir, &pred));
    assert!(
        (rust.f1 - readme_f1).abs() <= 5e-4,
        "{set}: F1 {} is not the README's {readme_f1}",
        rust.f1
    );
    eprintln!(
        "{set}: F1 {:.6} P {:.6} R {:.6}",
        rust.f1, rust.precision, rust.recall
    );
}

#[test]
fn wcxb_articles_agrees_with_score_py() {
    doing_nothing_agrees("wcxb_articles", 0.808);
}

#[test]
fn dragnet_train_agrees_with_score_py() {
    doing_nothing_agrees("dragnet_train", 0.540);
}

#[test]
fn multilingual_ml_agrees_with_score_py() {
    doing_nothing_agrees("multilingual_ml", 0.715);
}

#[test]
fn zh_cwce_agrees_with_score_py() {
    doing_nothing_agrees("zh_cwce", 0.711);
}

/// (id, gold, prediction); a `None` prediction is left out of the file.
const CASES: &[(&str, &str, Option<&str>)] = &[
    ("empty-gold", "", Some("words where gold has none")),
    ("empty-pred", "one two three four five", Some("")),
    ("both-empty", "", Some("")),
    ("no-tokens", "— … !!", Some("?! ---")),
    ("missing-pred", "one two three", None),
    ("one-token", "Hello", Some("Hello")),
    ("one-vs-two", "Hello", Some("Hello world")),
    ("two-tokens", "to be", Some("to be")),
    ("three-reordered", "a b c", Some("b c a")),
    ("case", "Word word", Some("word Word")),
    (
        "repeats",
        "a b c d a b c d a b c d",
        Some("a b c d a b c d"),
    ),
    (
        "hindi",
        "हिन्दी भाषा में लिखा गया यह वाक्य है। क्षत्रिय",
        Some("हिंदी भाषा में लिखा गया वाक्य है"),
    ),
    (
        "cjk",
        "中文文本没有空格，但是有标点。第二句话！一二三",
        Some("中文文本没有空格。第二句话"),
    ),
    (
        "mixed",
        "Cafe\u{301} naïve 3½ Ⅻ x² _under_score ١٢٣ ๑๒ Straße ǅemal",
        Some("Café naïve 3½ Ⅻ x² _under_score ١٢٣ ๑๒ Strasse ǅemal"),
    ),
    (
        "invisibles",
        "I ❤\u{fe0f} Rust 👩\u{200d}💻 zero\u{200b}width non\u{200c}joiner soft\u{ad}hyphen",
        Some("I ❤ Rust 👩💻 zero width non joiner soft hyphen"),
    ),
];

fn cases() -> (Texts, Texts) {
    let gold = CASES
        .iter()
        .map(|(id, text, _)| (id.to_string(), text.to_string()))
        .collect();
    let mut pred: Texts = CASES
        .iter()
        .filter_map(|(id, _, text)| Some((id.to_string(), (*text)?.to_string())))
        .collect();
    pred.insert("not-in-gold".into(), "ignored".into());
    (gold, pred)
}

#[test]
fn edge_cases_agree_with_score_py() {
    let (gold, pred) = cases();
    let tmp = tempfile::tempdir().unwrap();
    let entries: BTreeMap<&String, Value> = gold
        .iter()
        .map(|(id, text)| (id, json!({ "articleBody": text, "url": "u" })))
        .collect();
    std::fs::write(
        tmp.path().join("gold.json"),
        serde_json::to_vec(&entries).unwrap(),
    )
    .unwrap();
    assert_eq!(load_gold(tmp.path()).unwrap(), gold);
    let rust = score(&gold, &pred);
    assert_agree("edge cases", &rust, &score_py(tmp.path(), &pred));
    // Each case's counts, too, alone: a corpus of one.
    for (id, text) in &gold {
        let one = Texts::from([(id.clone(), text.clone())]);
        let single = Texts::from_iter(pred.get(id).map(|p| (id.clone(), p.clone())));
        let file = tmp.path().join("one.json");
        std::fs::write(&file, json!({ id: text }).to_string()).unwrap();
        assert_agree(id, &score(&one, &single), &score_py(&file, &single));
    }
}

#[test]
fn tokens_match_python_re() {
    let texts: Vec<&str> = CASES
        .iter()
        .flat_map(|(_, gold, pred)| [*gold, pred.unwrap_or("")])
        .collect();
    let script = "import json, re, sys\n\
                  print(json.dumps([re.findall(r'\\w+', t) for t in json.loads(sys.argv[1])]))";
    let out = python(&["-c", script, &serde_json::to_string(&texts).unwrap()]);
    let expected: Vec<Vec<String>> = serde_json::from_slice(&out).unwrap();
    for (text, tokens) in texts.iter().zip(expected) {
        assert_eq!(tokenize(text), tokens, "tokens of {text:?}");
    }
}

/// Every code point, not only those the datasets hold: Python's `re` and
/// is_word_char agree unless the two Unicode databases differ in version.
#[test]
fn word_chars_match_python_on_every_code_point() {
    let script = "import re, sys, unicodedata\n\
                  w = re.compile(r'\\w')\n\
                  sys.stdout.write(unicodedata.unidata_version + '\\n')\n\
                  sys.stdout.write(''.join('1' if w.match(chr(c)) else '0' for c in range(0x110000)))";
    let out = String::from_utf8(python(&["-c", script])).unwrap();
    let (version, flags) = out.split_once('\n').unwrap();
    let differ: Vec<String> = flags
        .bytes()
        .enumerate()
        .filter_map(|(c, flag)| Some((char::from_u32(c as u32)?, flag == b'1')))
        .filter(|&(c, python)| is_word_char(c) != python)
        .map(|(c, python)| format!("U+{:04X} (Python: {python})", c as u32))
        .collect();
    assert!(
        differ.is_empty(),
        "{} code points differ from Python's Unicode {version} \
         (unicode-general-category must carry the same Unicode version), first: {:?}",
        differ.len(),
        &differ[..differ.len().min(10)]
    );
}

fn thresh(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(args)
        .current_dir(common::repo())
        .output()
        .unwrap()
}

/// What `thresh eval --input text` should measure, computed with the library.
fn library_scores(dir: &Path) -> (Texts, Scores) {
    let gold = load_gold(dir).unwrap();
    let pipeline = Pipeline::default();
    let pred: Texts = scraped_texts(dir)
        .into_iter()
        .map(|(id, text)| {
            let input = Input::new(text.as_bytes()).kind(InputKind::Text);
            (id, pipeline.clean(input).unwrap().text())
        })
        .collect();
    let scores = score(&gold, &pred);
    (pred, scores)
}

#[test]
fn eval_command_matches_the_library() {
    let tmp = tempfile::tempdir().unwrap();
    let (json_file, pred_file) = (tmp.path().join("scores.json"), tmp.path().join("pred.json"));
    let out = thresh(&[
        "eval",
        "../shared/eval/multilingual_ml",
        "--input",
        "text",
        "--per-doc",
        "--json",
        path_str(&json_file),
        "--pred",
        path_str(&pred_file),
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (pred, lib) = library_scores(&eval_dir("multilingual_ml"));
    assert!(
        stdout.contains(&format!("\nF1         {:.4}\n", lib.f1)),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("\nprecision  {:.4}\n", lib.precision)),
        "{stdout}"
    );
    assert!(stdout.contains("\ndocuments  28\n"), "{stdout}");
    assert!(!stdout.contains("failed"), "{stdout}");
    assert_eq!(stdout.lines().filter(|l| l.contains('\t')).count(), 1 + 28);

    let report: Value = serde_json::from_slice(&std::fs::read(&json_file).unwrap()).unwrap();
    assert_eq!(report["f1"].as_f64(), Some(lib.f1));
    assert_eq!(report["per_doc"].as_array().unwrap().len(), 28);
    let written: BTreeMap<String, Value> =
        serde_json::from_slice(&std::fs::read(&pred_file).unwrap()).unwrap();
    assert_eq!(written.len(), pred.len());
    let py = python(&[
        path_str(&common::shared().join("eval/score.py")),
        path_str(&eval_dir("multilingual_ml")),
        path_str(&pred_file),
    ]);
    let table = String::from_utf8(py).unwrap();
    assert!(
        table.contains(&format!(" {:.3} ", lib.f1)),
        "score.py says\n{table}"
    );
}

#[test]
fn eval_command_counts_refused_pages_as_empty() {
    let out = thresh(&["eval", "../shared/eval/multilingual_ml", "--input", "html"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("\nF1 "), "{stdout}");
    if stdout.contains("failed") {
        assert!(stdout.contains("scored as empty predictions"), "{stdout}");
    }
}

#[test]
fn eval_command_names_the_bad_path() {
    let out = thresh(&["eval", "no/such/dataset"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("thresh: no/such/dataset: "), "{stderr}");

    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("gold.json"), "[1, 2]").unwrap();
    let out = thresh(&["eval", path_str(tmp.path())]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let gold = tmp.path().join("gold.json");
    assert!(
        stderr.starts_with(&format!("thresh: {}: ", gold.display())),
        "{stderr}"
    );
}

#[test]
fn bad_gold_is_an_error_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("gold.json");
    for bad in [
        "not json",
        r#"{"a": {"articleBody": 3}}"#,
        r#"{"a": {"with": ["x"], "without": []}}"#,
    ] {
        std::fs::write(&file, bad).unwrap();
        let error = load_gold(tmp.path()).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("{}: ", file.display())),
            "{bad}: {error}"
        );
    }
    std::fs::write(
        &file,
        r#"{"a": null, "b": "bare", "c": {"articleBody": null}}"#,
    )
    .unwrap();
    let gold = load_gold(&file).unwrap();
    assert_eq!(gold["a"], "");
    assert_eq!(gold["b"], "bare");
    assert_eq!(gold["c"], "");
}
