//! Replays every committed fuzz input through the fuzz target bodies in
//! `thresh::fuzzing`, on stable Rust: the minimized corpora in
//! `fuzz/corpus/<target>/` and the crashes and property failures in
//! `fuzz/regressions/<target>/`, so that a fixed crash stays fixed without
//! a nightly toolchain.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use thresh::fuzzing::TARGETS;

fn fuzz_dir() -> PathBuf {
    common::repo().join("fuzz")
}

/// The files of `dir`, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    entries(dir, Path::is_file)
}

/// The entries of `dir` that pass `keep`, sorted.
fn entries(dir: &Path, keep: fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| keep(path))
        .collect();
    entries.sort();
    entries
}

/// Runs every file under `fuzz/<kind>/<target>/` through its target, and
/// returns how many ran and the failures (panics included), by file.
fn replay(kind: &str) -> (usize, Vec<String>) {
    let root = fuzz_dir().join(kind);
    let mut ran = 0;
    let mut failures = Vec::new();
    for dir in entries(&root, Path::is_dir) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let Some((_, target)) = TARGETS.iter().find(|(t, _)| *t == name) else {
            failures.push(format!("{}: no fuzz target named {name}", dir.display()));
            continue;
        };
        for file in files(&dir) {
            let bytes = std::fs::read(&file).unwrap();
            ran += 1;
            match catch_unwind(AssertUnwindSafe(|| target(&bytes))) {
                Ok(Ok(())) => {}
                Ok(Err(property)) => failures.push(format!("{}: {property}", file.display())),
                Err(_) => failures.push(format!("{}: panicked", file.display())),
            }
        }
    }
    (ran, failures)
}

#[test]
fn every_regression_file_passes() {
    let (ran, failures) = replay("regressions");
    assert!(ran > 0, "no regression files under fuzz/regressions");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_corpus_file_passes() {
    let (ran, failures) = replay("corpus");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for (name, _) in TARGETS {
        let dir = fuzz_dir().join("corpus").join(name);
        assert!(
            dir.is_dir() && !files(&dir).is_empty(),
            "fuzz/corpus/{name} has no committed inputs"
        );
    }
    assert!(ran >= TARGETS.len());
}

/// Each target in `thresh::fuzzing::TARGETS` has its cargo-fuzz wrapper,
/// calling the body of the same name, and the fuzz crate declares no other.
#[test]
fn every_target_has_its_wrapper() {
    let targets = fuzz_dir().join("fuzz_targets");
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for (name, _) in TARGETS {
        let path = targets.join(format!("{name}.rs"));
        let source =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            source.contains(&format!("thresh::fuzzing::{name}(data)")),
            "{} does not call thresh::fuzzing::{name}",
            path.display()
        );
        assert!(
            manifest.contains(&format!("path = \"fuzz_targets/{name}.rs\"")),
            "fuzz/Cargo.toml has no [[bin]] for {name}"
        );
    }
    assert_eq!(files(&targets).len(), TARGETS.len());
}
