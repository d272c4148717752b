//! The last resort: a statistical guess by chardetng, as Firefox does it.

use encoding_rs::Encoding;

/// How much of the input the detector reads. Legacy encodings show
/// themselves within a few kilobytes; reading more only costs time.
const GUESS_WINDOW: usize = 128 * 1024;

/// Guesses the legacy encoding of bytes that are not valid UTF-8.
pub(crate) fn guess(bytes: &[u8], url: Option<&str>) -> &'static Encoding {
    let window = &bytes[..bytes.len().min(GUESS_WINDOW)];
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(window, window.len() == bytes.len());
    let tld = url.and_then(top_level_domain);
    detector.guess(tld.as_deref().map(str::as_bytes), true)
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
