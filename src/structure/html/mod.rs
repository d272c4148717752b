//! HTML input: the page is parsed once, walked once into blocks, and the
//! element holding the article is chosen by score.
//!
//! - [`tags`]: what each element means to extraction;
//! - [`hints`]: the class, id and role vocabulary;
//! - [`skip`]: the script and style bodies the parser need not read;
//! - [`parse`]: html5ever under the depth limit, so parsing stays linear;
//! - [`walk`]: the iterative walk from DOM to raw blocks;
//! - [`content`]: block weights, the choice of the content element, and
//!   the verdict on every block;
//! - [`meta`]: title, date, byline, site, canonical URL and language from
//!   the page's head and JSON-LD.
//!
//! Blocks outside the article are kept in the document, marked removed with
//! their reason, so the audit shows what extraction left out.

mod content;
mod hints;
pub(crate) mod meta;
pub(crate) mod parse;
pub(crate) mod skip;
mod tags;
mod walk;

pub use content::Favor;

use crate::document::{Block, BlockKind, Document, Metadata};
use crate::error::Error;

/// True for the rule names HTML extraction records, so that later stages
/// can tell a block extraction left out from one a strip rule dropped.
///
/// ```
/// assert!(thresh::structure::is_extraction_rule("outside_content"));
/// assert!(!thresh::structure::is_extraction_rule("counter"));
/// ```
pub fn is_extraction_rule(rule: &str) -> bool {
    matches!(rule, "outside_content" | "link_dense" | "json_ld_body")
        || hints::ALL_JUNK.iter().any(|junk| junk.rule() == rule)
}

/// JSON-LD `articleBody` replaces the extracted text when the page's own
/// blocks hold less than this share of it: script-rendered pages often
/// carry their whole article only there.
const JSON_LD_SHARE: f32 = 0.5;

/// Turns an HTML page into a document of blocks.
///
/// ```
/// use thresh::structure::HtmlStructure;
/// let page = "<html><head><title>Rain due - Daily</title><meta property=og:site_name content=Daily></head><body>\
///     <nav><a href=/>Home</a></nav><article><h1>Rain due</h1>\
///     <p>Heavy rain is expected across the north on Friday, forecasters said, with flooding likely.</p>\
///     </article></body></html>";
/// let doc = HtmlStructure::default().build(page, None).unwrap();
/// let kept: Vec<&str> = doc.kept().map(|b| b.text.as_str()).collect();
/// assert_eq!(kept, ["Rain due", "Heavy rain is expected across the north on Friday, forecasters said, with flooding likely."]);
/// assert_eq!(doc.meta.title.as_deref(), Some("Rain due"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct HtmlStructure {
    /// The most blocks a page may have.
    pub max_blocks: usize,
    /// The deepest element nesting accepted (`<html>` is at depth 1);
    /// deeper pages are refused as soon as the parser builds an element
    /// that deep, since parsing takes time quadratic in the depth.
    pub max_depth: usize,
    /// Where extraction sets its thresholds.
    pub favor: Favor,
}

impl Default for HtmlStructure {
    fn default() -> Self {
        HtmlStructure {
            max_blocks: 1_000_000,
            max_depth: 512,
            favor: Favor::Balanced,
        }
    }
}

impl HtmlStructure {
    /// Parses the page and finds its article. `url` is the page's address,
    /// when known, for dates in the URL.
    pub fn build(&self, text: &str, url: Option<&str>) -> Result<Document, Error> {
        let html = parse::parse(text, self.max_depth)?;
        let page_meta = meta::page_meta(&html, url);
        let thresholds = self.favor.thresholds();
        let mut page = walk::walk(&html, self.max_blocks, self.max_depth, false)?;
        let mut verdicts = content::extract(&page, &thresholds, page_meta.title.as_deref());
        if page.noscript_bytes > NOSCRIPT_ADVANTAGE * kept_bytes(&page, &verdicts) {
            page = walk::walk(&html, self.max_blocks, self.max_depth, true)?;
            verdicts = content::extract(&page, &thresholds, page_meta.title.as_deref());
        }
        drop(html);
        let mut blocks: Vec<Block> = page
            .blocks
            .into_iter()
            .zip(verdicts)
            .map(|(raw, verdict)| {
                let mut block = Block::new(raw.kind, raw.text);
                if let Some((rule, reason)) = verdict.removal() {
                    block.remove(rule, reason);
                }
                block
            })
            .collect();
        if let Some(body) = &page_meta.article_body {
            prefer_json_ld(&mut blocks, body);
        }
        let meta = Metadata {
            title: page_meta.title,
            date: page_meta.date,
            byline: page_meta.byline,
            source: page_meta.site,
            canonical: page_meta.canonical,
            language: page_meta.language,
            ..Metadata::default()
        };
        Ok(Document::new(meta, blocks))
    }
}

/// `<noscript>` content is walked when it holds this many times the text
/// the page gave without it. Blogger's dynamic views put the post in a
/// script template with a copy in `<noscript>`, and nothing else; many
/// other pages repeat their article there, which would double it.
const NOSCRIPT_ADVANTAGE: usize = 2;

fn kept_bytes(page: &walk::Page, verdicts: &[content::Verdict]) -> usize {
    page.blocks
        .iter()
        .zip(verdicts)
        .filter(|(_, verdict)| **verdict == content::Verdict::Keep)
        .map(|(block, _)| block.text.len())
        .sum()
}

/// Takes the JSON-LD article body instead of the extracted blocks when
/// those hold far less text: the page renders its article with scripts.
fn prefer_json_ld(blocks: &mut Vec<Block>, body: &str) {
    let kept: usize = blocks
        .iter()
        .filter(|b| b.is_kept())
        .map(|b| b.text.len())
        .sum();
    if (kept as f32) >= JSON_LD_SHARE * body.len() as f32 {
        return;
    }
    for block in blocks.iter_mut() {
        block.remove(
            "json_ld_body",
            "the page's JSON-LD articleBody holds the article",
        );
    }
    blocks.extend(
        body.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|line| Block::new(BlockKind::Paragraph, line)),
    );
}
