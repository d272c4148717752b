//! Reading one input file: plain or gzipped, never more than a byte limit,
//! and never mistaking binary data for text.

use super::error::{Cause, FileError};
use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

/// How far into a file a NUL byte marks it as binary, as git and grep look.
const BINARY_SNIFF: usize = 8000;

/// Byte order marks of UTF-16 and UTF-32 text, which is full of NUL bytes.
const WIDE_BOMS: &[&[u8]] = &[
    b"\x00\x00\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"\xfe\xff",
    b"\xff\xfe",
];

/// Reads an input file whole, decompressing it when its name ends in `.gz`.
/// Refuses files, or decompressed contents, larger than `limit` bytes
/// without reading past the limit, so a gzip bomb costs at most `limit + 1`
/// bytes of memory.
///
/// ```
/// use std::io::Write;
/// use thresh::batch::{read_input, Cause};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("a.txt.gz");
/// let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
/// gz.write_all(&[b'a'; 1000]).unwrap();
/// std::fs::write(&path, gz.finish().unwrap()).unwrap();
/// assert_eq!(read_input(&path, 1000).unwrap().len(), 1000);
/// let error = read_input(&path, 999).unwrap_err();
/// assert!(matches!(error.cause, Cause::OverLimit { limit: 999, .. }));
/// ```
pub fn read_input(path: &Path, limit: usize) -> Result<Vec<u8>, FileError> {
    let fail = |cause| FileError::new(path, cause);
    let file = File::open(path).map_err(|e| fail(Cause::Read(e)))?;
    if is_gzip_name(path) {
        return read_limited(MultiGzDecoder::new(BufReader::new(file)), 0, limit).map_err(
            |e| match e {
                Limited::Over => fail(Cause::OverLimit {
                    what: "decompresses to",
                    limit,
                }),
                Limited::Io(e) => fail(Cause::BadGzip(e)),
            },
        );
    }
    let size = file.metadata().map_err(|e| fail(Cause::Read(e)))?.len();
    if size > limit as u64 {
        return Err(fail(Cause::TooLarge { size, limit }));
    }
    // The size can change between the check and the read; the limit holds anyway.
    read_limited(file, size as usize, limit).map_err(|e| match e {
        Limited::Over => fail(Cause::TooLarge {
            size: limit as u64 + 1,
            limit,
        }),
        Limited::Io(e) => fail(Cause::Read(e)),
    })
}

/// True when the file name ends in `.gz`, in any case.
pub fn is_gzip_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("gz"))
}

/// Why a limited read stopped.
pub(crate) enum Limited {
    /// More than the limit was there.
    Over,
    /// The reader failed.
    Io(io::Error),
}

/// Reads at most `limit` bytes, or reports that there were more.
pub(crate) fn read_limited(
    reader: impl Read,
    expected: usize,
    limit: usize,
) -> Result<Vec<u8>, Limited> {
    let mut bytes = Vec::with_capacity(expected.min(limit).saturating_add(1));
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(Limited::Io)?;
    if bytes.len() > limit {
        return Err(Limited::Over);
    }
    Ok(bytes)
}

/// Where the first NUL byte is, when the start of `bytes` has one and no
/// UTF-16 or UTF-32 byte order mark explains it.
///
/// ```
/// use thresh::batch::binary_offset;
/// assert_eq!(binary_offset(b"PNG\x00\x01"), Some(3));
/// assert_eq!(binary_offset(b"plain text"), None);
/// assert_eq!(binary_offset(b"\xff\xfeh\x00i\x00"), None);
/// ```
pub fn binary_offset(bytes: &[u8]) -> Option<usize> {
    if WIDE_BOMS.iter().any(|bom| bytes.starts_with(bom)) {
        return None;
    }
    let head = &bytes[..bytes.len().min(BINARY_SNIFF)];
    memchr::memchr(0, head)
}

/// Reads a stream of unknown size, such as standard input, refusing more
/// than `limit` bytes.
///
/// ```
/// use thresh::batch::{read_stream, Cause};
/// assert_eq!(read_stream(&b"abc"[..], 3).unwrap(), b"abc");
/// assert!(matches!(read_stream(&b"abcd"[..], 3), Err(Cause::OverLimit { limit: 3, .. })));
/// ```
pub fn read_stream(reader: impl Read, limit: usize) -> Result<Vec<u8>, Cause> {
    read_limited(reader, 0, limit).map_err(|e| match e {
        Limited::Over => Cause::OverLimit {
            what: "holds",
            limit,
        },
        Limited::Io(e) => Cause::Read(e),
    })
}
