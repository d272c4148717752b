//! The article-extraction metric of `shared/eval/score.py` (the ScrapingHub
//! article-extraction benchmark's), ported so that Rust and Python give the
//! same numbers for the same texts.
//!
//! A text becomes tokens (maximal runs of word characters, as Python's
//! `\w+`), the tokens become a multiset of 4-token shingles, and a document
//! scores by how many of its predicted shingles are also gold ones.
//! Precision and recall are averaged over documents, and F1 is the harmonic
//! mean of the two averages.
//!
//! ```
//! use std::collections::BTreeMap;
//! use thresh::eval::score;
//!
//! let gold = BTreeMap::from([("a".to_string(), "one two three four five".to_string())]);
//! let pred = BTreeMap::from([("a".to_string(), "One! two three four".to_string())]);
//! let scores = score(&gold, &pred);
//! // Gold has shingles (one two three four) and (two three four five); the
//! // prediction's only shingle starts with "One", which is not "one".
//! assert_eq!((scores.precision, scores.recall), (0.0, 0.0));
//! assert_eq!(scores.docs, 1);
//! ```

use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use unicode_general_category::{get_general_category, GeneralCategory};

/// Tokens per shingle.
const NGRAM: usize = 4;

/// Fills the unused slots of a short text's single shingle. Token ids count
/// up from zero, so no real token gets it, and a padded shingle never equals
/// a full one, as a shorter Python tuple never equals a longer one.
const PAD: u32 = u32::MAX;

/// A shingle as the ids of its tokens.
type Shingle = [u32; NGRAM];

/// Whether Python's `re` counts `c` as a word character (`\w` on `str`):
/// `str.isalnum()` or `_`.
///
/// `isalnum` is true exactly for the letter (L*) and number (N*) general
/// categories: every character with a numeric value is in one of them.
/// Combining marks are not word characters, unlike Rust's `\w`.
///
/// ```
/// use thresh::eval::is_word_char;
/// assert!(is_word_char('é') && is_word_char('_') && is_word_char('½') && is_word_char('三'));
/// assert!(!is_word_char('\u{93f}')); // DEVANAGARI VOWEL SIGN I, a combining mark
/// assert!(!is_word_char('-'));
/// ```
pub fn is_word_char(c: char) -> bool {
    use GeneralCategory::*;
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    matches!(
        get_general_category(c),
        UppercaseLetter
            | LowercaseLetter
            | TitlecaseLetter
            | ModifierLetter
            | OtherLetter
            | DecimalNumber
            | LetterNumber
            | OtherNumber
    )
}

/// The text's tokens: maximal runs of [word characters](is_word_char), case kept.
///
/// ```
/// use thresh::eval::tokenize;
/// assert_eq!(tokenize("It's 3½ km—far_away"), ["It", "s", "3½", "km", "far_away"]);
/// assert_eq!(tokenize("हिन्दी"), ["ह", "न", "द"]); // as Python splits it
/// ```
pub fn tokenize(text: &str) -> Vec<&str> {
    text.split(|c: char| !is_word_char(c))
        .filter(|token| !token.is_empty())
        .collect()
}

/// One document's score. Precision is `None` for an empty prediction and
/// recall `None` for an empty gold text, as neither has a denominator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocScore {
    /// The document's id; empty from [`score_doc`].
    pub id: String,
    /// Shared shingles over predicted shingles.
    pub precision: Option<f64>,
    /// Shared shingles over gold shingles.
    pub recall: Option<f64>,
    /// The harmonic mean of precision and recall, where both exist.
    pub f1: Option<f64>,
    /// Shingles in both (counted as a multiset).
    pub tp: usize,
    /// Predicted shingles that gold lacks.
    pub fp: usize,
    /// Gold shingles that the prediction lacks.
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// Whether the two token sequences are equal.
    pub exact: bool,
}

