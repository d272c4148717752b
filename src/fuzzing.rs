//! Fuzz target bodies and the property checks they share with the property
//! tests (`tests/properties.rs`).
//!
//! Every target takes the fuzzer's raw bytes and returns `Ok(())`, or
//! `Err` naming the property the input broke; none of them panics, so a
//! panic in a fuzz run is always a bug in the library. `fuzz/fuzz_targets/`
//! holds one-line wrappers that panic on `Err`, and `tests/fuzz_replay.rs`
//! runs every committed corpus and regression file through the same
//! functions on stable Rust.
//!
//! Structured targets read their options from the first [`OPTION_BYTES`]
//! bytes and take the rest as the document. Zero bytes select the defaults,
//! so a plain file behind eight zero bytes is cleaned exactly as the CLI
//! would clean it; that is how the corpora are seeded from `fixtures/` and
//! `seeds/`. A fixed header is used rather than `arbitrary`'s derive: the
//! mutator reaches every option just as well by flipping header bits, the
//! library needs no extra dependency, and a corpus file stays a readable
//! document.

use crate::article::Article;
use crate::batch::{Batch, BatchOptions, Control, JsonlOptions};
use crate::decode::decode as decode_bytes;
use crate::document::{Block, BlockKind, Document, Edge};
use crate::error::Error;
use crate::input::{Input, InputKind};
use crate::normalize::{DashStyle, EllipsisStyle, Normalizer, QuoteStyle};
use crate::pipeline::{Limits, Pipeline, PipelineBuilder};
use crate::repair::RepairOptions;
use crate::structure::TextStructure;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// `Ok`, or the property an input broke and how.
pub type Outcome = Result<(), String>;

/// A fuzz target body.
pub type Target = fn(&[u8]) -> Outcome;

/// Every target, by the name of its `fuzz/fuzz_targets/` file and corpus directory.
pub const TARGETS: &[(&str, Target)] = &[
    ("decode", decode),
    ("repair", repair),
    ("structure_text", structure_text),
    ("structure_html", structure_html),
    ("strip", strip),
    ("normalize", normalize),
    ("pipeline", pipeline),
    ("jsonl", jsonl),
];

/// The depth limit header byte 6 can set: small enough that the fuzzer's
/// short pages reach it.
pub const SMALL_DOM_DEPTH: usize = 8;

/// How many leading bytes of a structured input choose the options.
pub const OPTION_BYTES: usize = 8;

/// The built-in document stages, in chain order, as the option header
/// numbers them.
const STAGES: [&str; 7] = [
    "rules",
    "captions",
    "dates",
    "tail",
    "dedup",
    "boilerplate",
    "normalize",
];

/// Transport charsets the header can pass as a hint: the common ones, a
/// multi-byte one of each family, UTF-16, and labels that are not charsets.
const CHARSETS: [&str; 14] = [
    "utf-8",
    "windows-1252",
    "iso-8859-2",
    "iso-8859-5",
    "iso-8859-7",
    "windows-1251",
    "koi8-r",
    "shift_jis",
    "gbk",
    "euc-kr",
    "big5",
    "utf-16le",
    "utf-16be",
    " bogus label ",
];

/// URLs the header can pass: top-level domains that steer the guess, and
/// strings that are not URLs.
const URLS: [&str; 6] = [
    "https://news.example.ru/a",
    "https://www.example.jp/b?c",
    "http://example.cn:8080/",
    "https://example.com/story",
    "not a url",
    "https://",
];

/// The options of a structured input, decoded from its header bytes.
///
/// | byte | bits | option (0 is the default) |
/// |---|---|---|
/// | 0 | 0-1, 2, 3, 4-5 | quotes (ascii, curly, keep), ASCII dashes, ASCII ellipses, input kind (auto, text, html) |
/// | 1 | 0-6, 7 | repair fixes switched *off*, in [`RepairOptions::fix_names`] order; title detection off |
/// | 2 | all | charset hint: none, or one of a fixed list |
/// | 3 | all | URL: none, or one of a fixed list |
/// | 4 | all | `max_blocks`: default, or this small number |
/// | 5 | all | `max_line_bytes`: default, or four times this |
/// | 6 | 0-6, 7 | document stages removed, in chain order; `max_dom_depth` of [`SMALL_DOM_DEPTH`] |
/// | 7 | all | `max_input_bytes` and `max_decompressed_bytes`: default, or 64 times this |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options([u8; OPTION_BYTES]);

impl Options {
    /// Splits a structured input into its options and its document.
    pub fn split(data: &[u8]) -> (Options, &[u8]) {
        let at = data.len().min(OPTION_BYTES);
        let mut header = [0; OPTION_BYTES];
        header[..at].copy_from_slice(&data[..at]);
        (Options(header), &data[at..])
    }

    /// The header bytes, to build an input from options and a document.
    pub fn to_bytes(self) -> [u8; OPTION_BYTES] {
        self.0
    }

    /// The normalization options.
    pub fn normalizer(self) -> Normalizer {
        let b = self.0[0];
        Normalizer {
            quotes: [QuoteStyle::Ascii, QuoteStyle::Curly, QuoteStyle::Keep][(b & 3) as usize % 3],
            dashes: if b & 4 != 0 {
                DashStyle::Ascii
            } else {
                DashStyle::Keep
            },
            ellipses: if b & 8 != 0 {
                EllipsisStyle::Ascii
            } else {
                EllipsisStyle::Keep
            },
        }
    }

    /// How inputs are read.
    pub fn input_kind(self) -> InputKind {
        [InputKind::Auto, InputKind::Text, InputKind::Html][(self.0[0] >> 4 & 3) as usize % 3]
    }

    /// The repair fixes.
    pub fn repair(self) -> RepairOptions {
        let off = |bit: u8| self.0[1] & (1 << bit) != 0;
        RepairOptions {
            entities: !off(0),
            mojibake: !off(1),
            controls: !off(2),
            invisibles: !off(3),
            line_breaks: !off(4),
            spaces: !off(5),
            nfc: !off(6),
        }
    }

    /// Whether the first line may become the title.
    pub fn detect_title(self) -> bool {
        self.0[1] & 0x80 == 0
    }

    /// The transport charset hint.
    pub fn charset(self) -> Option<&'static str> {
        pick(&CHARSETS, self.0[2])
    }

    /// The URL hint.
    pub fn url(self) -> Option<&'static str> {
        pick(&URLS, self.0[3])
    }

    /// The limits.
    pub fn limits(self) -> Limits {
        let default = Limits::default();
        let or = |byte: u8, scale: usize, default: usize| match byte {
            0 => default,
            n => n as usize * scale,
        };
        Limits {
            max_blocks: or(self.0[4], 1, default.max_blocks),
            max_line_bytes: or(self.0[5], 4, default.max_line_bytes),
            max_input_bytes: or(self.0[7], 64, default.max_input_bytes),
            max_decompressed_bytes: or(self.0[7], 64, default.max_decompressed_bytes),
            max_dom_depth: match self.0[6] & 0x80 {
                0 => default.max_dom_depth,
                _ => SMALL_DOM_DEPTH,
            },
        }
    }

    /// The document stages removed from the default chain.
    pub fn removed_stages(self) -> Vec<&'static str> {
        (0..STAGES.len())
            .filter(|&i| self.0[6] & (1 << i) != 0)
            .map(|i| STAGES[i])
            .collect()
    }

    /// True when the chain keeps the normalize stage.
    pub fn normalizes(self) -> bool {
        !self.removed_stages().contains(&"normalize")
    }

    /// A pipeline builder with every option applied.
    pub fn builder(self) -> PipelineBuilder {
        let builder = Pipeline::builder()
            .repair(self.repair())
            .normalizer(self.normalizer())
            .input_kind(self.input_kind())
            .limits(self.limits())
            .detect_title(self.detect_title());
        self.removed_stages()
            .into_iter()
            .fold(builder, |builder, stage| builder.without(stage))
    }

    /// The same pipeline with no document stage: decode, repair and
    /// structure only, to compare the stages' work with.
    pub fn structure_only(self) -> PipelineBuilder {
        let removed = self.removed_stages();
        STAGES
            .iter()
            .filter(|stage| !removed.contains(stage))
            .fold(self.builder(), |builder, stage| builder.without(stage))
    }

    /// The input with the charset and URL hints applied.
    pub fn input(self, bytes: &[u8]) -> Input<'_> {
        let mut input = Input::new(bytes);
        if let Some(charset) = self.charset() {
            input = input.charset(charset);
        }
        if let Some(url) = self.url() {
            input = input.url(url);
        }
        input
    }
}

