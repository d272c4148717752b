//! What the classifiers look at in a block: length, words, stop words,
//! punctuation, capitals, scripts. Computed once per block per stage.

use crate::document::Document;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

/// A stop-word list, hashed with a fast non-cryptographic hash and keyed
/// by bytes, so a word lower-cased into a byte buffer is looked up as is.
///
/// Words of up to eight bytes, most stop words in any language, are also
/// kept packed into a `u64` each, so that the common lookup hashes one
/// integer rather than a slice.
#[derive(Debug, Default)]
pub(crate) struct StopWords {
    words: FxHashSet<&'static [u8]>,
    /// The words of up to [`PACKED`] bytes, packed.
    short: FxHashSet<u64>,
    /// The length in bytes of the longest word: longer words skip the lookup.
    longest: usize,
}

/// Words up to this many bytes are looked up packed into a `u64`.
const PACKED: usize = 8;

/// A word of up to [`PACKED`] bytes as one integer. Distinct words pack
/// distinctly: the zero padding cannot end a word, which ends in a letter
/// or digit.
fn pack(word: &[u8]) -> u64 {
    let mut buf = [0u8; PACKED];
    let len = word.len().min(PACKED);
    buf[..len].copy_from_slice(&word[..len]);
    u64::from_le_bytes(buf)
}

/// [`pack`] for the `len` bytes at `start` of `bytes`, read as one
/// integer and masked where eight bytes are there to read: a copy of a
/// word's own bytes into a buffer stalls the load that follows it.
fn pack_within(bytes: &[u8], start: usize, len: usize) -> u64 {
    match bytes.get(start..start + PACKED) {
        Some(&[a, b, c, d, e, f, g, h]) if len <= PACKED => {
            let whole = u64::from_le_bytes([a, b, c, d, e, f, g, h]);
            whole & (u64::MAX >> (8 * (PACKED - len)))
        }
        _ => pack(bytes.get(start..start + len).unwrap_or_default()),
    }
}

/// Lower-cases the ASCII letters of a packed word of ASCII bytes, all
/// eight at once.
fn packed_ascii_lowercase(packed: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // With every byte under 0x80, these sums carry into no other byte.
    let from_a = packed + ONES * (0x80 - u64::from(b'A'));
    let past_z = packed + ONES * (0x80 - u64::from(b'Z') - 1);
    let upper = from_a & !past_z & (ONES * 0x80);
    packed | (upper >> 2)
}

impl StopWords {
    fn new<'w>(words: impl Iterator<Item = &'w &'static str>) -> Self {
        let words: FxHashSet<&'static [u8]> = words.map(|word| word.as_bytes()).collect();
        let longest = words.iter().map(|word| word.len()).max().unwrap_or(0);
        let short = words
            .iter()
            .filter(|word| word.len() <= PACKED)
            .map(|word| pack(word))
            .collect();
        StopWords {
            words,
            short,
            longest,
        }
    }

    /// True when `word`, already in lower case, is a stop word.
    pub(crate) fn contains(&self, word: &str) -> bool {
        self.contains_bytes(word.as_bytes())
    }

    fn contains_bytes(&self, word: &[u8]) -> bool {
        if word.len() <= PACKED {
            return self.short.contains(&pack(word));
        }
        word.len() <= self.longest && self.words.contains(word)
    }
}

/// Characters that close a sentence, in Latin, CJK and other scripts.
const SENTENCE_END: &[char] = &['.', '!', '?', '…', '。', '！', '？', '؟', '।'];
/// Closing quotes and brackets that may follow a sentence end.
const CLOSERS: &[char] = &['"', '\'', '”', '’', '»', ')', ']', '」', '』', '）'];

/// Frequent function characters of Chinese and Japanese, which stand in for
/// stop words where words are not separated by spaces.
const CJK_FUNCTION_CHARS: &str =
    "的了是在和有我他她它这那也就不都一上中为以到说对与等将而被之其或及于从但并所还们个着过地得会要能把让给向由已后时";

/// Stop-word lists by language, built on first use. Every list also holds
/// the English words: pages in any language carry English passages, and a
/// page is given one language, so an English article on a page detected
/// as German would otherwise have no stop words at all and read as a menu.
fn stop_lists() -> &'static FxHashMap<&'static str, StopWords> {
    static LISTS: OnceLock<FxHashMap<&'static str, StopWords>> = OnceLock::new();
    LISTS.get_or_init(|| {
        let english = stop_words::lookup("en").unwrap_or_default();
        stop_words::available_languages()
            .iter()
            .filter_map(|code| {
                let own = stop_words::lookup(code)?;
                Some((*code, StopWords::new(own.iter().chain(english))))
            })
            .collect()
    })
}

