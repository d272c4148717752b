//! A recursive directory walk that never recurses on the stack and never
//! stops at an unreadable entry.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The file extensions a directory walk picks up by default.
pub const DEFAULT_EXTENSIONS: &[&str] = &["txt", "html", "htm", "xhtml"];

/// True when the file's extension (after an optional `.gz`) is one of `extensions`.
///
/// ```
/// use std::path::Path;
/// use thresh::batch::{is_candidate, DEFAULT_EXTENSIONS};
/// assert!(is_candidate(Path::new("a/b.HTML"), DEFAULT_EXTENSIONS));
/// assert!(is_candidate(Path::new("a/b.txt.gz"), DEFAULT_EXTENSIONS));
/// assert!(!is_candidate(Path::new("a/b.png"), DEFAULT_EXTENSIONS));
/// ```
pub fn is_candidate(path: &Path, extensions: &[&str]) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let name = name.strip_suffix(".gz").unwrap_or(name);
    let ext = name.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    extensions.iter().any(|e| e.eq_ignore_ascii_case(ext))
}

/// All files under `root` with one of `extensions`, in sorted order per
/// directory, depth first. Unreadable directories and entries come out as
/// errors in the stream; the walk goes on past them. Symbolic links to
/// directories are not followed, so link loops cannot trap it.
pub fn walk<'a>(
    root: &Path,
    extensions: &'a [&'a str],
) -> impl Iterator<Item = io::Result<PathBuf>> + 'a {
    let mut pending: Vec<io::Result<PathBuf>> = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    std::iter::from_fn(move || loop {
        if let Some(next) = pending.pop() {
            return Some(next);
        }
        let dir = dirs.pop()?;
        match read_sorted(&dir) {
            Ok(entries) => {
                let mut subdirs = Vec::new();
                for path in entries {
                    match fs::symlink_metadata(&path) {
                        Ok(meta) if meta.is_dir() => subdirs.push(path),
                        Ok(meta) if meta.file_type().is_symlink() && path.is_dir() => {}
                        Ok(_) if is_candidate(&path, extensions) => pending.push(Ok(path)),
                        Ok(_) => {}
                        Err(e) => pending.push(Err(with_path(e, &path))),
                    }
                }
                pending.reverse();
                subdirs.reverse();
                dirs.extend(subdirs);
            }
            Err(e) => return Some(Err(with_path(e, &dir))),
        }
    })
}

fn read_sorted(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut entries = fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<io::Result<Vec<_>>>()?;
    entries.sort();
    Ok(entries)
}

fn with_path(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}
