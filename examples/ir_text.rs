//! Instruction counts of the whole text pipeline, for `valgrind
//! --tool=callgrind`, which counts the same on a busy machine as on an
//! idle one.
//!
//! STEP takes every STEP-th dump of `../shared/eval/wcxb_articles/text`
//! (default 8: 89 dumps, 1.75 MB); ROUNDS (default 1) repeats the pass.
//! One document is cleaned first, so the lazily built regexes and tables
//! are in place; the second round's cost alone is the steady state:
//!
//! ```sh
//! cargo build --release --example ir_text
//! for rounds in 1 2; do
//!   valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.$rounds \
//!     target/release/examples/ir_text 8 $rounds 2>&1 | grep refs
//! done
//! # steady state = refs@2 - refs@1
//! ```

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let step: usize = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(8);
    let rounds: usize = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(1);
    let dir = std::path::PathBuf::from("../shared/eval/wcxb_articles/text");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("../shared/eval/wcxb_articles/text beside the repository")
        .map(|entry| entry.expect("a readable directory entry").path())
        .collect();
    paths.sort();
    let docs: Vec<Vec<u8>> = paths
        .iter()
        .step_by(step.max(1))
        .map(|path| std::fs::read(path).expect("a readable text dump"))
        .collect();
    let pipeline = thresh::Pipeline::builder()
        .input_kind(thresh::InputKind::Text)
        .build()
        .expect("the default pipeline builds");
    if let Some(first) = docs.first() {
        let _ = pipeline.clean(thresh::Input::new(first));
    }
    for _ in 0..rounds {
        for doc in &docs {
            let _ = std::hint::black_box(pipeline.clean(thresh::Input::new(doc)));
        }
    }
}