impl DocScore {
    /// A score from shingle counts, with precision, recall and F1 derived.
    ///
    /// ```
    /// use thresh::eval::DocScore;
    /// let doc = DocScore::from_counts("a", 3, 1, 0, false);
    /// assert_eq!((doc.precision, doc.recall, doc.f1), (Some(0.75), Some(1.0), Some(1.5 / 1.75)));
    /// assert_eq!(DocScore::from_counts("b", 0, 0, 2, false).precision, None);
    /// ```
    pub fn from_counts(id: &str, tp: usize, fp: usize, fn_: usize, exact: bool) -> DocScore {
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        let f1 = precision.zip(recall).map(|(p, r)| harmonic_mean(p, r));
        DocScore {
            id: id.to_owned(),
            precision,
            recall,
            f1,
            tp,
            fp,
            fn_,
            exact,
        }
    }
}

fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn harmonic_mean(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// A corpus's scores: macro averages over documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// Mean precision over the documents with a non-empty prediction (0 if none).
    pub precision: f64,
    /// Mean recall over the documents with a non-empty gold text (0 if none).
    pub recall: f64,
    /// The harmonic mean of `precision` and `recall` (not a mean of per-document F1s).
    pub f1: f64,
    /// The fraction of documents whose token sequence equals gold's.
    pub accuracy: f64,
    /// How many documents were scored.
    pub docs: usize,
    /// Each document's score, in the order given.
    pub per_doc: Vec<DocScore>,
}

impl Scores {
    /// Averages per-document scores, for callers that score documents
    /// themselves (in parallel, say).
    ///
    /// ```
    /// use thresh::eval::{score_doc, Scores};
    /// let scores = Scores::from_docs(vec![score_doc("a b c d", "a b c d"), score_doc("x y", "")]);
    /// assert_eq!((scores.precision, scores.recall, scores.accuracy), (1.0, 0.5, 0.5));
    /// ```
    pub fn from_docs(per_doc: Vec<DocScore>) -> Scores {
        let precision = mean(per_doc.iter().filter_map(|d| d.precision));
        let recall = mean(per_doc.iter().filter_map(|d| d.recall));
        let exact = per_doc.iter().map(|d| if d.exact { 1.0 } else { 0.0 });
        Scores {
            precision,
            recall,
            f1: harmonic_mean(precision, recall),
            accuracy: mean(exact),
            docs: per_doc.len(),
            per_doc,
        }
    }
}

/// Python's `statistics.fmean`: the correctly rounded sum over the count,
/// so that averages agree with score.py to the last bit.
fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let mut partials = Vec::new();
    let mut n = 0usize;
    for value in values {
        add_exact(&mut partials, value);
        n += 1;
    }
    if n == 0 {
        0.0
    } else {
        round_exact(&partials) / n as f64
    }
}

/// Adds `x` to a sum kept exactly as non-overlapping partials, smallest
/// first (Shewchuk's algorithm, as in Python's `math.fsum`).
fn add_exact(partials: &mut Vec<f64>, mut x: f64) {
    let mut kept = 0;
    for i in 0..partials.len() {
        let mut y = partials[i];
        if x.abs() < y.abs() {
            std::mem::swap(&mut x, &mut y);
        }
        let hi = x + y;
        let lo = y - (hi - x);
        if lo != 0.0 {
            partials[kept] = lo;
            kept += 1;
        }
        x = hi;
    }
    partials.truncate(kept);
    if x != 0.0 {
        partials.push(x);
    }
}

/// The partials' sum rounded once, half to even, as `math.fsum` rounds it.
fn round_exact(partials: &[f64]) -> f64 {
    let Some((&top, rest)) = partials.split_last() else {
        return 0.0;
    };
    let (mut hi, mut lo, mut n) = (top, 0.0, rest.len());
    while n > 0 {
        let x = hi;
        n -= 1;
        hi = x + partials[n];
        lo = partials[n] - (hi - x);
        if lo != 0.0 {
            break;
        }
    }
    if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
        let y = lo * 2.0;
        let x = hi + y;
        if y == x - hi {
            hi = x;
        }
    }
    hi
}

