//! Repeated blocks: a caption printed twice, a teaser that the article
//! repeats in full, menus that appear at the top and the bottom of a page.
//!
//! - An exact repeat of prose: the first stays, the repeats go.
//! - An exact repeat of a short line that is not prose: every copy goes, as
//!   page chrome.
//! - A block whose word 4-grams mostly occur in a longer block: the shorter
//!   one goes (a teaser, a pull quote).
//! - A block that repeats the title goes.

use super::features::{measure, stop_words};
use crate::document::Document;
use crate::stage::Stage;
use rustc_hash::FxHashMap as HashMap;
use std::hash::{Hash, Hasher};

/// Share of a block's 4-grams found in a longer block that makes it a near repeat.
const CONTAINMENT: f64 = 0.8;
/// Blocks with fewer words are not compared for near repeats.
const MIN_WORDS: usize = 8;
/// How many blocks one 4-gram may point to before it is too common to use.
const MAX_POSTINGS: usize = 16;

/// The document stage that drops repeated blocks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dedup;

impl Stage for Dedup {
    fn name(&self) -> &str {
        "dedup"
    }

    fn apply(&self, doc: &mut Document) {
        drop_title_repeats(doc);
        drop_exact_repeats(doc);
        drop_near_repeats(doc);
    }
}

/// Lower-case letters and digits only, words separated by single spaces.
fn key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

fn drop_title_repeats(doc: &mut Document) {
    let Some(title) = doc.meta.title.as_deref().map(key).filter(|k| !k.is_empty()) else {
        return;
    };
    for block in doc.kept_mut() {
        if key(&block.text) == title {
            block.remove("title", "repeats the title");
        }
    }
}

fn drop_exact_repeats(doc: &mut Document) {
    let stop = stop_words(doc.meta.language.as_deref());
    let mut seen: HashMap<String, Vec<usize>> = HashMap::default();
    for (index, block) in doc.blocks.iter().enumerate().filter(|(_, b)| b.is_kept()) {
        let k = key(&block.text);
        if !k.is_empty() {
            seen.entry(k).or_default().push(index);
        }
    }
    let mut groups: Vec<Vec<usize>> = seen.into_values().filter(|v| v.len() > 1).collect();
    groups.sort_unstable_by_key(|v| v[0]);
    for indices in &groups {
        let first = &doc.blocks[indices[0]];
        if measure(&first.text, stop).is_prose() {
            for &i in &indices[1..] {
                doc.blocks[i].remove("duplicate", "repeats an earlier block");
            }
        } else {
            // A heading listed in a table of contents and again above its
            // section: the copy that introduces prose is the heading.
            let heading = indices
                .iter()
                .rev()
                .copied()
                .find(|&i| introduces_prose(doc, i, stop));
            for &i in indices.iter().filter(|&&i| Some(i) != heading) {
                doc.blocks[i].remove("duplicate", "repeated page chrome");
            }
        }
    }
}

/// True when the next kept block after `index` is prose.
fn introduces_prose(doc: &Document, index: usize, stop: &super::features::StopWords) -> bool {
    doc.blocks[index + 1..]
        .iter()
        .find(|b| b.is_kept())
        .is_some_and(|b| measure(&b.text, stop).is_prose())
}

fn shingles(text: &str) -> Vec<u64> {
    let k = key(text);
    let words: Vec<&str> = k.split(' ').collect();
    words
        .windows(4)
        .map(|w| {
            let mut hasher = rustc_hash::FxHasher::default();
            w.hash(&mut hasher);
            hasher.finish()
        })
        .collect()
}

fn drop_near_repeats(doc: &mut Document) {
    let candidates: Vec<(usize, Vec<u64>)> = doc
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| b.is_kept() && b.text.split_whitespace().count() >= MIN_WORDS)
        .map(|(i, b)| (i, shingles(&b.text)))
        .collect();
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::default();
    for (slot, (_, grams)) in candidates.iter().enumerate() {
        for &gram in grams {
            let list = postings.entry(gram).or_default();
            if list.len() < MAX_POSTINGS && list.last() != Some(&slot) {
                list.push(slot);
            }
        }
    }
    for (slot, (index, grams)) in candidates.iter().enumerate() {
        let mut shared: HashMap<usize, usize> = HashMap::default();
        for gram in grams {
            for &other in postings
                .get(gram)
                .into_iter()
                .flatten()
                .filter(|&&o| o != slot)
            {
                *shared.entry(other).or_default() += 1;
            }
        }
        let container = shared.iter().find(|(&other, &count)| {
            let longer = candidates[other].1.len() > grams.len()
                || (candidates[other].1.len() == grams.len() && other < slot);
            longer && count as f64 >= CONTAINMENT * grams.len() as f64
        });
        if container.is_some() {
            doc.blocks[*index].remove("duplicate", "repeated within a longer block");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, BlockKind};

    fn doc(lines: &[&str]) -> Document {
        Document {
            blocks: lines
                .iter()
                .map(|l| Block::new(BlockKind::Paragraph, *l))
                .collect(),
            ..Document::default()
        }
    }

    fn kept(doc: &Document) -> Vec<&str> {
        doc.kept().map(|b| b.text.as_str()).collect()
    }

    #[test]
    fn exact_chrome_goes_everywhere_and_prose_keeps_its_first() {
        let prose =
            "The council met on Tuesday and agreed to spend the money on the park, the mayor said.";
        let mut d = doc(&["Login", "Menu", prose, "Login"]);
        Dedup.apply(&mut d);
        assert_eq!(kept(&d), ["Menu", prose]);
    }

    #[test]
    fn a_heading_repeated_from_a_table_of_contents_keeps_the_copy_above_its_section() {
        let prose =
            "The council met on Tuesday and agreed to spend the money on the park, the mayor said.";
        let mut d = doc(&[
            "Contents",
            "Why it matters",
            "Intro sentence that is long enough to be prose, they said.",
            "Why it matters",
            prose,
        ]);
        Dedup.apply(&mut d);
        assert_eq!(kept(&d)[2..], ["Why it matters", prose]);
    }

    #[test]
    fn teaser_contained_in_a_later_paragraph_goes() {
        let teaser =
            "Trump wrote on Truth Social: Congratulations to both sides on these negotiations.";
        let full = "Referring to the swap, Trump, who had pressed the sides to meet, wrote on Truth Social: Congratulations to both sides on these negotiations. Could this lead to something big?";
        let mut d = doc(&[
            teaser,
            "Another paragraph that is entirely different from the rest here.",
            full,
        ]);
        Dedup.apply(&mut d);
        assert_eq!(kept(&d).len(), 2);
        assert!(!kept(&d).contains(&teaser));
    }
}
