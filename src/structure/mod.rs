//! Stage 3, structure: repaired text becomes a [`Document`] of typed blocks.
//!
//! Text input is split into blocks at line breaks ([`text`]). HTML input is
//! recognised ([`looks_like_html`]) and goes through main-content
//! extraction ([`HtmlStructure`]).

pub(crate) mod html;
mod language;
pub mod text;

pub use html::{is_extraction_rule, Favor, HtmlStructure};
pub use language::detect_language;
pub use text::TextStructure;

use crate::input::InputKind;

/// The first bytes that decide whether input in [`InputKind::Auto`] is HTML.
const SNIFF_WINDOW: usize = 1024;

/// Tags whose presence near the start of a document marks it as HTML.
const HTML_MARKERS: &[&[u8]] = &[
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<meta",
    b"<title",
    b"<div",
    b"<p>",
    b"<p ",
    b"<article",
    b"<table",
    b"<script",
];

/// True when the text starts with markup and names an HTML tag near the start.
///
/// ```
/// use thresh::structure::looks_like_html;
/// assert!(looks_like_html("  <!DOCTYPE html><html><body>Hi</body></html>"));
/// assert!(!looks_like_html("if a < b then <p> is printed"));
/// ```
pub fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if !start.starts_with('<') {
        return false;
    }
    let window = &start.as_bytes()[..start.len().min(SNIFF_WINDOW)];
    let lower = window.to_ascii_lowercase();
    HTML_MARKERS
        .iter()
        .any(|marker| lower.windows(marker.len()).any(|w| w == *marker))
}

/// Settles [`InputKind::Auto`] by looking at the text.
pub fn resolve_kind(kind: InputKind, text: &str) -> InputKind {
    match kind {
        InputKind::Auto if looks_like_html(text) => InputKind::Html,
        InputKind::Auto => InputKind::Text,
        other => other,
    }
}
