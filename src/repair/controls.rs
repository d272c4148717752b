//! Characters that carry no text: control codes and invisible format marks.

use crate::chars::{map_chars, Scope};
use markup5ever::data::C1_REPLACEMENTS;
use std::borrow::Cow;

/// Drops C0 control characters (other than tab, line feed, carriage return,
/// vertical tab and form feed, which the line-break fix handles) and DEL, and
/// maps C1 controls to the windows-1252 characters they almost always stood
/// for (`\u{93}` is a left double quote mis-decoded as latin-1). C1 codes
/// that windows-1252 leaves unassigned are dropped.
///
/// ```
/// use thresh::repair::fix_controls;
/// assert_eq!(fix_controls("\u{93}Hi\u{94}\u{7}\u{0}"), "“Hi”");
/// ```
pub fn fix_controls(text: &str) -> Cow<'_, str> {
    map_chars(text, Scope::All, |c| match c {
        '\t' | '\n' | '\r' | '\u{B}' | '\u{C}' => Some(Some(c)),
        '\u{0}'..='\u{1F}' | '\u{7F}' => Some(None),
        '\u{80}'..='\u{9F}' => Some(C1_REPLACEMENTS[c as usize - 0x80]),
        _ => None,
    })
}

/// Drops invisible format characters that break matching and tokenizing:
/// zero-width space, word joiner, soft hyphen, byte order marks inside text,
/// bidi embedding, override and isolate controls, directional marks, and
/// the interlinear annotation and object replacement characters.
///
/// Zero-width joiners and non-joiners stay: emoji sequences and Persian and
/// Indic spelling need them.
///
/// ```
/// use thresh::repair::fix_invisibles;
/// assert_eq!(fix_invisibles("in\u{AD}vis\u{200B}ible\u{FEFF}"), "invisible");
/// assert_eq!(fix_invisibles("👨\u{200D}👩"), "👨\u{200D}👩");
/// ```
pub fn fix_invisibles(text: &str) -> Cow<'_, str> {
    map_chars(text, Scope::NonAscii, |c| is_invisible(c).then_some(None))
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{61C}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFC}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_controls_stay() {
        assert!(matches!(fix_controls("a\tb\nc\r\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn unassigned_c1_is_dropped() {
        assert_eq!(fix_controls("a\u{81}b\u{8D}c"), "abc");
    }

    #[test]
    fn bidi_and_marks_go() {
        assert_eq!(fix_invisibles("\u{202B}שלום\u{202C}\u{200F}"), "שלום");
    }

    #[test]
    fn zwnj_in_persian_stays() {
        let persian = "می\u{200C}خواهم";
        assert!(matches!(fix_invisibles(persian), Cow::Borrowed(_)));
    }
}
