//! The end of a scraped article is where other stories and comment
//! sections get appended. Two signals end the article:
//!
//! - a header such as "Related Articles" or "Comments" (a `tail` rule in the
//!   table): it and everything after it go;
//! - an appended story with no header: a source line ("The Mainichi"), a
//!   time line ("3 hours ago") and a new headline, then an unrelated story.
//!   A segment that opens with a time or date line goes; a segment that opens
//!   with only a headline goes when its words drift away from the lead's,
//!   except in what extraction kept of an HTML page, where it is a later
//!   section of the article.
//!
//! Both only fire after enough article text, so a related-links box above
//! the article cannot swallow it.

use super::features::{stop_words, Features};
use super::rules::RuleSet;
use crate::chars::is_unspaced;
use crate::document::{Block, Document, RuleName};
use crate::stage::Stage;
use regex::Regex;
use rustc_hash::FxHashMap as HashMap;
use std::sync::{Arc, OnceLock};

/// Prose words that must precede a tail before it may be cut.
const MIN_WORDS_BEFORE: usize = 40;
/// ... and the share of all prose words they must be, unless there are this many.
const MIN_SHARE_BEFORE: f64 = 0.2;
const ENOUGH_WORDS_BEFORE: usize = 250;
/// The most short lines (source, time, headline...) that can open an appended story.
const MAX_HEADER_LINES: usize = 4;
/// Words from the start of the article that define its topic.
const LEAD_WORDS: usize = 150;
/// Below this similarity to the lead, a segment under a source, a date and a
/// headline is another story.
const DRIFT_SIMILARITY: f64 = 0.02;
/// A segment under a "3 hours ago" time line is another story unless it is
/// nearly the same text as the lead.
const MARKED_SIMILARITY: f64 = 0.5;
/// A segment needs this many distinct content words to be compared.
const MIN_PROFILE_WORDS: usize = 8;

/// The document stage that cuts appended stories and comment sections.
#[derive(Debug, Clone)]
pub struct Tail {
    rules: Arc<RuleSet>,
}

impl Tail {
    /// The stage, using the `tail` rules of a table for headers.
    pub fn new(rules: Arc<RuleSet>) -> Self {
        Tail { rules }
    }
}

impl Stage for Tail {
    fn name(&self) -> &str {
        "tail"
    }

    fn apply(&self, doc: &mut Document) {
        let features = super::features::block_features(doc);
        let prose = ProseCount::new(&doc.blocks, &features);
        self.cut_at_headers(doc, &prose);
        self.cut_link_lists(doc, &features, &prose);
        cut_appended_stories(doc, &features, &prose);
    }
}

/// Running totals of prose words, to ask "is there enough article before here?".
struct ProseCount {
    before: Vec<usize>,
    total: usize,
}

impl ProseCount {
    fn new(blocks: &[Block], features: &[Features]) -> Self {
        let mut before = Vec::with_capacity(blocks.len());
        let mut total = 0;
        for (block, f) in blocks.iter().zip(features) {
            before.push(total);
            if block.is_kept() && f.is_prose() {
                total += f.words;
            }
        }
        ProseCount { before, total }
    }

    fn after(&self, index: usize) -> usize {
        self.total - self.before[index]
    }

    fn article_precedes(&self, index: usize) -> bool {
        let before = self.before[index];
        before >= MIN_WORDS_BEFORE
            && (before >= ENOUGH_WORDS_BEFORE
                || before as f64 >= MIN_SHARE_BEFORE * self.total as f64)
    }
}

impl Tail {
    /// A header opens a tail even when a rule already dropped it as chrome
    /// ("Comments"), but not when HTML extraction left it out: a related
    /// box inside the article, or a heading outside it, was dealt with.
    fn cut_at_headers(&self, doc: &mut Document, prose: &ProseCount) {
        let start = (0..doc.blocks.len()).find(|&index| {
            let block = &doc.blocks[index];
            !left_out_by_extraction(block)
                && self.rules.tail_match(&block.text).is_some()
                && prose.article_precedes(index)
        });
        let Some(start) = start else {
            return;
        };
        // Each later header opens its own segment, so the audit says which
        // header a removed block stood under.
        let mut current: Option<(RuleName, String)> = None;
        for block in &mut doc.blocks[start..] {
            if left_out_by_extraction(block) {
                continue;
            }
            if let Some(rule) = self.rules.tail_match(&block.text) {
                current = Some((rule.name.clone().into(), rule.reason.clone()));
            }
            if let Some((name, reason)) = &current {
                block.remove(name.clone(), reason.clone());
            }
        }
    }
}

