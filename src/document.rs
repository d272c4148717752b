//! The document model: an article as an ordered list of typed blocks plus
//! metadata.
//!
//! Stages never delete a block. A stage that drops text marks the block with a
//! [`Removal`] (the rule's name and a short reason), and a stage that cuts a
//! fused prefix or suffix off a block records a [`Trim`]. That makes the audit
//! free: every byte that went in is either kept or accounted for.

use std::borrow::Cow;

/// The name of a rule or stage, cheap for built-in rules and owned for user rules.
pub type RuleName = Cow<'static, str>;

/// What a block is, as far as the structure stage could tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// A heading; level 1 is the most important.
    Heading(u8),
    /// Running prose.
    Paragraph,
    /// One item of a list.
    ListItem,
    /// A block quotation.
    Quote,
    /// Preformatted text, whose whitespace is kept as it is.
    Preformatted,
    /// One row of a table, its cells joined by tabs.
    TableRow,
    /// A caption of an image or a figure.
    Caption,
}

impl BlockKind {
    /// The kind's name as it appears in JSON output.
    ///
    /// ```
    /// use thresh::BlockKind;
    /// assert_eq!(BlockKind::Heading(2).as_str(), "heading");
    /// assert_eq!(BlockKind::ListItem.as_str(), "list_item");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Heading(_) => "heading",
            BlockKind::Paragraph => "paragraph",
            BlockKind::ListItem => "list_item",
            BlockKind::Quote => "quote",
            BlockKind::Preformatted => "preformatted",
            BlockKind::TableRow => "table_row",
            BlockKind::Caption => "caption",
        }
    }

    /// The heading level, for headings only.
    pub fn level(self) -> Option<u8> {
        match self {
            BlockKind::Heading(level) => Some(level),
            _ => None,
        }
    }
}

/// Why a block was dropped: the rule that dropped it and a short reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// The rule's name, such as `counter` or `related_tail`.
    pub rule: RuleName,
    /// A short human-readable reason.
    pub reason: String,
}

/// Which end of a block a [`Trim`] was cut from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// Cut from the start of the block (a fused metadata prefix).
    Start,
    /// Cut from the end of the block (a glued photo credit).
    End,
}

impl Edge {
    /// `"prefix"` or `"suffix"`, as in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Edge::Start => "prefix",
            Edge::End => "suffix",
        }
    }
}

/// A piece cut from the start or end of a block whose remainder was kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trim {
    /// Where the piece was.
    pub edge: Edge,
    /// The text that was cut.
    pub text: String,
    /// The rule and reason.
    pub removal: Removal,
}

/// One block of the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// The block's text.
    pub text: String,
    /// Set when a stage dropped the block.
    pub removed: Option<Removal>,
    /// Pieces cut from the block's ends, in the order they were cut.
    pub trims: Vec<Trim>,
}

impl Block {
    /// A kept block of the given kind.
    ///
    /// ```
    /// use thresh::{Block, BlockKind};
    /// let block = Block::new(BlockKind::Paragraph, "Hello.");
    /// assert!(block.is_kept());
    /// ```
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Self {
        Block {
            kind,
            text: text.into(),
            removed: None,
            trims: Vec::new(),
        }
    }

    /// True unless a stage removed the block.
    pub fn is_kept(&self) -> bool {
        self.removed.is_none()
    }

    /// Marks the block removed; the first removal wins, so the audit names the
    /// rule that fired first.
    pub fn remove(&mut self, rule: impl Into<RuleName>, reason: impl Into<String>) {
        if self.removed.is_none() {
            self.removed = Some(Removal {
                rule: rule.into(),
                reason: reason.into(),
            });
        }
    }

    /// Cuts `len` bytes from one edge of the text and records them, with
    /// the whitespace at the cut trimmed from both the piece and the block.
    /// Does nothing when `len` is zero, out of range or not on a char boundary.
    ///
    /// ```
    /// use thresh::{Block, BlockKind, Edge};
    /// let mut block = Block::new(BlockKind::Paragraph, "date 2025-05-23 Russia and Ukraine...");
    /// block.trim(Edge::Start, 16, "metadata_prefix", "metadata fused into the text");
    /// assert_eq!(block.text, "Russia and Ukraine...");
    /// assert_eq!(block.trims[0].text, "date 2025-05-23");
    /// ```
    pub fn trim(
        &mut self,
        edge: Edge,
        len: usize,
        rule: impl Into<RuleName>,
        reason: impl Into<String>,
    ) {
        let at = match edge {
            Edge::Start => len,
            Edge::End => self.text.len().wrapping_sub(len),
        };
        if len == 0 || len > self.text.len() || !self.text.is_char_boundary(at) {
            return;
        }
        let cut: String = match edge {
            Edge::Start => self.text.drain(..at).collect(),
            Edge::End => self.text.split_off(at),
        };
        let kept = match edge {
            Edge::Start => self.text.trim_start(),
            Edge::End => self.text.trim_end(),
        };
        if kept.len() != self.text.len() {
            self.text = kept.to_owned();
        }
        self.trims.push(Trim {
            edge,
            text: cut.trim().to_owned(),
            removal: Removal {
                rule: rule.into(),
                reason: reason.into(),
            },
        });
    }
}

