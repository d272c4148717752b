//! JSONL streaming through the `thresh` binary: fields pass through, order
//! holds under parallelism, bad lines give error lines, counts always
//! match; and the same from Python.

mod common;

use common::thresh;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use std::io::{Read, Write};
use std::process::Command;

fn parse(line: &str) -> serde_json::Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

/// An article whose size varies with `n`, so that workers finish out of order.
fn article(n: usize) -> String {
    let paragraph = format!("Paragraph of story {n}, “quoted” and long enough to keep. ");
    format!(
        "Headline Number {n}\n\n{}\n\nIt’s the end.",
        paragraph.repeat(1 + (n * 37) % 200)
    )
}

fn record(n: usize) -> String {
    let text = serde_json::to_string(&article(n)).unwrap();
    format!(
        r#"{{"id":{n},"n":1.50e3,"big":123456789012345678901234567890,"meta":{{"k":[1,"x",null]}},"text":{text}}}"#
    )
}

#[test]
fn fields_pass_through_verbatim_in_input_order() {
    let count = 300;
    let input: String = (0..count).map(|n| record(n) + "\n").collect();
    let out = thresh(&["clean", "--jsonl", "-", "-j", "2"], input.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), count);
    for (n, line) in lines.iter().enumerate() {
        let prefix = format!(
            r#"{{"id":{n},"n":1.50e3,"big":123456789012345678901234567890,"meta":{{"k":[1,"x",null]}},"title":"#
        );
        assert!(line.starts_with(&prefix), "{line}");
        let cleaned = parse(line);
        assert_eq!(cleaned["title"], format!("Headline Number {n}"));
        assert!(cleaned["text"].as_str().unwrap().ends_with("It's the end."));
        assert!(cleaned["date"].is_null() && cleaned["byline"].is_null());
        assert!(cleaned.get("removed").is_none());
    }
}

#[test]
fn malformed_lines_become_error_lines_and_counts_match() {
    let lines = [
        record(1),
        "not json".to_owned(),
        "[1, 2]".to_owned(),
        String::new(),
        r#"{"id":5,"body":"no text field"}"#.to_owned(),
        r#"{"id":6,"text":42}"#.to_owned(),
        "{\"id\":7,\"text\":\"cut".to_owned(),
        record(8),
    ];
    let input = lines.join("\n") + "\n";
    let out = thresh(&["clean", "--jsonl", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let records: Vec<serde_json::Value> = text.lines().map(parse).collect();
    assert_eq!(records.len(), lines.len());
    assert_eq!(records[0]["id"], 1);
    assert_eq!(records[7]["id"], 8);
    for (i, record) in records.iter().enumerate().take(7).skip(1) {
        assert!(record["error"].is_string(), "line {}: {record}", i + 1);
        assert!(record.get("title").is_none());
    }
    assert_eq!(records[1]["line"], 2);
    assert_eq!(records[1]["input"], "not json");
    assert_eq!(records[4]["id"], 5);
    assert_eq!(records[5]["text"], 42);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("2 ok, 6 failed"), "{stderr}");
}

#[test]
fn errors_file_takes_the_failed_lines() {
    let dir = tempfile::tempdir().unwrap();
    let errors = dir.path().join("errors.jsonl");
    let input = format!("{}\nbroken\n{}\n", record(1), record(2));
    let out = thresh(
        &[
            "clean",
            "--jsonl",
            "-",
            "--errors",
            errors.to_str().unwrap(),
        ],
        input.as_bytes(),
    );
    assert!(out.status.success());
    let good: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(parse)
        .collect();
    let bad: Vec<serde_json::Value> = std::fs::read_to_string(&errors)
        .unwrap()
        .lines()
        .map(parse)
        .collect();
    assert_eq!(good.len() + bad.len(), 3);
    assert_eq!(
        (good[0]["id"].clone(), good[1]["id"].clone()),
        (1.into(), 2.into())
    );
    assert_eq!(bad[0]["line"], 2);
    assert_eq!(bad[0]["input"], "broken");
}

#[test]
fn gzip_in_and_out_with_renamed_field_and_audit() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("in.jsonl.gz");
    let target = dir.path().join("out.jsonl.gz");
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
    for n in 0..20 {
        writeln!(gz, "{}", record(n)).unwrap();
    }
    std::fs::write(&source, gz.finish().unwrap()).unwrap();
    let out = thresh(
        &[
            "clean",
            "--jsonl",
            source.to_str().unwrap(),
            "-o",
            target.to_str().unwrap(),
            "--output-field",
            "clean",
            "--audit",
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut text = String::new();
    GzDecoder::new(std::fs::File::open(&target).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let records: Vec<serde_json::Value> = text.lines().map(parse).collect();
    assert_eq!(records.len(), 20);
    for (n, record) in records.iter().enumerate() {
        assert_eq!(record["text"], article(n), "the input field is untouched");
        assert!(record["clean"].as_str().unwrap().ends_with("It's the end."));
        let removed = record["removed"].as_array().unwrap();
        assert!(removed.iter().any(|r| r["rule"] == "title"), "{record}");
    }
}

#[test]
fn html_field_is_preferred_and_its_refusal_is_an_error_line() {
    let input = r#"{"html":"<!doctype html><p>Hi</p>","text":"Plain body."}"#;
    let out = thresh(&["clean", "--jsonl", "-"], format!("{input}\n").as_bytes());
    let text = String::from_utf8(out.stdout).unwrap();
    let record = parse(text.trim_end());
    // Until HTML extraction lands the page is refused; after, it is cleaned.
    match record.get("error") {
        Some(error) => assert!(error.as_str().unwrap().contains("HTML"), "{record}"),
        None => assert_eq!(record["text"], "Hi"),
    }
    let by_text = thresh(
        &["clean", "--jsonl", "-", "--html-field", "page"],
        format!("{input}\n").as_bytes(),
    );
    let record = parse(String::from_utf8(by_text.stdout).unwrap().trim_end());
    assert_eq!(record["text"], "Plain body.");
    assert_eq!(record["html"], "<!doctype html><p>Hi</p>");
}

#[test]
fn python_round_trip() {
    let script = common::repo().join("tests/python/roundtrip.py");
    let run = Command::new("python3")
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_thresh"))
        .output()
        .unwrap_or_else(|e| panic!("python3 is needed for this test and could not run: {e}"));
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("3 passed, 0 failed"), "{stdout}");
}
