//! Resource limits: each pathological input finishes with a result or a
//! clear limit error, with no stack overflow and no memory blow-up, and the
//! limits can be set from the builder and the command line.
//!
//! The time bounds are loose (a quadratic stage would miss them by
//! minutes, a slow machine would not) and only checked in release builds.

mod common;

use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use std::time::{Duration, Instant};
use thresh::{Error, Input, InputKind, Limits, Pipeline};

/// Longer than any of these inputs takes in a release build on a slow
/// machine, shorter than a quadratic stage would take.
const BOUND: Duration = Duration::from_secs(60);

fn timed<T>(what: &str, run: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let result = run();
    let took = start.elapsed();
    eprintln!("{what}: {took:.2?}");
    if !cfg!(debug_assertions) {
        assert!(took < BOUND, "{what} took {took:?}");
    }
    result
}

fn text_builder() -> thresh::PipelineBuilder {
    Pipeline::builder().input_kind(InputKind::Text)
}

fn text_pipeline() -> Pipeline {
    text_builder().build().unwrap()
}

/// A megabyte of nested `<div>`s (over 200,000 levels, open-only or
/// closed around some text) finishes quickly, on the test thread's small
/// stack, with an article or a clear error naming a limit or refusing the
/// page, whether the kind is detected or given. This goes through the
/// public pipeline, so it exercises HTML extraction, whatever it is at the
/// time; it holds no expectation about which of the two outcomes it gets.
/// Read as text, the page is one long line, cut into blocks no longer than
/// the line limit.
#[test]
fn a_megabyte_of_nested_divs() {
    let depth = (1 << 20) / "<div>".len();
    let open_only = "<div>".repeat(depth);
    let closed = format!(
        "{}Deep text.{}",
        "<div>".repeat(depth / 2),
        "</div>".repeat(depth / 2)
    );
    for page in [&open_only, &closed] {
        for kind in [InputKind::Auto, InputKind::Html] {
            let result = timed("nested divs as HTML", || {
                Pipeline::default().clean(Input::new(page.as_bytes()).kind(kind))
            });
            match result {
                Ok(article) => assert_eq!(thresh::fuzzing::check_article(&article), Ok(())),
                Err(error) => {
                    let limits = Limits::default();
                    assert_eq!(thresh::fuzzing::check_error(&error, &limits), Ok(()));
                    assert!(!error.to_string().is_empty());
                }
            }
        }
        let article = timed("nested divs as text", || {
            text_pipeline().clean(page.as_str()).unwrap()
        });
        let limit = Limits::default().max_line_bytes;
        assert!(article.document().blocks.len() >= page.len() / limit);
        assert!(article
            .document()
            .blocks
            .iter()
            .all(|b| b.text.len() <= limit));
    }
}

/// A 50 MB line is cut into blocks of at most `max_line_bytes` at spaces,
/// and nothing is lost; `fix`, which keeps lines, returns it whole.
#[test]
fn a_fifty_megabyte_line() {
    let line = "word ".repeat(10_000_000);
    // Without dedup, which would drop the identical pieces and hide what
    // the cut kept.
    let article = timed("50 MB line, clean", || {
        text_builder()
            .without("dedup")
            .build()
            .unwrap()
            .clean(line.as_str())
            .unwrap()
    });
    let blocks = &article.document().blocks;
    let limit = Limits::default().max_line_bytes;
    assert!(blocks.iter().all(|b| b.text.len() <= limit));
    let words: usize = blocks.iter().map(|b| b.text.split(' ').count()).sum();
    assert_eq!(words, 10_000_000);
    let fixed = timed("50 MB line, fix", || {
        text_pipeline().fix(line.as_str()).unwrap()
    });
    assert_eq!(fixed.text, line.trim_end());
}

/// Gzip of `size` bytes of `byte`, written in chunks so that the test never
/// holds the inflated bomb in memory.
fn gzip_of(byte: u8, size: usize) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    let chunk = vec![byte; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len());
        gz.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    gz.finish().unwrap()
}

