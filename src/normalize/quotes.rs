//! Quote marks: ASCII by default, or curly, or as they came.

use crate::chars::{map_chars, Scope};
use crate::repair::mojibake::{fix_encoding_before, AsciiMarks};
use std::borrow::Cow;

/// How to write quote marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuoteStyle {
    /// Curly, low-9 and reversed quotes and primes become `"` and `'`.
    #[default]
    Ascii,
    /// Straight quotes become curly ones, opening or closing by context.
    Curly,
    /// Quotes are left as they are.
    Keep,
}

/// Single quotes, apostrophes and the prime, as mapped by [`QuoteStyle::Ascii`].
const SINGLE: &[char] = &['\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}', '\u{2032}'];
/// Double quotes and the double prime.
const DOUBLE: &[char] = &['\u{201C}', '\u{201D}', '\u{201E}', '\u{201F}', '\u{2033}'];

impl QuoteStyle {
    /// Applies the style to a string, borrowing when nothing changes.
    ///
    /// ```
    /// use thresh::normalize::QuoteStyle;
    /// assert_eq!(QuoteStyle::Ascii.apply("„Guten Tag“, it’s 5′"), "\"Guten Tag\", it's 5'");
    /// assert_eq!(QuoteStyle::Curly.apply("\"Hi,\" I said, 'it's the '90s'"), "“Hi,” I said, ‘it’s the ’90s’");
    /// ```
    pub fn apply(self, text: &str) -> Cow<'_, str> {
        match self {
            QuoteStyle::Keep => Cow::Borrowed(text),
            QuoteStyle::Ascii => to_ascii(text),
            QuoteStyle::Curly => to_curly(text),
        }
    }
}

fn to_ascii(text: &str) -> Cow<'_, str> {
    map_chars(text, Scope::NonAscii, |c| match c {
        _ if SINGLE.contains(&c) => Some(Some('\'')),
        _ if DOUBLE.contains(&c) => Some(Some('"')),
        _ => None,
    })
}

/// A quote after one of these (or at the start) opens; anywhere else it closes.
fn opens_after(previous: Option<char>) -> bool {
    match previous {
        None => true,
        Some(c) => {
            c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | '“' | '‘')
        }
    }
}

/// Curls the straight quotes, unless that would make mojibake.
///
/// `”` and `’` are windows-1252 bytes 0x94 and 0x92, UTF-8 continuation
/// bytes: curled after a lead byte, a quote completes a sequence (`Ð"`
/// becomes `Ð”`, mojibake for `Д`), and cleaning the cleaned text would
/// "repair" it into a letter the input never had. Such text keeps its
/// straight quotes.
fn to_curly(text: &str) -> Cow<'_, str> {
    let curled = curl(text);
    let makes_mojibake = matches!(curled, Cow::Owned(ref curled)
        if crate::repair::mojibake::is_bad(curled)
            && matches!(fix_encoding_before(curled, AsciiMarks::NONE), Cow::Owned(_)));
    if makes_mojibake {
        Cow::Borrowed(text)
    } else {
        curled
    }
}

fn curl(text: &str) -> Cow<'_, str> {
    if !text.contains(['"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let curly = match c {
            '"' if opens_after(previous) => '“',
            '"' => '”',
            '\'' if opens_after(previous) && !next.is_some_and(|n| n.is_ascii_digit()) => '‘',
            '\'' => '’',
            _ => c,
        };
        out.push(curly);
        previous = Some(curly);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_leaves_guillemets() {
        assert_eq!(
            QuoteStyle::Ascii.apply("« Bonjour » ‹x›"),
            "« Bonjour » ‹x›"
        );
    }

    #[test]
    fn curly_quotes_never_complete_a_utf8_sequence() {
        assert_eq!(
            QuoteStyle::Curly.apply("начнут Ð\" label"),
            "начнут Ð\" label"
        );
        assert_eq!(QuoteStyle::Curly.apply("\"café\""), "“café”");
    }

    #[test]
    fn curly_is_idempotent() {
        let once = QuoteStyle::Curly.apply("\"a 'b' c\" d's").into_owned();
        assert_eq!(QuoteStyle::Curly.apply(&once), once);
    }
}
