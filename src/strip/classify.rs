//! Page boilerplate in crude whole-page text: menus, breadcrumbs, footers,
//! cookie notices, login prompts and lists of link titles.
//!
//! jusText's scheme, adapted to text without markup: each block is first
//! classified on its own (length, stop-word density, sentence punctuation),
//! then short and uncertain blocks take the class of their neighbours.
//! Unlike jusText, the document's edges only count as boilerplate when the
//! document looks like a page dump, so the first and last short lines of an
//! already-extracted article survive.

use super::features::Features;
use crate::document::Document;
use crate::stage::Stage;

/// Below this weighted length a block is too short to judge on its own.
const LENGTH_LOW: usize = 50;
/// Below this weighted length a block without sentence punctuation is a label or headline.
const LENGTH_HIGH: usize = 200;
/// From this weighted length a sentence with enough stop words is good.
const GOOD_LENGTH: usize = 100;
/// Stop-word density from which a block may be good.
const STOP_HIGH: f64 = 0.25;
/// Stop-word density from which a block may be near-good.
const STOP_LOW: f64 = 0.12;
/// Share of blocks that must be boilerplate-like before the document's edges count as boilerplate.
const PAGE_LIKE_SHARE: f64 = 0.3;
/// What a short line costs the article span: about one menu item.
const SHORT_PENALTY: i64 = 20;
/// Short lines in a row from which, outside the article, they are a menu.
const MENU_RUN: usize = 8;
/// Fewer blocks than this are never treated as a page dump.
const PAGE_LIKE_BLOCKS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Good,
    NearGood,
    Short,
    Bad,
}

/// A block's class on its own, with the reason recorded if it ends up
/// removed. `extracted` is true for what extraction kept of an HTML page.
fn initial(f: &Features, page_like: bool, extracted: bool) -> (Class, &'static str) {
    if f.copyright {
        return (Class::Bad, "copyright notice");
    }
    let length = f.weighted_chars();
    let density = f.stop_density();
    if !page_like && f.ends_sentence && f.words >= 3 && length < LENGTH_LOW && density >= STOP_LOW {
        // "He declined to comment." In extracted article text a short
        // sentence is prose; in a page dump it is as often a label.
        return (Class::NearGood, "");
    }
    if length < LENGTH_LOW || (f.sentence_marks == 0 && length < LENGTH_HIGH) {
        return (Class::Short, "short line among boilerplate");
    }
    if density >= STOP_HIGH && (f.ends_sentence || f.sentence_marks >= 2) {
        let class = if length >= GOOD_LENGTH {
            Class::Good
        } else {
            Class::NearGood
        };
        return (class, "");
    }
    if density >= STOP_LOW && f.sentence_marks > 0 {
        return (Class::NearGood, "");
    }
    if extracted {
        // Extraction has left the page's menus and link lists out. What it
        // kept without sentences (list items, table rows, code, a formula)
        // is the article's as often as not, so its neighbours decide, as
        // they do for a short line.
        return (Class::Short, "no sentence structure, among boilerplate");
    }
    (
        Class::Bad,
        "no sentence structure (menu, labels or a list of links)",
    )
}

/// The document stage that drops page boilerplate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Boilerplate;

impl Stage for Boilerplate {
    fn name(&self) -> &str {
        "boilerplate"
    }

    fn apply(&self, doc: &mut Document) {
        let all = super::features::block_features(doc);
        let kept: Vec<usize> = (0..doc.blocks.len())
            .filter(|&i| doc.blocks[i].is_kept())
            .collect();
        let features: Vec<Features> = kept.iter().map(|&i| all[i]).collect();
        let provisional: Vec<Class> = features.iter().map(|f| initial(f, true, false).0).collect();
        let page_like = is_page_like(&provisional);
        let extracted = doc.is_extracted();
        let mut initial: Vec<(Class, &str)> = features
            .iter()
            .map(|f| initial(f, page_like, extracted))
            .collect();
        // Extraction from HTML already left the page's menus out, and
        // lists in what it kept are the article's.
        if page_like && !extracted {
            let numbered: Vec<bool> = kept
                .iter()
                .map(|&i| is_numbered(&doc.blocks[i].text))
                .collect();
            let headline = headline_at(doc, &kept);
            mark_menu_runs(&mut initial, &features, &numbered, headline);
        }
        let mut classes = revise(
            &initial.iter().map(|c| c.0).collect::<Vec<_>>(),
            &features,
            page_like,
        );
        keep_short_lines_inside_the_article(&mut classes, &initial, &features);
        if !classes
            .iter()
            .any(|c| matches!(c, Class::Good | Class::NearGood))
        {
            // No article text found: cleaning must not empty the document.
            return;
        }
        let head_end = head_end(doc, &kept, &initial, &features);
        for (k, &index) in kept.iter().enumerate() {
            let above_headline = page_like && k < head_end && initial[k].0 != Class::Good;
            if above_headline {
                doc.blocks[index].remove("boilerplate", "page chrome above the headline");
            } else if classes[k] == Class::Bad {
                let reason = match initial[k].1 {
                    "" => "surrounded by boilerplate",
                    reason => reason,
                };
                doc.blocks[index].remove("boilerplate", reason);
            }
        }
    }
}