impl Tail {
    /// A weak label such as "Read more" ends the article only when nothing
    /// but short lines (link titles) follows it.
    fn cut_link_lists(&self, doc: &mut Document, features: &[Features], prose: &ProseCount) {
        // Found once: asking "is there prose after here?" of every block
        // would make the stage quadratic in the number of blocks.
        let last_prose = (0..doc.blocks.len())
            .rev()
            .find(|&i| doc.blocks[i].is_kept() && features[i].is_prose());
        let label = (0..doc.blocks.len()).find(|&index| {
            let rest_is_links = !matches!(last_prose, Some(last) if last > index);
            rest_is_links
                && prose.article_precedes(index)
                && self.rules.label_match(&doc.blocks[index].text).is_some()
        });
        let Some(start) = label else {
            return;
        };
        for block in &mut doc.blocks[start..] {
            block.remove(
                "related_tail",
                "a label and a list of links to other stories",
            );
        }
    }
}

/// Lines that say when or where a story was published: they open an appended story.
fn story_marker() -> Option<&'static Regex> {
    static MARKER: OnceLock<Option<Regex>> = OnceLock::new();
    MARKER
        .get_or_init(|| {
            Regex::new(concat!(
                r"(?i)^\W*(?:(?:updated|published|posted)\s*:?\s*)?(?:",
                r"\d+\s*(?:min(?:ute)?s?|h|hrs?|hours?|days?|weeks?|months?)\s+ago",
                r"|(?:an?|one)\s+(?:minute|hour|day|week)\s+ago|just now|yesterday|today",
                r"|vor\s+\d+\s+(?:minuten|stunden?|tagen?)|gestern|heute",
                r"|il y a\s+\d+\s+(?:minutes?|heures?|jours?)|hier|aujourd'hui",
                r"|hace\s+\d+\s+(?:minutos?|horas?|días?)|ayer|hoy",
                r"|há\s+\d+\s+(?:minutos?|horas?|dias?)|ontem|hoje",
                r"|\d+\s+(?:minuti|ore|giorni)\s+fa|ieri|oggi",
                r"|\d+\s+(?:минут[уы]?|час(?:а|ов)?|дн(?:я|ей)|день)\s+назад|вчера|сегодня",
                r"|\d+\s*(?:分钟|小时|个小时|天)前|刚刚|昨天|今天|\d+\s*(?:分|時間|日)前|昨日|今日",
                r")\W*$"
            ))
            .ok()
        })
        .as_ref()
}

/// "3 hours ago" and its kin: the time line of an aggregator's story card.
fn is_relative_time(text: &str) -> bool {
    story_marker().is_some_and(|re| re.is_match(text))
}

/// Cuts every segment after the first appended story found.
fn cut_appended_stories(doc: &mut Document, features: &[Features], prose: &ProseCount) {
    let kept: Vec<usize> = (0..doc.blocks.len())
        .filter(|&i| doc.blocks[i].is_kept())
        .collect();
    // The lead is the first prose words before the first candidate: every
    // later candidate has at least as much article before it.
    let mut lead: Option<Profile> = None;
    let extracted = doc.is_extracted();
    for (k, &index) in kept.iter().enumerate() {
        if !prose.article_precedes(index) || features[index].is_prose() {
            continue;
        }
        let opener = &kept[k..];
        let Some(first_prose) = opener
            .iter()
            .take(MAX_HEADER_LINES + 1)
            .position(|&i| features[i].is_prose())
        else {
            continue;
        };
        if first_prose == 0 {
            continue;
        }
        let header = &opener[..first_prose];
        let relative_time = header
            .iter()
            .any(|&i| is_relative_time(&doc.blocks[i].text));
        // A date line is weaker evidence than "3 hours ago": forum posts and
        // article updates carry dates too, so it only opens the drift test.
        let marked = relative_time;
        // Without a time line, a segment followed by more prose than
        // precedes it is more likely the article after a block of teasers.
        // In what extraction kept of an HTML page, it is a later section
        // of the article: extraction left the page's other stories out,
        // and a long article's sections drift from its lead.
        if !marked && (extracted || header.len() < 3 || prose.after(index) > prose.before[index]) {
            continue;
        }
        let lead = lead.get_or_insert_with(|| lead_profile(doc, &kept[..k], features));
        let similarity = similarity_to_lead(doc, &opener[first_prose..], features, lead);
        let reason = if marked && similarity < MARKED_SIMILARITY {
            "appended story (source or time line, then a new headline)"
        } else if !marked && similarity < DRIFT_SIMILARITY {
            "appended story on another topic"
        } else {
            continue;
        };
        for &i in opener {
            doc.blocks[i].remove("drift_tail", reason);
        }
        return;
    }
}

