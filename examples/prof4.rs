//! Whole text pipeline throughput on wcxb text, three rounds (the first warms the regex caches).
fn main() {
    let dir = std::path::PathBuf::from("../shared/eval/wcxb_articles/text");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let docs: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let only: Vec<String> = std::env::args().skip(1).collect();
    let mut builder = thresh::Pipeline::builder().input_kind(thresh::InputKind::Text);
    if !only.is_empty() {
        for stage in thresh::Pipeline::default().stage_names() {
            if !only.iter().any(|o| o == stage) {
                builder = builder.without(stage);
            }
        }
    }
    let p = builder.build().unwrap();
    let mb = docs.iter().map(|d| d.len()).sum::<usize>() as f64 / 1e6;
    for round in 0..3 {
        let t = std::time::Instant::now();
        for d in &docs {
            std::hint::black_box(p.clean(thresh::Input::new(d)).unwrap());
        }
        println!("round {round}: {:.1} MB/s", mb / t.elapsed().as_secs_f64());
    }
}
