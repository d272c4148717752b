//! What the benchmarks share: finding the development pages in `../shared`.

use std::path::PathBuf;

/// The sorted paths of `../shared/eval/<set>/<form>/*`; panics with a
/// clear message when `../shared` is not beside the repository.
pub fn pages(set: &str, form: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/eval")
        .join(set)
        .join(form);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (the benchmark needs ../shared beside the repo)",
                dir.display()
            )
        })
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
}
