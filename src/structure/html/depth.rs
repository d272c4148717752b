//! A scan of the raw markup for its nesting depth, before the parser runs.
//!
//! The HTML tree builder checks scopes by walking its stack of open
//! elements, so a page nested two hundred thousand deep costs it time
//! quadratic in the depth. Refusing such a page must happen before the
//! parse. The scan counts elements opened and not yet closed, leaving out
//! void elements and those whose end tag the parser implies (`p`, `li`,
//! `td`, ...), so ordinary pages with unclosed paragraphs are never refused.

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "basefont", "bgsound", "frame", "image", "isindex",
];

/// Elements whose end tag the parser implies when a sibling starts (a new
/// `<a>` or `<table>` closes an open one, too).
const IMPLIED_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot",
    "colgroup", "caption", "rb", "rt", "rtc", "rp", "html", "head", "body", "a", "table",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// True when the markup opens more than `limit` elements without closing them.
///
/// ```text
/// <div><div><p>text  -> depth 2 (the p is closed by the parser)
/// ```
pub(crate) fn exceeds(markup: &str, limit: usize) -> bool {
    let bytes = markup.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset + 1;
        if bytes[start..].starts_with(b"!--") {
            at = find(bytes, start, b"-->");
            continue;
        }
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = start + usize::from(closing);
        let name_end = name_start
            + bytes[name_start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
                .count();
        let tag_end =
            memchr::memchr(b'>', &bytes[name_end..]).map_or(bytes.len(), |i| name_end + i);
        at = tag_end.min(bytes.len());
        if name_end == name_start || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = markup[name_start..name_end].to_ascii_lowercase();
        if VOID.contains(&name.as_str()) || IMPLIED_END.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) {
            at = find(bytes, at, format!("</{name}").as_bytes());
            continue;
        }
        let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        if !self_closing {
            depth += 1;
            if depth > limit {
                return true;
            }
        }
    }
    false
}

/// The index just past `needle` at or after `from`, ASCII case-insensitive,
/// or the end of the input.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> usize {
    let from = from.min(bytes.len());
    bytes[from..]
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map_or(bytes.len(), |i| from + i + needle.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_open_elements_only() {
        assert!(!exceeds("<div><div><p>a<p>b</div></div>", 2));
        assert!(exceeds("<div><div><div>", 2));
        assert!(!exceeds("<div></div><div></div><div></div>", 1));
    }

    #[test]
    fn void_implied_and_raw_text_elements_do_not_nest() {
        let page = format!(
            "<ul>{}</ul><script>{}</script>{}",
            "<li><p>x<br><img src=a>".repeat(1000),
            "<div>".repeat(1000),
            "<!-- <div><div> -->".repeat(1000)
        );
        assert!(!exceeds(&page, 3));
    }

    #[test]
    fn deep_nesting_is_found_in_linear_time() {
        let page = "<div>".repeat(200_000);
        assert!(exceeds(&page, 512));
        assert!(!exceeds("<span/><span/>", 1));
    }
}