/// Marks as boilerplate every run of at least [`MENU_RUN`] short lines in
/// a row outside the densest run of prose: a menu, a site map or a list
/// of links. jusText's context pass keeps short lines that lie between
/// good blocks, however many there are, so a footer menu of a hundred
/// items that ends in a line of prose (a legal notice, "now reading" with
/// the headline) stayed whole. A run must lie beyond every good block on
/// its side of the article: a list between two parts of it is its own.
/// Numbered lines break a run: menus are not numbered, and a top-ten list
/// is the article. So does the headline the structure stage lifted (it
/// lies before kept block `headline`): the short lines under it are the
/// byline, the date and the standfirst, left to the context pass.
fn mark_menu_runs(
    initial: &mut [(Class, &str)],
    features: &[Features],
    numbered: &[bool],
    headline: Option<usize>,
) {
    let Some(span) = densest_span(initial, features) else {
        return;
    };
    let is_good = |c: &(Class, &str)| c.0 == Class::Good;
    let first_good = initial.iter().position(is_good).unwrap_or(usize::MAX);
    let last_good = initial.iter().rposition(is_good);
    let mut start = 0;
    while start < initial.len() {
        let mut end = start
            + initial[start..]
                .iter()
                .zip(&numbered[start..])
                .take_while(|(c, &numbered)| c.0 == Class::Short && !numbered)
                .count();
        if let Some(headline) = headline.filter(|&h| start < h && h < end) {
            end = headline;
        }
        let outside = (end <= span.start && first_good >= start)
            || (start >= span.end && last_good.map_or(true, |last| last < end));
        if end - start >= MENU_RUN && outside {
            for class in &mut initial[start..end] {
                *class = (Class::Bad, "a long run of short lines (a menu or site map)");
            }
        }
        start = end.max(start + 1);
    }
}

/// How many kept blocks lie above the headline the structure stage lifted.
fn headline_at(doc: &Document, kept: &[usize]) -> Option<usize> {
    let headline = doc
        .blocks
        .iter()
        .position(|b| b.removed.as_ref().is_some_and(|r| r.rule == "title"))?;
    Some(kept.partition_point(|&index| index < headline))
}

/// A line that starts with a list number: `1.`, `2)`, `#3`.
fn is_numbered(text: &str) -> bool {
    let rest = text.trim_start().trim_start_matches('#');
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits) && matches!(rest.as_bytes().get(digits), Some(b'.' | b')'))
}

/// How many kept blocks lie above both the headline the structure stage
/// lifted and the densest run of prose: the page's head, its menus and
/// banners. A headline found below the article's start (a subheading
/// taken for it) moves nothing.
fn head_end(
    doc: &Document,
    kept: &[usize],
    initial: &[(Class, &str)],
    features: &[Features],
) -> usize {
    let Some(above) = headline_at(doc, kept) else {
        return 0;
    };
    densest_span(initial, features).map_or(0, |span| above.min(span.start))
}

/// The article's own subheadings, list items and one-line paragraphs are
/// short, and jusText's context pass drops them when a neighbour is junk.
/// Inside the densest run of prose (the span with the best balance of good
/// text over junk) a short line is kept.
fn keep_short_lines_inside_the_article(
    classes: &mut [Class],
    initial: &[(Class, &str)],
    features: &[Features],
) {
    let Some(span) = densest_span(initial, features) else {
        return;
    };
    for i in span {
        if initial[i].0 == Class::Short {
            classes[i] = Class::Good;
        }
    }
}

/// The contiguous run of blocks with the highest score, good text counting
/// for and junk against it (a maximum-sum subarray).
fn densest_span(
    initial: &[(Class, &str)],
    features: &[Features],
) -> Option<std::ops::Range<usize>> {
    let score = |i: usize| -> i64 {
        let length = features[i].weighted_chars() as i64;
        match initial[i].0 {
            Class::Good => length,
            Class::NearGood => length / 2,
            Class::Short => -SHORT_PENALTY,
            Class::Bad => -length,
        }
    };
    let (mut best, mut best_range) = (0i64, None);
    let (mut sum, mut start) = (0i64, 0);
    for i in 0..initial.len() {
        if sum <= 0 {
            sum = 0;
            start = i;
        }
        sum += score(i);
        if sum > best {
            best = sum;
            best_range = Some(start..i + 1);
        }
    }
    best_range
}