/// Languages whose rich inflection leaves few function words in a sentence,
/// with the share of their stop-word density relative to English prose.
const SPARSE_STOP_WORDS: &[(&str, f64)] = &[
    ("ru", 0.45),
    ("uk", 0.45),
    ("be", 0.45),
    ("bg", 0.5),
    ("pl", 0.5),
    ("cs", 0.5),
    ("sk", 0.5),
    ("hr", 0.5),
    ("sr", 0.5),
    ("sl", 0.5),
    ("fi", 0.5),
    ("hu", 0.5),
    ("tr", 0.5),
    ("et", 0.5),
    ("lv", 0.5),
    ("lt", 0.5),
];

/// How much to scale a language's stop-word density to compare it with English.
pub(crate) fn stop_density_scale(language: Option<&str>) -> f64 {
    language
        .and_then(|code| SPARSE_STOP_WORDS.iter().find(|(c, _)| *c == code))
        .map_or(1.0, |(_, scale)| *scale)
}

/// The stop words of a language, English when the language is unknown or
/// has no list.
pub(crate) fn stop_words(language: Option<&str>) -> &'static StopWords {
    static EMPTY: OnceLock<StopWords> = OnceLock::new();
    let lists = stop_lists();
    language
        .and_then(|code| lists.get(code))
        .or_else(|| lists.get("en"))
        .unwrap_or_else(|| EMPTY.get_or_init(StopWords::default))
}

/// Measurements of one block.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Features {
    /// Characters.
    pub chars: usize,
    /// Whitespace-separated words, or for CJK text characters / 2.
    pub words: usize,
    /// Words (or CJK function characters) in the stop list.
    pub stop_words: usize,
    /// CJK ideographs and kana.
    pub cjk: usize,
    /// Words starting with a capital letter.
    pub capitalized: usize,
    /// Sentence-ending marks anywhere in the block.
    pub sentence_marks: usize,
    /// The block ends like a sentence.
    pub ends_sentence: bool,
    /// A copyright sign or notice.
    pub copyright: bool,
    /// The language's stop-word density relative to English (1 for most).
    pub density_scale: f64,
}

impl Features {
    /// The share of words that are stop words.
    pub fn stop_density(&self) -> f64 {
        if self.cjk * 2 > self.chars {
            // Function characters are sparser than function words.
            return (self.stop_words as f64 / self.cjk.max(1) as f64) * 2.5;
        }
        let scale = if self.density_scale > 0.0 {
            self.density_scale
        } else {
            1.0
        };
        self.stop_words as f64 / self.words.max(1) as f64 / scale
    }

    /// A length comparable across scripts: a CJK character counts as much
    /// as about three Latin characters.
    pub fn weighted_chars(&self) -> usize {
        self.chars + self.cjk * 2
    }

    /// Reads like running prose: long enough, with sentence punctuation and stop words.
    pub fn is_prose(&self) -> bool {
        self.weighted_chars() >= 80 && self.sentence_marks > 0 && self.stop_density() >= 0.2
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7A3}' | '\u{F900}'..='\u{FAFF}')
}

/// Measures a block against a stop list, in one pass over its words.
pub(crate) fn measure(text: &str, stop: &StopWords) -> Features {
    let bytes = text.as_bytes();
    let ascii = text.is_ascii();
    let mut f = Features {
        sentence_marks: memchr::memchr3_iter(b'.', b'!', b'?', bytes).count(),
        ..Features::default()
    };
    count_words(text, ascii, stop, &mut f);
    if ascii {
        f.chars = text.len();
    } else {
        count_chars(text, &mut f);
    }
    if f.cjk * 2 > f.chars {
        f.words = f.words.max(f.cjk / 2);
    }
    let trimmed = text.trim_end_matches(|c: char| CLOSERS.contains(&c) || c.is_whitespace());
    f.ends_sentence = trimmed.ends_with(SENTENCE_END);
    f.copyright = contains_rights_reserved(bytes)
        || (!ascii && memchr::memmem::find(bytes, "©".as_bytes()).is_some());
    f
}

/// An ASCII byte's class bits: whitespace, letter or digit, capital.
const SPACE: u8 = 1;
const ALNUM: u8 = 2;
const UPPER: u8 = 4;

