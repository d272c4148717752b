//! HTML throughput on the raw pages of `../shared/eval/wcxb_articles`
//! (709 pages, 133 MB), single thread, against parsing alone.
//!
//! Each round times two passes over the same pages, interleaved so that
//! machine noise hits both alike:
//!
//! - `parse`: `scraper::Html::parse_document` on the decoded page, the floor
//!   any DOM-based extractor pays;
//! - `clean`: the whole pipeline from bytes: decode, parse, extraction,
//!   metadata, repair, strip and normalize.
//!
//! The issue-4 target is `clean` / `parse` <= 1.5. The best of the rounds
//! counts for each. Run with `cargo bench --bench html`; set
//! `THRESH_BENCH_ROUNDS` to change the number of rounds (default 5) and
//! `THRESH_BENCH_SET` to measure another development set.

mod common;

use flate2::read::GzDecoder;
use std::io::Read;
use std::time::{Duration, Instant};
use thresh::{Input, InputKind, Pipeline};

fn load(set: &str) -> Vec<Vec<u8>> {
    let paths = common::pages(set, "html");
    paths
        .into_iter()
        .map(|path| {
            let mut bytes = Vec::new();
            GzDecoder::new(std::fs::File::open(&path).unwrap())
                .read_to_end(&mut bytes)
                .unwrap();
            bytes
        })
        .collect()
}

fn time(pass: impl Fn()) -> Duration {
    let start = Instant::now();
    pass();
    start.elapsed()
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // and only wants to know the bench builds.
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    let set = std::env::var("THRESH_BENCH_SET").unwrap_or_else(|_| "wcxb_articles".into());
    let rounds: usize = std::env::var("THRESH_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let pages = load(&set);
    let decoded: Vec<String> = pages
        .iter()
        .map(|page| String::from_utf8_lossy(page).into_owned())
        .collect();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let pipeline = Pipeline::builder()
        .input_kind(InputKind::Html)
        .build()
        .unwrap();
    let mut best_parse = Duration::MAX;
    let mut best_clean = Duration::MAX;
    for round in 1..=rounds {
        let parse = time(|| {
            for page in &decoded {
                std::hint::black_box(scraper::Html::parse_document(page));
            }
        });
        let clean = time(|| {
            for page in &pages {
                std::hint::black_box(pipeline.clean(Input::new(page)).unwrap());
            }
        });
        best_parse = best_parse.min(parse);
        best_clean = best_clean.min(clean);
        println!(
            "round {round}: parse {:.3} s, clean {:.3} s, ratio {:.2}",
            parse.as_secs_f64(),
            clean.as_secs_f64(),
            clean.as_secs_f64() / parse.as_secs_f64()
        );
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "{set}: {} pages, {mb:.1} MB; parse only {:.1} MB/s, whole pipeline {:.1} MB/s; pipeline / parse time = {:.2} (best of {rounds})",
        pages.len(),
        mb / best_parse.as_secs_f64(),
        mb / best_clean.as_secs_f64(),
        best_clean.as_secs_f64() / best_parse.as_secs_f64()
    );
}