/// jusText's context pass.
/// A page dump rather than extracted article text: many blocks that are
/// boilerplate or too short to judge.
fn is_page_like(classes: &[Class]) -> bool {
    let junk = classes
        .iter()
        .filter(|c| matches!(c, Class::Bad | Class::Short))
        .count();
    junk as f64 >= PAGE_LIKE_SHARE * classes.len() as f64 && classes.len() >= PAGE_LIKE_BLOCKS
}

fn revise(initial: &[Class], features: &[Features], page_like: bool) -> Vec<Class> {
    let edge = if page_like { Class::Bad } else { Class::Good };
    let mut classes = initial.to_vec();
    promote_runs(&mut classes);
    promote_headings(&mut classes, features);
    let settled = classes.clone();
    let before = neighbours(&settled, Direction::Back, true, edge);
    let after = neighbours(&settled, Direction::Forward, true, edge);
    let before_near = neighbours(&settled, Direction::Back, false, edge);
    let after_near = neighbours(&settled, Direction::Forward, false, edge);
    for i in 0..classes.len() {
        if settled[i] != Class::Short {
            continue;
        }
        let (prev, next) = (before[i], after[i]);
        classes[i] = match (prev, next) {
            (Class::Good, Class::Good) => Class::Good,
            (Class::Bad, Class::Bad) => Class::Bad,
            _ => {
                let near_good_on_bad_side = (prev == Class::Bad
                    && before_near[i] == Class::NearGood)
                    || (next == Class::Bad && after_near[i] == Class::NearGood);
                if near_good_on_bad_side {
                    Class::Good
                } else {
                    Class::Bad
                }
            }
        };
    }
    let settled = classes.clone();
    let before = neighbours(&settled, Direction::Back, true, edge);
    let after = neighbours(&settled, Direction::Forward, true, edge);
    for i in 0..classes.len() {
        if settled[i] == Class::NearGood {
            let (prev, next) = (before[i], after[i]);
            classes[i] = if prev == Class::Bad && next == Class::Bad {
                Class::Bad
            } else {
                Class::Good
            };
        }
    }
    classes
}

/// Paragraphs of an article with short paragraphs are each only near-good;
/// next to another near-good or good block they are good.
fn promote_runs(classes: &mut [Class]) {
    let before = classes.to_vec();
    for i in 0..classes.len() {
        let beside = |j: Option<usize>| {
            j.and_then(|j| before.get(j))
                .is_some_and(|c| matches!(c, Class::Good | Class::NearGood))
        };
        if before[i] == Class::NearGood && (beside(i.checked_sub(1)) || beside(Some(i + 1))) {
            classes[i] = Class::Good;
        }
    }
}

/// A short block directly followed by good text is a heading: near-good.
fn promote_headings(classes: &mut [Class], features: &[Features]) {
    for i in 0..classes.len().saturating_sub(1) {
        let heading =
            classes[i] == Class::Short && !features[i].ends_sentence && features[i].words <= 16;
        if heading && classes[i + 1] == Class::Good {
            classes[i] = Class::NearGood;
        }
    }
}

#[derive(Clone, Copy)]
enum Direction {
    Back,
    Forward,
}

