//! Stage 1, decode: bytes to UTF-8.
//!
//! The charset is settled in this order, and the step that decided is
//! recorded ([`EncodingSource`]):
//! 1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE);
//! 2. the caller's transport hint (an HTTP `Content-Type` charset);
//! 3. a declaration in the first 1024 bytes: `<meta charset>`, `http-equiv`
//!    or an XML declaration, following the WHATWG prescan ([`prescan`]);
//! 4. valid UTF-8;
//! 5. a statistical guess by chardetng, biased by the URL's top-level domain ([`guess`]).
//!
//! A hint or declaration naming a legacy encoding loses to bytes that are
//! valid UTF-8 and not plain ASCII: such bytes are almost never legacy text,
//! and servers and templates often declare a charset the page does not use.
//! A declared UTF-8 that does not validate falls through to the guess.

mod guess;
mod prescan;

pub use guess::top_level_domain;
pub use prescan::prescan;

use crate::document::EncodingSource;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// Bytes decoded to text, with how the encoding was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text, without any byte order mark.
    pub text: String,
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// The step that chose it.
    pub source: EncodingSource,
    /// True when invalid bytes were replaced with U+FFFD.
    pub had_errors: bool,
}

/// Decodes bytes to a string, never failing: undecodable bytes become U+FFFD.
///
/// `hint` is a transport charset label (`"iso-8859-1"`, `"Shift_JIS"`), and
/// `url` lends its top-level domain to the guess.
///
/// ```
/// use thresh::decode::decode;
/// let latin1 = b"<meta charset=\"iso-8859-1\"><p>Caf\xe9</p>";
/// let decoded = decode(latin1, None, None);
/// assert!(decoded.text.ends_with("Café</p>"));
/// assert_eq!(decoded.encoding.name(), "windows-1252");
/// ```
pub fn decode(bytes: &[u8], hint: Option<&str>, url: Option<&str>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_as(&bytes[bom_len..], encoding, EncodingSource::Bom);
    }
    let utf8 = Utf8Check::of(bytes);
    let hinted = hint.and_then(|label| Encoding::for_label(label.trim().as_bytes()));
    if let Some(encoding) = hinted {
        if let Some(decoded) = trust(bytes, encoding, EncodingSource::Hint, utf8) {
            return decoded;
        }
    }
    if let Some(encoding) = prescan(bytes) {
        if let Some(decoded) = trust(bytes, encoding, EncodingSource::Declared, utf8) {
            return decoded;
        }
    }
    if let Some(text) = utf8.text() {
        return valid_utf8(text, EncodingSource::Utf8);
    }
    let encoding = guess::guess(bytes, url);
    decode_as(bytes, encoding, EncodingSource::Guessed)
}

/// Whether the bytes are valid UTF-8, and whether they are plain ASCII;
/// valid bytes carry their text, so they are checked once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf8Check<'a> {
    Ascii(&'a str),
    NonAscii(&'a str),
    Invalid,
}

impl<'a> Utf8Check<'a> {
    fn of(bytes: &'a [u8]) -> Self {
        match std::str::from_utf8(bytes) {
            Ok(text) if text.is_ascii() => Utf8Check::Ascii(text),
            Ok(text) => Utf8Check::NonAscii(text),
            Err(_) => Utf8Check::Invalid,
        }
    }

    fn text(self) -> Option<&'a str> {
        match self {
            Utf8Check::Ascii(text) | Utf8Check::NonAscii(text) => Some(text),
            Utf8Check::Invalid => None,
        }
    }
}

fn valid_utf8(text: &str, source: EncodingSource) -> Decoded {
    Decoded {
        text: text.to_owned(),
        encoding: UTF_8,
        source,
        had_errors: false,
    }
}

/// Decodes with a hinted or declared encoding unless the bytes contradict it:
/// valid non-ASCII UTF-8 beats a legacy label, and a UTF-8 label on invalid
/// bytes is ignored so the guess can find what the bytes really are.
fn trust(
    bytes: &[u8],
    encoding: &'static Encoding,
    source: EncodingSource,
    utf8: Utf8Check<'_>,
) -> Option<Decoded> {
    let is_utf16 = encoding == UTF_16LE || encoding == UTF_16BE;
    if encoding == UTF_8 {
        return utf8.text().map(|text| valid_utf8(text, source));
    }
    if let Utf8Check::NonAscii(text) = utf8 {
        if !is_utf16 {
            return Some(valid_utf8(text, EncodingSource::Utf8));
        }
    }
    Some(decode_as(bytes, encoding, source))
}

