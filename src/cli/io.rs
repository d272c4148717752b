//! Reading inputs and writing outputs for the command line: the one place
//! that touches standard streams and output files.

use anyhow::Context;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use tempfile::TempPath;

/// The first bytes of every gzip stream.
const GZIP_MAGIC: &[u8] = b"\x1f\x8b";

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
    std::fs::read(arg).with_context(|| format!("{arg}: cannot read"))
}

/// Reads standard input whole, refusing more than `limit` bytes.
pub fn read_stdin(limit: usize) -> Result<Vec<u8>, thresh::batch::Cause> {
    thresh::batch::read_stream(std::io::stdin().lock(), limit)
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
        Err(e) if is_closed_pipe(&e) => Ok(()),
        other => other.context("writing standard output"),
    }
}

/// True for the error of writing to a pipe whose reader has gone, which
/// ends output early but is no failure.
pub fn is_closed_pipe(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::BrokenPipe
}

/// A stream to read: standard input for `-`, else a file; gzip data (by its
/// magic bytes, whatever the name) is decompressed.
pub fn open_stream(arg: &str) -> anyhow::Result<Box<dyn Read + Send>> {
    let raw: Box<dyn Read + Send> = if super::is_std(arg) {
        Box::new(std::io::stdin())
    } else {
        Box::new(File::open(arg).with_context(|| format!("{arg}: cannot read"))?)
    };
    let mut reader = BufReader::new(raw);
    let head = reader
        .fill_buf()
        .with_context(|| format!("{arg}: cannot read"))?;
    Ok(if head.starts_with(GZIP_MAGIC) {
        Box::new(MultiGzDecoder::new(reader))
    } else {
        Box::new(reader)
    })
}

/// Where a stream of output goes: standard output, or a file that appears
/// whole when [`Output::commit`] renames it into place, gzipped when its
/// name ends in `.gz`.
pub struct Output {
    writer: Box<dyn Finish>,
    file: Option<(TempPath, PathBuf)>,
}

/// A writer that has a last word to write (a gzip trailer).
trait Finish: Write + Send {
    fn finish(self: Box<Self>) -> std::io::Result<()>;
}

impl<W: Write + Send> Finish for BufWriter<W> {
    fn finish(mut self: Box<Self>) -> std::io::Result<()> {
        self.flush()
    }
}

impl<W: Write + Send> Finish for GzEncoder<W> {
    fn finish(self: Box<Self>) -> std::io::Result<()> {
        GzEncoder::finish(*self)?.flush()
    }
}

impl Output {
    /// Standard output for `-`, else a temporary file beside `arg`.
    pub fn create(arg: &str) -> anyhow::Result<Output> {
        if super::is_std(arg) {
            return Ok(Output {
                writer: Box::new(BufWriter::new(std::io::stdout())),
                file: None,
            });
        }
        let path = PathBuf::from(arg);
        let temp =
            thresh::batch::temp_beside(&path).with_context(|| format!("{arg}: cannot write"))?;
        let (file, temp) = temp.into_parts();
        let file = BufWriter::with_capacity(256 << 10, file);
        let writer: Box<dyn Finish> = if thresh::batch::is_gzip_name(&path) {
            Box::new(GzEncoder::new(file, flate2::Compression::default()))
        } else {
            Box::new(file)
        };
        Ok(Output {
            writer,
            file: Some((temp, path)),
        })
    }

    /// Finishes the stream and, for a file, renames it into place.
    pub fn commit(self) -> anyhow::Result<()> {
        let finished = self.writer.finish();
        match self.file {
            None => match finished {
                Err(e) if !is_closed_pipe(&e) => Err(e).context("writing standard output"),
                _ => Ok(()),
            },
            Some((temp, path)) => {
                let name = path.display().to_string();
                finished.with_context(|| format!("{name}: cannot write"))?;
                temp.persist(&path)
                    .map_err(|e| e.error)
                    .with_context(|| format!("{name}: cannot write"))
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}