fn pick<T: Copy>(choices: &[T], byte: u8) -> Option<T> {
    match byte {
        0 => None,
        n => choices.get((n as usize - 1) % choices.len()).copied(),
    }
}

fn fail(property: &str, detail: impl std::fmt::Debug) -> Outcome {
    Err(format!("{property}: {detail:?}"))
}

fn ensure(holds: bool, property: &str, detail: impl std::fmt::Debug) -> Outcome {
    if holds {
        Ok(())
    } else {
        fail(property, detail)
    }
}

// ---------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------

/// Legacy encodings the decode round trip uses: each is a charset label
/// whose encoder is the same encoding (UTF-16 is encoded by hand).
const ROUND_TRIP: [&str; 12] = [
    "windows-1252",
    "iso-8859-2",
    "iso-8859-5",
    "iso-8859-7",
    "iso-8859-15",
    "windows-1251",
    "koi8-r",
    "shift_jis",
    "gbk",
    "euc-kr",
    "utf-16le",
    "utf-16be",
];

/// Decode: any bytes with any hint decode without panicking; valid UTF-8
/// with no hint and no BOM comes back unchanged; and the document (taken as
/// text) encoded into a legacy encoding and declared comes back exactly
/// (see [`check_round_trip`]).
pub fn decode(data: &[u8]) -> Outcome {
    let (options, document) = Options::split(data);
    let decoded = decode_bytes(document, options.charset(), options.url());
    if options.charset().is_none() && crate::decode::prescan(document).is_none() {
        if let Ok(text) = std::str::from_utf8(document) {
            if !text.starts_with('\u{FEFF}') {
                ensure(decoded.text == text, "valid UTF-8 decodes to itself", text)?;
            }
        }
    }
    let text = String::from_utf8_lossy(document);
    let label = ROUND_TRIP[options.0[0] as usize % ROUND_TRIP.len()];
    let declaration =
        [Declaration::Hint, Declaration::Meta, Declaration::Bom][options.0[1] as usize % 3];
    check_round_trip(&text, label, declaration)
}

/// How a round-trip test declares the encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declaration {
    /// As a transport hint.
    Hint,
    /// In a `<meta charset>` at the start of the bytes (legacy encodings
    /// only: the WHATWG prescan reads UTF-16 declarations as UTF-8).
    Meta,
    /// As a byte order mark (UTF-16 only).
    Bom,
}

/// Encodes `text` with the encoding `label` names, declares it, decodes it,
/// and checks that the text comes back, as the encoding itself reads it
/// back (which is the text, but for the rare code points an encoding
/// folds into another's bytes). Cases outside the property pass:
/// text the encoding cannot represent, a declaration the encoding cannot
/// have (a BOM for a legacy encoding, `<meta>` for UTF-16), bytes that
/// start with a byte order mark of their own, and bytes that are also valid
/// non-ASCII UTF-8, which decode prefers to any declaration on purpose
/// (servers and templates mislabel UTF-8 pages far more often than legacy
/// bytes happen to validate).
pub fn check_round_trip(text: &str, label: &str, declaration: Declaration) -> Outcome {
    let Some(encoding) = encoding_rs::Encoding::for_label(label.as_bytes()) else {
        return fail("round-trip label", label);
    };
    let utf16 = match label {
        "utf-16le" => Some(false),
        "utf-16be" => Some(true),
        _ => None,
    };
    let (text, bytes): (Cow<'_, str>, Option<Vec<u8>>) = match (utf16, declaration) {
        (Some(big_endian), Declaration::Hint | Declaration::Bom) => {
            let mut bytes = Vec::new();
            if declaration == Declaration::Bom {
                bytes.extend(if big_endian {
                    [0xFE, 0xFF]
                } else {
                    [0xFF, 0xFE]
                });
            }
            for unit in text.encode_utf16() {
                let pair = if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                };
                bytes.extend(pair);
            }
            (Cow::Borrowed(text), Some(bytes))
        }
        (None, Declaration::Hint) => (Cow::Borrowed(text), encode(encoding, text)),
        (None, Declaration::Meta) => {
            let page = format!("<meta charset=\"{label}\">{text}");
            let bytes = encode(encoding, &page);
            (Cow::Owned(page), bytes)
        }
        _ => return Ok(()),
    };
    // Text outside the encoding's repertoire has nothing to round-trip.
    let Some(bytes) = bytes else {
        return Ok(());
    };
    let hint = (declaration == Declaration::Hint).then_some(label);
    let starts_with_bom = encoding_rs::Encoding::for_bom(&bytes).is_some();
    let bom_is_the_declaration = declaration == Declaration::Bom;
    let utf8_wins = utf16.is_none() && !bytes.is_ascii() && std::str::from_utf8(&bytes).is_ok();
    if (starts_with_bom && !bom_is_the_declaration) || utf8_wins {
        return Ok(());
    }
    if utf16.is_some() && declaration == Declaration::Hint && text.starts_with('\u{FEFF}') {
        return Ok(());
    }
    // A few code points share their bytes with another (Shift_JIS has one
    // code for U+2212 and U+FF0D): the encoding itself reads those back as
    // the other, and decode can only do as the encoding does.
    let expected = match utf16 {
        Some(_) => text.clone(),
        None => encoding.decode_without_bom_handling(&bytes).0,
    };
    let decoded = decode_bytes(&bytes, hint, None);
    ensure(
        decoded.text == expected && !decoded.had_errors,
        "decode round trip",
        (label, declaration, &text, &decoded.text),
    )
}

/// The text in the encoding, or `None` when the encoding cannot represent it.
fn encode(encoding: &'static encoding_rs::Encoding, text: &str) -> Option<Vec<u8>> {
    let (bytes, _, unmappable) = encoding.encode(text);
    (!unmappable).then(|| bytes.into_owned())
}

/// Repair: any text with any set of fixes; the result is a fixed point
/// ([`check_repair`]). The document's first [`CONTEXT_WORDS`] bytes also
/// spell a line of words, each mojibaked 0 to 3 times with the codec
/// header byte 2 picks, whose repair must not depend on the context
/// ([`check_mojibake_in_context`]).
pub fn repair(data: &[u8]) -> Outcome {
    let (options, document) = Options::split(data);
    let text = String::from_utf8_lossy(document);
    check_repair(&options.repair(), &text)?;
    let codec = MOJIBAKE_CODECS[usize::from(options.0[2]) % MOJIBAKE_CODECS.len()];
    let words: Vec<(&str, u8)> = document
        .iter()
        .take(CONTEXT_WORDS)
        .map(|&b| {
            (
                MOJIBAKE_WORDS[usize::from(b) % MOJIBAKE_WORDS.len()],
                b >> 6,
            )
        })
        .collect();
    check_mojibake_in_context(&options.repair(), codec, &words)
}

