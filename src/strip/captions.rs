//! Photo captions that scrapers mix into the text:
//!
//! - a credit glued to the end of a paragraph, "…released May 23,
//!   2025.(via REUTERS)", with the caption sentence before it: both are cut
//!   and the paragraph's own sentences stay;
//! - a caption paragraph in the wire style, "Firefighters battle a blaze in
//!   Malibu, Calif., Tuesday, March 4, 2025." or ending in "(AP Photo/…)";
//! - a picture description standing right above a credit line.
//!
//! The credit lines themselves are rows of the rule table (`caption`).

use crate::document::{BlockKind, Document, Edge};
use crate::stage::Stage;
use regex::Regex;
use std::sync::OnceLock;

const RULE: &str = "caption";
/// Captions are short; a longer block is never taken for one.
const MAX_CAPTION_WORDS: usize = 70;
/// A paragraph's last sentence, glued to a credit, is its caption when this short.
const MAX_GLUED_CAPTION_WORDS: usize = 45;

struct Patterns {
    /// Credits at the very end of a block; the `credit` group (or the whole
    /// match) is the credit. Each runs only on blocks its [`Ending`] allows.
    credit_suffix: Vec<(Ending, Regex)>,
    /// Phrases that describe a picture rather than report.
    picture_cue: Regex,
    /// The wire-caption date ending: ", Tuesday, March 4, 2025."
    wire_date_end: Regex,
}

fn patterns() -> Option<&'static Patterns> {
    static PATTERNS: OnceLock<Option<Patterns>> = OnceLock::new();
    PATTERNS
        .get_or_init(|| {
            let agencies = "reuters|ap|afp|epa|efe|ansa|dpa|getty images|getty|afp via getty images|anadolu|xinhua|bloomberg|pa|imago|picture alliance|shutterstock";
            Some(Patterns {
                credit_suffix: [
                    (Ending::Bracket, format!(r"(?i)(?P<credit>\s*[(\[](?:via\s+|photo:\s*|foto:\s*|©\s*)?(?:{agencies})(?:\s*(?:photo|foto|images?|pool|file)?\s*/[^)\]]+|\s+(?:photo|foto|images?|pool|file))?[)\]])\s*$")),
                    (Ending::Colon, r"[.!?]\s+(?P<credit>(?i:foto|photo|фото|bild|imagen|immagine|crédit photo|photo credit|credit|image)\s*:\s*[^.!?]{2,})$".to_owned()),
                    (Ending::Bracket, r"(?P<credit>\s*[(\[](?i:foto|photo|bild|image|imagen|immagine|crédit|credit|фото)\s*:\s*[^)\]]{2,}[)\]])\s*$".to_owned()),
                    (Ending::Agency, r"[.!?]\s*(?P<credit>(?:REUTERS|AFP|AP|EFE|ANSA|EPA|DPA|TASS|ТАСС|РИА Новости)(?:\s*/\s*\p{L}[\p{L} .'’‘…–—-]+)?)$".to_owned()),
                ]
                .into_iter()
                .map(|(ending, pattern)| Regex::new(&pattern).ok().map(|re| (ending, re)))
                .collect::<Option<Vec<_>>>()?,
                picture_cue: Regex::new(
                    r"(?i)\b(?:in this (?:handout |undated |file )?(?:picture|photo|image|photograph|screen ?grab|video grab)|(?:is|are) (?:seen|pictured|shown)|pictured|poses?\b|posing|in an undated|handout (?:picture|photo|image)|file photo|photo (?:taken|released|provided)|(?:image|picture) (?:taken|released|provided)|imagen de archivo|foto de archivo|en la imagen|archivbild|archivfoto|auf dem bild|image d'archives|photo d'archives|sur la photo|foto de arquivo|imagem de arquivo|na foto|foto d'archivio|immagine d'archivio|nella foto|на фото|на снимке)",
                )
                .ok()?,
                wire_date_end: Regex::new(
                    r"(?i),\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),\s+(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2},\s+\d{4}\.\s*$",
                )
                .ok()?,
            })
        })
        .as_ref()
}