/// The class of every byte, the bytes outside ASCII marked with none: they
/// are read as characters. `unicode` adds the vertical tab to the
/// whitespace: Unicode text splits at it, as `split_whitespace` does,
/// where ASCII text splits at ASCII whitespace only.
const fn byte_classes(unicode: bool) -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_whitespace() || (unicode && byte == 0x0B) {
            SPACE
        } else if byte.is_ascii_uppercase() {
            ALNUM | UPPER
        } else if byte.is_ascii_alphanumeric() {
            ALNUM
        } else {
            0
        };
        b += 1;
    }
    table
}

static ASCII_CLASSES: [u8; 256] = byte_classes(false);
static UNICODE_CLASSES: [u8; 256] = byte_classes(true);

/// Counts words, their capitals and stop words in one pass over the
/// bytes. Words are split at whitespace: ASCII whitespace in ASCII text,
/// Unicode whitespace otherwise (which adds only the vertical tab among
/// ASCII characters). Each word is trimmed to its letters and digits. An
/// ASCII byte is classed by a table; only the characters outside ASCII are
/// decoded, and a word whose letters are all ASCII, most words even beside
/// curly quotes and dashes, needs no Unicode tables.
fn count_words(text: &str, ascii_text: bool, stop: &StopWords, f: &mut Features) {
    let bytes = text.as_bytes();
    let classes = if ascii_text {
        &ASCII_CLASSES
    } else {
        &UNICODE_CLASSES
    };
    // The character outside ASCII at `at`: whether it is whitespace, and its length.
    let wide_at = |at: usize| -> (bool, usize) {
        text.get(at..)
            .and_then(|rest| rest.chars().next())
            .map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8()))
    };
    let mut lower = [0u8; 24];
    let mut unicode_lower = String::new();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b < 0x80 {
            if classes[usize::from(b)] & SPACE != 0 {
                at += 1;
                continue;
            }
        } else {
            let (space, len) = wide_at(at);
            if space {
                at += len;
                continue;
            }
        }
        let start = at;
        let mut word_is_ascii = true;
        while let Some(&b) = bytes.get(at) {
            if b < 0x80 {
                if classes[usize::from(b)] & SPACE != 0 {
                    break;
                }
                at += 1;
            } else {
                let (space, len) = wide_at(at);
                if space {
                    break;
                }
                word_is_ascii = false;
                at += len;
            }
        }
        f.words += 1;
        let word = &text[start..at];
        let core = if word_is_ascii {
            ascii_core(word)
        } else {
            unicode_core(word)
        };
        let (core_start, core) = (start + core.start, &word[core]);
        if core.is_ascii() {
            ascii_word(core, core_start, bytes, stop, &mut lower, f);
        } else {
            unicode_word(core, stop, &mut unicode_lower, f);
        }
    }
}

/// Where an ASCII word's letters and digits begin and end within it.
fn ascii_core(word: &str) -> std::ops::Range<usize> {
    let bytes = word.as_bytes();
    let is_alnum = |b: &u8| ASCII_CLASSES[usize::from(*b)] & ALNUM != 0;
    let Some(first) = bytes.iter().position(is_alnum) else {
        return 0..0;
    };
    let last = bytes.iter().rposition(is_alnum).unwrap_or(first);
    first..last + 1
}

/// [`ascii_core`] for a word with characters outside ASCII.
fn unicode_core(word: &str) -> std::ops::Range<usize> {
    let not_alnum = |c: char| !c.is_alphanumeric();
    let first = word.len() - word.trim_start_matches(not_alnum).len();
    first..word.trim_end_matches(not_alnum).len().max(first)
}

/// Counts a word's capital and stop word, for a word trimmed to its
/// letters and digits that are all ASCII, found at `start` in `bytes`.
fn ascii_word(
    core: &str,
    start: usize,
    bytes: &[u8],
    stop: &StopWords,
    lower: &mut [u8; 24],
    f: &mut Features,
) {
    let core = core.as_bytes();
    let Some(&first) = core.first() else {
        return;
    };
    if ASCII_CLASSES[usize::from(first)] & UPPER != 0 {
        f.capitalized += 1;
    }
    if core.len() <= PACKED {
        let packed = pack_within(bytes, start, core.len());
        if stop.short.contains(&packed_ascii_lowercase(packed)) {
            f.stop_words += 1;
        }
    } else if core.len() <= stop.longest.min(lower.len()) {
        let lowered = &mut lower[..core.len()];
        lowered.copy_from_slice(core);
        lowered.make_ascii_lowercase();
        if stop.contains_bytes(lowered) {
            f.stop_words += 1;
        }
    }
}

