//! The library's error type. The pipeline fails only on limits the caller
//! set (or the defaults of [`Limits`](crate::Limits)) and on gzip input
//! that does not decompress; every other input, however broken, produces
//! an article.

/// Why the pipeline refused an input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The input is larger than [`Limits::max_input_bytes`](crate::Limits::max_input_bytes).
    #[error("input is {size} bytes, over the limit of {limit} bytes (raise max_input_bytes / --max-bytes)")]
    InputTooLarge {
        /// The input's size in bytes.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// A gzip-compressed input inflates to more than
    /// [`Limits::max_decompressed_bytes`](crate::Limits::max_decompressed_bytes).
    #[error("input inflates to more than {limit} bytes (raise max_decompressed_bytes / --max-decompressed-bytes)")]
    DecompressedTooLarge {
        /// The limit in force.
        limit: usize,
    },
    /// The input starts like gzip but does not decompress.
    #[error("input looks gzip-compressed but does not decompress: {message}")]
    Gzip {
        /// What the decompressor reported.
        message: String,
    },
    /// An HTML page nests elements deeper than
    /// [`Limits::max_dom_depth`](crate::Limits::max_dom_depth).
    #[error("HTML nests deeper than {limit} elements (raise max_dom_depth / --max-dom-depth)")]
    DomTooDeep {
        /// The limit in force.
        limit: usize,
    },
    /// The input splits into more blocks than [`Limits::max_blocks`](crate::Limits::max_blocks).
    #[error("input has more than {limit} blocks (raise max_blocks / --max-blocks)")]
    TooManyBlocks {
        /// The limit in force.
        limit: usize,
    },
}

/// Why a [`PipelineBuilder`](crate::PipelineBuilder) could not build.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// `before`, `after` or `without` named a stage the chain does not have.
    #[error("no stage named {name:?} in the chain (stages: {known})")]
    UnknownStage {
        /// The name asked for.
        name: String,
        /// The names the chain has, comma-separated.
        known: String,
    },
}
