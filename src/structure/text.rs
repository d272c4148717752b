//! Text input: lines and blank lines become blocks, and the headline becomes
//! the title.
//!
//! Scraped text puts one paragraph on a line, with or without blank lines
//! between them, so every non-blank line is a block. Hard-wrapped text (a
//! group of similar-length lines that mostly end mid-sentence) is joined
//! back into one paragraph per group.

use crate::chars::is_unspaced;
use crate::document::{Block, BlockKind, Document};
use crate::error::Error;

/// Longest line, in characters, that can be a heading.
const MAX_HEADING_CHARS: usize = 120;
/// Most words a heading can have.
const MAX_HEADING_WORDS: usize = 16;
/// Longest first line, in characters, that can be the headline.
const MAX_TITLE_CHARS: usize = 200;
/// Most words a headline can have.
const MAX_TITLE_WORDS: usize = 30;
/// How many blocks above the first prose may hold the headline.
const TITLE_WINDOW: usize = 4;
/// Fewest words (with letters) of a headline found past the first block.
const MIN_TITLE_WORDS: usize = 4;
/// Fewest words (with letters) of a first line taken for the headline.
const MIN_FIRST_LINE_WORDS: usize = 2;
/// How far below a page title its headline is looked for.
const TITLE_SEARCH_BLOCKS: usize = 300;

/// List bullets that may open a line, each followed by a space.
const BULLETS: &[char] = &[
    '-', '*', '•', '‣', '◦', '▪', '▫', '●', '○', '■', '□', '·', '–', '—',
];

/// Builds documents from text.
///
/// ```
/// use thresh::structure::TextStructure;
/// use thresh::BlockKind;
/// let doc = TextStructure::default().build("Big News Today\n\nIt happened.\n- one\n- two").unwrap();
/// assert_eq!(doc.meta.title.as_deref(), Some("Big News Today"));
/// let kinds: Vec<_> = doc.kept().map(|b| b.kind).collect();
/// assert_eq!(kinds, [BlockKind::Paragraph, BlockKind::ListItem, BlockKind::ListItem]);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct TextStructure {
    /// The most blocks a document may have before it is refused.
    pub max_blocks: usize,
    /// Lines longer than this many bytes are cut into pieces, each its own
    /// block (see [`Limits::max_line_bytes`](crate::Limits::max_line_bytes)).
    pub max_line_bytes: usize,
    /// Whether the first line, when it reads like a headline, becomes the title.
    pub detect_title: bool,
}

impl Default for TextStructure {
    fn default() -> Self {
        TextStructure {
            max_blocks: 1_000_000,
            max_line_bytes: 64 << 10,
            detect_title: true,
        }
    }
}

impl TextStructure {
    /// Splits the text into blocks.
    pub fn build(&self, text: &str) -> Result<Document, Error> {
        let mut doc = Document::default();
        for group in paragraph_groups(text, self.max_line_bytes) {
            if hard_wrapped(&group) {
                let joined = join_wrapped(&group);
                self.push(&mut doc, Block::new(BlockKind::Paragraph, joined))?;
            } else {
                for line in group {
                    self.push(&mut doc, Block::new(line_kind(line), line))?;
                }
            }
        }
        if self.detect_title {
            lift_title(&mut doc);
        }
        Ok(doc)
    }

    fn push(&self, doc: &mut Document, block: Block) -> Result<(), Error> {
        if doc.blocks.len() >= self.max_blocks {
            return Err(Error::TooManyBlocks {
                limit: self.max_blocks,
            });
        }
        doc.blocks.push(block);
        Ok(())
    }
}

/// Runs of non-blank lines, trimmed, split at blank lines. A line longer
/// than `max_line_bytes` is cut into pieces, and each piece is a group of
/// its own, so that the hard-wrap test cannot join the pieces back.
fn paragraph_groups(text: &str, max_line_bytes: usize) -> impl Iterator<Item = Vec<&str>> {
    let mut lines = lines_of(text).map(|line| line.trim()).peekable();
    let mut cut: Option<Pieces<'_>> = None;
    std::iter::from_fn(move || {
        if let Some(piece) = cut.as_mut().and_then(Iterator::next) {
            return Some(vec![piece]);
        }
        while lines.next_if(|line| line.is_empty()).is_some() {}
        if let Some(long) = lines.next_if(|line| line.len() > max_line_bytes) {
            let mut pieces = Pieces {
                rest: Some(long),
                max: max_line_bytes,
            };
            let first = pieces.next().map(|piece| vec![piece]);
            cut = Some(pieces);
            return first;
        }
        let mut group = Vec::new();
        while let Some(line) =
            lines.next_if(|line| !line.is_empty() && line.len() <= max_line_bytes)
        {
            group.push(line);
        }
        (!group.is_empty()).then_some(group)
    })
}

