//! Whitespace inside blocks: one space between words, no trailing spaces.

use std::borrow::Cow;

fn is_inline_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Collapses runs of spaces and tabs, trims every line, drops empty lines.
pub(crate) fn collapse(text: &str) -> Cow<'_, str> {
    if is_collapsed(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        push_collapsed(&mut out, line, char::is_whitespace);
    }
    Cow::Owned(out)
}

/// Appends `line`, already trimmed, with each run of `is_space` characters
/// written as one plain space.
fn push_collapsed(out: &mut String, line: &str, is_space: fn(char) -> bool) {
    let mut in_space = false;
    for c in line.chars() {
        if is_space(c) {
            in_space = true;
            continue;
        }
        if in_space {
            out.push(' ');
            in_space = false;
        }
        out.push(c);
    }
}

/// True when the text has no leading, trailing or doubled whitespace and no
/// whitespace other than single spaces and single newlines.
fn is_collapsed(text: &str) -> bool {
    if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
        return false;
    }
    let mut previous_was_space = false;
    for &byte in text.as_bytes() {
        let space = matches!(byte, b' ' | b'\n');
        if (space && previous_was_space) || matches!(byte, b'\t' | b'\r' | 0x0B | 0x0C) {
            return false;
        }
        previous_was_space = space;
    }
    text.is_ascii() || !text.contains(|c: char| !c.is_ascii() && c.is_whitespace())
}

/// Removes whitespace at line ends, keeping everything else.
pub(crate) fn trim_line_ends(text: &str) -> Cow<'_, str> {
    if !text.split('\n').any(|line| line.ends_with(is_inline_space)) && !text.ends_with('\n') {
        return Cow::Borrowed(text);
    }
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    Cow::Owned(lines.join("\n").trim_end().to_owned())
}

/// Per line: keeps the indentation, collapses later runs of spaces and tabs,
/// trims the end. Keeps every line.
pub(crate) fn collapse_keeping_lines(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let suspicious = memchr::memchr(b'\t', bytes).is_some()
        || memchr::memmem::find(bytes, b"  ").is_some()
        || memchr::memmem::find(bytes, b" \n").is_some()
        || text.ends_with(' ');
    if !suspicious {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let body = line.trim_start_matches(is_inline_space);
        if body.is_empty() {
            // A line of nothing but spaces has no indentation to keep.
            continue;
        }
        out.push_str(&line[..line.len() - body.len()]);
        push_collapsed(
            &mut out,
            body.trim_end_matches(is_inline_space),
            is_inline_space,
        );
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_lose_their_spaces() {
        assert_eq!(collapse_keeping_lines("a\n \t \n  b "), "a\n\n  b");
    }

    #[test]
    fn collapse_cases() {
        assert_eq!(collapse(" a  b\t c \n\n  d "), "a b c\nd");
        assert!(matches!(collapse("a b\nc"), Cow::Borrowed(_)));
        assert_eq!(collapse("a\u{3000}\u{3000}b"), "a b");
    }
}
