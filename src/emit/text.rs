//! Plain-text output.

use crate::article::Article;

/// Options for text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextOptions {
    /// Put a header with title, date, byline and source above the body.
    pub with_metadata: bool,
}

/// The article body, paragraphs separated by one blank line, optionally under
/// a header of `Field: value` lines and a blank line. No trailing newline.
///
/// ```
/// use thresh::emit::{to_text, TextOptions};
/// use thresh::Pipeline;
/// let article = Pipeline::default().clean("A Headline\n\nOne.\nTwo.").unwrap();
/// assert_eq!(to_text(&article, TextOptions::default()), "One.\n\nTwo.");
/// let with_header = to_text(&article, TextOptions { with_metadata: true });
/// assert_eq!(with_header, "Title: A Headline\n\nOne.\n\nTwo.");
/// ```
pub fn to_text(article: &Article, options: TextOptions) -> String {
    let body = article.text();
    if !options.with_metadata {
        return body;
    }
    let meta = article.meta();
    let fields = [
        ("Title", &meta.title),
        ("Date", &meta.date),
        ("Byline", &meta.byline),
        ("Source", &meta.source),
        ("URL", &meta.url),
    ];
    let mut out = String::new();
    for (name, value) in fields {
        if let Some(value) = value {
            out.push_str(name);
            out.push_str(": ");
            out.push_str(value);
            out.push('\n');
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&body);
    out
}
