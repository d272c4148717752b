//! Instruction counts of the HTML pipeline against scraper's parse alone,
//! for `valgrind --tool=callgrind`, which counts the same on a busy machine
//! as on an idle one (wall-clock ratios there swing by 30%).
//!
//! ```sh
//! cargo build --release --example ir_html
//! for mode in warm parse clean; do
//!   valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.$mode \
//!     target/release/examples/ir_html $mode 12 2>&1 | grep refs
//! done
//! # pipeline / parse = (clean - warm) / (parse - load), where load is
//! # `ir_html load 12`: the same start-up without either pass.
//! ```
//!
//! MODE is `load` (read the pages and build the pipeline only), `warm`
//! (also clean one page, which compiles the lazily built regexes), `parse`
//! or `clean`; STEP takes every STEP-th page of `../shared/eval/wcxb_articles`.
//! ROUNDS (default 1) repeats the passes: the second round's cost alone,
//! `ir_html clean 12 2` minus `ir_html clean 12 1`, is the steady state,
//! with every lazily built regex and table already in place whichever
//! page first needs it:
//!
//! ```sh
//! # pipeline / parse = (clean@2 - clean@1) / (parse@2 - parse@1)
//! ```
//!
//! `THRESH_WITHOUT=tail,dedup` leaves those stages out, so that one stage's
//! share is the difference between two runs.

use std::io::Read;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("clean");
    let step: usize = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(10);
    let rounds: usize = args.get(3).and_then(|v| v.parse().ok()).unwrap_or(1);
    let dir = std::path::PathBuf::from("../shared/eval/wcxb_articles/html");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("../shared/eval/wcxb_articles/html beside the repository")
        .map(|entry| entry.expect("a readable directory entry").path())
        .collect();
    paths.sort();
    let pages: Vec<Vec<u8>> = paths
        .iter()
        .step_by(step.max(1))
        .map(|path| {
            let mut bytes = Vec::new();
            let file = std::fs::File::open(path).expect("a readable page");
            flate2::read::GzDecoder::new(file)
                .read_to_end(&mut bytes)
                .expect("a gzip page");
            bytes
        })
        .collect();
    let decoded: Vec<String> = pages
        .iter()
        .map(|page| String::from_utf8_lossy(page).into_owned())
        .collect();
    let mut builder = thresh::Pipeline::builder().input_kind(thresh::InputKind::Html);
    for stage in std::env::var("THRESH_WITHOUT")
        .unwrap_or_default()
        .split(',')
    {
        if !stage.is_empty() {
            builder = builder.without(stage);
        }
    }
    let pipeline = builder.build().expect("the default pipeline builds");
    if matches!(mode, "clean" | "warm") {
        let _ = pipeline.clean(thresh::Input::new(&pages[0]));
    }
    for _ in 0..rounds {
        match mode {
            "parse" => {
                for page in &decoded {
                    std::hint::black_box(scraper::Html::parse_document(page));
                }
            }
            "clean" => {
                for page in &pages {
                    let _ = std::hint::black_box(pipeline.clean(thresh::Input::new(page)));
                }
            }
            _ => {}
        }
    }
}