/// How many words [`repair`] builds a mojibake line from.
pub const CONTEXT_WORDS: usize = 16;

/// Words in the scripts mojibake hits, and the punctuation that travels
/// with them; 64 of them, so one byte picks a word and its top two bits
/// the layers of mojibake.
pub const MOJIBAKE_WORDS: [&str; 64] = [
    "東京",
    "政府は",
    "発表した",
    "ニュース",
    "です",
    "北京",
    "政府",
    "经济",
    "发展",
    "的",
    "了",
    "서울",
    "정부는",
    "합의",
    "Москва",
    "обмен",
    "заявил",
    "ещё",
    "всё",
    "в",
    "и",
    "Αθήνα",
    "κυβέρνηση",
    "νέα",
    "η",
    "και",
    "Łódź",
    "część",
    "žluťoučký",
    "kůň",
    "Gdańsk",
    "café",
    "était",
    "très",
    "à",
    "Noël",
    "façade",
    "brûlée",
    "où",
    "déjà",
    "Straße",
    "über",
    "Größe",
    "heißt",
    "Hà",
    "Nội",
    "thỏa",
    "thuận",
    "“quoted”",
    "‘single’",
    "it’s",
    "—",
    "–",
    "…",
    "€5",
    "£3",
    "±2",
    "°C",
    "«guillemets»",
    "the",
    "council",
    "said",
    "1",
    "東",
];

/// Legacy codecs whose mojibake [`check_mojibake_in_context`] covers: the
/// ones the repair knows, but MacRoman, whose mojibake is often repaired
/// differently beside other text (a gap of the badness heuristic, which
/// does not lose text but leaves it broken).
pub const MOJIBAKE_CODECS: [&str; 7] = [
    "windows-1252",
    "windows-1251",
    "windows-1250",
    "windows-1253",
    "windows-1254",
    "windows-1257",
    "iso-8859-2",
];

/// `text` as it reads after `layers` rounds of being encoded as UTF-8 and
/// decoded with the codec `label` names.
pub fn mojibake(text: &str, layers: u8, label: &str) -> String {
    let encoding =
        encoding_rs::Encoding::for_label(label.as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252);
    let mut text = text.to_owned();
    for _ in 0..layers {
        text = encoding
            .decode_without_bom_handling(text.as_bytes())
            .0
            .into_owned();
    }
    text
}

/// **Mojibake round trip in context**: mojibake is repaired the same beside
/// other words as on its own. For words each mojibaked some number of
/// times, whenever repair restores every word on its own, it restores the
/// line of them joined by spaces. Repairing one character's worth of
/// mojibake at a time broke this (`Ã¦Â\u{9d}Â± 東`, 東 twice over beside a
/// clean 東, lost its C1 control and became `æ± 東`), and so did judging a
/// run without the letters around it, a layer that looks no better than
/// the last, and a false UTF-8 sequence that hid the real one.
pub fn check_mojibake_in_context(
    options: &RepairOptions,
    codec: &str,
    words: &[(&str, u8)],
) -> Outcome {
    let mut clean = Vec::with_capacity(words.len());
    let mut dirty = Vec::with_capacity(words.len());
    for &(word, layers) in words {
        let broken = mojibake(word, layers, codec);
        if options.repair(&broken) != options.repair(word) {
            return Ok(());
        }
        clean.push(word);
        dirty.push(broken);
    }
    let (clean, dirty) = (clean.join(" "), dirty.join(" "));
    let (want, got) = (options.repair(&clean), options.repair(&dirty));
    ensure(
        want == got,
        "mojibake is repaired the same in context as alone",
        (codec, &dirty, &got, &want),
    )
}

/// Repair is idempotent, and each fix that is on leaves none of what it
/// removes: no C0 or C1 controls, no invisible format characters, no line
/// breaks but `\n`, no fixed-width spaces, and NFC.
pub fn check_repair(options: &RepairOptions, text: &str) -> Outcome {
    let once = options.repair(text);
    let twice = options.repair(&once);
    ensure(once == twice, "repair is idempotent", (text, &once, &twice))?;
    for c in once.chars() {
        let left_behind = (options.controls
            && (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{B}' | '\u{C}')))
            || (options.line_breaks
                && matches!(c, '\r' | '\u{B}' | '\u{C}' | '\u{2028}' | '\u{2029}'))
            || (options.spaces
                && matches!(
                    c,
                    '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}'
                ))
            || (options.invisibles
                && matches!(c, '\u{AD}' | '\u{200B}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'));
        if left_behind {
            return fail("repair leaves nothing it fixes", (c, &once));
        }
    }
    ensure(
        !options.nfc || unicode_normalization::is_nfc(&once),
        "repair output is NFC",
        &once,
    )
}

/// Structure of text: any text splits into blocks or a block-limit error
/// ([`check_structure`]).
pub fn structure_text(data: &[u8]) -> Outcome {
    let (options, document) = Options::split(data);
    let text = String::from_utf8_lossy(document);
    let limits = options.limits();
    let structure = TextStructure {
        max_blocks: limits.max_blocks,
        max_line_bytes: limits.max_line_bytes,
        detect_title: options.detect_title(),
    };
    check_structure(&structure, &text)
}

/// Text structure makes blocks of non-empty trimmed text that appear in
/// the input in order (whitespace aside: hard-wrapped lines are joined), no
/// more of them than the limit, or refuses with the block limit.
pub fn check_structure(structure: &TextStructure, text: &str) -> Outcome {
    match structure.build(text) {
        Err(Error::TooManyBlocks { limit }) => ensure(
            limit == structure.max_blocks,
            "block limit error names the limit",
            limit,
        ),
        Err(other) => fail("text structure fails only on the block limit", other),
        Ok(doc) => {
            ensure(
                doc.blocks.len() <= structure.max_blocks,
                "block count within the limit",
                doc.blocks.len(),
            )?;
            for block in &doc.blocks {
                let trimmed = !block.text.is_empty() && block.text.trim() == block.text;
                ensure(trimmed, "blocks are trimmed and non-empty", &block.text)?;
            }
            let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
            in_order(&squeeze(text), texts.iter().map(|t| squeeze(t)))
                .map_err(|e| format!("structure keeps the text in order: {e}"))
        }
    }
}

/// HTML structure, through the public pipeline: HTML input gives an article
/// whose audit adds up ([`check_article`]) and, with the default repairs and
/// normalization, normalized text ([`check_normalized`]); or a clear error
/// ([`check_error`]), as every page gets until HTML extraction lands.
pub fn structure_html(data: &[u8]) -> Outcome {
    let (options, document) = Options::split(data);
    let Ok(pipeline) = options.builder().input_kind(InputKind::Html).build() else {
        return fail("builder", options);
    };
    let result = pipeline.clean(options.input(document).kind(InputKind::Html));
    if !crate::limits::is_gzip(document) {
        let text = decode_bytes(document, options.charset(), options.url()).text;
        check_depth_limit(&text, options.limits().max_dom_depth, &result)?;
        check_skipped_bodies(&text, options.limits().max_dom_depth)?;
    }
    match result {
        Ok(article) => {
            check_article(&article)?;
            if options.repair() == RepairOptions::default() && options.normalizes() {
                check_normalized(&article, options.normalizer().quotes)?;
            }
            Ok(())
        }
        Err(error) => check_error(&error, &options.limits()),
    }
}

/// Leaving the script and style bodies and the drawings out before
/// parsing changes the tree by those alone: it equals the whole page's
/// tree less their text and content. Only pages within the depth limit
/// are compared, as only those are parsed whole in linear time.
pub fn check_skipped_bodies(text: &str, limit: usize) -> Outcome {
    use crate::structure::html::{parse, skip};
    if text.len() > 64 * 1024 || parse::deepest_placement(text) > limit {
        return Ok(());
    }
    let whole = parse::parse_whole(text);
    if dom_depth(&whole) > limit + 1 {
        return Ok(());
    }
    let Ok(cut) = parse::parse(text, usize::MAX) else {
        return Err("parsing without a depth limit failed".to_owned());
    };
    ensure(
        skip::outline(&cut) == skip::outline(&whole),
        "the tree without the skipped bodies is the whole page's tree less them",
        text,
    )
}

/// The depth limit holds the page to the depth at which the parser places
/// its elements, measured here in one pass without a limit, and to the
/// finished tree, parsed as scraper parses it: a page refused for its
/// depth had an element placed deeper than the limit or nests deeper when
/// finished, and a page that is cleaned had none placed deeper and nests
/// at most one level deeper when finished. (The adoption agency can move
/// a placed subtree one level down, which the walk sees only in the tree
/// it walks; and it can lift a block out of any number of formatting
/// elements, so a page refused as it was parsed can end up shallow.) A
/// count of tags in the markup broke the first half: a page of unclosed
/// headings, which the parser sets side by side, was refused as deep.
pub fn check_depth_limit(text: &str, limit: usize, result: &Result<Article, Error>) -> Outcome {
    // The page as the parser reads it: the bodies nothing reads are left
    // out before parsing (see `structure::html::skip`).
    let parsed = crate::structure::html::skip::kept_text(text);
    let depth = dom_depth(&scraper::Html::parse_document(&parsed));
    let placed = crate::structure::html::parse::deepest_placement(text);
    match result {
        Err(Error::DomTooDeep { .. }) => ensure(
            placed > limit || depth > limit,
            "only pages deeper than the limit are refused as deep",
            (placed, depth, limit),
        ),
        Ok(_) => ensure(
            placed <= limit && depth <= limit + 1,
            "a page deeper than the limit is refused",
            (placed, depth, limit),
        ),
        Err(_) => Ok(()),
    }
}

/// The depth of the deepest element (`<html>` is at 1).
fn dom_depth(html: &scraper::Html) -> usize {
    let (mut depth, mut deepest) = (0usize, 0);
    for edge in html.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) if node.value().is_element() => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ego_tree::iter::Edge::Close(node) if node.value().is_element() => depth -= 1,
            _ => {}
        }
    }
    deepest
}

