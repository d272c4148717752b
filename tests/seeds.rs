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
