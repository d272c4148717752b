//! Stage 5, normalize: quote marks, dashes, ellipses and whitespace.
//!
//! [`Normalizer`] holds the options and works on strings; [`Normalize`] is
//! the document stage that applies it to every block and to the metadata.

mod quotes;
pub(crate) mod whitespace;

pub use quotes::QuoteStyle;

use crate::document::{BlockKind, Document};
use crate::repair::mojibake::AsciiMarks;
use crate::stage::Stage;
use std::borrow::Cow;

/// How to write dashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DashStyle {
    /// Leave en and em dashes as they are.
    #[default]
    Keep,
    /// En dash to `-`, em dash to `--`.
    Ascii,
}

/// How to write the ellipsis character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EllipsisStyle {
    /// Leave `…` as it is.
    #[default]
    Keep,
    /// `…` to `...`.
    Ascii,
}

/// Normalization options.
///
/// ```
/// use thresh::normalize::{Normalizer, QuoteStyle};
/// let ascii = Normalizer::default();
/// assert_eq!(ascii.inline("  “Hi,”   she   said.  "), "\"Hi,\" she said.");
/// let keep = Normalizer { quotes: QuoteStyle::Keep, ..Normalizer::default() };
/// assert_eq!(keep.inline("“Hi”"), "“Hi”");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Normalizer {
    /// Quote marks.
    pub quotes: QuoteStyle,
    /// Dashes.
    pub dashes: DashStyle,
    /// Ellipses.
    pub ellipses: EllipsisStyle,
}

impl Normalizer {
    /// The quote marks, dashes and ellipses this normalizer makes ASCII,
    /// which repair must know to judge mojibake as cleaning the cleaned
    /// text would (see [`AsciiMarks`]).
    ///
    /// ```
    /// use thresh::normalize::{Normalizer, QuoteStyle};
    /// use thresh::repair::mojibake::AsciiMarks;
    /// let curly = Normalizer { quotes: QuoteStyle::Curly, ..Normalizer::default() };
    /// assert_ne!(curly.ascii_marks(), Normalizer::default().ascii_marks());
    /// ```
    pub fn ascii_marks(&self) -> AsciiMarks {
        AsciiMarks::new(
            self.quotes == QuoteStyle::Ascii,
            self.dashes == DashStyle::Ascii,
            self.ellipses == EllipsisStyle::Ascii,
        )
    }

    /// Normalizes the text of a block: quotes and punctuation as configured,
    /// runs of spaces and tabs collapsed, every line trimmed, blank lines
    /// inside the block dropped.
    pub fn inline<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.punctuation(whitespace::collapse(text))
    }

    /// Normalizes preformatted text: punctuation as configured and trailing
    /// whitespace removed, indentation and spacing kept.
    pub fn preformatted<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.punctuation(whitespace::trim_line_ends(text))
    }

    /// Normalizes text line by line, keeping every line (blank ones too) and
    /// its indentation, as `thresh fix` does: punctuation as configured, runs
    /// of spaces after the indentation collapsed, trailing spaces removed.
    pub fn lines<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.punctuation(whitespace::collapse_keeping_lines(text))
    }

    /// Dashes, ellipses, then quotes, on text whose whitespace is already
    /// normalized. None of them changes whitespace or what the others see,
    /// but curly quotes look at the text as it will be left: they are kept
    /// straight where curling would make mojibake.
    fn punctuation<'a>(&self, text: Cow<'a, str>) -> Cow<'a, str> {
        let dashed = match self.dashes {
            DashStyle::Keep => text,
            DashStyle::Ascii => replace_all(text, &[("\u{2013}", "-"), ("\u{2014}", "--")]),
        };
        let ellipsed = match self.ellipses {
            EllipsisStyle::Keep => dashed,
            EllipsisStyle::Ascii => replace_all(dashed, &[("\u{2026}", "...")]),
        };
        match ellipsed {
            Cow::Borrowed(text) => self.quotes.apply(text),
            Cow::Owned(text) => Cow::Owned(self.quotes.apply(&text).into_owned()),
        }
    }
}

fn replace_all<'a>(text: Cow<'a, str>, pairs: &[(&str, &str)]) -> Cow<'a, str> {
    pairs.iter().fold(text, |text, (from, to)| {
        if text.contains(from) {
            Cow::Owned(text.replace(from, to))
        } else {
            text
        }
    })
}

/// The document stage that applies a [`Normalizer`] to every block and to
/// the title, byline and source.
#[derive(Debug, Clone, Copy, Default)]
pub struct Normalize(pub Normalizer);

impl Normalize {
    /// A table row keeps its cells apart: each cell is normalized inline,
    /// and the cells are joined by single tabs again.
    fn row(&self, text: &str) -> String {
        let cells: Vec<String> = text
            .split('\t')
            .map(|cell| self.0.inline(cell).into_owned())
            .collect();
        cells.join("\t")
    }
}

impl Stage for Normalize {
    fn name(&self) -> &str {
        "normalize"
    }

    /// Removed blocks are left as the stage that removed them saw them:
    /// the audit shows what was dropped, and most of an HTML page's text is
    /// dropped, so normalizing it would cost more than the article.
    fn apply(&self, doc: &mut Document) {
        for block in doc.blocks.iter_mut().filter(|block| block.is_kept()) {
            let normalized = match block.kind {
                BlockKind::Preformatted => self.0.preformatted(&block.text),
                BlockKind::TableRow if block.text.contains('\t') => {
                    Cow::Owned(self.row(&block.text))
                }
                _ => self.0.inline(&block.text),
            };
            if let Cow::Owned(text) = normalized {
                block.text = text;
            }
        }
        let meta = &mut doc.meta;
        for value in [&mut meta.title, &mut meta.byline, &mut meta.source]
            .into_iter()
            .flatten()
        {
            if let Cow::Owned(text) = self.0.inline(value) {
                *value = text;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_and_ellipses_only_when_asked() {
        let keep = Normalizer::default();
        assert_eq!(keep.inline("a – b — c…"), "a – b — c…");
        let ascii = Normalizer {
            dashes: DashStyle::Ascii,
            ellipses: EllipsisStyle::Ascii,
            ..Normalizer::default()
        };
        assert_eq!(ascii.inline("a – b — c…"), "a - b -- c...");
    }

    #[test]
    fn lines_keep_layout() {
        let text = "  indented   line   \n\n“quoted”\t\t\n";
        assert_eq!(
            Normalizer::default().lines(text),
            "  indented line\n\n\"quoted\"\n"
        );
    }

    #[test]
    fn removed_blocks_stay_as_they_were_removed() {
        use crate::document::{Block, BlockKind, Metadata};
        let mut dropped = Block::new(BlockKind::Paragraph, "“Share”  this");
        dropped.remove("share", "a share prompt");
        let kept = Block::new(BlockKind::Paragraph, "“Rain”  due");
        let mut doc = Document::new(Metadata::default(), vec![dropped, kept]);
        Normalize::default().apply(&mut doc);
        assert_eq!(doc.blocks[0].text, "“Share”  this");
        assert_eq!(doc.blocks[1].text, "\"Rain\" due");
    }

    #[test]
    fn preformatted_keeps_spacing() {
        assert_eq!(
            Normalizer::default().preformatted("fn  main() {   \n    x  \n}"),
            "fn  main() {\n    x\n}"
        );
    }
}
