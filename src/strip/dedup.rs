//! Repeated blocks: a caption printed twice, a teaser that the article
//! repeats in full, menus that appear at the top and the bottom of a page.
//!
//! - An exact repeat of prose: the first stays, the repeats go.
//! - An exact repeat of a short line that is not prose: every copy goes, as
//!   page chrome; except in what extraction kept of an HTML page, which
//!   has left the page's chrome out already: there, a repeated table
//!   cell, list item or label is the article's own.
//! - A block whose word 4-grams mostly occur in a longer block: the shorter
//!   one goes (a teaser, a pull quote).
//! - A block that repeats the title goes.

use super::features::Features;
use crate::document::Document;
use crate::stage::Stage;
use regex::Regex;
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// Share of a block's 4-grams found in a longer block that makes it a near repeat.
const CONTAINMENT: f64 = 0.8;
/// Blocks with fewer words are not compared for near repeats.
const MIN_WORDS: usize = 8;

/// The document stage that drops repeated blocks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dedup;

impl Stage for Dedup {
    fn name(&self) -> &str {
        "dedup"
    }

    fn apply(&self, doc: &mut Document) {
        let prints = Fingerprints::of(doc);
        let features = super::features::block_features(doc);
        drop_title_repeats(doc, &prints);
        drop_exact_repeats(doc, &prints, &features);
        drop_near_repeats(doc, &prints);
    }
}

/// What repeat finding compares, for every kept block, computed in one
/// pass over its text without building the key itself. A block's key is
/// its lower-case letters and digits, words separated by single spaces:
/// blocks with equal keys are exact repeats, and blocks sharing word
/// 4-grams of their keys are near repeats.
struct Fingerprints {
    /// Each block's key, hashed; `None` for a removed block or an empty key.
    keys: Vec<Option<u128>>,
    /// The hashes of every block's key words, block after block.
    words: Vec<u64>,
    /// Each block's range in `words`.
    spans: Vec<std::ops::Range<usize>>,
}

impl Fingerprints {
    fn of(doc: &Document) -> Fingerprints {
        let mut prints = Fingerprints {
            keys: Vec::with_capacity(doc.blocks.len()),
            words: Vec::new(),
            spans: Vec::with_capacity(doc.blocks.len()),
        };
        for block in &doc.blocks {
            let start = prints.words.len();
            if block.is_kept() {
                key_words(&block.text, |word| prints.words.push(word));
            }
            let words = &prints.words[start..];
            prints
                .keys
                .push((!words.is_empty()).then(|| key_hash(words)));
            prints.spans.push(start..prints.words.len());
        }
        prints
    }

    fn words(&self, index: usize) -> &[u64] {
        &self.words[self.spans[index].clone()]
    }
}

const WORD_SEED: u64 = 0x51_7CC1_B727_220A;

fn word_step(hash: u64, byte: u8) -> u64 {
    (hash.rotate_left(5) ^ u64::from(byte)).wrapping_mul(0x517C_C1B7_2722_0A95)
}

/// Calls `found` with the hash of each word of the text's key: each run
/// of letters and digits, lower-cased. Byte by byte through ASCII, which
/// is most of any Latin-script text; a character at a time, through the
/// Unicode tables, elsewhere.
fn key_words(text: &str, mut found: impl FnMut(u64)) {
    let bytes = text.as_bytes();
    let mut hash = WORD_SEED;
    let mut in_word = false;
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b.is_ascii() {
            at += 1;
            if b.is_ascii_alphanumeric() {
                hash = word_step(hash, b.to_ascii_lowercase());
                in_word = true;
                continue;
            }
        } else if let Some(c) = text[at..].chars().next() {
            at += c.len_utf8();
            if c.is_alphanumeric() {
                let mut buf = [0u8; 4];
                for lower in c.to_lowercase() {
                    for &byte in lower.encode_utf8(&mut buf).as_bytes() {
                        hash = word_step(hash, byte);
                    }
                }
                in_word = true;
                continue;
            }
        } else {
            break;
        }
        if in_word {
            found(hash);
            hash = WORD_SEED;
            in_word = false;
        }
    }
    if in_word {
        found(hash);
    }
}

