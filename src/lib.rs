//! # thresh
//!
//! thresh separates the grain from the chaff: it takes what a scraper
//! produced, a raw page or text already extracted, and returns only the
//! article, with metadata and an audit of everything it removed and why.
//!
//! It works as a chain of stages:
//!
//! | stage | module | what it does |
//! |---|---|---|
//! | decode | [`decode`] | bytes to UTF-8: BOM, hint, declaration, valid UTF-8, guess |
//! | repair | [`repair`] | mojibake, entities, controls, invisibles, line breaks, NFC |
//! | structure | [`structure`] | text (or HTML) to a [`Document`] of typed [`Block`]s |
//! | strip | [`strip`] | junk and boilerplate removed block by block, each with a rule and reason |
//! | normalize | [`normalize`] | quotes, dashes, whitespace |
//! | emit | [`emit`] | text, JSON or JSONL |
//!
//! [`eval`] scores extracted text against gold with the benchmark metric of
//! `shared/eval/score.py`.
//!
//! ```
//! use thresh::Pipeline;
//!
//! let pipeline = Pipeline::default();
//! let article = pipeline.clean("Prisoners Freed in Swap\n\nIt\u{e2}\u{20ac}\u{2122}s “a first step”.").unwrap();
//! assert_eq!(article.meta().title.as_deref(), Some("Prisoners Freed in Swap"));
//! assert_eq!(article.text(), "It's \"a first step\".");
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod article;
pub mod batch;
mod chars;
pub mod decode;
mod document;
pub mod emit;
mod error;
pub mod eval;
#[doc(hidden)]
pub mod fuzzing;
mod input;
pub mod limits;
pub mod normalize;
mod pipeline;
pub mod repair;
mod stage;
pub mod strip;
pub mod structure;

pub use article::{Article, Removed, Stats};
pub use document::{
    Block, BlockKind, Document, Edge, EncodingSource, Metadata, Removal, RuleName, Trim,
};
pub use error::{BuildError, Error};
pub use input::{Input, InputKind};
pub use pipeline::{Fixed, Limits, Pipeline, PipelineBuilder};
pub use stage::Stage;
pub use structure::Favor;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
