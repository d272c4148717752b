//! Throughput of the text path on the crude `text/` dumps of
//! `../shared/eval/wcxb_articles` (and the other development sets):
//!
//! - `fix`: decode + repair + normalize, the issue-2 target (>= 300 MB/s);
//! - `clean`: the whole text pipeline, structure and document stages included.
//!
//! Run with `cargo bench --bench text`. Criterion reports MB/s per group.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use thresh::{Input, InputKind, Pipeline};

fn load(set: &str) -> Vec<Vec<u8>> {
    let paths = common::pages(set, "text");
    paths
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

fn bench_set(c: &mut Criterion, set: &str) {
    let docs = load(set);
    let bytes: usize = docs.iter().map(Vec::len).sum();
    let pipeline = Pipeline::builder()
        .input_kind(InputKind::Text)
        .build()
        .unwrap();
    let mut group = c.benchmark_group(format!("text/{set}"));
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("fix", |b| {
        b.iter(|| {
            for doc in &docs {
                std::hint::black_box(pipeline.fix(Input::new(doc)).unwrap());
            }
        })
    });
    group.bench_function("clean", |b| {
        b.iter(|| {
            for doc in &docs {
                std::hint::black_box(pipeline.clean(Input::new(doc)).unwrap());
            }
        })
    });
    group.finish();
}

fn text(c: &mut Criterion) {
    for set in ["wcxb_articles", "zh_cwce"] {
        bench_set(c, set);
    }
}

criterion_group!(benches, text);
criterion_main!(benches);
