//! The command line: formats, standard streams, `fix`, and errors.

mod common;

use common::thresh;

#[test]
fn clean_reads_stdin_and_writes_text() {
    let out = thresh(&["clean", "-"], "Big Headline\n\nIt’s   here.\n".as_bytes());
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "It's here.\n");
}

#[test]
fn json_has_every_field() {
    let out = thresh(
        &["clean", "-", "--format", "json"],
        b"Big Headline\n\nBody text.",
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "title", "date", "byline", "source", "url", "language", "encoding", "text", "blocks",
        "removed", "stats",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert_eq!(json["title"], "Big Headline");
    assert_eq!(json["removed"][0]["rule"], "title");
    assert_eq!(json["stats"]["blocks_kept"], 1);
}

#[test]
fn jsonl_is_one_line() {
    let out = thresh(&["clean", "-", "--format", "jsonl"], b"One.\n\nTwo.");
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1);
    assert!(text.ends_with('\n'));
}

#[test]
fn with_metadata_adds_a_header() {
    let out = thresh(&["clean", "-", "--with-metadata"], b"Big Headline\n\nBody.");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Title: Big Headline\n\nBody.\n"
    );
}

#[test]
fn curly_quotes_on_request() {
    let out = thresh(&["clean", "-", "--quotes", "curly"], b"\"Hi,\" she said.");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "“Hi,” she said.\n");
}

#[test]
fn fix_keeps_lines_and_repairs() {
    let out = thresh(
        &["fix"],
        "Headline\n\nIt\u{e2}\u{20ac}\u{2122}s &amp; done\r\n".as_bytes(),
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Headline\n\nIt's & done\n"
    );
}

#[test]
fn missing_file_names_the_file_and_fails() {
    let out = thresh(&["clean", "no/such/file.txt"], b"");
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("no/such/file.txt"), "{stderr}");
}

#[test]
fn limit_errors_exit_nonzero_with_the_cause() {
    let out = thresh(&["clean", "-", "--max-bytes", "3"], b"too long");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("over the limit"));
}

#[test]
fn explain_lists_removals_on_stderr() {
    let out = thresh(&["clean", "-", "--explain"], b"Big Headline\n\nBody.");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("title"), "{stderr}");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Body.\n");
}

#[test]
fn output_inside_input_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Text.").unwrap();
    let inside = dir.path().join("out");
    let out = thresh(
        &[
            "clean",
            dir.path().to_str().unwrap(),
            "-o",
            inside.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("inside input directory"));
}

#[test]
fn directory_tree_is_mirrored() {
    let input = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(input.path().join("news/world")).unwrap();
    std::fs::write(input.path().join("news/world/a.txt"), "Alpha text.").unwrap();
    std::fs::write(input.path().join("b.txt"), "Beta text.").unwrap();
    std::fs::write(input.path().join("skip.png"), "not text").unwrap();
    let out = thresh(
        &[
            "clean",
            input.path().to_str().unwrap(),
            "-o",
            output.path().to_str().unwrap(),
            "--format",
            "json",
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(output.path().join("news/world/a.json").is_file());
    assert!(output.path().join("b.json").is_file());
    assert!(!output.path().join("skip.json").exists());
}

/// A rules file adds a rule, disables a built-in one, and both `clean` and
/// `thresh rules` see the change.
#[test]
fn rules_file_changes_what_clean_removes_and_what_rules_lists() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.toml");
    std::fs::write(
        &file,
        "[[rule]]\nname = \"house_ad\"\ncategory = \"promo\"\nreason = \"our own house ad\"\npatterns = [\"(?i)^buy the print edition\"]\n\n[[rule]]\nname = \"counter\"\nenabled = false\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let input = b"The bridge opened on Monday after two years of work.\n\nBuy the print edition today\n\n7354 views";
    let out = thresh(&["clean", "-", "--rules", file], input);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "The bridge opened on Monday after two years of work.\n\n7354 views\n"
    );
    let listed = String::from_utf8(thresh(&["rules", "--rules", file], b"").stdout).unwrap();
    assert!(listed.lines().any(|l| l.starts_with("house_ad ")));
    assert!(!listed.lines().any(|l| l.starts_with("counter ")));
    let builtin = String::from_utf8(thresh(&["rules"], b"").stdout).unwrap();
    assert!(builtin.lines().any(|l| l.starts_with("counter ")));
}

#[test]
fn a_broken_rules_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(
        &file,
        "[[rule]]\nname = \"x\"\npatterns = [\"(unclosed\"]\n",
    )
    .unwrap();
    let out = thresh(&["clean", "-", "--rules", file.to_str().unwrap()], b"Text.");
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("--rules"), "{stderr}");
}

#[test]
fn rules_toml_prints_the_table_that_rules_files_extend() {
    let out = thresh(&["rules", "--toml"], b"");
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, thresh::strip::BUILTIN_RULES);
}
