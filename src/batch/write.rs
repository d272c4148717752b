//! Atomic file output.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file in the same directory
/// and a rename, so readers see either the old file or the whole new one.
/// Parent directories are created as needed.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("deep/out.txt");
/// thresh::batch::write_atomic(&path, b"done\n").unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"done\n");
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
