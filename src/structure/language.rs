//! Language identification for the `language` field and for choosing the
//! stop-word list the boilerplate classifier uses.

use crate::document::{Block, BlockKind};

/// How much prose is handed to the detector: a few sentences identify a
/// language, and the detector's cost grows with the sample.
const SAMPLE_BYTES: usize = 600;

/// whatlang's ISO 639-3 codes mapped to the two-letter BCP 47 tags users
/// expect; languages without a two-letter code keep their three letters.
const ISO_639_1: &[(&str, &str)] = &[
    ("afr", "af"),
    ("aka", "ak"),
    ("amh", "am"),
    ("ara", "ar"),
    ("aze", "az"),
    ("bel", "be"),
    ("ben", "bn"),
    ("bul", "bg"),
    ("cat", "ca"),
    ("ces", "cs"),
    ("cmn", "zh"),
    ("dan", "da"),
    ("deu", "de"),
    ("ell", "el"),
    ("eng", "en"),
    ("epo", "eo"),
    ("est", "et"),
    ("fin", "fi"),
    ("fra", "fr"),
    ("guj", "gu"),
    ("heb", "he"),
    ("hin", "hi"),
    ("hrv", "hr"),
    ("hun", "hu"),
    ("hye", "hy"),
    ("ind", "id"),
    ("ita", "it"),
    ("jav", "jv"),
    ("jpn", "ja"),
    ("kan", "kn"),
    ("kat", "ka"),
    ("khm", "km"),
    ("kor", "ko"),
    ("lat", "la"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("mal", "ml"),
    ("mar", "mr"),
    ("mkd", "mk"),
    ("mya", "my"),
    ("nep", "ne"),
    ("nld", "nl"),
    ("nob", "nb"),
    ("ori", "or"),
    ("pan", "pa"),
    ("pes", "fa"),
    ("pol", "pl"),
    ("por", "pt"),
    ("ron", "ro"),
    ("rus", "ru"),
    ("sin", "si"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("sna", "sn"),
    ("spa", "es"),
    ("srp", "sr"),
    ("swe", "sv"),
    ("tam", "ta"),
    ("tel", "te"),
    ("tgl", "tl"),
    ("tha", "th"),
    ("tuk", "tk"),
    ("tur", "tr"),
    ("ukr", "uk"),
    ("urd", "ur"),
    ("uzb", "uz"),
    ("vie", "vi"),
    ("yid", "yi"),
    ("zul", "zu"),
];

/// The language of the document's prose as a BCP 47 tag, from its longest
/// paragraphs (menus and headings say little about the language), or `None`
/// when the detector is unsure.
///
/// ```
/// use thresh::structure::detect_language;
/// use thresh::{Block, BlockKind};
/// let blocks = [Block::new(BlockKind::Paragraph, "Der Stadtrat hat am Dienstag beschlossen, die Bibliothek am Samstag länger zu öffnen.")];
/// assert_eq!(detect_language(&blocks).as_deref(), Some("de"));
/// ```
pub fn detect_language(blocks: &[Block]) -> Option<String> {
    let mut prose: Vec<&str> = blocks
        .iter()
        .filter(|b| {
            b.is_kept()
                && matches!(
                    b.kind,
                    BlockKind::Paragraph | BlockKind::Quote | BlockKind::ListItem
                )
        })
        .map(|b| b.text.as_str())
        .collect();
    prose.sort_by_key(|text| std::cmp::Reverse(text.len()));
    let mut sample = String::new();
    for text in prose {
        if sample.len() >= SAMPLE_BYTES {
            break;
        }
        sample.push_str(text);
        sample.push('\n');
    }
    if reads_as_english(&sample) {
        return Some("en".to_owned());
    }
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    Some(short_code(info.lang().code()).to_owned())
}

/// The two-letter code for an ISO 639-3 code when there is one, so that
/// detected languages and languages a page declares read the same.
pub(crate) fn short_code(code: &str) -> &str {
    ISO_639_1
        .iter()
        .find(|(long, _)| *long == code)
        .map_or(code, |(_, short)| short)
}

/// Function words that make up a large share of any English prose and are
/// rare in other languages written in Latin script.
const ENGLISH_MARKERS: &[&str] = &[
    "the", "and", "of", "to", "is", "that", "with", "for", "was", "are", "this", "have", "from",
    "it", "you", "be", "by", "they", "which", "has",
];

/// Plain ASCII prose where English function words are frequent: the common
/// case, settled without running the statistical detector.
fn reads_as_english(sample: &str) -> bool {
    if !sample.is_ascii() && sample.chars().filter(|c| !c.is_ascii()).count() * 50 > sample.len() {
        return false;
    }
    let mut words = 0;
    let mut markers = 0;
    for word in sample
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        if ENGLISH_MARKERS.iter().any(|m| m.eq_ignore_ascii_case(word)) {
            markers += 1;
        }
    }
    words >= 20 && markers * 100 >= words * 18
}
