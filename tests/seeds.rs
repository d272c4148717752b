//! The five seed articles: shipped byte for byte, and cleaned by the CLI into
//! five outputs with ASCII quotes and no mojibake.

mod common;

use std::process::Command;

/// Characters that only appear in mojibake: UTF-8 punctuation read as windows-1252.
const MOJIBAKE_MARKERS: &[&str] = &["â€", "Ã©", "Ã¨", "Â ", "Ã¢", "\u{FFFD}"];

#[test]
fn seeds_match_shared_byte_for_byte() {
    let shared = common::shared().join("seeds");
    let mut names: Vec<_> = std::fs::read_dir(&shared)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(
        names.len(),
        5,
        "expected five seeds in {}",
        shared.display()
    );
    for name in names {
        let ours = std::fs::read(common::repo().join("seeds").join(&name)).unwrap();
        let theirs = std::fs::read(shared.join(&name)).unwrap();
        assert!(
            ours == theirs,
            "seeds/{} differs from ../shared/seeds",
            name.to_string_lossy()
        );
    }
}

#[test]
fn cli_cleans_the_seed_directory() {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(["clean", "seeds", "-o"])
        .arg(out.path())
        .current_dir(common::repo())
        .status()
        .unwrap();
    assert!(status.success());
    let mut outputs: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    outputs.sort();
    assert_eq!(outputs.len(), 5);
    for path in outputs {
        assert_eq!(path.extension().unwrap(), "txt");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.len() > 1000, "{} is too short", path.display());
        for curly in ['“', '”', '‘', '’'] {
            assert!(!text.contains(curly), "{} keeps {curly}", path.display());
        }
        for marker in MOJIBAKE_MARKERS {
            assert!(
                !text.contains(marker),
                "{} has mojibake {marker:?}",
                path.display()
            );
        }
        assert!(
            !text.contains("  ") && !text.contains(" \n"),
            "{} has stray spaces",
            path.display()
        );
    }
}

/// Each seed's cleaned text and metadata match the expected output written
/// by reading the seed (`fixtures/seeds/<id>.txt` and `<id>.json`).
#[test]
fn seeds_come_out_as_expected() {
    let pipeline = thresh::Pipeline::default();
    let dir = common::repo().join("fixtures/seeds");
    let mut failures = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(common::repo().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for seed in names {
        let id = seed.file_stem().unwrap().to_string_lossy().into_owned();
        let article = pipeline
            .clean(std::fs::read(&seed).unwrap().as_slice())
            .unwrap();
        let expected_text = std::fs::read_to_string(dir.join(format!("{id}.txt"))).unwrap();
        let got_text =
            thresh::emit::render(&article, thresh::emit::Format::Text, Default::default());
        if got_text != expected_text {
            failures.push(format!(
                "{id}: text differs\n{}",
                first_difference(&expected_text, &got_text)
            ));
        }
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{id}.json"))).unwrap())
                .unwrap();
        let got: serde_json::Value =
            serde_json::from_str(&thresh::emit::to_json(&article, false)).unwrap();
        for field in ["title", "date", "byline", "source"] {
            if expected[field] != got[field] {
                failures.push(format!(
                    "{id}: {field}: expected {}, got {}",
                    expected[field], got[field]
                ));
            }
        }
        let removed = |v: &serde_json::Value| -> Vec<(String, String)> {
            v["removed"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["rule"].as_str().unwrap().to_owned(),
                        r["text"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        };
        if removed(&expected) != removed(&got) {
            failures.push(format!(
                "{id}: removed differs\nexpected {:?}\ngot      {:?}",
                removed(&expected),
                removed(&got)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn first_difference(expected: &str, got: &str) -> String {
    for (i, (e, g)) in expected.lines().zip(got.lines()).enumerate() {
        if e != g {
            return format!("line {}:\n  expected {e:?}\n  got      {g:?}", i + 1);
        }
    }
    format!(
        "lengths differ: expected {} lines, got {}",
        expected.lines().count(),
        got.lines().count()
    )
}