/// Scores one prediction against its gold text.
///
/// ```
/// use thresh::eval::score_doc;
/// let doc = score_doc("a b c d e", "a b c d x");
/// assert_eq!((doc.tp, doc.fp, doc.fn_), (1, 1, 1));
/// assert_eq!(doc.f1, Some(0.5));
/// let short = score_doc("Hello world", "hello world");
/// assert_eq!((short.tp, short.fp, short.fn_), (0, 1, 1));
/// ```
pub fn score_doc(gold: &str, pred: &str) -> DocScore {
    let (gold_tokens, pred_tokens) = (tokenize(gold), tokenize(pred));
    let mut vocab = Vocab::default();
    let gold_shingles = shingles(&vocab.ids(&gold_tokens));
    let pred_shingles = shingles(&vocab.ids(&pred_tokens));
    let tp = overlap(&gold_shingles, &pred_shingles);
    let fp = pred_shingles.len() - tp;
    let fn_ = gold_shingles.len() - tp;
    DocScore::from_counts("", tp, fp, fn_, gold_tokens == pred_tokens)
}

/// Scores every gold document; a missing prediction counts as empty, and
/// predictions for ids gold lacks are ignored.
///
/// ```
/// use std::collections::BTreeMap;
/// use thresh::eval::score;
/// let gold = BTreeMap::from([
///     ("a".to_string(), "one two three four".to_string()),
///     ("b".to_string(), "five six".to_string()),
/// ]);
/// let pred = BTreeMap::from([("a".to_string(), "one two three four".to_string())]);
/// let scores = score(&gold, &pred);
/// assert_eq!((scores.precision, scores.recall, scores.accuracy), (1.0, 0.5, 0.5));
/// assert_eq!(scores.per_doc[1].id, "b");
/// ```
pub fn score(gold: &BTreeMap<String, String>, pred: &BTreeMap<String, String>) -> Scores {
    let per_doc = gold
        .iter()
        .map(|(id, text)| {
            let predicted = pred.get(id).map_or("", String::as_str);
            DocScore {
                id: id.clone(),
                ..score_doc(text, predicted)
            }
        })
        .collect();
    Scores::from_docs(per_doc)
}

/// Numbers a document pair's distinct tokens, so shingles compare as
/// integers yet exactly as the strings would.
#[derive(Default)]
struct Vocab<'t>(FxHashMap<&'t str, u32>);

impl<'t> Vocab<'t> {
    fn ids(&mut self, tokens: &[&'t str]) -> Vec<u32> {
        tokens
            .iter()
            .map(|token| {
                let next = self.0.len() as u32;
                *self.0.entry(token).or_insert(next)
            })
            .collect()
    }
}

fn shingles(ids: &[u32]) -> Vec<Shingle> {
    match ids.len() {
        0 => Vec::new(),
        n if n < NGRAM => {
            let mut shingle = [PAD; NGRAM];
            shingle[..n].copy_from_slice(ids);
            vec![shingle]
        }
        _ => ids
            .windows(NGRAM)
            .map(|w| [w[0], w[1], w[2], w[3]])
            .collect(),
    }
}

/// The size of the multiset intersection.
fn overlap(gold: &[Shingle], pred: &[Shingle]) -> usize {
    let mut left = FxHashMap::<Shingle, usize>::default();
    left.reserve(gold.len());
    for shingle in gold {
        *left.entry(*shingle).or_default() += 1;
    }
    pred.iter()
        .filter(|shingle| match left.get_mut(*shingle) {
            Some(count) if *count > 0 => {
                *count -= 1;
                true
            }
            _ => false,
        })
        .count()
}

/// Why gold texts could not be loaded. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    /// The file could not be read.
    #[error("{}: {cause}", path.display())]
    Read {
        /// The gold file.
        path: PathBuf,
        /// The I/O error.
        cause: std::io::Error,
    },
    /// The file is not JSON, or not an object of objects.
    #[error("{}: {cause}", path.display())]
    Parse {
        /// The gold file.
        path: PathBuf,
        /// What is wrong with it.
        cause: String,
    },
}