/// Counts of a text's terms, each term known by its hash: a profile only
/// meets others in [`cosine`], where a 64-bit collision is as good as
/// impossible, and no term is ever read back.
type Profile = HashMap<u64, usize>;

/// Word counts of the article's first prose words.
fn lead_profile(doc: &Document, kept: &[usize], features: &[Features]) -> Profile {
    let mut profile = Profile::default();
    let mut words = 0;
    for &i in kept.iter().filter(|&&i| features[i].is_prose()) {
        for_each_term(&doc.blocks[i].text, doc.meta.language.as_deref(), |term| {
            *profile.entry(term_hash(term)).or_insert(0) += 1;
            words += 1;
        });
        if words >= LEAD_WORDS {
            break;
        }
    }
    profile
}

fn term_hash(term: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(term)
}

/// Calls `term` with each term a topic is compared by: content words in
/// lower case, or, in scripts written without spaces (Chinese, Japanese,
/// Thai), pairs of characters. A run of such a script between punctuation
/// is a whole clause, and as one "word" it would never recur, so every CJK
/// article would look off-topic to itself.
fn for_each_term(text: &str, language: Option<&str>, mut term: impl FnMut(&str)) {
    let stop = stop_words(language);
    let mut lower = String::new();
    let mut pair = String::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_ascii() {
            // No ASCII character is unspaced, and each is one character.
            if word.len() > 2 {
                lower.clear();
                lower.push_str(word);
                lower.make_ascii_lowercase();
                if !stop.contains(lower.as_str()) {
                    term(&lower);
                }
            }
        } else if word.chars().any(is_unspaced) {
            let chars: Vec<char> = word.chars().collect();
            for two in chars.windows(2) {
                pair.clear();
                pair.extend(two);
                term(&pair);
            }
        } else if word.chars().count() > 2 {
            lower.clear();
            lower.push_str(&word.to_lowercase());
            if !stop.contains(lower.as_str()) {
                term(&lower);
            }
        }
    }
}

/// The cosine similarity of the segment's first prose to the lead, or 1
/// when the segment has too few words to judge.
fn similarity_to_lead(
    doc: &Document,
    segment: &[usize],
    features: &[Features],
    lead: &Profile,
) -> f64 {
    let mut profile = Profile::default();
    for &i in segment.iter().filter(|&&i| features[i].is_prose()).take(3) {
        for_each_term(&doc.blocks[i].text, doc.meta.language.as_deref(), |term| {
            *profile.entry(term_hash(term)).or_insert(0) += 1;
        });
    }
    if profile.len() < MIN_PROFILE_WORDS {
        return 1.0;
    }
    cosine(lead, &profile)
}

fn cosine(a: &Profile, b: &Profile) -> f64 {
    let dot: f64 = a
        .iter()
        .filter_map(|(w, x)| b.get(w).map(|y| (*x * *y) as f64))
        .sum();
    let norm = |m: &Profile| m.values().map(|v| (*v * *v) as f64).sum::<f64>().sqrt();
    let denominator = norm(a) * norm(b);
    if denominator == 0.0 {
        0.0
    } else {
        dot / denominator
    }
}

/// True for a block HTML extraction left out of the article.
fn left_out_by_extraction(block: &Block) -> bool {
    block
        .removed
        .as_ref()
        .is_some_and(|removal| crate::structure::is_extraction_rule(&removal.rule))
}
