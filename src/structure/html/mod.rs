//! HTML input: what the page says about itself, and (merged separately) its article.
#[allow(dead_code)] // used by extraction, merged separately
pub(crate) mod meta;