/// The lines of a text, ended by LF, CRLF or a lone CR. With the repair
/// stage's line-break fix off, a lone CR is still in the text here, and
/// repair judged the text on each side of it as a line of its own: the
/// blocks keep that line, or the next pass would judge the two halves as
/// one.
fn lines_of(text: &str) -> Box<dyn Iterator<Item = &str> + '_> {
    // Most texts hold no CR, and splitting every line again would cost a
    // seventh of the structure stage.
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return Box::new(text.split('\n'));
    }
    Box::new(
        text.split('\n')
            .flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r')),
    )
}

/// A trimmed line cut into trimmed pieces of at most `max` bytes (but at
/// least one character), each at the last whitespace of its second half
/// when there is one. Looking only at the second half keeps the cut linear:
/// each piece consumes at least half of what was searched.
struct Pieces<'a> {
    rest: Option<&'a str>,
    max: usize,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let current = self.rest?;
        if current.len() <= self.max {
            self.rest = None;
            return Some(current);
        }
        let mut end = self.max;
        while !current.is_char_boundary(end) {
            end -= 1;
        }
        if end == 0 {
            end = current.chars().next().map_or(current.len(), char::len_utf8);
        }
        let mut half = end / 2;
        while !current.is_char_boundary(half) {
            half -= 1;
        }
        let mut cut = current[half..end]
            .rfind(char::is_whitespace)
            .map_or(end, |at| half + at)
            .max(1);
        while !current.is_char_boundary(cut) {
            cut += 1;
        }
        let (piece, tail) = current.split_at(cut);
        let tail = tail.trim_start();
        self.rest = (!tail.is_empty()).then_some(tail);
        Some(piece.trim_end())
    }
}

fn ends_sentence(line: &str) -> bool {
    line.ends_with([
        '.', '!', '?', ':', ';', '"', '”', '\'', '’', ')', '…', '。', '！', '？',
    ])
}

/// Three or more plain lines of 40 to 100 characters, close to one width,
/// that mostly end mid-sentence: a paragraph wrapped by a mail client or a
/// text dump, not a list of short paragraphs.
fn hard_wrapped(group: &[&str]) -> bool {
    if group.len() < 3 || group.iter().any(|line| marked_kind(line).is_some()) {
        return false;
    }
    let widths: Vec<usize> = group.iter().map(|line| line.chars().count()).collect();
    let widest = widths.iter().copied().max().unwrap_or(0);
    let body = &widths[..widths.len() - 1];
    let even = body.iter().all(|&w| w * 10 >= widest * 6 && w >= 40);
    let open_ends = group[..group.len() - 1]
        .iter()
        .filter(|l| !ends_sentence(l))
        .count();
    (40..=100).contains(&widest) && even && open_ends * 2 >= body.len()
}

fn join_wrapped(group: &[&str]) -> String {
    let mut joined = String::new();
    for line in group {
        if !joined.is_empty() && !joined.ends_with('-') {
            joined.push(' ');
        }
        joined.push_str(line);
    }
    joined
}

/// A line's kind from its shape: bullets and numbers make list items, `>`
/// quotes, `#` markdown headings, and short lines with no closing
/// punctuation headings.
fn line_kind(line: &str) -> BlockKind {
    match marked_kind(line) {
        Some(kind) => kind,
        None if reads_like_heading(line, MAX_HEADING_CHARS, MAX_HEADING_WORDS) => {
            BlockKind::Heading(2)
        }
        None => BlockKind::Paragraph,
    }
}

/// The kind a line announces with a marker: `#`, `>`, a bullet or a number.
fn marked_kind(line: &str) -> Option<BlockKind> {
    if let Some(level) = markdown_heading(line) {
        Some(BlockKind::Heading(level))
    } else if line.starts_with("> ") {
        Some(BlockKind::Quote)
    } else if is_list_item(line) {
        Some(BlockKind::ListItem)
    } else {
        None
    }
}

fn markdown_heading(line: &str) -> Option<u8> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    let rest = &line[hashes..];
    let valid = (1..=6).contains(&hashes)
        && rest.starts_with(' ')
        && rest.trim_start().starts_with(char::is_alphabetic);
    valid.then_some(hashes as u8)
}

fn is_list_item(line: &str) -> bool {
    let mut chars = line.chars();
    let first = chars.next();
    if first.is_some_and(|c| BULLETS.contains(&c)) && chars.next() == Some(' ') {
        return true;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits) && matches!(&line.as_bytes()[digits..], [b'.' | b')', b' ', ..])
}