/// Strip: the strip stages only remove whole blocks and cut prefixes and
/// suffixes ([`check_strip`]).
pub fn strip(data: &[u8]) -> Outcome {
    let (options, document) = Options::split(data);
    // Text input, so there is something to strip, and no normalization, so
    // that the kept text can be compared with the blocks byte for byte.
    let mut header = options.to_bytes();
    header[0] = header[0] & !0x30 | 0x10;
    header[6] |= 0x40;
    let options = Options(header);
    let Ok(structure_only) = options.structure_only().build() else {
        return fail("builder", options);
    };
    let Ok(stripping) = options.builder().build() else {
        return fail("builder", options);
    };
    let input = options.input(document);
    match (structure_only.clean(input), stripping.clean(input)) {
        (Ok(before), Ok(after)) => check_strip(before.document(), after.document()),
        (Err(a), Err(b)) if a == b => check_error(&a, &options.limits()),
        (a, b) => fail(
            "strip fails exactly when structure does",
            (a.err(), b.err()),
        ),
    }
}

/// The strip stages keep every block in place: each one's text is either
/// unchanged, or what remains after cutting pieces off its ends, and those
/// pieces (in cut order) with the remainder spell the original block.
pub fn check_strip(before: &Document, after: &Document) -> Outcome {
    check_accounted(before, after, None)?;
    for (old, new) in before.blocks.iter().zip(&after.blocks) {
        ensure(
            old.text.contains(new.text.as_str()),
            "strip keeps a contiguous part of each block",
            (&old.text, &new.text),
        )?;
        ensure(
            old.removed.is_none() || new.removed == old.removed,
            "a removal is never undone",
            (&old.removed, &new.removed),
        )?;
    }
    Ok(())
}

/// The stages kept every block of `before`, in order, and each block's
/// text (kept or removed) with its cut pieces spells the block as it was,
/// normalized the same way.
fn check_accounted(
    before: &Document,
    after: &Document,
    normalizer: Option<&Normalizer>,
) -> Outcome {
    ensure(
        before.blocks.len() == after.blocks.len(),
        "every block is accounted for, in order",
        (before.blocks.len(), after.blocks.len()),
    )?;
    for (old, new) in before.blocks.iter().zip(&after.blocks) {
        let rebuilt = rebuild(new);
        ensure(
            fold(&rebuilt, normalizer) == fold(&old.text, normalizer),
            "kept and removed text spell the original blocks",
            (&old.text, &rebuilt),
        )?;
    }
    Ok(())
}

/// The block's text with its cut pieces put back in place.
fn rebuild(block: &Block) -> String {
    let mut out = String::new();
    for trim in block.trims.iter().filter(|t| t.edge == Edge::Start) {
        out.push_str(&trim.text);
        out.push(' ');
    }
    out.push_str(&block.text);
    for trim in block.trims.iter().rev().filter(|t| t.edge == Edge::End) {
        out.push(' ');
        out.push_str(&trim.text);
    }
    out
}

/// Normalize: every normalizer on any text ([`check_normalizer`]).
pub fn normalize(data: &[u8]) -> Outcome {
    let (options, document) = Options::split(data);
    let text = String::from_utf8_lossy(document);
    check_normalizer(&options.normalizer(), &text)
}

/// Each of the normalizer's modes is idempotent; a block comes out with no
/// leading, trailing or doubled whitespace and no blank line; a line of
/// `fix` output with no trailing space; and ASCII quotes leave no curly ones.
pub fn check_normalizer(normalizer: &Normalizer, text: &str) -> Outcome {
    type Mode = for<'a> fn(&Normalizer, &'a str) -> Cow<'a, str>;
    let modes: [(&str, Mode); 3] = [
        ("inline", Normalizer::inline),
        ("preformatted", Normalizer::preformatted),
        ("lines", Normalizer::lines),
    ];
    for (name, mode) in modes {
        let once = mode(normalizer, text).into_owned();
        let twice = mode(normalizer, &once);
        ensure(
            once == twice,
            "normalize is idempotent",
            (name, text, &once),
        )?;
        if normalizer.quotes == QuoteStyle::Ascii {
            ensure(
                !once.contains(CURLY_QUOTES),
                "ASCII quotes leave no curly quote",
                (name, &once),
            )?;
        }
        let trailing = once.split('\n').any(|line| line.ends_with([' ', '\t']));
        ensure(!trailing, "no trailing spaces", (name, &once))?;
    }
    check_spacing(&normalizer.inline(text))
}

/// The quote marks [`QuoteStyle::Ascii`] replaces.
pub const CURLY_QUOTES: [char; 10] = [
    '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}', '\u{2032}', '\u{201C}', '\u{201D}', '\u{201E}',
    '\u{201F}', '\u{2033}',
];

