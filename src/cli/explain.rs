//! `--explain`: every removed piece and its rule, on standard error.

use std::io::{IsTerminal, Write};
use thresh::Article;

/// How much of a removed block to show.
const PREVIEW_CHARS: usize = 100;

/// Prints the audit of one article; colours only on a terminal.
pub fn explain(source: &str, article: &Article) {
    let stderr = std::io::stderr();
    let colour = stderr.is_terminal();
    let (rule_on, dim_on, off) = if colour {
        ("\x1b[1;33m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let mut out = stderr.lock();
    let removed: Vec<_> = article.removed().collect();
    let _ = writeln!(out, "{source}: {} removed", removed.len());
    for item in removed {
        let preview: String = item.text.chars().take(PREVIEW_CHARS).collect();
        let ellipsis = if preview.len() < item.text.len() {
            "…"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {rule_on}{}{off} ({}, {}) {dim_on}{preview}{ellipsis}{off}",
            item.rule, item.part, item.reason
        );
    }
}