/// The document stage for captions.
///
/// Blocks the structure stage marked [`BlockKind::Caption`] (an HTML
/// `figcaption`, or an element named caption or credit) go unless `keep_marked`
/// is set; captions found by their wording in text always go.
///
/// ```
/// use thresh::strip::Captions;
/// use thresh::{Block, BlockKind, Document, Metadata, Stage};
/// let mut doc = Document::new(Metadata::default(), vec![
///     Block::new(BlockKind::Paragraph, "The bridge opened on Monday."),
///     Block::new(BlockKind::Caption, "The bridge at dawn."),
/// ]);
/// Captions::default().apply(&mut doc);
/// assert_eq!(doc.kept().count(), 1);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Captions {
    /// Keep blocks marked as captions by the structure stage.
    pub keep_marked: bool,
}

impl Stage for Captions {
    fn name(&self) -> &str {
        "captions"
    }

    fn apply(&self, doc: &mut Document) {
        let Some(p) = patterns() else {
            return;
        };
        let drop_marked = !self.keep_marked && !captions_are_the_text(doc);
        for index in 0..doc.blocks.len() {
            let block = &mut doc.blocks[index];
            if !block.is_kept() {
                continue;
            }
            if block.kind == BlockKind::Caption && drop_marked {
                block.remove(RULE, "a picture caption");
                continue;
            }
            handle_block(doc, index, p);
        }
        drop_descriptions_above_credits(doc, p);
    }
}

/// Words a block needs to count as text of its own beside the captions.
const TEXT_WORDS: usize = 20;

/// True when the marked captions are all the text there is: a photo
/// gallery or a picture post tells its story in the captions, and
/// dropping them would leave nothing.
fn captions_are_the_text(doc: &Document) -> bool {
    let mut kept = doc.blocks.iter().filter(|b| b.is_kept());
    !kept
        .clone()
        .any(|b| b.kind != BlockKind::Caption && word_count(&b.text) >= TEXT_WORDS)
        && kept.any(|b| b.kind == BlockKind::Caption && word_count(&b.text) >= TEXT_WORDS)
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

fn is_caption_sentence(sentence: &str, p: &Patterns) -> bool {
    word_count(sentence) <= MAX_CAPTION_WORDS
        && (p.picture_cue.is_match(sentence) || p.wire_date_end.is_match(sentence))
}

fn handle_block(doc: &mut Document, index: usize, p: &Patterns) {
    let text = &doc.blocks[index].text;
    if let Some(credit_start) = credit_start(text, p) {
        let body = &text[..credit_start];
        let start = last_sentence_start(body);
        let last = &body[start..];
        // A paragraph of one short sentence and a credit is a caption; in a
        // longer paragraph the last sentence, glued to the credit, is.
        let glued_caption = word_count(last) <= MAX_GLUED_CAPTION_WORDS;
        let cut_from = if glued_caption || is_caption_sentence(last, p) {
            start
        } else {
            credit_start
        };
        let keep = text[..cut_from].trim_end();
        let keep_len = keep.len();
        let whole = keep.is_empty() || word_count(keep) < 3;
        let block = &mut doc.blocks[index];
        if whole {
            block.remove(RULE, "photo caption with its credit");
        } else {
            let len = block.text.len() - keep_len;
            block.trim(
                Edge::End,
                len,
                RULE,
                "photo caption and credit glued to the paragraph",
            );
        }
        return;
    }
    let wire_caption = may_end_with_wire_date(text)
        && word_count(text) <= MAX_CAPTION_WORDS
        && p.wire_date_end.is_match(text)
        && !text.contains(['"', '“', '”']);
    if wire_caption {
        doc.blocks[index].remove(
            RULE,
            "photo caption (wire style, ends with the picture's date)",
        );
    }
}

/// A credit is at most this long. The patterns leave the bound to this
/// check: a counted repeat of a Unicode class (`[^.!?]{2,80}`) compiles to
/// eighty copies of the class, and searching with it cost 40,000
/// instructions a block.
const MAX_CREDIT_CHARS: usize = 120;

/// Credits are short: only this many bytes at the end of a block are searched.
const CREDIT_WINDOW: usize = 240;

/// Where the earliest credit at the end of the text begins.
fn credit_start(text: &str, p: &Patterns) -> Option<usize> {
    let mut from = text.len().saturating_sub(CREDIT_WINDOW);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = &text[from..];
    let ending = Endings::of(window);
    p.credit_suffix
        .iter()
        .filter(|(kind, _)| ending.allows(*kind))
        .filter_map(|(_, re)| re.captures(window))
        .filter_map(|c| c.name("credit"))
        .filter(|credit| credit.as_str().trim().chars().count() <= MAX_CREDIT_CHARS)
        .map(|credit| from + credit.start())
        .min()
}

/// What a credit pattern needs at the end of a block, checked before the
/// pattern runs: most blocks end in none of these, and the patterns are
/// the costliest part of the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// A closing bracket: "(AP Photo/Jane Doe)", "[Foto: dpa]".
    Bracket,
    /// A colon in the last sentence: "Photo: Reuters".
    Colon,
    /// An agency in capitals, or a slash: "REUTERS/Jane Doe".
    Agency,
}

