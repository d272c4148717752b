//! Time against size on pathological inputs: each kind at size n and 4n,
//! so that linear time shows as a ratio near 4 between the two.
//!
//! - `nested_divs`: `<div>` repeated, as HTML (refused at once) and as text
//!   (one line, cut into blocks at `max_line_bytes`);
//! - `long_line`: one line of words;
//! - `gzip_bomb`: a 100 MB gzip bomb inflated up to a decompression limit of
//!   n, then refused;
//! - `tiny_paragraphs`: one short distinct paragraph per line;
//! - `mojibake_lines`: lines of mojibake to repair.
//!
//! Run with `cargo bench --bench limits`; compare the `4n` time with the
//! `n` time in each group.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use std::time::Duration;
use thresh::{Input, InputKind, Limits, Pipeline};

fn nested_divs(n: usize) -> Vec<u8> {
    "<div>".repeat(n / 5).into_bytes()
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
    "The cafÃ© is â€œopenâ€\u{9d} today.\n"
        .repeat(n / 40)
        .into_bytes()
}

fn gzip_bomb() -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..100 {
        gz.write_all(&chunk).unwrap_or_default();
    }
    gz.finish().unwrap_or_default()
}

/// Times `make(n)` and `make(4n)` through the text pipeline (or as `kind`).
fn group(c: &mut Criterion, name: &str, n: usize, kind: InputKind, make: fn(usize) -> Vec<u8>) {
    let pipeline = Pipeline::builder()
        .input_kind(kind)
        .limits(Limits {
            max_blocks: usize::MAX,
            ..Limits::default()
        })
        .build()
        .unwrap();
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    for (label, size) in [("n", n), ("4n", 4 * n)] {
        let input = make(size);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(BenchmarkId::new(label, input.len()), &input, |b, input| {
            b.iter(|| std::hint::black_box(pipeline.clean(Input::new(input)).is_ok()))
        });
    }
    group.finish();
}

fn bench_limits(c: &mut Criterion) {
    group(c, "nested_divs/html", 1 << 20, InputKind::Auto, nested_divs);
    group(c, "nested_divs/text", 1 << 20, InputKind::Text, nested_divs);
    group(c, "long_line", 8 << 20, InputKind::Text, long_line);
    group(
        c,
        "tiny_paragraphs",
        2 << 20,
        InputKind::Text,
        tiny_paragraphs,
    );
    group(
        c,
        "mojibake_lines",
        1 << 20,
        InputKind::Text,
        mojibake_lines,
    );

    let bomb = gzip_bomb();
    let mut group = c.benchmark_group("gzip_bomb");
    group.sample_size(10);
    for (label, limit) in [("n", 16usize << 20), ("4n", 64 << 20)] {
        let pipeline = Pipeline::builder()
            .limits(Limits {
                max_decompressed_bytes: limit,
                ..Limits::default()
            })
            .build()
            .unwrap();
        group.bench_with_input(BenchmarkId::new(label, limit), &bomb, |b, bomb| {
            b.iter(|| std::hint::black_box(pipeline.clean(bomb.as_slice()).is_err()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_limits);
criterion_main!(benches);