/// [`ascii_word`] for a word trimmed to letters and digits not all ASCII,
/// through the Unicode tables.
fn unicode_word(core: &str, stop: &StopWords, lower: &mut String, f: &mut Features) {
    let Some(first) = core.chars().next() else {
        return;
    };
    if first.is_uppercase() {
        f.capitalized += 1;
    }
    if is_stop_word(core, stop, lower) {
        f.stop_words += 1;
    }
}

/// Counts the characters of non-ASCII text, its sentence marks in other
/// scripts, and its CJK characters and the function characters among them.
fn count_chars(text: &str, f: &mut Features) {
    f.chars = text.chars().count();
    let bytes = text.as_bytes();
    let mut at = 0;
    // Only the characters outside ASCII, found without decoding the rest.
    while let Some(skip) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b >= 0x80))
    {
        at += skip;
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        at += c.len_utf8();
        if SENTENCE_END.contains(&c) {
            f.sentence_marks += 1;
        }
        if is_cjk(c) {
            f.cjk += 1;
            if is_cjk_function_char(c) {
                f.stop_words += 1;
            }
        }
    }
}

/// True for one of [`CJK_FUNCTION_CHARS`], looked up in a sorted table.
fn is_cjk_function_char(c: char) -> bool {
    static SORTED: OnceLock<Vec<char>> = OnceLock::new();
    SORTED
        .get_or_init(|| {
            let mut chars: Vec<char> = CJK_FUNCTION_CHARS.chars().collect();
            chars.sort_unstable();
            chars
        })
        .binary_search(&c)
        .is_ok()
}

/// "All rights reserved" in any case, found by its rarest letter.
fn contains_rights_reserved(bytes: &[u8]) -> bool {
    const NOTICE: &[u8] = b"all rights reserved";
    const V_AT: usize = 16;
    memchr::memchr2_iter(b'v', b'V', bytes).any(|at| {
        at.checked_sub(V_AT)
            .and_then(|start| bytes.get(start..start + NOTICE.len()))
            .is_some_and(|window| window.eq_ignore_ascii_case(NOTICE))
    })
}

/// Looks a word up in lower case, in a buffer reused across words.
fn is_stop_word(word: &str, stop: &StopWords, buffer: &mut String) -> bool {
    if word.is_empty() || word.len() > 24 {
        return false;
    }
    buffer.clear();
    if word.is_ascii() {
        buffer.push_str(word);
        buffer.make_ascii_lowercase();
    } else {
        buffer.extend(word.chars().flat_map(char::to_lowercase));
    }
    stop.contains(buffer.as_str())
}

/// Block measurements cached between stages. Each entry remembers the
/// length of the text it measured, so a block a stage has changed is
/// measured again. The cache never makes two documents unequal.
#[derive(Clone, Default)]
pub struct Memo(Vec<Option<(usize, Features)>>);

