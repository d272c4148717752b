//! Atomic file output, and the removal of temporary files an earlier run
//! left behind when it was killed.

use super::filter::is_temp_name;
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::time::SystemTime;

/// How many random characters a temporary file name carries.
pub(crate) const TEMP_RANDOM_LEN: usize = 6;

/// Writes `bytes` to `path` through a temporary file in the same directory
/// and a rename, so readers see either the old file or the whole new one.
/// Parent directories are created as needed. The temporary file is named
/// `.<name>.<random>.tmp` (see [`is_temp_name`](crate::batch::is_temp_name))
/// and is removed if anything fails before the rename.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("deep/out.txt");
/// thresh::batch::write_atomic(&path, b"done\n").unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"done\n");
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut temp = temp_beside(path)?;
    temp.write_all(bytes)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A temporary file in `path`'s directory, named so that walks and sweeps
/// recognise it. Creates the directory when it is missing; trying first
/// saves a system call per file in the common case.
pub fn temp_beside(path: &Path) -> io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let prefix = format!(".{name}.");
    let make = || {
        tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".tmp")
            .rand_bytes(TEMP_RANDOM_LEN)
            .tempfile_in(dir)
    };
    match make() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(dir)?;
            make()
        }
        other => other,
    }
}

/// Removes the temporary files in `dir` older than `before`: what a killed
/// run left. Younger ones may belong to a run still going, so they stay.
/// Returns how many were removed; a missing directory has none.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join(".a.txt.Ab12Cd.tmp"), "half").unwrap();
/// std::fs::write(dir.path().join("a.txt"), "whole").unwrap();
/// let later = SystemTime::now() + Duration::from_secs(1);
/// assert_eq!(thresh::batch::sweep_temps(dir.path(), later).unwrap(), 1);
/// assert!(dir.path().join("a.txt").exists());
/// ```
pub fn sweep_temps(dir: &Path, before: SystemTime) -> io::Result<usize> {
    let entries = match fs::read_dir(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        other => other?,
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let temp = entry.file_name().to_str().is_some_and(is_temp_name);
        if temp && entry.metadata()?.modified()? < before {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}