/// No whitespace at either end, no whitespace but single spaces and
/// newlines, no space beside a newline, and no more than one blank line
/// in a row.
pub fn check_spacing(text: &str) -> Outcome {
    let bad = text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace)
        || text.contains("  ")
        || text.contains(" \n")
        || text.contains("\n ")
        || text.contains("\n\n\n")
        || text.contains(|c: char| c.is_whitespace() && c != ' ' && c != '\n');
    ensure(!bad, "whitespace is normalized", text)
}

/// The whole pipeline on any bytes with any options: an article or a
/// limit error, and an article passes [`check_article`] and, with the
/// default repairs and normalization, [`check_normalized`]; nothing in it
/// is invented ([`check_no_invention`]); the audit accounts for every block
/// ([`check_audit`]); and text-mode cleaning is idempotent
/// ([`check_idempotent`]).
pub fn pipeline(data: &[u8]) -> Outcome {
    let (options, document) = Options::split(data);
    let Ok(pipeline) = options.builder().build() else {
        return fail("builder", options);
    };
    let input = options.input(document);
    let article = match pipeline.clean(input) {
        Ok(article) => article,
        Err(error) => return check_error(&error, &options.limits()),
    };
    check_article(&article)?;
    if options.repair() == RepairOptions::default() && options.normalizes() {
        check_normalized(&article, options.normalizer().quotes)?;
    }
    check_idempotent(options, document)?;
    let normalizer = options.normalizes().then(|| options.normalizer());
    let Ok(structure_only) = options.structure_only().build() else {
        return fail("builder", options);
    };
    let structured = match structure_only.clean(input) {
        Ok(structured) => structured,
        Err(error) => return fail("structure fails where the pipeline did not", error),
    };
    // HTML is repaired block by block after the parse joined its text, so
    // its reference is the repaired blocks; text is repaired line by line,
    // as `fix` does.
    let (reference, meta_reference) = match article.meta().input_kind {
        InputKind::Html => {
            let blocks = blocks_text(structured.document());
            let page_meta = check_page_metadata(options, input, document)?;
            (blocks.clone(), blocks + "\n" + &page_meta)
        }
        _ => {
            let reference = reference_text(&options, input)?;
            (reference.clone(), reference)
        }
    };
    check_no_invention(&reference, &meta_reference, &article, normalizer.as_ref())?;
    check_audit(structured.document(), &article, normalizer.as_ref())
}

/// The document stages that judge a block by its neighbours or by totals
/// over the document: head-only rules and date lines (the head ends at the
/// second prose block), tails (the share of prose before a header), dedup
/// (which earlier block a shingle was first seen in) and boilerplate (a
/// block's class depends on its neighbours'). Removing junk changes all of
/// these, so they are not idempotent: see [`check_idempotent`].
pub const CONTEXT_STAGES: [&str; 5] = ["rules", "dates", "tail", "dedup", "boilerplate"];

/// Cleaning the cleaned text changes nothing, in text mode: decode,
/// repair, structure, captions and normalize are idempotent, whatever the
/// options. The second pass detects no title, and the
/// [`CONTEXT_STAGES`] are left out of both.
///
/// - A title cannot be detected again: the first pass moved the headline
///   to the metadata, which text output does not carry, and the cleaned
///   text's first line (a subheading, a one-line standfirst) then looks
///   just like a headline.
/// - The context stages decide each block from what surrounds it, which
///   the first pass's removals change: on the development sets 2-8% of
///   documents lose more text on a second pass, and lose F1 by it, so a
///   fixed-point loop would not be a fix.
/// - Entities are decoded only in text without markup, where they belong to
///   the markup (as in ftfy); when the first pass removed the only markup,
///   the second pass leaves entities alone as the first had to.
/// - The limits are the defaults, and the second pass may cut lines at
///   three times the first's `max_line_bytes`: a line just under the limit
///   is left whole, and normalizing can make it up to three times longer
///   (a straight quote becomes a three-byte curly one).
pub fn check_idempotent(options: Options, document: &[u8]) -> Outcome {
    let mut first = options.to_bytes();
    first[0] = first[0] & !0x30 | 0x10;
    first[4] = 0;
    first[5] = 0;
    first[7] = 0;
    for stage in CONTEXT_STAGES {
        let bit = STAGES.iter().position(|s| *s == stage).unwrap_or(0);
        first[6] |= 1 << bit;
    }
    let mut second = first;
    second[1] |= 0x80;
    second[2] = 0;
    let (first, second) = (Options(first), Options(second));
    let Ok(once_pipeline) = first.builder().build() else {
        return fail("builder", options);
    };
    let once = match once_pipeline.clean(first.input(document)) {
        Ok(article) => article.text(),
        Err(error) => return check_error(&error, &first.limits()),
    };
    let repair = RepairOptions {
        entities: first.repair().entities && !markup_kept_entities(&first, document),
        ..first.repair()
    };
    let defaults = Limits::default();
    let limits = Limits {
        max_line_bytes: 3 * defaults.max_line_bytes,
        ..defaults
    };
    let Ok(twice_pipeline) = second.builder().repair(repair).limits(limits).build() else {
        return fail("builder", options);
    };
    match twice_pipeline.clean(second.input(once.as_bytes())) {
        Ok(article) => ensure(
            article.text() == once,
            "cleaning cleaned text changes nothing",
            (&once, article.text()),
        ),
        Err(error) => fail("cleaned text cleans again", error),
    }
}

/// True when markup in the decoded input kept entities from being decoded
/// that a line of the input on its own would have had decoded.
fn markup_kept_entities(options: &Options, document: &[u8]) -> bool {
    let line_breaks = RepairOptions {
        line_breaks: true,
        ..RepairOptions::none()
    };
    let Ok(decoder) = options.builder().repair(line_breaks).build() else {
        return false;
    };
    let Ok(decoded) = decoder.fix(options.input(document)) else {
        return false;
    };
    let whole = crate::repair::decode_entities(&decoded.text);
    matches!(whole, Cow::Borrowed(_))
        && decoded
            .text
            .split('\n')
            .any(|line| matches!(crate::repair::decode_entities(line), Cow::Owned(_)))
}

/// The input decoded and repaired as the pipeline would, with every line
/// kept: what the article's words must come from.
/// Every block's text, kept or removed, one per line.
fn blocks_text(doc: &crate::Document) -> String {
    let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    texts.join("\n")
}

/// The metadata an HTML page gives about itself comes from the page:
/// read with no repair, the title, byline and source each appear in the
/// unrepaired blocks or in [`page_text`], and a title holds no markup
/// (what follows a tag in an unclosed `<title>` or attribute is the rest
/// of the page, not a title). Returns those values repaired as the
/// pipeline repairs them, one per line: what the article's metadata may
/// say besides the blocks (a rule or the metadata stage can take a value
/// from a block).
///
/// The values are checked before repair, and not in the page repaired as
/// a whole, because the pipeline repairs each value on its own and repair
/// depends on context: a mojibake run that is repaired inside a whole page
/// of the same mojibake can be left alone in a short title, or the other
/// way round.
fn check_page_metadata(
    options: Options,
    input: Input<'_>,
    document: &[u8],
) -> Result<String, String> {
    let Ok(unrepaired) = options
        .structure_only()
        .repair(RepairOptions::none())
        .build()
    else {
        return Err(format!("builder: {options:?}"));
    };
    let raw = unrepaired
        .clean(input)
        .map_err(|e| format!("structure without repair fails where the pipeline did not: {e}"))?;
    let page = decode_bytes(document, options.charset(), options.url()).text;
    let reference = fold(
        &(blocks_text(raw.document()) + "\n" + &page_text(&page)),
        None,
    );
    let meta = raw.meta();
    if let Some(title) = &meta.title {
        ensure(!has_tag(title), "an HTML title holds no markup", title)?;
    }
    let mut repaired = Vec::new();
    for value in [&meta.title, &meta.byline, &meta.source]
        .into_iter()
        .flatten()
    {
        ensure(
            reference.contains(&fold(value, None)),
            "no invented metadata: the page has it",
            value,
        )?;
        // With the marks the pipeline's normalizer makes ASCII, as the
        // pipeline repairs metadata: repair judges text as normalization
        // will leave it.
        let marks = options.normalizer().ascii_marks();
        repaired.push(
            options
                .repair()
                .repair_before(value.clone(), marks, &mut Vec::new()),
        );
    }
    Ok(repaired.join("\n"))
}

