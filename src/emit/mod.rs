//! Stage 6, emit: renders an [`Article`] as text, JSON or JSONL. It only
//! renders; it never decides what is kept.

mod json;
mod text;

pub use json::{to_json, to_json_value};
pub use text::{to_text, TextOptions};

use crate::article::Article;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The article body, paragraphs separated by one blank line.
    #[default]
    Text,
    /// One pretty-printed JSON object.
    Json,
    /// One JSON object on one line.
    Jsonl,
}

impl Format {
    /// The file extension for outputs in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
        }
    }
}

/// Renders an article in a format. Text and JSON end with a newline, and a
/// JSONL record is exactly one line ending with a newline.
///
/// ```
/// use thresh::emit::{render, Format, TextOptions};
/// use thresh::Pipeline;
/// let article = Pipeline::default().clean("Title Line\n\nBody.").unwrap();
/// assert_eq!(render(&article, Format::Text, TextOptions::default()), "Body.\n");
/// assert!(render(&article, Format::Jsonl, TextOptions::default()).starts_with("{\"title\":\"Title Line\""));
/// ```
pub fn render(article: &Article, format: Format, options: TextOptions) -> String {
    let mut out = match format {
        Format::Text => to_text(article, options),
        Format::Json => to_json(article, true),
        Format::Jsonl => to_json(article, false),
    };
    if !out.is_empty() || format != Format::Text {
        out.push('\n');
    }
    out
}