/// For every block, the class of the nearest block in a direction that is
/// not short (and, when `skip_near_good`, not near-good either); the edge's
/// class past the end. One sweep, so that a long run of short lines costs
/// linear time rather than a search from each of them.
fn neighbours(
    classes: &[Class],
    direction: Direction,
    skip_near_good: bool,
    edge: Class,
) -> Vec<Class> {
    let skip = |c: Class| c == Class::Short || (skip_near_good && c == Class::NearGood);
    let mut nearest = edge;
    let mut sweep = |c: &Class| {
        let seen = nearest;
        if !skip(*c) {
            nearest = *c;
        }
        seen
    };
    match direction {
        Direction::Back => classes.iter().map(&mut sweep).collect(),
        Direction::Forward => {
            let mut found: Vec<Class> = classes.iter().rev().map(&mut sweep).collect();
            found.reverse();
            found
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InputKind;

    /// The nearest neighbour by searching from the block, as jusText does.
    fn searched(classes: &[Class], i: usize, back: bool, skip_near_good: bool) -> Class {
        let skip = |c: &&Class| **c == Class::Short || (skip_near_good && **c == Class::NearGood);
        let found = if back {
            classes[..i].iter().rev().find(|c| !skip(c))
        } else {
            classes[i + 1..].iter().find(|c| !skip(c))
        };
        found.copied().unwrap_or(Class::Bad)
    }

    use crate::document::{Block, BlockKind};

    const PROSE: &str = "Pricing lawn care jobs is about more than the hours you spend on a lawn, since fuel and the drive between customers eat into what you earn.";

    /// A page dump: `above` lines, the lifted headline, then `below` lines.
    fn page(above: &[&str], below: &[&str]) -> Document {
        let mut headline = Block::new(BlockKind::Heading(1), "How to Price Lawn Care Jobs");
        headline.remove("title", "headline moved to the title field");
        let line = |text: &&str| Block::new(BlockKind::Paragraph, *text);
        let blocks = above
            .iter()
            .map(line)
            .chain([headline])
            .chain(below.iter().map(line))
            .collect();
        Document {
            blocks,
            ..Document::default()
        }
    }

    fn reasons(doc: &Document) -> Vec<Option<&str>> {
        doc.blocks
            .iter()
            .map(|b| b.removed.as_ref().map(|r| r.reason.as_str()))
            .collect()
    }

    #[test]
    fn a_table_row_without_sentences_goes_from_a_dump_but_stays_in_extracted_html() {
        let row = "Oscar Health\tFor-Profit\t1.1M members\t19 states\tLimited network\tYes\tTech-first approach, app-based care navigation";
        for (kind, kept) in [(InputKind::Text, false), (InputKind::Html, true)] {
            let mut doc = Document {
                blocks: [PROSE, PROSE, row, PROSE]
                    .iter()
                    .map(|text| Block::new(BlockKind::Paragraph, *text))
                    .collect(),
                ..Document::default()
            };
            doc.meta.input_kind = kind;
            Boilerplate.apply(&mut doc);
            assert_eq!(
                doc.blocks[2].is_kept(),
                kept,
                "{kind:?}: {:?}",
                reasons(&doc)
            );
        }
    }

    #[test]
    fn menu_lines_above_the_headline_and_the_article_go_as_page_chrome() {
        let menu = ["Solutions", "Pricing", "Industries", "Resources", "Careers"];
        let mut doc = page(&menu, &[PROSE, PROSE, PROSE, "Share", "Contact us"]);
        Boilerplate.apply(&mut doc);
        let reasons = reasons(&doc);
        assert!(reasons[..menu.len()]
            .iter()
            .all(|r| *r == Some("page chrome above the headline")));
        assert!(reasons[menu.len() + 1..menu.len() + 4]
            .iter()
            .all(Option::is_none));
    }

    #[test]
    fn a_headline_found_below_the_article_start_moves_nothing_above_it() {
        let above = [PROSE, PROSE, "Part two", PROSE];
        let mut doc = page(&above, &[PROSE, "Careers", "Contact us", "Imprint", "Jobs"]);
        Boilerplate.apply(&mut doc);
        assert!(reasons(&doc)[..above.len()].iter().all(Option::is_none));
    }

    #[test]
    fn a_long_menu_after_the_article_goes_even_before_a_line_of_prose() {
        let menu: Vec<String> = (1..=20).map(|n| format!("Channel {n}")).collect();
        let mut below: Vec<&str> = vec![PROSE, PROSE, PROSE];
        below.extend(menu.iter().map(String::as_str));
        below.push("Now reading: how to price lawn care jobs, and what it costs you.");
        let mut doc = page(&[], &below);
        Boilerplate.apply(&mut doc);
        let reasons = reasons(&doc);
        assert!(reasons[1..4].iter().all(Option::is_none));
        assert!(reasons[4..24]
            .iter()
            .all(|r| *r == Some("a long run of short lines (a menu or site map)")));
    }

    #[test]
    fn a_long_list_between_paragraphs_of_the_article_stays() {
        let entries: Vec<String> = (1..=20)
            .map(|n| format!("Clinic {n}, (415) 555-01{n:02}"))
            .collect();
        let mut below: Vec<&str> = vec![PROSE, PROSE];
        below.extend(entries.iter().map(String::as_str));
        below.extend([PROSE, "Contact us", "Careers", "Imprint"]);
        let mut doc = page(&[], &below);
        Boilerplate.apply(&mut doc);
        assert!(reasons(&doc)[1..24].iter().all(Option::is_none));
    }

    #[test]
    fn one_sweep_finds_the_same_neighbours_as_searching() {
        let all = [Class::Good, Class::NearGood, Class::Short, Class::Bad];
        let mut seed = 7u32;
        for len in 0..40 {
            let classes: Vec<Class> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    all[(seed >> 16) as usize % 4]
                })
                .collect();
            for skip_near_good in [true, false] {
                let back = neighbours(&classes, Direction::Back, skip_near_good, Class::Bad);
                let forward = neighbours(&classes, Direction::Forward, skip_near_good, Class::Bad);
                for i in 0..len {
                    assert_eq!(back[i], searched(&classes, i, true, skip_near_good));
                    assert_eq!(forward[i], searched(&classes, i, false, skip_near_good));
                }
            }
        }
    }
}