/// Short, with a letter in it, and not ending like a sentence (a question
/// mark is allowed: "CEASEFIRE?").
fn reads_like_heading(line: &str, max_chars: usize, max_words: usize) -> bool {
    // A character is at most four bytes, so a longer line is not counted;
    // most lines of a page are either.
    let short = line.len() <= max_chars.saturating_mul(4)
        && line.chars().count() <= max_chars
        && line
            .split_whitespace()
            .take(max_words.saturating_add(1))
            .count()
            <= max_words;
    let open_end = !ends_sentence(line) || line.ends_with('?');
    let trailing_comma = line.ends_with([',', '،', '、']);
    short && open_end && !trailing_comma && line.chars().any(char::is_alphabetic)
}

/// The headline becomes the title: the first headline-like block of at
/// least four words among the few just above the first paragraph of prose
/// (past any menu or cookie banner), or else the first block when it reads
/// like a headline. It moves to the metadata and is marked in the audit. A
/// first line that repeats the title with a site name (`Title | Site`, as a
/// page's `<title>` reads) gives the source and goes too.
fn lift_title(doc: &mut Document) {
    if doc.blocks.len() < 2 {
        return;
    }
    let first = &doc.blocks[0].text;
    if reads_like_headline(first) && !is_menu(first) && letter_words(first) >= MIN_FIRST_LINE_WORDS
    {
        return lift_first_line(doc);
    }
    // With no two prose blocks in a row, the first prose block bounds the
    // search, so a line below the article cannot become its headline.
    let first_prose = doc
        .blocks
        .windows(2)
        .position(|pair| reads_like_prose(&pair[0].text) && reads_like_prose(&pair[1].text))
        .or_else(|| doc.blocks.iter().position(|b| reads_like_prose(&b.text)))
        .unwrap_or(doc.blocks.len());
    let window = first_prose.saturating_sub(TITLE_WINDOW)..first_prose;
    let chosen = window.clone().find(|&i| {
        reads_like_headline(&doc.blocks[i].text)
            && letter_words(&doc.blocks[i].text) >= MIN_TITLE_WORDS
    });
    if let Some(index) = chosen {
        doc.meta.title = Some(doc.blocks[index].text.clone());
        mark_title(&mut doc.blocks[index], "headline moved to the title field");
    }
}

/// The first line is the headline, or a page title "Headline | Site" whose
/// headline recurs below: then the site name is the source.
fn lift_first_line(doc: &mut Document) {
    let line = doc.blocks[0].text.clone();
    let recurring = doc.blocks[1..]
        .iter()
        .take(TITLE_SEARCH_BLOCKS)
        .find_map(|b| {
            let site = site_name(&line, &b.text)?;
            (letter_words(&b.text) >= 2).then(|| (b.text.clone(), site.to_owned()))
        });
    match recurring {
        Some((headline, site)) => {
            doc.meta.title = Some(headline);
            doc.meta.source = Some(site);
            mark_title(
                &mut doc.blocks[0],
                "page title: the headline and the site name",
            );
        }
        None => {
            doc.meta.title = Some(line);
            mark_title(&mut doc.blocks[0], "headline moved to the title field");
        }
    }
}

fn mark_title(block: &mut Block, reason: &str) {
    block.kind = BlockKind::Heading(1);
    block.remove("title", reason.to_owned());
}

/// Separators between a headline and a site name in a page title.
const TITLE_SEPARATORS: &[char] = &['|', '-', '–', '—', ':', '·', '•', '/', '»'];

/// The site name in a page title made of the headline and the site name.
fn site_name<'a>(page_title: &'a str, headline: &str) -> Option<&'a str> {
    let rest = page_title
        .strip_prefix(headline)
        .map(|r| r.trim_start_matches(|c: char| c.is_whitespace() || TITLE_SEPARATORS.contains(&c)))
        .or_else(|| {
            page_title.strip_suffix(headline).map(|r| {
                r.trim_end_matches(|c: char| c.is_whitespace() || TITLE_SEPARATORS.contains(&c))
            })
        })?;
    let separated = rest.len() < page_title.len() - headline.len();
    (separated && !rest.is_empty() && rest.len() <= 80).then_some(rest)
}

/// A line of navigation labels: separated by several bars or arrows, or
/// four or more words that all start with a capital (a headline has a
/// lower-case word somewhere, unless it is a short one).
fn is_menu(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let all_capitalized = words.len() >= 5
        && words
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_uppercase() || !c.is_alphabetic()));
    line.matches(['|', '>', '»', '›', '·']).count() >= 2 || all_capitalized
}

