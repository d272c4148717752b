fn main() {
    let dir = std::path::PathBuf::from("/work/shared/eval/wcxb_articles/text");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let docs: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let p = thresh::Pipeline::builder()
        .input_kind(thresh::InputKind::Text)
        .build()
        .unwrap();
    let t = std::time::Instant::now();
    for d in &docs {
        std::hint::black_box(p.clean(thresh::Input::new(d)).unwrap());
    }
    let mb = docs.iter().map(|d| d.len()).sum::<usize>() as f64 / 1e6;
    println!("{:.1} MB/s", mb / t.elapsed().as_secs_f64());
}