/// True when `text` holds what looks like a tag: `<` and a letter, `/`,
/// `!` or `?`.
fn has_tag(text: &str) -> bool {
    text.match_indices('<').any(|(at, _)| {
        text[at + 1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'))
    })
}

/// An HTML page's text as its metadata is read from it: every piece
/// between angle brackets (text, and the inside of tags, so attribute
/// values too) with its entities decoded, once apart and once with the
/// brackets kept (a `<title>` holds raw text, where a bracket is a
/// character), and NUL as U+FFFD, as the parser reads it in a title or an
/// attribute value. The parsed page's text and attribute values follow,
/// as html5ever decodes them: it reads legacy references without their
/// semicolon (`&gt` in `<title>a &gt` b</title>`), where
/// [`decode_entities`](crate::repair::decode_entities) is stricter.
fn page_text(page: &str) -> String {
    let page = page.replace('\0', "\u{FFFD}");
    let apart: Vec<Cow<'_, str>> = page
        .split(['<', '>'])
        .map(crate::repair::decode_entities)
        .collect();
    let kept: String = page
        .split_inclusive(['<', '>'])
        .map(crate::repair::decode_entities)
        .collect();
    apart.join("\n") + "\n" + &kept + "\n" + &json_unescaped(&page) + "\n" + &parsed_text(&page)
}

/// Every text node and attribute value of the page as scraper parses it,
/// one per line, and the strings of any JSON in a text node read as HTML.
fn parsed_text(page: &str) -> String {
    let html = scraper::Html::parse_document(page);
    let mut out = String::new();
    for node in html.tree.nodes() {
        match node.value() {
            scraper::Node::Text(text) => {
                out.push_str(text);
                out.push('\n');
                out.push_str(&json_strings_as_html(text));
            }
            scraper::Node::Element(element) => {
                for (_, value) in element.attrs() {
                    out.push_str(value);
                    out.push('\n');
                }
            }
            _ => {}
        }
        out.push('\n');
    }
    out
}

/// Every string in `text` read as JSON (control characters as spaces, as
/// JSON-LD is read), each with its markup read as HTML: the text nodes of
/// the string parsed as a fragment, joined. JSON-LD headlines and names
/// sometimes hold tags (`The <i>Times</i>`), and the pipeline reads them so.
fn json_strings_as_html(text: &str) -> String {
    fn strings<'v>(value: &'v serde_json::Value, out: &mut Vec<&'v str>) {
        match value {
            serde_json::Value::String(s) => out.push(s),
            serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    if !text.contains('<') {
        return String::new();
    }
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let values: Vec<serde_json::Value> = serde_json::Deserializer::from_str(spaced.trim())
        .into_iter()
        .map_while(Result::ok)
        .collect();
    let mut found = Vec::new();
    values.iter().for_each(|v| strings(v, &mut found));
    let mut out = String::new();
    for s in found.into_iter().filter(|s| s.contains('<')) {
        let fragment = scraper::Html::parse_fragment(s);
        for node in fragment.tree.nodes() {
            if let scraper::Node::Text(t) = node.value() {
                out.push_str(t);
            }
        }
        out.push('\n');
    }
    out
}

/// The page with JSON's `\uXXXX` escapes (surrogate pairs too) decoded:
/// JSON-LD often writes every non-ASCII character so, and the pipeline
/// reads the byline and title from it.
fn json_unescaped(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(at) = rest.find("\\u") {
        out.push_str(&rest[..at]);
        let unit = |s: &str| {
            s.get(2..6)
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
        };
        let tail = &rest[at..];
        let (decoded, used) = match unit(tail) {
            Some(high @ 0xD800..=0xDBFF) => match tail.get(6..).and_then(unit) {
                Some(low @ 0xDC00..=0xDFFF) => (
                    char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)),
                    12,
                ),
                _ => (None, 6),
            },
            Some(code) => (char::from_u32(code), 6),
            None => (None, 2),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&tail[..used]),
        }
        rest = &tail[used..];
    }
    out.push_str(rest);
    out
}

fn reference_text(options: &Options, input: Input<'_>) -> Result<String, String> {
    let raw = Normalizer {
        quotes: QuoteStyle::Keep,
        dashes: DashStyle::Keep,
        ellipses: EllipsisStyle::Keep,
    };
    // Repaired as the pipeline repairs, for the marks its normalizer makes
    // ASCII, but with the marks left as they are.
    let fixer = Pipeline::builder()
        .repair(options.repair())
        .normalizer(options.normalizer())
        .limits(options.limits())
        .build()
        .map_err(|e| e.to_string())?;
    fixer
        .decode_and_repair(&input)
        .map(|(text, _)| raw.lines(&text).into_owned())
        .map_err(|e| format!("fix fails where clean did not: {e}"))
}

/// Errors are limit errors (naming the limit in force) or the refusal of
/// HTML or of broken gzip.
pub fn check_error(error: &Error, limits: &Limits) -> Outcome {
    let expected = match error {
        Error::InputTooLarge { limit, .. } => *limit == limits.max_input_bytes,
        Error::DecompressedTooLarge { limit } => *limit == limits.max_decompressed_bytes,
        Error::TooManyBlocks { limit } => *limit == limits.max_blocks,
        Error::DomTooDeep { limit } => *limit == limits.max_dom_depth,
        Error::Gzip { .. } => true,
    };
    ensure(expected, "errors name the limit in force", error)
}

/// The article's audit adds up: its text is its kept blocks, its stats
/// count the blocks and each rule's removals, and its JSON and JSONL say the same.
pub fn check_article(article: &Article) -> Outcome {
    let doc = article.document();
    let kept: Vec<&str> = doc
        .kept()
        .map(|b| b.text.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    ensure(
        article.text() == kept.join("\n\n"),
        "text is the kept blocks",
        article.text(),
    )?;
    let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
    for block in &doc.blocks {
        let rules = block
            .trims
            .iter()
            .map(|t| &t.removal)
            .chain(&block.removed)
            .map(|r| r.rule.to_string());
        for rule in rules {
            *per_rule.entry(rule).or_default() += 1;
        }
    }
    let stats = article.stats();
    ensure(
        stats.removed_per_rule == per_rule,
        "per-rule counts match the removals",
        (&stats.removed_per_rule, &per_rule),
    )?;
    ensure(
        stats.removed_per_rule.values().sum::<usize>() == article.removed().count(),
        "per-rule counts add up to the removed list",
        &stats,
    )?;
    ensure(
        stats.blocks_kept + stats.blocks_removed == doc.blocks.len()
            && stats.blocks_removed == doc.blocks.iter().filter(|b| !b.is_kept()).count()
            && stats.bytes_out == article.text().len(),
        "block and byte counts",
        &stats,
    )?;
    let json = crate::emit::to_json(article, false);
    ensure(!json.contains('\n'), "a JSONL record is one line", &json)?;
    let value: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| format!("JSON output parses: {e}"))?;
    let removed = value["removed"].as_array().map_or(0, Vec::len);
    ensure(
        value["text"].as_str() == Some(article.text().as_str())
            && removed == article.removed().count()
            && value["stats"]["blocks_removed"].as_u64() == Some(stats.blocks_removed as u64),
        "JSON says what the article says",
        &json,
    )
}