/// Words that contain a letter: "Home > News" has two.
/// Words with a letter in them. A run of a script written without spaces
/// counts as one word per two characters, as the strip stage counts it:
/// a Chinese headline is one "word" between spaces.
fn letter_words(line: &str) -> usize {
    line.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .map(|w| (w.chars().filter(|&c| is_unspaced(c)).count() / 2).max(1))
        .sum()
}

/// A sentence of some length: the start of the article's prose.
fn reads_like_prose(line: &str) -> bool {
    letter_words(line) >= 10 && ends_sentence(line)
}

fn reads_like_headline(line: &str) -> bool {
    let plain = !line.ends_with(['!', '?']) || line.split_whitespace().count() > 1;
    reads_like_heading(line, MAX_TITLE_CHARS, MAX_TITLE_WORDS) && plain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(BlockKind, String)> {
        TextStructure {
            detect_title: false,
            ..Default::default()
        }
        .build(text)
        .unwrap()
        .blocks
        .into_iter()
        .map(|b| (b.kind, b.text))
        .collect()
    }

    #[test]
    fn lines_and_blank_lines() {
        let blocks = kinds("  One.  \n\n\n Two.\nThree.\n");
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].1, "One.");
    }

    #[test]
    fn a_lone_cr_ends_a_line_and_crlf_is_one_break() {
        assert_eq!(
            lines_of("One.\r\nTwo.\rThree.\n\r\nFour.").collect::<Vec<_>>(),
            ["One.", "Two.", "Three.", "", "Four."]
        );
    }

    #[test]
    fn kinds_from_shape() {
        let blocks =
            kinds("## Section\n> quoted\n1. first\n• bullet\nCEASEFIRE?\nA sentence ends here.");
        let got: Vec<_> = blocks.iter().map(|b| b.0).collect();
        assert_eq!(
            got,
            [
                BlockKind::Heading(2),
                BlockKind::Quote,
                BlockKind::ListItem,
                BlockKind::ListItem,
                BlockKind::Heading(2),
                BlockKind::Paragraph
            ]
        );
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let text = "The committee met on Tuesday to discuss the proposal and\nagreed that further study was needed before any vote could\nbe taken on the matter, according to people present.\n\nNext paragraph.";
        let blocks = kinds(text);
        assert_eq!(blocks.len(), 2);
        assert!(blocks[0].1.starts_with("The committee met") && blocks[0].1.ends_with("present."));
    }

    #[test]
    fn one_paragraph_per_line_is_not_joined() {
        let text = "First full sentence of the story is right here today.\nSecond full sentence of the story is also right here.\nThird full sentence closes the whole story off here.";
        assert_eq!(kinds(text).len(), 3);
    }

    #[test]
    fn headline_becomes_title() {
        let doc = TextStructure::default()
            .build(
                "\nRussia and Ukraine Swap Hundreds of Prisoners\nThe Associated Press\nBody text.",
            )
            .unwrap();
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("Russia and Ukraine Swap Hundreds of Prisoners")
        );
        assert_eq!(doc.blocks[0].removed.as_ref().unwrap().rule, "title");
    }

    #[test]
    fn a_line_below_the_only_prose_is_not_a_title() {
        let doc = TextStructure::default()
            .build("The council met on Tuesday and agreed to spend the money on the park, the mayor said.\nMore stories from our region today")
            .unwrap();
        assert_eq!(doc.meta.title, None);
    }

    #[test]
    fn prose_first_line_is_not_a_title() {
        let doc = TextStructure::default()
            .build("MOSCOW: Russia and Ukraine each exchanged 307 prisoners on Saturday.\nMore.")
            .unwrap();
        assert_eq!(doc.meta.title, None);
    }

    #[test]
    fn long_lines_are_cut_at_spaces_into_blocks() {
        let cut = TextStructure {
            max_line_bytes: 12,
            detect_title: false,
            ..TextStructure::default()
        };
        let blocks: Vec<String> = cut
            .build("alpha beta gamma delta\n\nshort")
            .unwrap()
            .blocks
            .into_iter()
            .map(|b| b.text)
            .collect();
        assert_eq!(blocks, ["alpha beta", "gamma delta", "short"]);
        let pieces = |line, max| {
            Pieces {
                rest: Some(line),
                max,
            }
            .collect::<Vec<_>>()
        };
        assert_eq!(pieces("ééééé", 3), ["é", "é", "é", "é", "é"]);
        assert_eq!(pieces("ab", 0), ["a", "b"]);
    }

    #[test]
    fn block_limit_is_an_error() {
        let limited = TextStructure {
            max_blocks: 2,
            ..TextStructure::default()
        };
        assert_eq!(
            limited.build("a\nb\nc"),
            Err(Error::TooManyBlocks { limit: 2 })
        );
    }
}
