//! Line breaks, fixed-width spaces and Unicode normalization.

use crate::chars::{map_chars, Scope};
use std::borrow::Cow;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Makes `\n` the only line break: CRLF and lone CR, the Unicode line and
/// paragraph separators, vertical tab and form feed. A paragraph separator
/// becomes a blank line, so the paragraph survives the structure stage.
///
/// ```
/// use thresh::repair::fix_line_breaks;
/// assert_eq!(fix_line_breaks("a\r\nb\rc\u{2028}d\u{2029}e"), "a\nb\nc\nd\n\ne");
/// ```
pub fn fix_line_breaks(text: &str) -> Cow<'_, str> {
    let needs_fix = |c: char| matches!(c, '\r' | '\u{B}' | '\u{C}' | '\u{2028}' | '\u{2029}');
    let Some(first) = text.find(needs_fix) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let mut chars = text[first..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\u{B}' | '\u{C}' | '\u{2028}' => out.push('\n'),
            '\u{2029}' => out.push_str("\n\n"),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Turns no-break and fixed-width spaces (U+00A0, U+2000–U+200A, U+202F,
/// U+205F) into plain spaces, so that words split and match as expected.
/// The ideographic space U+3000 stays: it is part of CJK typography.
///
/// ```
/// use thresh::repair::fix_spaces;
/// assert_eq!(fix_spaces("10\u{A0}km\u{202F}!"), "10 km !");
/// ```
pub fn fix_spaces(text: &str) -> Cow<'_, str> {
    map_chars(text, Scope::NonAscii, |c| {
        matches!(
            c,
            '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}'
        )
        .then_some(Some(' '))
    })
}

/// Normalizes to NFC, borrowing when the text already is.
///
/// ```
/// use thresh::repair::nfc;
/// assert_eq!(nfc("e\u{301}"), "é");
/// ```
pub fn nfc(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => {
            let normalized: String = text.nfc().collect();
            if normalized == text {
                Cow::Borrowed(text)
            } else {
                Cow::Owned(normalized)
            }
        }
    }
}