/// Reads gold texts, `{"<id>": {"articleBody": "..."}}`, from a dataset
/// directory's `gold.json` or from a JSON file named directly. A null or
/// missing `articleBody`, or a null entry, is an empty text; a bare string
/// entry is the text itself.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("gold.json"), r#"{"a": {"articleBody": "Hi.", "url": "u"}}"#).unwrap();
/// let gold = thresh::eval::load_gold(dir.path()).unwrap();
/// assert_eq!(gold["a"], "Hi.");
/// let error = thresh::eval::load_gold(&dir.path().join("nope")).unwrap_err();
/// assert!(error.to_string().contains("nope"));
/// ```
pub fn load_gold(dataset: &Path) -> Result<BTreeMap<String, String>, GoldError> {
    let path = if dataset.is_dir() {
        dataset.join("gold.json")
    } else {
        dataset.to_path_buf()
    };
    let bytes = std::fs::read(&path).map_err(|cause| GoldError::Read {
        path: path.clone(),
        cause,
    })?;
    parse_gold(&bytes).map_err(|cause| GoldError::Parse { path, cause })
}

fn parse_gold(bytes: &[u8]) -> Result<BTreeMap<String, String>, String> {
    use serde_json::Value;
    let entries: BTreeMap<String, Value> =
        serde_json::from_slice(bytes).map_err(|e| format!("not a JSON object of entries: {e}"))?;
    if is_snippet_gold(&entries) {
        return Err("snippet gold (\"with\"/\"without\" lists) is not supported".into());
    }
    entries
        .into_iter()
        .map(|(id, entry)| {
            let body = match &entry {
                Value::Object(fields) => fields.get("articleBody").unwrap_or(&Value::Null),
                other => other,
            };
            match body {
                Value::String(text) => Ok((id, text.clone())),
                Value::Null => Ok((id, String::new())),
                _ => Err(format!("{id:?}: articleBody is neither a string nor null")),
            }
        })
        .collect()
}

/// Gold of the trafilatura corpus, which score.py scores with another metric.
fn is_snippet_gold(entries: &BTreeMap<String, serde_json::Value>) -> bool {
    !entries.is_empty()
        && entries.values().all(|entry| {
            entry.as_object().is_some_and(|fields| {
                !fields.contains_key("articleBody") && fields.contains_key("with")
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sums whose naive value differs from the correctly rounded one; the
    /// expected values are Python's `math.fsum`.
    #[test]
    fn sums_round_as_python_fsum() {
        let sum = |values: &[f64]| {
            let mut partials = Vec::new();
            values.iter().for_each(|&v| add_exact(&mut partials, v));
            round_exact(&partials)
        };
        assert_eq!(sum(&[0.1; 10]), 1.0);
        let cancelling = [1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50];
        assert_eq!(sum(&cancelling), 1e-100);
        assert_eq!(sum(&[1.0, 1e-16, 1e-16]), 1.0000000000000002);
        assert_eq!(
            sum(&[1.0, 2f64.powi(-53), 2f64.powi(-106)]),
            1.0000000000000002
        );
        assert_eq!(sum(&[1.0, 2f64.powi(-53)]), 1.0);
        assert_eq!(mean(std::iter::empty()), 0.0);
    }

    #[test]
    fn short_texts_make_one_shingle_and_empty_none() {
        assert_eq!(shingles(&[]), Vec::<Shingle>::new());
        assert_eq!(shingles(&[7, 8]), vec![[7, 8, PAD, PAD]]);
        assert_eq!(shingles(&[1, 2, 3, 4, 5]), vec![[1, 2, 3, 4], [2, 3, 4, 5]]);
    }
}