/// The default pipeline's output is normalized text: NFC, no curly quote
/// under ASCII quotes, and in every kept block no control character but
/// the newline and whitespace as [`check_spacing`] requires; except where
/// a block's kind keeps more by design (HTML extraction makes both): a
/// table row separates its cells, each normalized so, with single tabs,
/// and preformatted text keeps its tabs and spacing, trimming only the
/// ends of its lines. The text is the blocks, one blank line apart
/// ([`check_article`]).
pub fn check_normalized(article: &Article, quotes: QuoteStyle) -> Outcome {
    let text = article.text();
    ensure(unicode_normalization::is_nfc(&text), "output is NFC", &text)?;
    if quotes == QuoteStyle::Ascii {
        ensure(
            !text.contains(CURLY_QUOTES),
            "no curly quotes under ASCII quotes",
            &text,
        )?;
    }
    for block in article.blocks() {
        let (tabs, pieces): (bool, Vec<&str>) = match block.kind {
            BlockKind::TableRow => (true, block.text.split('\t').collect()),
            BlockKind::Preformatted => {
                let trimmed = block.text.lines().all(|line| line.trim_end() == line);
                ensure(trimmed, "preformatted lines end trimmed", &block.text)?;
                (true, Vec::new())
            }
            _ => (false, vec![block.text.as_str()]),
        };
        ensure(
            !block
                .text
                .contains(|c: char| c.is_control() && c != '\n' && !(tabs && c == '\t')),
            "no control characters but the newline (and tabs where the block keeps them)",
            (block.kind, &block.text),
        )?;
        for piece in pieces.into_iter().filter(|p| !p.is_empty()) {
            check_spacing(piece)?;
        }
    }
    Ok(())
}

/// Nothing is invented: the kept blocks appear, in order, in `reference`
/// (text: the input decoded and repaired, every line kept; HTML: the
/// structured blocks), and the title, byline and source each appear in
/// `meta_reference` (text: the same; HTML: the blocks and the page's
/// text and tags with their entities decoded, since metadata comes from
/// the head and from attributes), once whitespace is dropped, quote marks
/// are folded to one of each kind (curly quotes depend on what precedes
/// them, which a cut changes), and the normalizer's dash and ellipsis
/// mapping is applied to both sides.
pub fn check_no_invention(
    reference: &str,
    meta_reference: &str,
    article: &Article,
    normalizer: Option<&Normalizer>,
) -> Outcome {
    let fold = |s: &str| fold(s, normalizer);
    let reference = fold(reference);
    let meta_reference = fold(meta_reference);
    let kept: Vec<String> = article.blocks().map(|b| fold(&b.text)).collect();
    in_order(&reference, kept.into_iter()).map_err(|e| format!("no invented text: {e}"))?;
    let meta = article.meta();
    for value in [&meta.title, &meta.byline, &meta.source]
        .into_iter()
        .flatten()
    {
        ensure(
            meta_reference.contains(&fold(value)),
            "no invented metadata",
            value,
        )?;
    }
    Ok(())
}

/// Every block of the structured document is accounted for after the
/// stages: its text (kept or removed) and its cut pieces spell the block
/// as structure made it, normalized the same way.
pub fn check_audit(
    structured: &Document,
    article: &Article,
    normalizer: Option<&Normalizer>,
) -> Outcome {
    check_accounted(structured, article.document(), normalizer)
}

/// `s` with whitespace and control characters dropped (a NUL read as
/// U+FFFD), quote marks folded, and the normalizer's dashes and ellipses
/// applied.
fn fold(s: &str, normalizer: Option<&Normalizer>) -> String {
    let mapped = match normalizer {
        Some(n) => Normalizer {
            quotes: QuoteStyle::Keep,
            ..*n
        }
        .inline(s),
        None => Cow::Borrowed(s),
    };
    mapped
        .chars()
        .filter(|&c| !c.is_whitespace() && (c == '\0' || !c.is_control()))
        .map(|c| match c {
            // The HTML tokenizer reads a NUL in script data and attribute
            // values as U+FFFD.
            '\0' => '\u{FFFD}',
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
            c => c,
        })
        .collect()
}

/// `s` without whitespace.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Each part occurs in `whole`, after the end of the one before.
fn in_order(whole: &str, parts: impl Iterator<Item = String>) -> Result<(), String> {
    let mut from = 0;
    for part in parts {
        match whole.get(from..).and_then(|rest| rest.find(&part)) {
            Some(at) => from += at + part.len(),
            None => return Err(format!("{part:?} not found in order")),
        }
    }
    Ok(())
}

/// JSONL streaming through the library's reader ([`Batch::jsonl`]), on
/// any stream: the option header, one byte of JSONL options (bit 0: the
/// audit list; bit 1: failed records to a separate sink; bits 2-3: the
/// output field, `text`, `clean`, `title` or `url`), then the lines. Byte
/// 7 of the header sets the line limit as it sets `max_input_bytes`.
///
/// - Reading from memory never fails, and no record panics.
/// - Every input line gives exactly one output line, in order, in the
///   output or the error sink, and each is a JSON object on one line.
/// - A line that is an object with a string in the HTML field (or, when
///   there is none, the text field) is cleaned exactly as the pipeline
///   cleans that string, with the record's `url`: the output field holds
///   the article's text and `title` its title, every other field passes
///   through unchanged, and the audit list has one entry per removal. A
///   refused record keeps its fields and gains an `error`; a line that is
///   no object (or over the limit) becomes `{"error", "line", ...}`.
pub fn jsonl(data: &[u8]) -> Outcome {
    let (options, rest) = Options::split(data);
    let (flags, stream) = rest.split_first().map_or((0, &[][..]), |(f, s)| (*f, s));
    let output_field = ["text", "clean", "title", "url"][usize::from(flags >> 2 & 3)];
    let jsonl_options = JsonlOptions {
        audit: flags & 1 != 0,
        output_field: output_field.to_owned(),
        ..JsonlOptions::default()
    };
    let separate_errors = flags & 2 != 0;
    let Ok(pipeline) = options.builder().build() else {
        return fail("builder", options);
    };
    let batch_options = BatchOptions {
        max_bytes: options.limits().max_input_bytes,
        ..BatchOptions::default()
    };
    let batch = Batch::new(&pipeline, batch_options).control(Control::new(1));
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let error_sink: Option<&mut (dyn std::io::Write + Send)> =
        separate_errors.then_some(&mut errors as &mut (dyn std::io::Write + Send));
    let summary = batch
        .jsonl("fuzz", stream, &mut out, error_sink, &jsonl_options)
        .map_err(|e| format!("reading JSONL from memory fails: {e}"))?;
    let lines = stream.split(|&b| b == b'\n');
    let count = lines.clone().count() - usize::from(stream.is_empty() || stream.ends_with(b"\n"));
    ensure(
        summary.ok + summary.failed == count as u64
            && !summary.failed_by_cause.contains_key("internal error"),
        "one outcome per line, none a panic",
        (count, &summary),
    )?;
    let (mut written, mut failed) = (json_lines(&out)?, json_lines(&errors)?);
    let total = written.len() + failed.len();
    ensure(
        total == count,
        "one output line per input line",
        (count, total),
    )?;
    written.reverse();
    failed.reverse();
    for (number, line) in (1..).zip(lines.take(count)) {
        let expected = expected_record(&pipeline, &jsonl_options, line, batch.options().max_bytes);
        let sink = match (&expected, separate_errors) {
            (Err(_), true) => &mut failed,
            _ => &mut written,
        };
        let Some(record) = sink.pop() else {
            return fail("records come out in order", number);
        };
        check_record(&jsonl_options, number, line, &expected, &record)?;
    }
    Ok(())
}