/// The endings a block's last bytes could hold.
struct Endings {
    bracket: bool,
    colon: bool,
    agency: bool,
}

impl Endings {
    fn of(window: &str) -> Endings {
        let trimmed = window.trim_end();
        let last_word = trimmed.rsplit(char::is_whitespace).next().unwrap_or("");
        let capitals = last_word.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !last_word.chars().any(char::is_lowercase);
        // The text after a credit's colon runs to the end without a full stop.
        let colon = memchr::memrchr(b':', trimmed.as_bytes())
            .is_some_and(|at| !trimmed[at..].contains(['.', '!', '?']));
        Endings {
            bracket: trimmed.ends_with([')', ']']),
            colon,
            agency: (capitals && trimmed.ends_with(char::is_alphabetic))
                || memchr::memchr(b'/', trimmed.as_bytes()).is_some()
                || trimmed.ends_with("РИА Новости"),
        }
    }

    fn allows(&self, ending: Ending) -> bool {
        match ending {
            Ending::Bracket => self.bracket,
            Ending::Colon => self.colon,
            Ending::Agency => self.agency,
        }
    }
}

/// A cheap test for the wire-caption date ending: a year and a full stop.
fn may_end_with_wire_date(text: &str) -> bool {
    let bytes = text.trim_end().as_bytes();
    bytes.len() > 6
        && bytes.ends_with(b".")
        && bytes[bytes.len() - 5..bytes.len() - 1]
            .iter()
            .all(u8::is_ascii_digit)
}

/// The byte offset where the last sentence of `text` starts: after the last
/// ". " (or "? ", "! ") that is followed by a capital letter or a quote.
fn last_sentence_start(text: &str) -> usize {
    let trimmed = text.trim_end();
    let bytes = trimmed.as_bytes();
    let search_end = trimmed.len().saturating_sub(2);
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate().take(search_end) {
        if matches!(b, b'.' | b'?' | b'!') && bytes[i + 1] == b' ' {
            let next = &trimmed[i + 2..];
            if next.starts_with(|c: char| c.is_uppercase() || c == '"' || c == '“') {
                start = i + 2;
            }
        }
    }
    start
}