fn decode_as(bytes: &[u8], encoding: &'static Encoding, source: EncodingSource) -> Decoded {
    let (text, had_errors) = if encoding == UTF_8 {
        match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_owned(), false),
            Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
        }
    } else {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        (text.into_owned(), had_errors)
    };
    Decoded {
        text,
        encoding,
        source,
        had_errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins_over_everything() {
        let bytes = b"\xEF\xBB\xBF<meta charset=windows-1251>caf\xC3\xA9";
        let decoded = decode(bytes, Some("iso-8859-2"), None);
        assert_eq!(decoded.text, "<meta charset=windows-1251>café");
        assert_eq!(decoded.source, EncodingSource::Bom);
    }

    #[test]
    fn utf16_boms_decode() {
        let le = [0xFF, 0xFE, b'h', 0, b'i', 0];
        let be = [0xFE, 0xFF, 0, b'h', 0, b'i'];
        assert_eq!(decode(&le, None, None).text, "hi");
        assert_eq!(decode(&be, None, None).encoding, UTF_16BE);
    }

    #[test]
    fn hint_is_used_for_legacy_bytes() {
        let decoded = decode(b"\xcf\xf0\xe8\xe2\xe5\xf2", Some(" windows-1251 "), None);
        assert_eq!(decoded.text, "Привет");
        assert_eq!(decoded.source, EncodingSource::Hint);
    }

    #[test]
    fn valid_utf8_beats_a_wrong_declaration() {
        let page = "<meta charset=\"iso-8859-1\"><p>Ærøskøbing — café</p>";
        let decoded = decode(page.as_bytes(), None, None);
        assert_eq!(decoded.text, page);
        assert_eq!(decoded.source, EncodingSource::Utf8);
    }

    #[test]
    fn declared_utf8_on_legacy_bytes_falls_through_to_the_guess() {
        let latin1: Vec<u8> = encoding_rs::WINDOWS_1252
            .encode("<meta charset=utf-8><p>Le café est très bon et la crème brûlée aussi, à Noël.")
            .0
            .into_owned();
        let decoded = decode(&latin1, None, None);
        assert!(decoded.text.contains("crème brûlée"), "{}", decoded.text);
        assert_eq!(decoded.source, EncodingSource::Guessed);
        assert!(!decoded.had_errors);
    }

    #[test]
    fn undeclared_legacy_text_is_guessed() {
        let text = "Съешь же ещё этих мягких французских булок, да выпей чаю. Широкая электрификация южных губерний.";
        let bytes = encoding_rs::WINDOWS_1251.encode(text).0;
        let decoded = decode(&bytes, None, Some("https://news.example.ru/a"));
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding.name(), "windows-1251");
        assert_eq!(decoded.source, EncodingSource::Guessed);
    }

    #[test]
    fn a_cjk_page_with_a_character_cut_in_half_is_still_guessed() {
        let text = "<title>中关村在线论坛：太行山上的八路军</title><p>本片大量运用运动镜头表现场面的动荡，数码科技呈现出千军万马、泥石流等宏大场面，更有肩扛摄影机增强战火纷飞的真实感。足具动感的战争影象为观众打造出一流的视觉享受。</p>";
        let mut bytes = encoding_rs::GBK.encode(text).0.into_owned();
        // A link text cut to length after the first byte of a character.
        let cut = encoding_rs::GBK.encode("<a>花季少女").0;
        bytes.extend_from_slice(&cut[..cut.len() - 1]);
        bytes.extend_from_slice(b"...</a>");
        let decoded = decode(&bytes, None, None);
        assert_eq!(decoded.encoding.name(), "GBK");
        assert!(decoded.text.starts_with(text));
    }

    #[test]
    fn latin_text_is_not_taken_for_a_cjk_encoding() {
        let text = "Le café de la gare a rouvert ses portes. Les habitués y retrouvent leurs tables près des fenêtres, où l'été dernier on servait encore des crêpes.";
        let bytes = encoding_rs::WINDOWS_1252.encode(text).0;
        let decoded = decode(&bytes, None, None);
        assert_eq!(decoded.encoding.name(), "windows-1252");
        assert_eq!(decoded.text, text);
    }

    #[test]
    fn invalid_bytes_are_replaced_not_dropped() {
        let decoded = decode(b"ok \xFF\xFE\xFD", Some("utf-8"), None);
        assert!(decoded.text.starts_with("ok "));
        assert!(!decoded.text.is_empty());
    }

    #[test]
    fn empty_input_is_fine() {
        let decoded = decode(b"", None, None);
        assert_eq!(decoded.text, "");
        assert_eq!(decoded.encoding, UTF_8);
    }
}
