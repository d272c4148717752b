//! Reading inputs and writing outputs for the command line: the one place
//! that touches standard streams and output files.

use anyhow::Context;
use std::io::{Read, Write};
use std::path::Path;

/// Reads a file, or standard input for `-`.
pub fn read(arg: &str) -> anyhow::Result<Vec<u8>> {
    if super::is_std(arg) {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        return Ok(bytes);
    }
    thresh::batch::read_input(Path::new(arg)).with_context(|| format!("{arg}: cannot read"))
}

/// Writes to a file atomically, or to standard output for `-`.
pub fn write(arg: &str, bytes: &[u8]) -> anyhow::Result<()> {
    if super::is_std(arg) {
        return write_stdout(bytes);
    }
    thresh::batch::write_atomic(Path::new(arg), bytes)
        .with_context(|| format!("{arg}: cannot write"))
}

/// Writes to standard output; a closed pipe (as with `| head`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing standard output"),
    }
}