/// How the decode stage chose the character encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EncodingSource {
    /// A byte order mark.
    Bom,
    /// The caller's hint, such as an HTTP `Content-Type` charset.
    Hint,
    /// A `<meta>` or XML declaration in the document.
    Declared,
    /// The bytes are valid UTF-8.
    #[default]
    Utf8,
    /// Statistical detection (chardetng).
    Guessed,
    /// The input was already a Rust string.
    Text,
}

impl EncodingSource {
    /// The source's name as in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            EncodingSource::Bom => "bom",
            EncodingSource::Hint => "hint",
            EncodingSource::Declared => "declared",
            EncodingSource::Utf8 => "utf8",
            EncodingSource::Guessed => "guessed",
            EncodingSource::Text => "text",
        }
    }
}

/// What is known about the article besides its text. Unknown values are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The headline.
    pub title: Option<String>,
    /// Publication date in ISO 8601, as precise as the source (`2025-05-23` or `2025-05`).
    pub date: Option<String>,
    /// The author or agency line.
    pub byline: Option<String>,
    /// The publication or site name.
    pub source: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
    /// The page's canonical URL (`<link rel=canonical>` or `og:url`), for HTML input.
    pub canonical: Option<String>,
    /// How the input was read: [`InputKind::Html`](crate::InputKind::Html) or
    /// [`InputKind::Text`](crate::InputKind::Text) once the pipeline ran.
    pub input_kind: crate::InputKind,
    /// The language as a BCP 47 tag, such as `en`.
    pub language: Option<String>,
    /// The character encoding the input was decoded from, such as `UTF-8`.
    pub encoding: Option<String>,
    /// How the encoding was chosen.
    pub encoding_source: EncodingSource,
    /// True when decoding met invalid bytes and inserted U+FFFD.
    pub decode_errors: bool,
    /// The repair fixes that changed the text, in the order they ran.
    pub repairs: Vec<&'static str>,
}

/// An article: metadata and an ordered list of blocks, kept and removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// What is known about the article.
    pub meta: Metadata,
    /// All blocks in reading order, including removed ones.
    pub blocks: Vec<Block>,
    /// Measurements the strip stages share, so each block is measured once.
    pub(crate) memo: crate::strip::Memo,
}

impl Document {
    /// A document of the given blocks.
    ///
    /// ```
    /// use thresh::{Block, BlockKind, Document, Metadata};
    /// let doc = Document::new(Metadata::default(), vec![Block::new(BlockKind::Paragraph, "Hi.")]);
    /// assert_eq!(doc.kept().count(), 1);
    /// ```
    pub fn new(meta: Metadata, blocks: Vec<Block>) -> Self {
        Document {
            meta,
            blocks,
            memo: Default::default(),
        }
    }

    /// The blocks still kept, in order.
    ///
    /// ```
    /// use thresh::{Block, BlockKind, Document};
    /// let mut doc = Document::default();
    /// doc.blocks.push(Block::new(BlockKind::Paragraph, "Kept."));
    /// doc.blocks.push(Block::new(BlockKind::Paragraph, "7354 views"));
    /// doc.blocks[1].remove("counter", "view counter");
    /// assert_eq!(doc.kept().map(|b| b.text.as_str()).collect::<Vec<_>>(), ["Kept."]);
    /// ```
    pub fn kept(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| b.is_kept())
    }

    /// The kept blocks, mutably.
    pub fn kept_mut(&mut self) -> impl Iterator<Item = &mut Block> {
        self.blocks.iter_mut().filter(|b| b.is_kept())
    }

    /// True when the blocks are what extraction kept of an HTML page. The
    /// page's menus, link lists and other stories are already out, so the
    /// strip stages' judgments made for text dumps (a repeated label is
    /// chrome, a block without sentences is a menu, a topic shift is an
    /// appended story) defer to extraction there.
    pub(crate) fn is_extracted(&self) -> bool {
        self.meta.input_kind == crate::InputKind::Html
    }
}