/// A key's hash from its words' hashes, 128 bits so that two different
/// keys never share one in practice.
fn key_hash(words: &[u64]) -> u128 {
    let (mut high, mut low) = (0x243F_6A88_85A3_08D3u64, 0x1319_8A2E_0370_7344u64);
    for &word in words {
        high = (high.rotate_left(23) ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        low = (low.rotate_left(31) ^ word).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    }
    (u128::from(high) << 64 | u128::from(low)) ^ words.len() as u128
}

fn drop_title_repeats(doc: &mut Document, prints: &Fingerprints) {
    let mut title = Vec::new();
    key_words(doc.meta.title.as_deref().unwrap_or(""), |word| {
        title.push(word)
    });
    if title.is_empty() {
        return;
    }
    let title = Some(key_hash(&title));
    for (block, k) in doc.blocks.iter_mut().zip(&prints.keys) {
        if block.is_kept() && *k == title {
            block.remove("duplicate", "repeats the title");
        }
    }
}

fn drop_exact_repeats(doc: &mut Document, prints: &Fingerprints, features: &[Features]) {
    let mut seen: HashMap<u128, Vec<usize>> = HashMap::default();
    for (index, k) in prints.keys.iter().enumerate() {
        if let Some(k) = k.filter(|_| doc.blocks[index].is_kept()) {
            seen.entry(k).or_default().push(index);
        }
    }
    let mut groups: Vec<Vec<usize>> = seen.into_values().filter(|v| v.len() > 1).collect();
    groups.sort_unstable_by_key(|v| v[0]);
    for indices in &groups {
        if features[indices[0]].is_prose() {
            for &i in &indices[1..] {
                if !quotes(doc, indices[0], i) {
                    doc.blocks[i].remove("duplicate", "repeats an earlier block");
                }
            }
        } else if !doc.is_extracted() {
            // A heading listed in a table of contents and again above its
            // section: the copy that introduces prose is the heading.
            let heading = indices
                .iter()
                .rev()
                .copied()
                .find(|&i| introduces_prose(doc, i, features));
            for &i in indices.iter().filter(|&&i| Some(i) != heading) {
                doc.blocks[i].remove("duplicate", "repeated page chrome");
            }
        }
    }
}

/// Blocks between a post and a reply that quotes it, at the least. A pull
/// quote sits next to the paragraph it repeats.
const QUOTE_DISTANCE: usize = 8;

/// Blocks above a quoted paragraph that its forum quote header may be on:
/// the header, then a date line.
const QUOTE_HEADER_REACH: usize = 3;

/// True when `copy` quotes `original` from further down the page: a
/// forum reply quoting the post it answers repeats it on purpose, and the
/// quote is part of the reply. The copy is a quote when the markup says so
/// (a `<blockquote>`), or in text when a forum's quote header ("jan
/// wrote: ↑", "Zitat von Zaadi") stands just above it. Quotes that repeat
/// quotes are a carousel's clones.
fn quotes(doc: &Document, original: usize, copy: usize) -> bool {
    use crate::document::BlockKind::Quote;
    let far = doc.blocks[original].kind != Quote && copy >= original + QUOTE_DISTANCE;
    far && (doc.blocks[copy].kind == Quote
        || doc.blocks[copy.saturating_sub(QUOTE_HEADER_REACH)..copy]
            .iter()
            .any(|block| is_quote_header(&block.text)))
}

/// The verbs of a forum's quote header ("jan wrote"), as a regex alternation.
const SAID: &str = "wrote|said|schrieb|a écrit|escribió|escreveu|ha scritto|scrisse|написал[аи]?|napisao|napisała?";
/// The nouns that open one ("Quote from: jan"), as a regex alternation.
const QUOTE: &str = "quote|zitat|citation|cita|citação|citazione|цитата";

/// A forum's line above a quoted post: "jan wrote: ↑", "Quote from: jan
/// on June 3", "Zitat von jan", in the languages the strip rules cover.
///
/// Every header holds one of the verbs or nouns, which one literal search
/// finds; most lines hold none, and that search costs a fraction of the
/// whole pattern's, whose `.{0,60}` reads any character.
fn is_quote_header(text: &str) -> bool {
    static PATTERNS: OnceLock<Option<(Regex, Regex)>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        let words = Regex::new(&format!("(?i){SAID}|{QUOTE}")).ok()?;
        let header = Regex::new(&format!(
            r"(?i)^\s*(?:\S.{{0,60}}\s(?:{SAID})\s*:?\s*[↑⇧▲]?|(?:{QUOTE})(?:\s+(?:from|von|de|di|от))?\b.{{0,80}})\s*$"
        ))
        .ok()?;
        Some((words, header))
    });
    text.len() <= 120
        && patterns
            .as_ref()
            .is_some_and(|(words, header)| words.is_match(text) && header.is_match(text))
}

