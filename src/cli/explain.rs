//! `--explain`: every removed piece and its rule, on standard error.

use std::fmt::Write;
use std::io::IsTerminal;
use thresh::Article;

/// How much of a removed block to show.
const PREVIEW_CHARS: usize = 100;

/// The audit of one article, one line per removed piece; colours only when
/// standard error is a terminal. Returned whole so that parallel workers
/// print it in one piece.
pub fn explain(source: &str, article: &Article) -> String {
    let colour = std::io::stderr().is_terminal();
    let (rule_on, dim_on, off) = if colour {
        ("\x1b[1;33m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let removed: Vec<_> = article.removed().collect();
    let mut out = format!("{source}: {} removed\n", removed.len());
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
    out
}
