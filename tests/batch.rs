//! Directory batches through the `thresh` binary: every kind of bad file in
//! one tree, interruption and `--incremental`, output layout rules.

mod common;

use flate2::write::GzEncoder;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

fn thresh(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// What `thresh clean -` makes of `bytes`: the reference every batch
/// output is compared with.
fn cleaned(bytes: &[u8]) -> Vec<u8> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(["clean", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out.stdout
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn write(root: &Path, relative: &str, bytes: &[u8]) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// Every file under `dir`, relative path to contents.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in fs::read_dir(next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// How many files are under `dir` so far, while a batch writes there.
fn count_files(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.path() {
            path if path.is_dir() => count_files(&path),
            _ => 1,
        })
        .sum()
}

/// `thresh clean INPUT -o OUTPUT` with more arguments.
fn clean_tree(input: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "clean",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ];
    args.extend(extra);
    thresh(&args)
}

fn report(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

/// Failed and skipped files in a report: path relative to `root`, cause.
fn report_entries(report: &serde_json::Value, root: &Path) -> BTreeMap<String, String> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let path = PathBuf::from(entry["path"].as_str().unwrap());
            let relative = path.strip_prefix(root).unwrap().display().to_string();
            (relative, entry["cause"].as_str().unwrap().to_owned())
        })
        .collect()
}

fn article(n: usize) -> String {
    format!("Headline Number {n}\n\nThe body of article {n} says something “quoted”.\n\nA second paragraph, for good measure.\n")
}

#[test]
fn a_tree_of_bad_files_is_cleaned_file_by_file() {
    let input = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    let root = input.path();
    let limit = 20_000;
    let ok_files = [
        ("news/world/a.txt", article(1).into_bytes()),
        ("news/a.htm", article(2).into_bytes()),
        ("dup.txt", article(3).into_bytes()),
        ("empty.txt", Vec::new()),
    ];
    for (name, bytes) in &ok_files {
        write(root, name, bytes);
    }
    write(root, "g.txt.gz", &gzip(article(4).as_bytes()));
    write(root, "news/a.html", article(5).as_bytes());
    write(root, "dup.txt.gz", &gzip(article(6).as_bytes()));
    write(root, "bad.txt.gz", b"this is not gzip data");
    write(root, "bomb.txt.gz", &gzip(&b"word ".repeat(limit)));
    write(root, "big.txt", &b"x".repeat(limit + 1));
    write(root, "bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    write(root, "skip.png", b"not picked up");
    write(
        root,
        "news/.a.txt.Ab12Cd.tmp",
        b"a temporary file, never an input",
    );
    std::os::unix::fs::symlink(root.join("nowhere.txt"), root.join("gone.txt")).unwrap();
    std::os::unix::fs::symlink("..", root.join("news/loop")).unwrap();

    let out_dir = output.path().join("out");
    let report_path = output.path().join("report.json");
    let limit_arg = limit.to_string();
    let options = ["-j", "2", "--max-bytes", &limit_arg, "--report"];
    let mut args = options.to_vec();
    args.push(report_path.to_str().unwrap());
    let run = clean_tree(root, &out_dir, &args);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");

    let mut expected: BTreeMap<String, Vec<u8>> = ok_files
        .iter()
        .map(|(name, bytes)| {
            let out = Path::new(name).with_extension("txt");
            (out.display().to_string(), cleaned(bytes))
        })
        .collect();
    expected.insert("g.txt".into(), cleaned(article(4).as_bytes()));
    assert_eq!(tree(&out_dir), expected, "{stderr}");

    let report = report(&report_path);
    let expected_entries: BTreeMap<String, String> = [
        ("news/a.html", "output collision"),
        ("dup.txt.gz", "output collision"),
        ("bad.txt.gz", "bad gzip"),
        ("bomb.txt.gz", "over --max-bytes"),
        ("big.txt", "over --max-bytes"),
        ("bin.txt", "binary, not text"),
        ("gone.txt", "unreadable"),
        ("news/loop", "symbolic link loop"),
    ]
    .into_iter()
    .map(|(path, cause)| (path.to_owned(), cause.to_owned()))
    .collect();
    assert_eq!(report_entries(&report, root), expected_entries);
    let summary = &report["summary"];
    assert_eq!(summary["ok"], 5);
    assert_eq!(summary["failed"], 7);
    assert_eq!(summary["skipped"], 1);
    assert_eq!(summary["interrupted"], false);
    assert!(summary["removed_per_rule"]["title"].as_u64().unwrap() >= 4);
    for needle in [
        "5 ok, 7 failed, 1 skipped",
        "bomb.txt.gz: decompresses to more than",
    ] {
        assert!(stderr.contains(needle), "{needle:?} not in {stderr}");
    }
}

#[test]
fn an_unreadable_file_fails_alone() {
    use std::os::unix::fs::PermissionsExt;
    let input = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    write(input.path(), "a.txt", article(1).as_bytes());
    write(input.path(), "locked.txt", article(2).as_bytes());
    let locked = input.path().join("locked.txt");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything; then the file is simply cleaned.
    let readable = fs::File::open(&locked).is_ok();
    let run = clean_tree(input.path(), output.path(), &[]);
    let expected_code = if readable { 0 } else { 1 };
    assert_eq!(run.status.code(), Some(expected_code));
    assert!(output.path().join("a.txt").is_file());
    assert_eq!(output.path().join("locked.txt").exists(), readable);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
}

/// The batch runs long enough to be interrupted: each worker-second cleans
/// a few megabytes, and this is several.
fn slow_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let texts = common::shared().join("eval/wcxb_articles/text");
    let originals: Vec<Vec<u8>> = ["0002.txt", "0049.txt", "0366.txt"]
        .iter()
        .map(|name| fs::read(texts.join(name)).unwrap())
        .collect();
    let references: Vec<Vec<u8>> = originals.iter().map(|bytes| cleaned(bytes)).collect();
    let mut expected = BTreeMap::new();
    for i in 0..300 {
        let name = format!("part{}/doc{i:04}.txt", i % 4);
        write(root, &name, &originals[i % originals.len()]);
        expected.insert(name, references[i % originals.len()].clone());
    }
    expected
}

