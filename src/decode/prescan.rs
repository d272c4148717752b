//! The WHATWG "prescan a byte stream to determine its encoding" algorithm,
//! over the first 1024 bytes, plus an XML declaration at the very start.
//!
//! A byte-level state machine rather than a regex: it must skip comments and
//! other tags exactly as browsers do, and it reads at most 1024 bytes.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};

const PRESCAN_WINDOW: usize = 1024;

/// The encoding declared in the first 1024 bytes, if any.
///
/// ```
/// use thresh::decode::prescan;
/// let page = br#"<!-- <meta charset=koi8-r> --><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">"#;
/// assert_eq!(prescan(page).map(|e| e.name()), Some("Shift_JIS"));
/// ```
pub fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let window = &bytes[..bytes.len().min(PRESCAN_WINDOW)];
    let found = xml_declaration(window).or_else(|| {
        Prescan {
            bytes: window,
            pos: 0,
        }
        .run()
    })?;
    Some(browser_substitute(found))
}

/// A UTF-16 label in a document that could be read as ASCII is wrong, and
/// x-user-defined means windows-1252, as the standard prescribes.
fn browser_substitute(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else if encoding == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        encoding
    }
}

fn xml_declaration(bytes: &[u8]) -> Option<&'static Encoding> {
    let rest = bytes.strip_prefix(b"<?xml")?;
    let end = find(rest, b"?>")?;
    let decl = &rest[..end];
    let at = find_ignore_case(decl, b"encoding")?;
    let mut pos = at + b"encoding".len();
    pos = skip_whitespace(decl, pos);
    if decl.get(pos) != Some(&b'=') {
        return None;
    }
    pos = skip_whitespace(decl, pos + 1);
    let quote = *decl.get(pos).filter(|q| **q == b'"' || **q == b'\'')?;
    let len = decl[pos + 1..].iter().position(|&b| b == quote)?;
    Encoding::for_label(&decl[pos + 1..pos + 1 + len])
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

fn skip_whitespace(bytes: &[u8], mut pos: usize) -> usize {
    while bytes.get(pos).is_some_and(|b| is_space(*b)) {
        pos += 1;
    }
    pos
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

struct Prescan<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Prescan<'_> {
    fn run(mut self) -> Option<&'static Encoding> {
        while self.pos < self.bytes.len() {
            let rest = &self.bytes[self.pos..];
            if rest.starts_with(b"<!--") {
                let close = find(&rest[2..], b"-->")?;
                self.pos += 2 + close + 3;
            } else if starts_with_ignore_case(rest, b"<meta")
                && rest.get(5).is_some_and(|b| is_space(*b) || *b == b'/')
            {
                self.pos += 6;
                if let Some(encoding) = self.meta() {
                    return Some(encoding);
                }
            } else if rest.len() > 1 && is_tag_open(rest) {
                self.skip_tag();
            } else if rest.starts_with(b"<!") || rest.starts_with(b"</") || rest.starts_with(b"<?")
            {
                self.pos += rest.iter().position(|&b| b == b'>')? + 1;
            } else {
                self.pos += 1;
            }
        }
        None
    }

    /// Reads a `<meta>` tag's attributes and decides whether it declares an encoding.
    fn meta(&mut self) -> Option<&'static Encoding> {
        let mut seen: Vec<Vec<u8>> = Vec::new();
        let mut got_pragma = false;
        let mut need_pragma: Option<bool> = None;
        let mut charset: Option<&'static Encoding> = None;
        while let Some((name, value)) = self.attribute() {
            if seen.contains(&name) {
                continue;
            }
            match name.as_slice() {
                b"http-equiv" => got_pragma |= value.eq_ignore_ascii_case(b"content-type"),
                b"content" if charset.is_none() => {
                    if let Some(found) = charset_from_content(&value) {
                        charset = Encoding::for_label(found);
                        need_pragma = Some(true);
                    }
                }
                b"charset" => {
                    charset = Encoding::for_label(&value);
                    need_pragma = Some(false);
                }
                _ => {}
            }
            seen.push(name);
        }
        match need_pragma {
            Some(true) if !got_pragma => None,
            Some(_) => charset,
            None => None,
        }
    }

    fn skip_tag(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| !is_space(*b) && *b != b'>')
        {
            self.pos += 1;
        }
        while self.attribute().is_some() {}
    }

    /// The "get an attribute" algorithm. Leaves `pos` on the `>` when the tag ends.
    fn attribute(&mut self) -> Option<(Vec<u8>, Vec<u8>)> {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| is_space(*b) || *b == b'/')
        {
            self.pos += 1;
        }
        if *self.bytes.get(self.pos)? == b'>' {
            return None;
        }
        let name = self.attribute_name()?;
        self.pos = skip_whitespace(self.bytes, self.pos);
        if self.bytes.get(self.pos) != Some(&b'=') {
            return Some((name, Vec::new()));
        }
        self.pos = skip_whitespace(self.bytes, self.pos + 1);
        let value = self.attribute_value()?;
        Some((name, value))
    }

    fn attribute_name(&mut self) -> Option<Vec<u8>> {
        let mut name = Vec::new();
        loop {
            let byte = *self.bytes.get(self.pos)?;
            match byte {
                b'=' if !name.is_empty() => return Some(name),
                b'/' | b'>' => return Some(name),
                _ if is_space(byte) => return Some(name),
                _ => name.push(byte.to_ascii_lowercase()),
            }
            self.pos += 1;
        }
    }

    fn attribute_value(&mut self) -> Option<Vec<u8>> {
        let first = *self.bytes.get(self.pos)?;
        if first == b'"' || first == b'\'' {
            let len = self.bytes[self.pos + 1..]
                .iter()
                .position(|&b| b == first)?;
            let value = self.bytes[self.pos + 1..self.pos + 1 + len].to_ascii_lowercase();
            self.pos += len + 2;
            return Some(value);
        }
        if first == b'>' {
            return Some(Vec::new());
        }
        let mut value = Vec::new();
        loop {
            let byte = *self.bytes.get(self.pos)?;
            if is_space(byte) || byte == b'>' {
                return Some(value);
            }
            value.push(byte.to_ascii_lowercase());
            self.pos += 1;
        }
    }
}

fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.len() >= prefix.len() && bytes[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn is_tag_open(bytes: &[u8]) -> bool {
    match bytes {
        [b'<', b'/', c, ..] | [b'<', c, ..] => c.is_ascii_alphabetic(),
        _ => false,
    }
}

/// The "extract a character encoding from a meta element" algorithm.
fn charset_from_content(content: &[u8]) -> Option<&[u8]> {
    let mut pos = 0;
    loop {
        pos += find_ignore_case(&content[pos..], b"charset")? + b"charset".len();
        pos = skip_whitespace(content, pos);
        if content.get(pos) == Some(&b'=') {
            break;
        }
    }
    pos = skip_whitespace(content, pos + 1);
    match *content.get(pos)? {
        quote @ (b'"' | b'\'') => {
            let len = content[pos + 1..].iter().position(|&b| b == quote)?;
            Some(&content[pos + 1..pos + 1 + len])
        }
        _ => {
            let len = content[pos..]
                .iter()
                .position(|&b| is_space(b) || b == b';')
                .unwrap_or(content.len() - pos);
            (len > 0).then(|| &content[pos..pos + len])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(bytes: &[u8]) -> Option<&'static str> {
        prescan(bytes).map(|e| e.name())
    }

    #[test]
    fn meta_charset_forms() {
        assert_eq!(name(b"<meta charset=\"utf-8\">"), Some("UTF-8"));
        assert_eq!(name(b"<META CHARSET=GBK>"), Some("GBK"));
        assert_eq!(name(b"<meta/charset='koi8-r'>"), Some("KOI8-R"));
        assert_eq!(
            name(b"<html><head><meta name=x><meta charset=latin1>"),
            Some("windows-1252")
        );
    }

    #[test]
    fn content_needs_http_equiv() {
        assert_eq!(name(b"<meta content=\"text/html; charset=gbk\">"), None);
        assert_eq!(
            name(b"<meta content=\"text/html; charset=gbk\" http-equiv=\"content-type\">"),
            Some("GBK")
        );
        assert_eq!(
            name(b"<meta http-equiv=Content-Type content='text/html;charset=\"euc-jp\"'>"),
            Some("EUC-JP")
        );
    }

    #[test]
    fn comments_and_other_tags_are_skipped() {
        assert_eq!(
            name(b"<!-- <meta charset=gbk> --><meta charset=big5>"),
            Some("Big5")
        );
        assert_eq!(
            name(b"<div title='<meta charset=gbk>'><meta charset=sjis>"),
            Some("Shift_JIS")
        );
        assert_eq!(name(b"<!--><meta charset=gbk>"), Some("GBK"));
    }

    #[test]
    fn substitutes_and_unknown_labels() {
        assert_eq!(name(b"<meta charset=utf-16le>"), Some("UTF-8"));
        assert_eq!(name(b"<meta charset=x-user-defined>"), Some("windows-1252"));
        assert_eq!(name(b"<meta charset=no-such-thing>"), None);
        assert_eq!(name(b"<meta charset=\"unclosed>"), None);
    }

    #[test]
    fn only_the_first_1024_bytes_count() {
        let mut page = vec![b' '; 1100];
        page.extend_from_slice(b"<meta charset=gbk>");
        assert_eq!(name(&page), None);
    }

    #[test]
    fn xml_declaration() {
        assert_eq!(
            name(b"<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?><a/>"),
            Some("ISO-8859-2")
        );
    }

    #[test]
    fn truncated_input_never_panics() {
        for page in [
            &b"<meta"[..],
            b"<meta ",
            b"<meta charset",
            b"<meta charset=",
            b"<!--",
            b"<a href='x",
            b"<?xml encoding",
        ] {
            let _ = prescan(page);
        }
    }
}
