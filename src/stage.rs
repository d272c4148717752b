//! The trait every document stage implements.

use crate::document::Document;

/// One step of the document chain: strip rules, normalization, or your own.
///
/// Stages are shared across threads and reused for every document, so they
/// take `&self` and keep per-document state on the stack. A stage that drops
/// text marks blocks with [`Block::remove`](crate::Block::remove) instead of
/// deleting them, so the audit can show what went and why.
///
/// ```
/// use thresh::{Document, Pipeline, Stage};
///
/// /// Drops blocks that shout.
/// struct NoShouting;
///
/// impl Stage for NoShouting {
///     fn name(&self) -> &str {
///         "no_shouting"
///     }
///     fn apply(&self, doc: &mut Document) {
///         for block in doc.kept_mut() {
///             if block.text.len() > 3 && block.text.chars().all(|c| !c.is_lowercase()) {
///                 block.remove("no_shouting", "all capitals");
///             }
///         }
///     }
/// }
///
/// let pipeline = Pipeline::builder().with(NoShouting).build().unwrap();
/// let article = pipeline.clean("A calm first line.\n\nBUY NOW!!!\n\nA calm last line.").unwrap();
/// assert_eq!(article.text(), "A calm first line.\n\nA calm last line.");
/// assert_eq!(article.removed().next().unwrap().rule, "no_shouting");
/// ```
pub trait Stage: Send + Sync {
    /// A short, unique, snake_case name; the builder finds stages by it.
    fn name(&self) -> &str;
    /// Reads and edits the document.
    fn apply(&self, doc: &mut Document);
}