impl PartialEq for Memo {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Memo {}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

/// The measurements of every block, from the cache where still valid.
pub(crate) fn block_features(doc: &mut Document) -> Vec<Features> {
    let stop = stop_words(doc.meta.language.as_deref());
    let scale = stop_density_scale(doc.meta.language.as_deref());
    let memo = &mut doc.memo.0;
    memo.resize(doc.blocks.len(), None);
    doc.blocks
        .iter()
        .zip(memo.iter_mut())
        .map(|(block, slot)| match slot {
            // Removed blocks are never measured: on an HTML page most
            // blocks lie outside the article, and no stage reads them.
            _ if !block.is_kept() => Features::default(),
            Some((len, f)) if *len == block.text.len() => *f,
            _ => {
                let f = Features {
                    density_scale: scale,
                    ..measure(&block.text, stop)
                };
                *slot = Some((block.text.len(), f));
                f
            }
        })
        .collect()
}

/// The index of the first block past the article's head: the second kept
/// block that reads as prose. Bylines and captions live in the head.
pub(crate) fn head_end(doc: &Document, features: &[Features]) -> usize {
    doc.blocks
        .iter()
        .zip(features)
        .enumerate()
        .filter(|(_, (b, f))| b.is_kept() && f.is_prose())
        .nth(1)
        .map_or(doc.blocks.len(), |(index, _)| index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_and_menus_differ() {
        let stop = stop_words(Some("en"));
        let prose = measure("The council voted on Tuesday to spend the money on the park, and the mayor said it was overdue.", stop);
        let menu = measure("Home News Sport Weather Contact", stop);
        assert!(prose.is_prose() && prose.stop_density() > 0.3);
        assert!(!menu.is_prose() && menu.stop_density() < 0.1);
    }

    #[test]
    fn cjk_prose_is_prose() {
        let f = measure(
            "国务院新闻办公室今天举行发布会，介绍了经济运行的情况，并回答了记者的提问。",
            stop_words(Some("zh")),
        );
        assert!(f.is_prose(), "{f:?}");
    }

    /// The measurement as first written, word by word through the Unicode
    /// tables: the fast paths must agree with it.
    fn measure_reference(text: &str, stop: &StopWords) -> Features {
        let mut f = Features::default();
        for word in text.split_whitespace() {
            f.words += 1;
            let core = word.trim_matches(|c: char| !c.is_alphanumeric());
            if core.starts_with(char::is_uppercase) {
                f.capitalized += 1;
            }
            let lower: String = core.chars().flat_map(char::to_lowercase).collect();
            if !core.is_empty() && core.len() <= 24 && stop.contains(lower.as_str()) {
                f.stop_words += 1;
            }
        }
        for c in text.chars() {
            f.chars += 1;
            if SENTENCE_END.contains(&c) {
                f.sentence_marks += 1;
            }
            if is_cjk(c) {
                f.cjk += 1;
                if CJK_FUNCTION_CHARS.contains(c) {
                    f.stop_words += 1;
                }
            }
        }
        if f.cjk * 2 > f.chars {
            f.words = f.words.max(f.cjk / 2);
        }
        let trimmed = text.trim_end_matches(|c: char| CLOSERS.contains(&c) || c.is_whitespace());
        f.ends_sentence = trimmed.ends_with(SENTENCE_END);
        f.copyright =
            text.contains('©') || text.to_ascii_lowercase().contains("all rights reserved");
        f
    }

    proptest::proptest! {
        /// The fast paths measure exactly as the reference does.
        #[test]
        fn measure_equals_the_reference(text in "[a-zA-Z0-9 .,!?'\"()\t\n\u{a0}’—«»ÄéßЖжСс的了是。！©@\\[`{-]{0,80}") {
            for language in [Some("en"), Some("de"), Some("ru"), Some("zh"), None] {
                let stop = stop_words(language);
                proptest::prop_assert_eq!(measure(&text, stop), measure_reference(&text, stop));
            }
        }
    }

    #[test]
    fn stop_words_and_notices_are_measured_as_the_reference_does() {
        for text in [
            "The council voted on Tuesday (and THE mayor said: \"it was overdue\").",
            "© 2025 Example. ALL RIGHTS RESERVED",
            "all rights reserved",
            "Rights reserved, all of them.",
            "  --  ...  ",
            "Der Rat stimmte am Dienstag zu, und DER Bürgermeister sagte: „Überfällig.“",
            "国务院新闻办公室今天举行发布会，介绍了经济运行的情况。",
        ] {
            for language in [Some("en"), Some("de"), Some("zh")] {
                let stop = stop_words(language);
                assert_eq!(measure(text, stop), measure_reference(text, stop), "{text}");
            }
        }
    }

    proptest::proptest! {
        /// A word read from within its text packs as the word alone does.
        #[test]
        fn packing_within_a_text_equals_packing_the_word(text in "[a-z ]{1,20}", start in 0usize..20, len in 1usize..=8) {
            let start = start % text.len();
            let len = len.min(text.len() - start);
            proptest::prop_assert_eq!(
                pack_within(text.as_bytes(), start, len),
                pack(&text.as_bytes()[start..start + len])
            );
        }

        /// Eight letters lower-cased at once equal the bytes lower-cased
        /// one by one, at the edges of the letter range too.
        #[test]
        fn packed_lowercase_equals_bytewise(word in "[@A-Z\\[`a-z{0-9]{0,8}") {
            let lowered = word.to_ascii_lowercase();
            proptest::prop_assert_eq!(
                packed_ascii_lowercase(pack(word.as_bytes())),
                pack(lowered.as_bytes())
            );
        }
    }

    #[test]
    fn copyright_is_seen() {
        assert!(
            measure(
                "© 2025 Example Media. All rights reserved.",
                stop_words(None)
            )
            .copyright
        );
    }
}
