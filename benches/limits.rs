//! Time against size on pathological inputs: each kind at size n and 4n,
//! so that linear time shows as a ratio near 4 between the two (a quadratic
//! stage would show 16).
//!
//! - `nested_divs/html`: `<div>` nested ever deeper and closed around a
//!   sentence, through the pipeline as HTML (refused at once while HTML
//!   extraction is missing; its real work once it lands);
//! - `nested_divs/text`: the same page read as text, one long line cut into
//!   blocks at `max_line_bytes`;
//! - `long_line`: one line of words;
//! - `tiny_paragraphs`: one short distinct paragraph per line;
//! - `mojibake_lines`: lines of mojibake that re-encode whole;
//! - `mojibake_mixed`: one line (segments of up to 1 MiB) where clean CJK
//!   sits beside double mojibake, false UTF-8 sequences and words whose
//!   runs are bad only with their letters, repaired run by run;
//! - `gzip_bomb/pipeline`: a 100 MB gzip bomb inflated up to a decompression
//!   limit of n, then refused;
//! - `gzip_bomb/batch_reader`: the same bomb as a `.gz` file read by the
//!   batch reader (`thresh::batch::read_input`) with a limit of n.
//!
//! Run with `cargo bench --bench limits`. Besides criterion's report, each
//! kind prints its `4n/n` time ratio, measured as the fastest of a few runs
//! at each size (the fastest run is the one least disturbed by whatever
//! else the machine is doing).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};
use thresh::{Input, InputKind, Limits, Pipeline};

fn nested_divs(n: usize) -> Vec<u8> {
    let depth = n / "<div></div>".len();
    format!(
        "{}The council met on Tuesday.{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
    .into_bytes()
}

fn long_line(n: usize) -> Vec<u8> {
    "word ".repeat(n / 5).into_bytes()
}

fn tiny_paragraphs(n: usize) -> Vec<u8> {
    let mut text = String::with_capacity(n + 32);
    let mut i = 0;
    while text.len() < n {
        text.push_str(&format!("Paragraph {i}.\n"));
        i += 1;
    }
    text.into_bytes()
}

fn mojibake_lines(n: usize) -> Vec<u8> {
    let line = "The cafÃ© is â€œopenâ€\u{9d} today.\n";
    line.repeat(n / line.len()).into_bytes()
}

fn mojibake_mixed(n: usize) -> Vec<u8> {
    let piece = "東京 Ã¦Â\u{9d}Â±Ã¤ÂºÂ¬ GdaÅ„sk Ð¸ Ã¦Â\u{9d}Â± kůň — ÃƒÆ’Ã‚Â¼ber ";
    piece.repeat(n / piece.len()).into_bytes()
}

fn gzip_bomb() -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..100 {
        gz.write_all(&chunk).unwrap_or_default();
    }
    gz.finish().unwrap_or_default()
}

/// The fastest of a few runs of `run`.
fn fastest(mut run: impl FnMut()) -> Duration {
    (0..5)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// The ratios measured so far, printed together at the end.
#[derive(Default)]
struct Ratios(Vec<(String, Duration, Duration)>);

impl Ratios {
    /// Times `run` at size n and 4n, prints and records the ratio.
    fn measure(&mut self, name: &str, mut run: impl FnMut(bool)) {
        let small = fastest(|| run(false));
        let large = fastest(|| run(true));
        let ratio = large.as_secs_f64() / small.as_secs_f64();
        println!("{name}: n {small:.2?}, 4n {large:.2?}, 4n/n {ratio:.2}");
        self.0.push((name.to_owned(), small, large));
    }

    fn print(&self) {
        println!("\n{:<24} {:>10} {:>10} {:>6}", "kind", "n", "4n", "4n/n");
        for (name, small, large) in &self.0 {
            let ratio = large.as_secs_f64() / small.as_secs_f64();
            println!("{name:<24} {small:>10.2?} {large:>10.2?} {ratio:>6.2}");
        }
    }
}

/// Times `make(n)` and `make(4n)` through the pipeline, read as `kind`.
fn group(
    c: &mut Criterion,
    ratios: &mut Ratios,
    name: &str,
    n: usize,
    kind: InputKind,
    make: fn(usize) -> Vec<u8>,
) {
    let pipeline = Pipeline::builder()
        .input_kind(kind)
        .limits(Limits {
            max_blocks: usize::MAX,
            ..Limits::default()
        })
        .build()
        .unwrap();
    let inputs = [make(n), make(4 * n)];
    let clean = |input: &[u8]| std::hint::black_box(pipeline.clean(Input::new(input)).is_ok());
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for (label, input) in ["n", "4n"].into_iter().zip(&inputs) {
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(BenchmarkId::new(label, input.len()), input, |b, input| {
            b.iter(|| clean(input))
        });
    }
    group.finish();
    ratios.measure(name, |large| {
        clean(&inputs[usize::from(large)]);
    });
}

/// The bomb inflated up to a limit of 16 MiB and of 64 MiB, through the
/// pipeline and through the batch reader.
fn gzip_groups(c: &mut Criterion, ratios: &mut Ratios) {
    let bomb = gzip_bomb();
    let limits = [16usize << 20, 64 << 20];
    let pipelines = limits.map(|limit| {
        let limits = Limits {
            max_decompressed_bytes: limit,
            ..Limits::default()
        };
        Pipeline::builder().limits(limits).build().unwrap()
    });
    let refuse = |pipeline: &Pipeline| std::hint::black_box(pipeline.clean(&bomb[..]).is_err());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.txt.gz");
    std::fs::write(&path, &bomb).unwrap();
    let read = |path: &Path, limit: usize| {
        std::hint::black_box(thresh::batch::read_input(path, limit).is_err())
    };

    let mut group = c.benchmark_group("gzip_bomb");
    group.sample_size(10);
    for ((label, limit), pipeline) in ["n", "4n"].into_iter().zip(limits).zip(&pipelines) {
        group.bench_function(BenchmarkId::new(format!("pipeline/{label}"), limit), |b| {
            b.iter(|| refuse(pipeline))
        });
        group.bench_function(
            BenchmarkId::new(format!("batch_reader/{label}"), limit),
            |b| b.iter(|| read(&path, limit)),
        );
    }
    group.finish();
    ratios.measure("gzip_bomb/pipeline", |large| {
        refuse(&pipelines[usize::from(large)]);
    });
    ratios.measure("gzip_bomb/batch_reader", |large| {
        read(&path, limits[usize::from(large)]);
    });
}

fn bench_limits(c: &mut Criterion) {
    let mut ratios = Ratios::default();
    let text = InputKind::Text;
    group(
        c,
        &mut ratios,
        "nested_divs/html",
        1 << 20,
        InputKind::Html,
        nested_divs,
    );
    group(
        c,
        &mut ratios,
        "nested_divs/text",
        1 << 20,
        text,
        nested_divs,
    );
    group(c, &mut ratios, "long_line", 8 << 20, text, long_line);
    group(
        c,
        &mut ratios,
        "tiny_paragraphs",
        2 << 20,
        text,
        tiny_paragraphs,
    );
    group(
        c,
        &mut ratios,
        "mojibake_lines",
        1 << 20,
        text,
        mojibake_lines,
    );
    group(
        c,
        &mut ratios,
        "mojibake_mixed",
        1 << 20,
        text,
        mojibake_mixed,
    );
    gzip_groups(c, &mut ratios);
    ratios.print();
}

criterion_group!(benches, bench_limits);
criterion_main!(benches);
