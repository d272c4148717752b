//! Stage 4, strip: remove aggregator junk and page boilerplate, block by
//! block, each removal with a rule name and a reason.
//!
//! | stage | file | removes |
//! |---|---|---|
//! | `rules` | `rules.rs` + `rules.toml` | counters, media placeholders, credits, disclaimers, promos, share bars, comment chrome, tags; cuts fused metadata prefixes; moves bylines |
//! | `captions` | `captions.rs` | captions glued to paragraphs or standing alone |
//! | `dates` | `metadata.rs` | lines that are only a date (moved to the date field) |
//! | `tail` | `tail.rs` | everything after "Related Articles" or "Comments", and appended stories |
//! | `dedup` | `dedup.rs` | repeated blocks and repeats of the title |
//! | `boilerplate` | `classify.rs` | menus, footers, link lists in crude page text |
//!
//! Where is the view-counter rule? `rules.toml`, rule `counter`.

mod captions;
mod classify;
mod dedup;
mod features;
pub(crate) mod metadata;
mod rules;
mod tail;

pub use captions::Captions;
pub use classify::Boilerplate;
pub use dedup::Dedup;
pub(crate) use features::Memo;
pub use metadata::{parse_date, Dates};
pub use rules::{Action, RuleError, RuleMatch, RuleSet, RuleSpec, Rules, BUILTIN_RULES};
pub use tail::Tail;
