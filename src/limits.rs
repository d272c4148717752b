//! Resource limits: the [`Limits`] a pipeline enforces, and bounded gzip
//! decompression for callers that inflate input themselves.
//!
//! | limit | default | over it |
//! |---|---|---|
//! | [`max_input_bytes`](Limits::max_input_bytes) | 64 MiB | [`Error::InputTooLarge`] |
//! | [`max_decompressed_bytes`](Limits::max_decompressed_bytes) | 64 MiB | [`Error::DecompressedTooLarge`] |
//! | [`max_blocks`](Limits::max_blocks) | 1,000,000 | [`Error::TooManyBlocks`] |
//! | [`max_line_bytes`](Limits::max_line_bytes) | 64 KiB | the line is cut into pieces |
//! | [`max_dom_depth`](Limits::max_dom_depth) | 512 | [`Error::DomTooDeep`] (HTML only) |

pub use crate::pipeline::Limits;

use crate::error::Error;
use flate2::read::MultiGzDecoder;
use std::io::{self, Read};

/// The first two bytes of every gzip member.
const GZIP_MAGIC: [u8; 2] = [0x1F, 0x8B];

/// True when the bytes start like a gzip stream. No text starts this way:
/// 0x1F is a control character and 0x8B cannot start a UTF-8 character.
///
/// ```
/// assert!(thresh::limits::is_gzip(b"\x1f\x8b\x08\x00"));
/// assert!(!thresh::limits::is_gzip(b"plain text"));
/// ```
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&GZIP_MAGIC)
}

/// Reads a whole gzip stream (every member, as `gzip -d` does) and
/// inflates it, refusing to produce more than `limit` bytes: at most
/// `limit + 1` bytes are ever inflated, so a gzip bomb costs no more memory
/// or time than an honest file of the limit's size.
///
/// Going over the limit is an [`io::ErrorKind::InvalidData`] error whose
/// inner error is [`Error::DecompressedTooLarge`], so it reads well when
/// printed and can be told apart with `get_ref().downcast_ref::<Error>()`.
///
/// ```
/// use flate2::{write::GzEncoder, Compression};
/// use std::io::Write;
///
/// let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
/// gz.write_all(&[b'a'; 10_000]).unwrap();
/// let gz = gz.finish().unwrap();
///
/// assert_eq!(thresh::limits::read_gzip_limited(&gz[..], 10_000).unwrap().len(), 10_000);
/// let error = thresh::limits::read_gzip_limited(&gz[..], 9_999).unwrap_err();
/// let inner = error.get_ref().and_then(|e| e.downcast_ref::<thresh::Error>());
/// assert_eq!(inner, Some(&thresh::Error::DecompressedTooLarge { limit: 9_999 }));
/// ```
pub fn read_gzip_limited(reader: impl Read, limit: usize) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    MultiGzDecoder::new(reader)
        .take(cap)
        .read_to_end(&mut out)?;
    if out.len() > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            Error::DecompressedTooLarge { limit },
        ));
    }
    Ok(out)
}

/// [`read_gzip_limited`] on bytes in memory, with the failure as an [`Error`].
pub(crate) fn gunzip_limited(bytes: &[u8], limit: usize) -> Result<Vec<u8>, Error> {
    read_gzip_limited(bytes, limit).map_err(|error| {
        match error.get_ref().and_then(|e| e.downcast_ref::<Error>()) {
            Some(inner) => inner.clone(),
            None => Error::Gzip {
                message: error.to_string(),
            },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn every_member_is_read() {
        let mut two = gzip(b"one ");
        two.extend(gzip(b"two"));
        assert_eq!(gunzip_limited(&two, 100).unwrap(), b"one two");
    }

    #[test]
    fn a_limit_of_zero_accepts_only_empty_streams() {
        assert_eq!(gunzip_limited(&gzip(b""), 0).unwrap(), b"");
        assert_eq!(
            gunzip_limited(&gzip(b"x"), 0),
            Err(Error::DecompressedTooLarge { limit: 0 })
        );
    }

    #[test]
    fn broken_streams_are_errors() {
        let whole = gzip(b"some text to compress");
        let truncated = &whole[..whole.len() / 2];
        assert!(matches!(
            gunzip_limited(truncated, 1000),
            Err(Error::Gzip { .. })
        ));
        assert!(matches!(
            gunzip_limited(b"\x1f\x8bnot gzip", 1000),
            Err(Error::Gzip { .. })
        ));
    }
}