/// The lines of a JSONL output, each read as a JSON object.
fn json_lines(bytes: &[u8]) -> Result<Vec<Entries>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("JSONL output is UTF-8: {e}"))?;
    text.lines()
        .map(|line| {
            Entries::parse(line.as_bytes())
                .ok_or_else(|| format!("each output line is a JSON object: {line:?}"))
        })
        .collect()
}

/// What a JSONL line should become: the article its body cleans to, or
/// `Err` when it fails (over the limit, not an object, no string body, or
/// refused by the pipeline).
fn expected_record(
    pipeline: &Pipeline,
    options: &JsonlOptions,
    line: &[u8],
    limit: usize,
) -> Result<Article, ()> {
    if line.len() > limit {
        return Err(());
    }
    let fields = Entries::parse(line).ok_or(())?;
    let (body, kind) = match fields.first(&options.html_field) {
        Some(html) => (as_string(html).ok_or(())?, InputKind::Html),
        None => {
            let text = fields.first(&options.text_field).ok_or(())?;
            (as_string(text).ok_or(())?, InputKind::Text)
        }
    };
    let mut input = Input::new(body.as_bytes()).kind(kind);
    let url = fields.first("url").and_then(as_string);
    if let Some(url) = &url {
        input = input.url(url);
    }
    pipeline.clean(input).map_err(|_| ())
}

/// Checks one output record against the input line it came from.
fn check_record(
    options: &JsonlOptions,
    number: u64,
    line: &[u8],
    expected: &Result<Article, ()>,
    record: &Entries,
) -> Outcome {
    let input = Entries::parse(line);
    let Ok(article) = expected else {
        ensure(
            record.last("error").and_then(as_string).is_some(),
            "a failed record has an error",
            record,
        )?;
        let numbered = record.last("line").map(RawValue::get) == Some(&number.to_string());
        return ensure(
            input.is_some() || numbered,
            "a line that is no object is numbered",
            record,
        );
    };
    let text = record.last(&options.output_field).and_then(as_string);
    let title = record.last("title").map(RawValue::get);
    let expected_title = serde_json::to_string(&article.meta().title).ok();
    ensure(
        text == Some(article.text())
            && (options.output_field == "title" || title == expected_title.as_deref()),
        "a record is cleaned as the pipeline cleans its body",
        (record, article.text()),
    )?;
    if options.audit {
        let removed = record.last("removed").map(|raw| {
            serde_json::from_str::<Vec<serde::de::IgnoredAny>>(raw.get()).map_or(0, |v| v.len())
        });
        ensure(
            removed == Some(article.removed().count()),
            "the audit list has one entry per removal",
            record,
        )?;
    }
    let added = ["title", "date", "byline", "removed", &options.output_field];
    let Some(input) = input else {
        return fail("a cleaned line was an object", number);
    };
    for (key, _) in &input.0 {
        let passed = record.last(key).map(RawValue::get) == input.last(key).map(RawValue::get);
        if !added.contains(&key.as_str()) && !passed {
            return fail("other fields pass through byte for byte", (key, record));
        }
    }
    Ok(())
}

/// A JSON string's value.
fn as_string(raw: &RawValue) -> Option<String> {
    serde_json::from_str(raw.get()).ok()
}

/// A JSON object's fields in order, duplicates kept, each value's JSON text
/// as it came, as the JSONL reader sees them.
#[derive(Debug)]
struct Entries(Vec<(String, Box<RawValue>)>);

impl Entries {
    /// The object on a line (a `\r` before the newline aside), if it is one.
    fn parse(line: &[u8]) -> Option<Entries> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        serde_json::from_slice(line).ok()
    }

    /// The first value of a field: the one the JSONL reader cleans.
    fn first(&self, name: &str) -> Option<&RawValue> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, v)| &**v)
    }

    /// The last value of a field: the one a JSON reader keeps.
    fn last(&self, name: &str) -> Option<&RawValue> {
        self.0
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, v)| &**v)
    }
}

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct InOrder;
        impl<'de> serde::de::Visitor<'de> for InOrder {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Entries, M::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(InOrder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option header numbers the default chain's document stages.
    #[test]
    fn stages_are_the_default_chain() {
        let pipeline = Pipeline::default();
        let names = pipeline.stage_names();
        assert!(names.ends_with(&STAGES), "{names:?}");
    }

    fn record(line: &str) -> Entries {
        Entries::parse(line.as_bytes()).unwrap()
    }

    /// The JSONL record check catches a wrong text, a changed field and a
    /// missing line number, and passes the right record.
    #[test]
    fn record_check_catches_what_it_states() {
        let options = JsonlOptions::default();
        let line = br#"{"id":1.50,"text":"Some words here."}"#;
        let article = Pipeline::default().clean("Some words here.").unwrap();
        let expected = Ok(article);
        let good =
            r#"{"id":1.50,"title":null,"date":null,"byline":null,"text":"Some words here."}"#;
        assert_eq!(
            check_record(&options, 1, line, &expected, &record(good)),
            Ok(())
        );
        let wrong_text = good.replace("here.\"", "there.\"");
        assert!(check_record(&options, 1, line, &expected, &record(&wrong_text)).is_err());
        let changed = good.replace("1.50", "1.5");
        assert!(check_record(&options, 1, line, &expected, &record(&changed)).is_err());
        let unnumbered = r#"{"error":"not a JSON object"}"#;
        assert!(check_record(&options, 2, b"nope", &Err(()), &record(unnumbered)).is_err());
        let numbered = r#"{"error":"not a JSON object","line":2}"#;
        assert_eq!(
            check_record(&options, 2, b"nope", &Err(()), &record(numbered)),
            Ok(())
        );
    }

    /// The JSONL target passes streams of every shape: objects with text,
    /// HTML, duplicated and non-string fields, numbers serde cannot hold,
    /// CRLF, blank lines, junk and lines over the limit.
    #[test]
    fn jsonl_target_passes_every_kind_of_line() {
        let stream = concat!(
            r#"{"id":1,"text":"Big Headline\n\nIt\u2019s here.","n":1e400}"#,
            "\nnot json\r\n\n",
            r#"{"html":"<p>x</p>","url":"https://a.b/","text":"y"}"#,
            "\n",
            r#"{"text":5}"#,
            "\n",
            r#"{"text":"a","text":"b","url":"x","url":"y"}"#,
            "\r\n[1]\n",
            r#"{"title":"t","text":"Some words here."}"#,
        );
        for flags in 0..16u8 {
            for limit in [0u8, 1] {
                let mut data = vec![0, 0, 0, 0, 0, 0, 0, limit, flags];
                data.extend_from_slice(stream.as_bytes());
                assert_eq!(jsonl(&data), Ok(()), "flags {flags}, limit {limit}");
            }
        }
        assert_eq!(jsonl(b""), Ok(()));
    }
}
