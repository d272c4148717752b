//! The finished result: the document after every stage, with its audit.

use crate::document::{Block, BlockKind, Document, Metadata};
use std::collections::BTreeMap;

/// A cleaned article, ready to render with [`emit`](crate::emit).
///
/// ```
/// use thresh::Pipeline;
/// let article = Pipeline::default().clean("Headline Here\n\nFirst paragraph.").unwrap();
/// assert_eq!(article.meta().title.as_deref(), Some("Headline Here"));
/// assert_eq!(article.text(), "First paragraph.");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    doc: Document,
    bytes_in: usize,
}

/// One removed piece of text, for the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed<'a> {
    /// The rule that removed it.
    pub rule: &'a str,
    /// Why.
    pub reason: &'a str,
    /// The removed text, as the stage that removed it saw it: removed
    /// blocks are not normalized, and blocks HTML extraction left out are
    /// not repaired either.
    pub text: &'a str,
    /// `"block"` for a whole block, `"prefix"` or `"suffix"` for a trimmed edge.
    pub part: &'static str,
    /// The kind of the block it came from.
    pub kind: BlockKind,
}

/// Counts for the audit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Bytes of input.
    pub bytes_in: usize,
    /// Bytes of article text.
    pub bytes_out: usize,
    /// Blocks kept.
    pub blocks_kept: usize,
    /// Blocks removed, all rules together.
    pub blocks_removed: usize,
    /// Removed blocks and trimmed edges, per rule.
    pub removed_per_rule: BTreeMap<String, usize>,
}

impl Article {
    pub(crate) fn new(doc: Document, bytes_in: usize) -> Self {
        Article { doc, bytes_in }
    }

    /// The metadata.
    pub fn meta(&self) -> &Metadata {
        &self.doc.meta
    }

    /// The whole document, removed blocks included.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// Consumes the article, returning its document.
    pub fn into_document(self) -> Document {
        self.doc
    }

    /// The kept blocks in order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.doc.kept()
    }

    /// The article body: kept blocks separated by one blank line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for block in self.blocks().filter(|b| !b.text.is_empty()) {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&block.text);
        }
        out
    }

    /// Everything removed, in document order: whole blocks and trimmed edges.
    pub fn removed(&self) -> impl Iterator<Item = Removed<'_>> {
        self.doc.blocks.iter().flat_map(|block| {
            let edges = block.trims.iter().map(move |trim| Removed {
                rule: &trim.removal.rule,
                reason: &trim.removal.reason,
                text: &trim.text,
                part: trim.edge.as_str(),
                kind: block.kind,
            });
            let whole = block.removed.as_ref().map(|removal| Removed {
                rule: &removal.rule,
                reason: &removal.reason,
                text: &block.text,
                part: "block",
                kind: block.kind,
            });
            edges.chain(whole)
        })
    }

    /// Counts of what was kept and removed.
    pub fn stats(&self) -> Stats {
        let mut stats = Stats {
            bytes_in: self.bytes_in,
            bytes_out: self.text().len(),
            blocks_kept: self.blocks().count(),
            blocks_removed: self.doc.blocks.iter().filter(|b| !b.is_kept()).count(),
            removed_per_rule: BTreeMap::new(),
        };
        for removed in self.removed() {
            *stats
                .removed_per_rule
                .entry(removed.rule.to_owned())
                .or_default() += 1;
        }
        stats
    }
}
