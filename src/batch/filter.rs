//! Which files a directory walk picks up: glob patterns, and never the
//! temporary files of an atomic write.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::Path;

/// The patterns a walk uses unless told otherwise: the page and text
/// extensions, plain and gzipped.
pub const DEFAULT_GLOBS: &[&str] = &[
    "*.html",
    "*.htm",
    "*.txt",
    "*.xhtml",
    "*.html.gz",
    "*.htm.gz",
    "*.txt.gz",
    "*.xhtml.gz",
];

/// A set of glob patterns matched against paths relative to the input
/// directory, ignoring case. `*` also crosses `/`, so `*.txt` matches at any
/// depth; `news/**/*.txt` restricts to a subtree.
///
/// ```
/// use std::path::Path;
/// use thresh::batch::Filter;
/// let filter = Filter::default();
/// assert!(filter.matches(Path::new("news/a.HTML")));
/// assert!(filter.matches(Path::new("a.txt.gz")));
/// assert!(!filter.matches(Path::new("a.png")));
/// assert!(!filter.matches(Path::new(".a.txt.x1Yz9q.tmp")));
/// let only_news = Filter::new(&["news/**/*.txt"]).unwrap();
/// assert!(only_news.matches(Path::new("news/2024/a.txt")));
/// assert!(!only_news.matches(Path::new("blog/a.txt")));
/// ```
#[derive(Debug, Clone)]
pub struct Filter {
    set: GlobSet,
}

impl Filter {
    /// A filter from patterns, or the pattern that does not parse.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Filter, globset::Error> {
        let mut set = GlobSetBuilder::new();
        for pattern in patterns {
            set.add(
                GlobBuilder::new(pattern.as_ref())
                    .case_insensitive(true)
                    .build()?,
            );
        }
        Ok(Filter { set: set.build()? })
    }

    /// True when `relative` matches a pattern and is not a temporary file.
    pub fn matches(&self, relative: &Path) -> bool {
        let temp = relative
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(is_temp_name);
        !temp && self.set.is_match(relative)
    }
}

impl Default for Filter {
    fn default() -> Self {
        Filter::new(DEFAULT_GLOBS).expect("the default patterns parse")
    }
}

/// True for the hidden `.<name>.<random>.tmp` files that
/// [`write_atomic`](crate::batch::write_atomic) writes before renaming, so
/// they are never taken for inputs or outputs.
///
/// ```
/// use thresh::batch::is_temp_name;
/// assert!(is_temp_name(".a.txt.Xy12ab.tmp"));
/// assert!(!is_temp_name("a.txt"));
/// assert!(!is_temp_name(".hidden.tmp"));
/// ```
pub fn is_temp_name(name: &str) -> bool {
    let Some(middle) = name
        .strip_prefix('.')
        .and_then(|rest| rest.strip_suffix(".tmp"))
    else {
        return false;
    };
    match middle.rsplit_once('.') {
        Some((stem, random)) => {
            !stem.is_empty()
                && random.len() == super::write::TEMP_RANDOM_LEN
                && random.bytes().all(|b| b.is_ascii_alphanumeric())
        }
        None => false,
    }
}
