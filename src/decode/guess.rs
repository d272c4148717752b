//! The last resort: a statistical guess by chardetng, as Firefox does it.

use encoding_rs::{Encoding, BIG5, EUC_JP, EUC_KR, GBK, SHIFT_JIS};

/// How much of the input the detector reads. Legacy encodings show
/// themselves within a few kilobytes; reading more only costs time.
const GUESS_WINDOW: usize = 128 * 1024;

/// Multi-byte encodings that a few malformed sequences do not rule out.
const TOLERANT: [&Encoding; 5] = [GBK, BIG5, SHIFT_JIS, EUC_KR, EUC_JP];
/// Malformed sequences allowed per this many bytes (at least one).
const BYTES_PER_TOLERATED_ERROR: usize = 5000;

/// Guesses the legacy encoding of bytes that are not valid UTF-8.
///
/// chardetng rules out an encoding at its first malformed sequence. Pages
/// in CJK encodings often hold one: a title cut to length in the middle of
/// a character. The guess then falls to a single-byte encoding and the
/// whole page comes out as mojibake. So when the guess is single-byte, each
/// multi-byte encoding that decodes the bytes with only a few errors gets a
/// second hearing: its text, without the broken characters, is encoded
/// again and handed to chardetng, and it wins if chardetng then picks it.
pub(crate) fn guess(bytes: &[u8], url: Option<&str>) -> &'static Encoding {
    let window = &bytes[..bytes.len().min(GUESS_WINDOW)];
    let last = window.len() == bytes.len();
    let tld = url.and_then(top_level_domain);
    let tld = tld.as_deref().map(str::as_bytes);
    let first = detect(window, last, tld);
    if !first.is_single_byte() {
        return first;
    }
    TOLERANT
        .into_iter()
        .find(|&encoding| {
            mended(window, encoding).is_some_and(|text| {
                let (again, _, _) = encoding.encode(&text);
                detect(&again, last, tld) == encoding
            })
        })
        .unwrap_or(first)
}

fn detect(bytes: &[u8], last: bool, tld: Option<&[u8]>) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, last);
    detector.guess(tld, true)
}

/// The bytes decoded by `encoding` without its broken characters, when it
/// decodes them with some, but few, errors (with none, chardetng has
/// already weighed it).
fn mended(bytes: &[u8], encoding: &'static Encoding) -> Option<String> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if !had_errors {
        return None;
    }
    let errors = text.matches(char::REPLACEMENT_CHARACTER).count();
    (errors <= (bytes.len() / BYTES_PER_TOLERATED_ERROR).max(1)).then(|| {
        text.chars()
            .filter(|&c| c != char::REPLACEMENT_CHARACTER)
            .collect()
    })
}

/// The last label of a URL's host, lower-case, when it is ASCII (punycode),
/// which is what chardetng expects.
///
/// ```
/// use thresh::decode::top_level_domain;
/// assert_eq!(top_level_domain("https://www.Example.RU:8080/x?y").as_deref(), Some("ru"));
/// assert_eq!(top_level_domain("not a url"), None);
/// ```
pub fn top_level_domain(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://")?.1;
    let authority = after_scheme.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?.trim_end_matches('.');
    let label = host.rsplit('.').next()?;
    let valid = !label.is_empty()
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    valid.then(|| label.to_ascii_lowercase())
}