#[test]
fn an_interrupted_batch_leaves_whole_outputs_and_incremental_finishes_it() {
    let input = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    let expected = slow_tree(input.path());
    let out_dir = output.path().join("out");
    let child = Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(["clean", input.path().to_str().unwrap(), "-o"])
        .arg(&out_dir)
        .args(["-j", "1"])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while count_files(&out_dir) < 3 {
        assert!(Instant::now() < deadline, "no output after 30 s");
        std::thread::sleep(Duration::from_millis(2));
    }
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let run = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");

    let partial = tree(&out_dir);
    assert!(
        partial.len() < expected.len(),
        "the batch finished before Ctrl-C"
    );
    for (name, bytes) in &partial {
        assert_eq!(
            Some(bytes),
            expected.get(name),
            "{name} is not a whole output"
        );
    }

    let report_path = output.path().join("report.json");
    let rerun = clean_tree(
        input.path(),
        &out_dir,
        &["--incremental", "--report", report_path.to_str().unwrap()],
    );
    assert!(rerun.status.success());
    assert_eq!(tree(&out_dir), expected);
    let summary = &report(&report_path)["summary"];
    assert_eq!(summary["skipped"], partial.len() as u64);
    assert_eq!(summary["ok"], (expected.len() - partial.len()) as u64);
}

#[test]
fn incremental_redoes_only_changed_inputs_and_stale_temp_files_go() {
    let input = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    for i in 0..5 {
        write(input.path(), &format!("d/{i}.txt"), article(i).as_bytes());
    }
    let first = clean_tree(input.path(), output.path(), &["--quiet"]);
    assert!(first.status.success());

    // A killed run's temporary file, and an input edited since.
    let stale = output.path().join("d/.3.txt.Zz9Yy8.tmp");
    fs::write(&stale, "half an output").unwrap();
    let old = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();
    std::thread::sleep(Duration::from_millis(20));
    write(input.path(), "d/2.txt", article(22).as_bytes());

    let second = clean_tree(input.path(), output.path(), &["--incremental"]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert!(stderr.contains("1 ok, 0 failed, 4 skipped"), "{stderr}");
    assert!(!stale.exists());
    assert_eq!(
        fs::read(output.path().join("d/2.txt")).unwrap(),
        cleaned(article(22).as_bytes())
    );
}

#[test]
fn nested_output_is_refused_unless_allowed_and_then_never_read_back() {
    let input = tempfile::tempdir().unwrap();
    write(input.path(), "a.txt", article(1).as_bytes());
    let inside = input.path().join("cleaned");
    let refused = clean_tree(input.path(), &inside, &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--allow-nested-output"));

    for _ in 0..2 {
        let run = clean_tree(input.path(), &inside, &["--allow-nested-output"]);
        assert!(run.status.success());
    }
    let outputs: Vec<String> = tree(&inside).into_keys().collect();
    assert_eq!(outputs, ["a.txt"]);

    let same = clean_tree(input.path(), input.path(), &["--allow-nested-output"]);
    assert_eq!(same.status.code(), Some(2));
}

#[test]
fn outputs_of_two_inputs_that_collide_are_reported() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    write(one.path(), "x/a.txt", article(1).as_bytes());
    write(two.path(), "x/a.txt", article(2).as_bytes());
    write(two.path(), "x/b.txt", article(3).as_bytes());
    let run = thresh(&[
        "clean",
        one.path().to_str().unwrap(),
        two.path().to_str().unwrap(),
        "-o",
        output.path().to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("is already written from"), "{stderr}");
    assert_eq!(
        fs::read(output.path().join("x/a.txt")).unwrap(),
        cleaned(article(1).as_bytes())
    );
    assert!(output.path().join("x/b.txt").is_file());
}

#[test]
fn globs_choose_the_files() {
    let input = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    write(input.path(), "keep/a.md", article(1).as_bytes());
    write(input.path(), "keep/b.txt", article(2).as_bytes());
    write(input.path(), "drop/c.md", article(3).as_bytes());
    let run = clean_tree(
        input.path(),
        output.path(),
        &["--glob", "keep/*.md", "--format", "json"],
    );
    assert!(run.status.success());
    let outputs: Vec<String> = tree(output.path()).into_keys().collect();
    assert_eq!(outputs, ["keep/a.json"]);
}

#[test]
fn a_tree_streams_into_one_jsonl_file_in_walk_order() {
    let input = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..40).map(|i| format!("d{}/{i:02}.txt", i % 3)).collect();
    for (i, name) in names.iter().enumerate() {
        write(input.path(), name, article(i).as_bytes());
    }
    let out = output.path().join("all.jsonl");
    let run = thresh(&[
        "clean",
        input.path().to_str().unwrap(),
        "--format",
        "jsonl",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success());
    let paths: Vec<String> = fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            let path = PathBuf::from(record["path"].as_str().unwrap());
            path.strip_prefix(input.path())
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}