/// True when the next kept block after `index` is prose.
fn introduces_prose(doc: &Document, index: usize, features: &[Features]) -> bool {
    (index + 1..doc.blocks.len())
        .find(|&i| doc.blocks[i].is_kept())
        .is_some_and(|i| features[i].is_prose())
}

/// The hashes of a block's word 4-grams, from its key words' hashes, or
/// none when it has fewer than [`MIN_WORDS`] words.
fn shingles(words: &[u64]) -> Option<Vec<u64>> {
    if words.len() < MIN_WORDS {
        return None;
    }
    Some(
        words
            .windows(4)
            .map(|w| {
                w.iter().fold(0u64, |gram, &word| {
                    (gram.rotate_left(17) ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                })
            })
            .collect(),
    )
}

fn drop_near_repeats(doc: &mut Document, prints: &Fingerprints) {
    let candidates: Vec<(usize, Vec<u64>)> = (0..doc.blocks.len())
        .filter(|&i| doc.blocks[i].is_kept())
        .filter_map(|i| Some((i, shingles(prints.words(i))?)))
        .collect();
    // Each 4-gram remembers the first block it appeared in; a later block
    // sharing it counts one shared gram with that block. Unique grams, the
    // vast majority, cost one hash insert each.
    let total: usize = candidates.iter().map(|(_, g)| g.len()).sum();
    let mut first_seen: HashMap<u64, usize> =
        HashMap::with_capacity_and_hasher(total, Default::default());
    let mut shared: HashMap<(usize, usize), usize> = HashMap::default();
    for (slot, (_, grams)) in candidates.iter().enumerate() {
        for &gram in grams {
            let first = *first_seen.entry(gram).or_insert(slot);
            if first != slot {
                *shared.entry((first, slot)).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<((usize, usize), usize)> = shared.into_iter().collect();
    pairs.sort_unstable();
    for ((earlier, later), count) in pairs {
        let (a, b) = (candidates[earlier].1.len(), candidates[later].1.len());
        let shorter = if a < b { earlier } else { later };
        let (first, second) = (candidates[earlier].0, candidates[later].0);
        let quoted = shorter == later && quotes(doc, first, second);
        if count as f64 >= CONTAINMENT * a.min(b) as f64 && !quoted {
            doc.blocks[candidates[shorter].0].remove("duplicate", "repeated within a longer block");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, BlockKind};
    use crate::InputKind;

    fn doc(lines: &[&str]) -> Document {
        Document {
            blocks: lines
                .iter()
                .map(|l| Block::new(BlockKind::Paragraph, *l))
                .collect(),
            ..Document::default()
        }
    }

    fn words_of(text: &str) -> Vec<u64> {
        let mut words = Vec::new();
        key_words(text, |word| words.push(word));
        words
    }

    fn kept(doc: &Document) -> Vec<&str> {
        doc.kept().map(|b| b.text.as_str()).collect()
    }

    proptest::proptest! {
        /// The byte-wise key words equal those of the key built a
        /// character at a time, word for word.
        #[test]
        fn key_words_equal_the_character_reference(text in "[a-zA-Z0-9 .,'\\u{a0}’—ÄéßЖж的。İ-]{0,60}") {
            let mut reference = String::new();
            let mut pending_space = false;
            for c in text.chars() {
                if c.is_alphanumeric() {
                    if pending_space && !reference.is_empty() {
                        reference.push(' ');
                    }
                    pending_space = false;
                    reference.extend(c.to_lowercase());
                } else {
                    pending_space = true;
                }
            }
            let reference_words: Vec<u64> = reference
                .split(' ')
                .filter(|word| !word.is_empty())
                .map(|word| word.bytes().fold(WORD_SEED, word_step))
                .collect();
            proptest::prop_assert_eq!(words_of(&text), reference_words);
        }

        /// Texts with equal keys hash equally, and texts with different
        /// keys (here, differing in one word) differ.
        #[test]
        fn key_hashes_tell_keys_apart(a in "[a-zé]{1,6}( [a-zé]{1,6}){0,4}", b in "[a-zé]{1,6}") {
            let punctuated = format!("{}!", a.replace(' ', " -- ").to_uppercase());
            proptest::prop_assert_eq!(key_hash(&words_of(&a)), key_hash(&words_of(&punctuated)));
            let other = format!("{a} {b}");
            proptest::prop_assert_ne!(key_hash(&words_of(&a)), key_hash(&words_of(&other)));
        }
    }

    #[test]
    fn repeated_labels_are_chrome_in_text_but_the_articles_own_in_extracted_html() {
        let prose =
            "The council voted on Tuesday to expand the river park, after months of debate.";
        let lines = [prose, "Yes", "Share this", "Yes", "Share this"];
        let kept = |d: &Document| d.kept().map(|b| b.text.clone()).collect::<Vec<_>>();
        let mut text = doc(&lines);
        Dedup.apply(&mut text);
        assert_eq!(kept(&text), [prose]);
        let mut html = doc(&lines);
        html.meta.input_kind = InputKind::Html;
        Dedup.apply(&mut html);
        assert_eq!(kept(&html), lines);
    }

    #[test]
    fn short_keys_have_no_shingles_and_long_ones_one_per_four_words() {
        let shingles_of = |text: &str| shingles(&words_of(text));
        assert_eq!(shingles_of("one two three four five six seven"), None);
        let grams = shingles_of("one two three four five six seven eight").unwrap();
        assert_eq!(grams.len(), 5);
        assert_eq!(
            shingles_of("a b c d a b c d").unwrap()[0],
            shingles_of("A, b; c d: a b c D.").unwrap()[4]
        );
    }

    #[test]
    fn a_reply_quoting_a_post_far_above_keeps_its_quote_but_a_pull_quote_goes() {
        let post = "We refinanced our 30 year mortgage at 3.875% into a 15 year one at 3.25% with the credit union.";
        let pull = "Pull quotes repeat a line of the article in large type, right next to it.";
        let mut lines = vec![post];
        let filler: Vec<String> = (0..QUOTE_DISTANCE)
            .map(|i| format!("Reply number {i} to the thread, with a thought of its own on rates."))
            .collect();
        lines.extend(filler.iter().map(String::as_str));
        lines.extend([post, "Which lender did you use for that?", pull, pull]);
        let mut d = doc(&lines);
        let quoted = [QUOTE_DISTANCE + 1, QUOTE_DISTANCE + 4];
        for i in quoted {
            d.blocks[i].kind = BlockKind::Quote;
        }
        Dedup.apply(&mut d);
        assert!(d.blocks[QUOTE_DISTANCE + 1].is_kept());
        assert!(!d.blocks[QUOTE_DISTANCE + 4].is_kept());
    }

    #[test]
    fn in_text_a_forum_quote_header_marks_the_repeat_below_it_as_a_quote() {
        let post = "We refinanced our 30 year mortgage at 3.875% into a 15 year one at 3.25% with the credit union.";
        let filler: Vec<String> = (0..QUOTE_DISTANCE)
            .map(|i| format!("Reply number {i} to the thread, with a thought of its own on rates."))
            .collect();
        for header in [
            "roadnottaken wrote: ↑",
            "Zitat von Zaadi",
            "Quote from: jan on June 03, 2020",
        ] {
            let mut lines = vec![post];
            lines.extend(filler.iter().map(String::as_str));
            lines.extend([
                header,
                "Sun Sep 01, 2019 8:43 pm",
                post,
                "Which lender was it?",
                post,
            ]);
            let mut d = doc(&lines);
            Dedup.apply(&mut d);
            let quote = QUOTE_DISTANCE + 3;
            assert!(d.blocks[quote].is_kept(), "{header}");
            assert!(
                !d.blocks[quote + 2].is_kept(),
                "{header}: a bare repeat still goes"
            );
        }
        assert!(!is_quote_header(
            "He said the rate was the lowest he had seen in years."
        ));
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