/// A short picture description directly above a line the caption rule dropped.
fn drop_descriptions_above_credits(doc: &mut Document, p: &Patterns) {
    for index in 1..doc.blocks.len() {
        let credit_below = doc.blocks[index]
            .removed
            .as_ref()
            .is_some_and(|r| r.rule == RULE)
            && doc.blocks[index].trims.is_empty();
        let above = &doc.blocks[index - 1];
        if credit_below && above.is_kept() && is_caption_sentence(&above.text, p) {
            doc.blocks[index - 1].remove(RULE, "photo caption above its credit");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, BlockKind};

    #[test]
    fn marked_captions_stay_when_they_are_all_the_text() {
        let story = "Lindsay Lohan looked a tad too done up after a night out on July 21, as she got into the driver's seat of her car with a face full of lipstick and eyeliner.";
        let caption = |text: &str| Block::new(BlockKind::Caption, text);
        let mut gallery = Document {
            blocks: vec![
                Block::new(BlockKind::Heading(1), "Heavy on makeup"),
                caption(story),
            ],
            ..Document::default()
        };
        Captions::default().apply(&mut gallery);
        assert!(gallery.blocks[1].is_kept());

        let mut article = gallery.clone();
        article.blocks[1].kind = BlockKind::Caption;
        article
            .blocks
            .insert(1, Block::new(BlockKind::Paragraph, story));
        article.blocks[2].removed = None;
        Captions::default().apply(&mut article);
        assert!(!article.blocks[2].is_kept());
    }

    fn run(lines: &[&str]) -> Document {
        let mut doc = Document {
            blocks: lines
                .iter()
                .map(|l| Block::new(BlockKind::Paragraph, *l))
                .collect(),
            ..Document::default()
        };
        Captions::default().apply(&mut doc);
        doc
    }

    #[test]
    fn glued_caption_and_credit_are_cut() {
        let doc = run(&["Russia and Ukraine each released 390 prisoners on Friday. Ukrainian prisoners of war are seen after a swap, in this handout picture released May 23, 2025.(via REUTERS)"]);
        assert_eq!(
            doc.blocks[0].text,
            "Russia and Ukraine each released 390 prisoners on Friday."
        );
        assert!(doc.blocks[0].trims[0].text.ends_with("(via REUTERS)"));
    }

    #[test]
    fn a_short_sentence_with_a_credit_is_a_caption() {
        let doc =
            run(&["Firefighters battle the blaze above the town at dusk. (AP Photo/Jane Doe)"]);
        assert!(!doc.blocks[0].is_kept());
    }

    #[test]
    fn only_the_credit_goes_after_a_long_sentence() {
        let long = "The storm, which forecasters had tracked for a week as it gathered strength over warm water, hit the coast at dawn, tore roofs from hundreds of homes along the bay, flooded the main road in three places and cut power to tens of thousands of households across four counties before it weakened over the hills in the afternoon.";
        let doc = run(&[&format!("{long} (AP Photo/Jane Doe)")]);
        assert_eq!(doc.blocks[0].text, long);
    }

    /// The normalize stage makes curly apostrophes, ellipses and dashes
    /// ASCII after this stage has run: a photographer's name is the same
    /// credit before and after, or cleaning the cleaned text would cut it.
    /// A name starts with a letter, so an ellipsis, one character before
    /// and three after, is never a name.
    #[test]
    fn an_agency_credit_reads_the_same_before_and_after_normalization() {
        for name in [
            "Siobhan O’Connor",
            "Siobhan O'Connor",
            "Anna…Lindqvist",
            "Anna Lindqvist–Berg",
        ] {
            let doc = run(&[&format!(
                "The fund's headquarters in Oslo, Norway, January 14, 2025. REUTERS/{name}"
            )]);
            assert!(!doc.blocks[0].is_kept(), "{name}");
        }
        for not_a_name in ["…", "..."] {
            let doc = run(&[&format!("Shares rose. REUTERS/{not_a_name}")]);
            assert!(doc.blocks[0].is_kept(), "{not_a_name}");
        }
    }

    #[test]
    fn wire_caption_paragraph_goes() {
        let doc = run(&["A Ukrainian serviceman hugs his wife after returning from captivity, in Chernihiv region, Ukraine, Friday, May 23, 2025."]);
        assert!(!doc.blocks[0].is_kept());
    }

    #[test]
    fn reporting_with_a_date_stays() {
        let doc = run(&["\"We will return everyone,\" he said on Friday, May 23, 2025."]);
        assert!(doc.blocks[0].is_kept());
    }
}
