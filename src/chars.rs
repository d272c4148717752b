//! Character helpers shared across stages.
//!
//! Fast character rewriting for the repair and normalize fixes: scan ASCII
//! eight bytes at a time, look at characters only where a fix may apply,
//! and copy only when something changes. And [`is_unspaced`], for the
//! stages that count or compare words.

use std::borrow::Cow;

/// Characters of scripts written without spaces between words (Chinese,
/// Japanese, Thai, Lao, Myanmar, Khmer): a run of them between spaces is a
/// clause, not a word.
pub(crate) fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}'     // Thai, Lao
        | '\u{1000}'..='\u{109F}'   // Myanmar
        | '\u{1780}'..='\u{17FF}'   // Khmer
        | '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{20000}'..='\u{2FA1F}' // CJK extensions B and later
    )
}

const HI: u64 = 0x8080_8080_8080_8080;

/// The index of the first byte at or after `from` that is not ASCII.
pub(crate) fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 8 <= bytes.len() {
        let word = u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap_or([0; 8]));
        if word & HI != 0 {
            break;
        }
        i += 8;
    }
    bytes[i.min(bytes.len())..]
        .iter()
        .position(|&b| b >= 0x80)
        .map(|at| i + at)
}

/// Which characters a rewrite looks at.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Every character.
    All,
    /// Only non-ASCII characters; ASCII runs are skipped eight bytes at a time.
    NonAscii,
}

/// Rewrites the characters for which `change` returns `Some(replacement)`
/// (`Some(None)` deletes), borrowing when nothing changes.
pub(crate) fn map_chars(
    text: &str,
    scope: Scope,
    change: impl Fn(char) -> Option<Option<char>>,
) -> Cow<'_, str> {
    let changes = |c: char| change(c).is_some_and(|r| r != Some(c));
    let Some(first) = find(text, 0, scope, changes) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let mut at = first;
    while at < text.len() {
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        match change(c) {
            Some(Some(replacement)) => out.push(replacement),
            Some(None) => {}
            None => out.push(c),
        }
        at += c.len_utf8();
        let next = find(text, at, scope, |c| change(c).is_some()).unwrap_or(text.len());
        out.push_str(&text[at..next]);
        at = next;
    }
    Cow::Owned(out)
}

/// The byte index of the first character at or after `from` that `matches`.
fn find(text: &str, from: usize, scope: Scope, matches: impl Fn(char) -> bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        if scope == Scope::NonAscii {
            at = next_non_ascii(bytes, at)?;
        }
        let c = text.get(at..)?.chars().next()?;
        if matches(c) {
            return Some(at);
        }
        at += c.len_utf8();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_non_ascii_at_every_offset() {
        for at in 0..20 {
            let mut text = "a".repeat(20);
            text.insert(at, 'é');
            assert_eq!(next_non_ascii(text.as_bytes(), 0), Some(at));
        }
        assert_eq!(next_non_ascii(b"plain ascii text", 0), None);
    }

    #[test]
    fn rewrites_and_deletes() {
        let swap = |c: char| match c {
            'é' => Some(Some('e')),
            'ß' => Some(None),
            _ => None,
        };
        assert_eq!(
            map_chars("café straße", Scope::NonAscii, swap),
            "cafe strae"
        );
        assert!(matches!(
            map_chars("plain", Scope::NonAscii, swap),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            map_chars("a\u{7}b", Scope::All, |c| (c == '\u{7}').then_some(None)),
            "ab"
        );
    }
}