/// A 100 MB gzip bomb stops at the decompression limit with a clear error,
/// whatever the limit, and gzip within the limit is cleaned like the text
/// inside it.
#[test]
fn a_hundred_megabyte_gzip_bomb() {
    let bomb = gzip_of(b'a', 100 << 20);
    assert!(bomb.len() < 1 << 20, "the bomb is {} bytes", bomb.len());
    let error = timed("100 MB gzip bomb, default limit", || {
        Pipeline::default().clean(bomb.as_slice()).unwrap_err()
    });
    assert_eq!(
        error,
        Error::DecompressedTooLarge {
            limit: Limits::default().max_decompressed_bytes
        }
    );
    assert!(error.to_string().contains("--max-decompressed-bytes"));
    let small = Limits {
        max_decompressed_bytes: 1 << 20,
        ..Limits::default()
    };
    let error = timed("100 MB gzip bomb, 1 MiB limit", || {
        let pipeline = Pipeline::builder().limits(small).build().unwrap();
        pipeline.fix(bomb.as_slice()).unwrap_err()
    });
    assert_eq!(error, Error::DecompressedTooLarge { limit: 1 << 20 });
    let io_error = thresh::limits::read_gzip_limited(bomb.as_slice(), 1 << 20).unwrap_err();
    assert_eq!(io_error.kind(), std::io::ErrorKind::InvalidData);

    let story = "Headline Of The Story\n\nThe council met on Tuesday and agreed to spend the money on the park.";
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(story.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let unzipped = Pipeline::default().clean(gz.as_slice()).unwrap();
    let plain = Pipeline::default().clean(story).unwrap();
    assert_eq!(unzipped.text(), plain.text());
    assert_eq!(unzipped.meta().title, plain.meta().title);
    assert!(matches!(
        Pipeline::default().clean(&gz[..gz.len() / 2]),
        Err(Error::Gzip { .. })
    ));
}

/// A million tiny paragraphs, exactly the default block limit, come out
/// whole; one more is refused with the block limit.
#[test]
fn a_million_tiny_paragraphs() {
    let mut text = String::with_capacity(20 << 20);
    for i in 0..1_000_000 {
        text.push_str(&format!("Paragraph {i}.\n"));
    }
    let article = timed("a million paragraphs", || {
        text_pipeline().clean(text.as_str()).unwrap()
    });
    assert_eq!(article.document().blocks.len(), 1_000_000);
    text.push_str("One too many.");
    let error = timed("a million and one paragraphs", || {
        text_pipeline().clean(text.as_str()).unwrap_err()
    });
    assert_eq!(error, Error::TooManyBlocks { limit: 1_000_000 });
}

/// Input over `max_input_bytes` is refused before any work.
#[test]
fn input_over_the_size_limit_is_refused() {
    let limits = Limits {
        max_input_bytes: 1000,
        ..Limits::default()
    };
    let pipeline = Pipeline::builder().limits(limits).build().unwrap();
    let error = pipeline.clean("x".repeat(1001).as_str()).unwrap_err();
    assert_eq!(
        error,
        Error::InputTooLarge {
            size: 1001,
            limit: 1000
        }
    );
}

/// Runs `thresh clean - ARGS` on `input` and returns the exit code,
/// standard output and standard error.
fn clean_stdin(input: &[u8], args: &[&str]) -> (Option<i32>, String, String) {
    let out = common::thresh(&[&["clean", "-"], args].concat(), input);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every limit has a command-line flag that reaches the pipeline.
#[test]
fn the_command_line_sets_every_limit() {
    let (code, _, err) = clean_stdin(b"one\ntwo\nthree\n", &["--max-blocks", "2"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("more than 2 blocks"), "{err}");

    let (code, out, _) = clean_stdin(
        b"One two. Three four. Five six.",
        &["--max-line-bytes", "12", "--input-kind", "text"],
    );
    assert_eq!(code, Some(0));
    assert_eq!(out, "One two.\n\nThree four.\n\nFive six.\n");

    let (code, _, err) = clean_stdin(
        &gzip_of(b'a', 1 << 20),
        &["--max-decompressed-bytes", "1000"],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("more than 1000 bytes"), "{err}");
    let (code, out, _) = clean_stdin(&gzip_of(b'a', 1000), &["--max-decompressed-bytes", "1000"]);
    assert_eq!(code, Some(0));
    assert_eq!(out.trim_end(), "a".repeat(1000));

    let (code, _, err) = clean_stdin(b"12345", &["--max-bytes", "4"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("more than 4 bytes") && err.contains("--max-bytes"),
        "{err}"
    );

    // HTML extraction reads the depth limit; a page nested deeper is refused.
    let deep = format!("<html><body>{}x</body></html>", "<div>".repeat(10));
    let (code, _, err) = clean_stdin(deep.as_bytes(), &["--max-dom-depth", "3"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("--max-dom-depth"), "{err}");
}

/// The builder's limits are the pipeline's.
#[test]
fn the_builder_sets_every_limit() {
    let limits = Limits {
        max_input_bytes: 1,
        max_decompressed_bytes: 2,
        max_blocks: 3,
        max_line_bytes: 4,
        max_dom_depth: 5,
    };
    let pipeline = Pipeline::builder().limits(limits).build().unwrap();
    assert_eq!(pipeline.limits(), &limits);
}
