//! HTML entities left in text by scrapers that unescaped once too few times.

use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use std::borrow::Cow;

/// The longest named entity in HTML is 32 bytes (`&CounterClockwiseContourIntegral;`).
const MAX_NAME: usize = 32;

/// Decodes `&name;`, `&#NNN;` and `&#xHH;` entities, and double-escaped ones
/// such as `&amp;#8217;`. Only entities closed by `;` count, so that "AT&T"
/// and "R&D;" stay as they are. Text that contains markup is left alone:
/// there the entities are part of the markup, as in ftfy.
///
/// ```
/// use thresh::repair::decode_entities;
/// assert_eq!(decode_entities("Rock &amp; roll&nbsp;&#8217;n&#x2019; AT&T"), "Rock & roll\u{a0}’n’ AT&T");
/// assert_eq!(decode_entities("It&amp;#8217;s"), "It’s");
/// assert_eq!(decode_entities("<b>&amp;</b>"), "<b>&amp;</b>");
/// ```
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    let Some(first) = memchr::memchr(b'&', text.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    if looks_like_markup(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut next = Some(first);
    while let Some(at) = next {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match entity_at(rest) {
            Some((decoded, len)) => {
                out.extend(decoded.into_iter().flatten());
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
        next = memchr::memchr(b'&', rest.as_bytes());
    }
    out.push_str(rest);
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

/// An entity at the start of `text` (which starts with `&`): its characters
/// and its length in bytes. An entity for `&` followed by another entity's
/// body (`&amp;#8217;`, `&amp;amp;amp;`, `&#38;lt;`) was escaped more than
/// once and is unescaped all the way here, so that repairing the result
/// finds nothing left to decode.
fn entity_at(text: &str) -> Option<([Option<char>; 2], usize)> {
    let (mut chars, body_len) = entity_body(&text[1..])?;
    let mut len = body_len + 1;
    while chars == [Some('&'), None] {
        let Some((inner, inner_len)) = entity_body(&text[len..]) else {
            break;
        };
        chars = inner;
        len += inner_len;
    }
    Some((chars, len))
}

/// Parses `#NNN;`, `#xHH;` or `name;`.
fn entity_body(text: &str) -> Option<([Option<char>; 2], usize)> {
    let end = text
        .as_bytes()
        .iter()
        .take(MAX_NAME + 2)
        .position(|&b| b == b';')?;
    let body = &text[..end];
    let chars = match body.strip_prefix('#') {
        Some(number) => [Some(numeric(number)?), None],
        None => named(text.get(..end + 1)?)?,
    };
    Some((chars, end + 1))
}

fn numeric(number: &str) -> Option<char> {
    let value = match number.strip_prefix(['x', 'X']) {
        Some(hex) if !hex.is_empty() && hex.len() <= 8 => u32::from_str_radix(hex, 16).ok()?,
        None if !number.is_empty()
            && number.len() <= 10
            && number.bytes().all(|b| b.is_ascii_digit()) =>
        {
            number.parse().ok()?
        }
        _ => return None,
    };
    Some(numeric_char(value))
}

/// What a browser makes of a numeric reference: C1 code points are read as
/// windows-1252, and nulls, surrogates and out-of-range values become U+FFFD.
fn numeric_char(value: u32) -> char {
    if (0x80..=0x9F).contains(&value) {
        if let Some(c) = C1_REPLACEMENTS[(value - 0x80) as usize] {
            return c;
        }
    }
    match value {
        0 => char::REPLACEMENT_CHARACTER,
        _ => char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER),
    }
}

fn named(name_with_semicolon: &str) -> Option<[Option<char>; 2]> {
    let &(first, second) = NAMED_ENTITIES.get(name_with_semicolon)?;
    Some([
        char::from_u32(first),
        (second != 0).then(|| char::from_u32(second)).flatten(),
    ])
}

/// A tag such as `<p>`, `</div>` or `<a href=...>` anywhere in the text.
fn looks_like_markup(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'<', bytes).any(|at| {
        let rest = &bytes[at + 1..];
        let name = rest.strip_prefix(b"/").unwrap_or(rest);
        let letters = name
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        letters > 0
            && name[0].is_ascii_alphabetic()
            && matches!(name.get(letters), Some(b'>' | b' ' | b'/' | b'\n' | b'\t'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_numeric_and_hex() {
        assert_eq!(
            decode_entities("&lt;3 &eacute; &#233; &#xE9; &#XE9;"),
            "<3 é é é é"
        );
    }

    #[test]
    fn two_character_entities() {
        assert_eq!(decode_entities("&NotEqualTilde;"), "\u{2242}\u{338}");
    }

    #[test]
    fn c1_numeric_references_are_windows_1252() {
        assert_eq!(decode_entities("&#147;hi&#148; &#150;"), "“hi” –");
    }

    #[test]
    fn invalid_references_become_replacement_or_stay() {
        assert_eq!(
            decode_entities("&#0; &#xD800; &#99999999;"),
            "\u{FFFD} \u{FFFD} \u{FFFD}"
        );
        assert_eq!(
            decode_entities("&#; &#x; &nosuchentity; & ;"),
            "&#; &#x; &nosuchentity; & ;"
        );
    }

    #[test]
    fn unterminated_entities_stay() {
        assert_eq!(decode_entities("AT&T, R&D, &amp"), "AT&T, R&D, &amp");
        assert!(matches!(decode_entities("AT&T"), Cow::Borrowed(_)));
    }

    #[test]
    fn entities_escaped_many_times_are_unescaped_at_once() {
        for text in [
            "&amp;amp;amp;",
            "&amp;amp;amp;amp;#38;",
            "&#38;amp;",
            "&#x26;#38;",
        ] {
            assert_eq!(decode_entities(text), "&", "{text}");
        }
        assert_eq!(decode_entities("&#38;lt;b&amp;amp;gt;"), "<b>");
        assert_eq!(decode_entities("&amp;amp;T"), "&T");
    }

    #[test]
    fn math_is_not_markup() {
        assert_eq!(decode_entities("if a < b &amp;&amp; c"), "if a < b && c");
    }
}
