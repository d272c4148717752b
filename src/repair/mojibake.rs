//! Reverses mojibake: UTF-8 text that was decoded with a legacy 8-bit
//! encoding, such as `cafÃ©` for `café` or `Î•Î»Î»Î·Î½Î¹ÎºÎ¬` for `Ελληνικά`.
//!
//! This follows ftfy's `fix_encoding` (Apache-2.0, Robyn Speer). A badness
//! heuristic decides whether a line looks like mojibake at all; only then is
//! the line re-encoded with each candidate legacy encoding and the bytes
//! decoded as UTF-8. Sensible text must never change, so a repair is kept only
//! when it decodes cleanly and leaves the line strictly less bad.
//!
//! The heuristic's rules are compiled once into a bit-parallel (shift-and)
//! matcher over character classes, so checking clean text is a single pass,
//! and runs of ASCII are skipped eight bytes at a time.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use encoding_rs::Encoding;

/// True when the text shows signs of mojibake (ftfy's "badness" gate).
///
/// ```
/// use thresh::repair::mojibake::is_bad;
/// assert!(is_bad("cafÃ© â€œlatteâ€\u{9d}"));
/// assert!(!is_bad("café “latte”"));
/// ```
pub fn is_bad(text: &str) -> bool {
    !text.is_ascii() && scanner().count_matches(text, 1) > 0
}

/// Reverse mojibake: UTF-8 text that was mis-decoded as a legacy 8-bit encoding.
/// Returns `Cow::Borrowed` when nothing changes (the overwhelmingly common case, must be fast).
///
/// Each line that [`is_bad`] flags is re-encoded with ftfy's candidate
/// encodings (latin-1, windows-1252, -1251, -1250, -1253, -1254, -1257,
/// iso-8859-2, MacRoman, cp437) and decoded as UTF-8, until it stops changing.
///
/// ```
/// use std::borrow::Cow;
/// use thresh::repair::mojibake::fix_encoding;
/// assert_eq!(fix_encoding("The cafÃ© is â€œopenâ€\u{9d}"), "The café is “open”");
/// assert!(matches!(fix_encoding("naïve café"), Cow::Borrowed(_)));
/// ```
pub fn fix_encoding(text: &str) -> Cow<'_, str> {
    fix_encoding_before(text, AsciiMarks::ALL)
}

/// [`fix_encoding`] for text that a later normalization will give ASCII
/// `marks`: repairs are judged as cleaning the cleaned text would judge
/// them, with exactly those marks ASCII (see [`AsciiMarks`]).
///
/// ```
/// use thresh::repair::mojibake::{fix_encoding_before, AsciiMarks};
/// assert_eq!(fix_encoding_before("cafÃ©", AsciiMarks::NONE), "café");
/// ```
pub fn fix_encoding_before(text: &str, marks: AsciiMarks) -> Cow<'_, str> {
    if text.is_ascii()
        || !(is_bad(&spaces_as_normalized(text))
            || (may_end_by_lead(text) && segments(text).any(|(_, s)| ends_by_lead(s))))
    {
        return Cow::Borrowed(text);
    }
    let mut splicer = Splicer::new(text);
    for (start, segment) in segments(text) {
        let normalized = spaces_as_normalized(segment);
        let fixed = with_trimmed_a0(&normalized)
            .and_then(|restored| fix_line(&restored, marks))
            .filter(|fixed| !ends_by_lead(fixed.trim_end_matches(['\u{a0}', ' '])))
            .or_else(|| fix_line(&normalized, marks))
            .or_else(|| fix_line(&wide_spaces_as_normalized(&normalized)?, marks));
        if let Some(fixed) = fixed {
            splicer.replace(start, start + segment.len(), &fixed);
        }
    }
    splicer.finish()
}

/// A line repaired, as this pass and the one after normalization see it.
fn fix_line(line: &str, marks: AsciiMarks) -> Option<String> {
    let fixed = fix_segment(line, 0, marks);
    fix_as_normalized(fixed.as_deref().unwrap_or(line), marks).or(fixed)
}

/// Lead bytes whose lost no-break space [`ALTERED_UTF8`] restores, as
/// windows-1252 shows them.
const A0_LEADS: [char; 6] = ['Â', 'Ã', 'Å', 'Î', 'Ð', 'Ù'];

/// A quick byte test for [`ends_by_lead`] on some line: one of
/// [`A0_LEADS`] (each `C3 xx` in UTF-8) right before a line break or the
/// end of the text. Clean text must not pay a walk through its characters.
fn may_end_by_lead(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xC3, bytes).any(|at| {
        matches!(
            bytes.get(at + 1),
            Some(0x82 | 0x83 | 0x85 | 0x8E | 0x90 | 0x99)
        ) && matches!(bytes.get(at + 2), None | Some(b'\n' | b'\r' | 0xE2))
    })
}

/// True when the line ends with one of [`A0_LEADS`] stuck to a character
/// that is neither a space nor a capital: where a trimmed no-break space
/// may have been its continuation (`cats.Â`, `CittÃ`), and not where the
/// letter ends a word in capitals (`IRMÃ`) or stands alone.
fn ends_by_lead(line: &str) -> bool {
    let mut chars = line.trim_end_matches(LINE_BREAKS).chars().rev();
    match (chars.next(), chars.next()) {
        (Some(last), Some(before)) => {
            A0_LEADS.contains(&last) && !before.is_whitespace() && !before.is_uppercase()
        }
        _ => false,
    }
}

/// The line with the no-break space put back after its last character,
/// when that is a lead byte whose continuation was trimmed as whitespace:
/// `32.21 for cats.Â` was `Â\u{a0}`, a no-break space read as
/// windows-1252, and its end was trimmed before repair saw it.
fn with_trimmed_a0(line: &str) -> Option<String> {
    if !ends_by_lead(line) {
        return None;
    }
    let body = line.trim_end_matches(LINE_BREAKS);
    Some(format!("{body}\u{a0}{}", &line[body.len()..]))
}

/// A repaired line as cleaning it again would repair it, once
/// normalization has made its `marks` ASCII, if that finds more.
///
/// A mark is also a windows-1252 byte (`”` is 0x94), so beside one a
/// sequence can look broken in a way no repair fixes (`”ÒŒ` is no
/// UTF-8), or a mark can hide a sequence (`’Œß“` holds MacRoman's `Œß`,
/// `Χ`, which is no mojibake word with its quotes). Once the marks are
/// ASCII, the line re-encodes (`"ÒŒ` is `"Ҍ`), and cleaning the cleaned
/// text would repair it. So the line is repaired as that pass sees it,
/// before it is returned: the result is a fixed point of clean and then
/// clean again. The marks of the line's unchanged start and end are kept
/// as they were; normalization makes them ASCII in any case.
fn fix_as_normalized(line: &str, marks: AsciiMarks) -> Option<String> {
    let mut fixed: Option<String> = None;
    for _ in 0..MAX_FIX_ROUNDS {
        let current = fixed.as_deref().unwrap_or(line);
        let as_ascii = marks.as_ascii(current);
        if matches!(as_ascii, Cow::Borrowed(_)) || !is_bad(&as_ascii) {
            break;
        }
        match fix_segment(&as_ascii, 0, marks) {
            Some(again) => fixed = Some(again),
            None => break,
        }
    }
    fixed.map(|fixed| keep_marks_around(line, &fixed, marks))
}

/// `fixed`, a repair of `line` with its marks ASCII, with the marks that
/// `line` had in the stretches before and after the repaired part.
fn keep_marks_around(line: &str, fixed: &str, marks: AsciiMarks) -> String {
    let original: Vec<char> = line.chars().collect();
    let repaired: Vec<char> = fixed.chars().collect();
    let same = |a: char, b: char| marks.ascii_for(a).unwrap_or(a) == b;
    let shorter = original.len().min(repaired.len());
    let head = (0..shorter)
        .find(|&i| !same(original[i], repaired[i]))
        .unwrap_or(shorter);
    let tail = (0..shorter - head)
        .find(|&i| {
            !same(
                original[original.len() - 1 - i],
                repaired[repaired.len() - 1 - i],
            )
        })
        .unwrap_or(shorter - head);
    original[..head]
        .iter()
        .chain(&repaired[head..repaired.len() - tail])
        .chain(&original[original.len() - tail..])
        .collect()
}

/// The text with every run of spaces, tabs, vertical tabs and form feeds
/// as one space, and none at the start or end of a line, as normalization
/// leaves it (it collapses every whitespace character; the others are line
/// breaks, which end a segment, or spaces outside ASCII, which the space
/// fix has made plain spaces already).
///
/// A space may stand for a lost A0 byte, so whitespace decides what is a
/// sequence: `ðŸ  ¬` is none, `ðŸ ¬` is U+1F82C, and `Ã <` reads as `à`
/// at the start of a line but not after an indent. Judging a line as
/// normalization will leave it makes cleaning the cleaned text judge it
/// the same way. A line that gets repaired keeps the normalized spacing;
/// one that does not keeps its own.
fn spaces_as_normalized(text: &str) -> Cow<'_, str> {
    const INLINE_SPACES: [char; 4] = [' ', '\t', '\u{0B}', '\u{0C}'];
    let bytes = text.as_bytes();
    let untouched = memchr::memchr3(b'\t', 0x0B, 0x0C, bytes).is_none()
        && memchr::memmem::find(bytes, b"  ").is_none()
        && memchr::memmem::find(bytes, b" \n").is_none()
        && memchr::memmem::find(bytes, b"\n ").is_none()
        && !text.starts_with(' ')
        && !text.ends_with(' ');
    if untouched {
        return Cow::Borrowed(text);
    }
    Cow::Owned(collapse_spaces(text, |c| INLINE_SPACES.contains(&c)))
}

/// Every line of `text` trimmed of the characters `is_space` picks, and
/// each run of them inside it written as one space.
fn collapse_spaces(text: &str, is_space: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut in_space = false;
        for c in line.trim_matches(&is_space).chars() {
            let space = is_space(c);
            if !(space && in_space) {
                out.push(if space { ' ' } else { c });
            }
            in_space = space;
        }
    }
    out
}

/// The line with its spaces outside ASCII (a no-break space, an em space)
/// collapsed and trimmed as normalization will leave them, when it has
/// any. They stay while the line is judged as it is, since a no-break
/// space may be the A0 byte of a sequence (`Ã` and one is `à`); a line
/// that is no mojibake so is judged again without them: with the space
/// fix off, `ÒŒ` and a no-break space is nothing, but the next pass sees
/// `ÒŒ` alone and reads U+048C.
fn wide_spaces_as_normalized(line: &str) -> Option<String> {
    let is_space = |c: char| c != '\n' && c != '\r' && c.is_whitespace();
    if line.is_ascii() || !line.contains(|c: char| !c.is_ascii() && is_space(c)) {
        return None;
    }
    Some(collapse_spaces(line, is_space))
}

// ---------------------------------------------------------------------------
// Repair
// ---------------------------------------------------------------------------

/// Double or triple mojibake needs one round per layer; more rounds than this
/// would mean the steps are undoing each other.
const MAX_FIX_ROUNDS: usize = 8;
/// Per-segment work is a few passes per round, so bounding the segment keeps
/// a newline-free document linear (ftfy caps segments the same way).
const MAX_SEGMENT_BYTES: usize = 1 << 20;
/// `decode_inconsistent_utf8` fixes runs by recursing into the repair; a
/// run holds only UTF-8-looking sequences, so two levels are plenty.
const MAX_RUN_DEPTH: u8 = 2;

/// Repairs one line (or a bounded chunk of one) until it stops changing,
/// and keeps the first of the rounds' results that is least bad, if it is
/// less bad than the segment.
///
/// A round may leave the text exactly as bad as it was, as long as it is
/// shorter (decoding UTF-8 always is): double mojibake can look no worse
/// after its first layer comes off (`Ã…Â¾` and `Å¾` each break one rule)
/// and only the second layer shows the gain (`ž`). ftfy goes on while the
/// text looks bad at all; waiting for a strict gain over the whole chain
/// keeps this fix's promise that sensible text never changes.
fn fix_segment(segment: &str, depth: u8, marks: AsciiMarks) -> Option<String> {
    let mut best: Option<String> = None;
    let mut least_bad = badness(segment);
    // Without marks that normalization rewrites, the text normalized is
    // the text itself: one scan serves both.
    let normalized_badness = |text: &str, plain: usize| {
        if marks.any_in(text) {
            badness(&marks.as_ascii(text))
        } else {
            plain
        }
    };
    let mut least_bad_normalized = normalized_badness(segment, least_bad);
    let mut current: Option<String> = None;
    for _ in 0..MAX_FIX_ROUNDS {
        let Some(next) = fix_one_step(current.as_deref().unwrap_or(segment), depth, marks) else {
            break;
        };
        let bad = badness(&next);
        let bad_normalized = normalized_badness(&next, bad);
        if bad < least_bad || bad_normalized < least_bad_normalized {
            best = Some(next.clone());
        }
        least_bad = least_bad.min(bad);
        least_bad_normalized = least_bad_normalized.min(bad_normalized);
        current = Some(next);
    }
    best
}

fn badness(text: &str) -> usize {
    scanner().count_matches(text, usize::MAX)
}

/// One round of ftfy's plan: whole-line re-encoding in the fixed codec order,
/// then piecewise repair of UTF-8-looking runs, then stray C1 controls. A
/// result must be less bad, or as bad and shorter (see [`fix_segment`]).
///
/// Before the C1 controls, the runs are tried once more as they would be
/// once normalization has made their quote marks, dashes and ellipses
/// ASCII (the [`AsciiMarks`] end runs): cleaning the cleaned text sees
/// them so, and would otherwise repair what this pass left.
fn fix_one_step(text: &str, depth: u8, marks: AsciiMarks) -> Option<String> {
    if text.is_ascii() {
        return None;
    }
    let badness_before = badness(text);
    if badness_before == 0 {
        return None;
    }
    let length = text.chars().count();
    let unassigned_before = unassigned(text);
    let improves = |candidate: &String| {
        candidate != text
            && unassigned(candidate) <= unassigned_before
            && match badness(candidate).cmp(&badness_before) {
                std::cmp::Ordering::Less => true,
                std::cmp::Ordering::Equal => candidate.chars().count() < length,
                std::cmp::Ordering::Greater => false,
            }
    };
    // The split runs are judged as the next pass would judge them: on the
    // text with its marks made ASCII.
    let marked = marks.any_in(text);
    let improves_as_normalized = |candidate: &String| {
        candidate != text
            && unassigned(candidate) <= unassigned_before
            && match badness(&marks.as_ascii(candidate)).cmp(&badness(&marks.as_ascii(text))) {
                std::cmp::Ordering::Less => true,
                std::cmp::Ordering::Equal => candidate.chars().count() < length,
                std::cmp::Ordering::Greater => false,
            }
    };
    codecs()
        .iter()
        .find_map(|codec| codec.reencode_as_utf8(text).filter(improves))
        .or_else(|| decode_inconsistent_utf8(text, depth, marks).filter(improves))
        .or_else(|| {
            marked
                .then(|| decode_runs(text, depth, marks, marks))
                .flatten()
                .filter(improves_as_normalized)
        })
        .or_else(|| fix_c1_controls(text).filter(improves))
}

/// Unassigned code points in the Basic Multilingual Plane: a decoding that
/// makes one (`ŒÅ` read as the bytes CE 81, U+0381) is no repair. Planes
/// above are left out, where new emoji arrive faster than the table.
fn unassigned(text: &str) -> usize {
    use unicode_general_category::{get_general_category, GeneralCategory};
    text.chars()
        .filter(|&c| {
            !c.is_ascii()
                && u32::from(c) < 0x1_0000
                && get_general_category(c) == GeneralCategory::Unassigned
        })
        .count()
}

/// Fixes each UTF-8-looking run on its own, for lines where correct
/// non-ASCII text (a curly quote that was already right) sits next to
/// mojibake and so no single encoding can represent the whole line.
///
/// A run is every UTF-8-looking sequence in a row, not one character's
/// worth (ftfy's `UTF8_DETECTOR_RE` repeats its group with `+` too): in
/// double mojibake a character's first layer can be a C1 control, which
/// no fix of that sequence alone improves on, while the whole run decodes
/// in two rounds (`Ã¦Â\u{9d}Â±` to `æ\u{9d}±` to `東`).
fn decode_inconsistent_utf8(text: &str, depth: u8, marks: AsciiMarks) -> Option<String> {
    decode_runs(text, depth, marks, AsciiMarks::NONE)
}

/// Marks that a later normalization makes ASCII, which decide how the
/// mojibake fix judges a run that holds one.
///
/// Each of these marks is also a windows-1252 byte of UTF-8 (`’` is 0x92,
/// `„` 0x84, `…` 0x85, `–` 0x96), so a sequence holding one may be real
/// mojibake or a mark that belongs to the text. Once normalization has
/// made the mark ASCII, it is no byte of a sequence any more, and cleaning
/// the cleaned text finds the runs on either side of it on their own: the
/// fix tries those pieces too, but only for the marks that really become
/// ASCII, or it would leave a run that the next pass, seeing the mark
/// still there, repairs.
///
/// ```
/// use thresh::normalize::{DashStyle, Normalizer};
/// use thresh::repair::mojibake::AsciiMarks;
/// let dashes_kept = Normalizer { dashes: DashStyle::Keep, ..Normalizer::default() };
/// assert_ne!(dashes_kept.ascii_marks(), AsciiMarks::ALL);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsciiMarks {
    quotes: bool,
    dashes: bool,
    ellipses: bool,
}

impl AsciiMarks {
    /// Every mark: what repair assumes when it does not know the
    /// normalization that follows.
    pub const ALL: AsciiMarks = AsciiMarks::new(true, true, true);
    /// No mark: nothing follows that rewrites them.
    pub const NONE: AsciiMarks = AsciiMarks::new(false, false, false);

    /// Curly, low-9 and reversed quotes and primes (`quotes`), en and em
    /// dashes (`dashes`), and the ellipsis (`ellipses`).
    pub const fn new(quotes: bool, dashes: bool, ellipses: bool) -> Self {
        AsciiMarks {
            quotes,
            dashes,
            ellipses,
        }
    }

    /// The ASCII character the mark stands for once normalized, if `c` is
    /// one of these marks.
    fn ascii_for(self, c: char) -> Option<char> {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' if self.quotes => {
                Some('\'')
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' if self.quotes => {
                Some('"')
            }
            '\u{2013}' | '\u{2014}' if self.dashes => Some('-'),
            '\u{2026}' if self.ellipses => Some('.'),
            _ => None,
        }
    }

    fn contains(self, c: char) -> bool {
        !c.is_ascii() && self.ascii_for(c).is_some()
    }

    fn any_in(self, text: &str) -> bool {
        self != AsciiMarks::NONE && text.chars().any(|c| self.contains(c))
    }

    /// The text with each mark as one ASCII character: how normalization
    /// leaves it, for judging a repair as cleaning the cleaned text would.
    fn as_ascii(self, text: &str) -> Cow<'_, str> {
        if !self.any_in(text) {
            return Cow::Borrowed(text);
        }
        Cow::Owned(
            text.chars()
                .map(|c| self.ascii_for(c).unwrap_or(c))
                .collect(),
        )
    }
}

/// [`decode_inconsistent_utf8`], and the same with every sequence that
/// holds one of the `split` marks taken as no sequence, so that runs end
/// there. `marks` are those the normalization after repair makes ASCII.
fn decode_runs(text: &str, depth: u8, marks: AsciiMarks, split: AsciiMarks) -> Option<String> {
    if depth >= MAX_RUN_DEPTH {
        return None;
    }
    let clues = utf8_clues();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut splicer = Splicer::new(text);
    // The next character to look at, and the end of what was replaced.
    let (mut index, mut taken) = (0, 0);
    // The end of the last run that was tried again without its first sequence.
    let mut retried_up_to = usize::MAX;
    // Where that run started.
    let mut retried_from = usize::MAX;
    while index < chars.len() {
        let Some(unit) = clues.run_length_at(&chars[index..], split) else {
            index += 1;
            continue;
        };
        let (first, last, last_start, units) =
            word_around(&chars, clues, index, unit, taken, split);
        let at = |i: usize| chars.get(i).map_or(text.len(), |&(at, _)| at);
        let fix = |from: usize, to: usize| {
            let run = &text[at(from)..at(to)];
            (run.len() < text.len() && is_bad(run))
                .then(|| fix_segment(run, depth + 1, marks))
                .flatten()
        };
        // A last sequence that holds a space or a quote mark may be a
        // false one: the space taken for a lost no-break space, the quote
        // for a continuation byte, when both belong to the text (`ç” `
        // after `å£«`; `ζœ΅’` after `θƒ½`). Normalization makes such quotes
        // ASCII, the false sequence is gone, and cleaning the cleaned text
        // would repair what the first pass did not. So what comes before
        // it is tried on its own.
        let space_ended = chars[last_start..last]
            .iter()
            .any(|&(_, c)| matches!(c, ' ' | '‘' | '’' | '‚' | '“' | '”' | '„' | '‹' | '›'));
        let fixed = fix(first, last).map(|fixed| (fixed, last)).or_else(|| {
            (units > 1 && space_ended)
                .then(|| fix(first, last_start))
                .flatten()
                .map(|f| (f, last_start))
        });
        match fixed {
            Some((fixed, end)) => {
                splicer.replace(at(first), at(end), &fixed);
                (index, taken) = (end, end);
            }
            // The first sequence may be a false one that borrowed the lead
            // of the next (in `и æ\u{9d}±`, `и æ` looks like UTF-8 in
            // windows-1251 and -1257 and hides the real `æ\u{9d}±`; in
            // `ň — Ã…`, `ň — ` does in windows-1250 and joins the run that
            // follows): try again one character on, or for a longer run
            // once without its first sequence. No more, so that each
            // character is looked at a bounded number of times.
            None if units == 1 => index += 1,
            None if retried_up_to != last => {
                (index, retried_up_to, retried_from) = (index + unit, last, first);
            }
            // A run that still fails may hold marks that normalization
            // makes ASCII, and an ASCII mark ends a run: cleaning the
            // cleaned text would find the pieces between them on their
            // own, and repair some. So those pieces are tried now, as that
            // pass would try them.
            None => {
                // Here `retried_up_to == last`: the run and its retry failed.
                let from = retried_from.max(taken).min(first);
                let marked = chars[from..last].iter().any(|&(_, c)| marks.contains(c));
                let pieces = (split == AsciiMarks::NONE && marked)
                    .then(|| decode_runs(&text[at(from)..at(last)], depth, marks, marks))
                    .flatten();
                if let Some(fixed) = pieces {
                    splicer.replace(at(from), at(last), &fixed);
                    taken = last;
                }
                index = last;
            }
        }
    }
    match splicer.finish() {
        Cow::Owned(fixed) => Some(fixed),
        Cow::Borrowed(_) => None,
    }
}

/// The mojibake word around the UTF-8-looking sequence of `unit`
/// characters at `index`: that sequence, every such sequence right after
/// it, and the ASCII letters and digits around and between them (never
/// reaching back before `taken`). ASCII comes through every re-encoding
/// unchanged, but the badness rules need it: `Å„` is bad only before a
/// letter, as in `GdaÅ„sk`. Returns the word's first and past-the-end
/// character, where its last sequence starts, and how many sequences it
/// holds.
fn word_around(
    chars: &[(usize, char)],
    clues: &Utf8Clues,
    index: usize,
    unit: usize,
    taken: usize,
    split: AsciiMarks,
) -> (usize, usize, usize, usize) {
    let is_word = |at: usize| {
        chars
            .get(at)
            .is_some_and(|&(_, c)| c.is_ascii_alphanumeric())
    };
    let mut first = index;
    while first > taken && is_word(first - 1) {
        first -= 1;
    }
    let (mut last, mut last_start, mut units) = (index + unit, index, 1);
    loop {
        let mut after = last;
        while is_word(after) {
            after += 1;
        }
        match clues.run_length_at(&chars[after..], split) {
            Some(more) => (last, last_start, units) = (after + more, after, units + 1),
            None => return (first, after, last_start, units),
        }
    }
}

/// C1 controls have no legitimate use in text; what is left of them after the
/// other steps was almost always meant as windows-1252 punctuation.
fn fix_c1_controls(text: &str) -> Option<String> {
    if !text.chars().any(is_c1) {
        return None;
    }
    let windows_1252 = codec_named("sloppy-windows-1252")?;
    let fixed = text
        .chars()
        .map(|c| match u8::try_from(c) {
            Ok(byte) if is_c1(c) => windows_1252.decode_byte(byte).unwrap_or(c),
            _ => c,
        })
        .collect();
    Some(fixed)
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9F}').contains(&c)
}

/// Where segments end. Every line break counts, not only `\n`: the
/// line-break fix runs after this one, and a line still joined to its
/// neighbour by a CR or a paragraph separator would be judged whole, so a
/// clean neighbour (or one no encoding can represent) would block the repair.
const LINE_BREAKS: [char; 4] = ['\n', '\r', '\u{2028}', '\u{2029}'];

/// Splits text into lines (keeping the line break), cutting overlong lines
/// at character boundaries.
fn segments(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let line_end = text[start..]
            .char_indices()
            .find(|&(_, c)| LINE_BREAKS.contains(&c))
            .map_or(text.len(), |(at, c)| match c {
                // No legacy encoding has these, so a line that kept one
                // could never be re-encoded whole: it is a segment of its own.
                '\u{2028}' | '\u{2029}' if at > 0 => start + at,
                _ => start + at + c.len_utf8(),
            });
        let end = floor_char_boundary(text, line_end.min(start + MAX_SEGMENT_BYTES));
        let segment = (start, &text[start..end]);
        start = end;
        Some(segment)
    })
}

fn floor_char_boundary(text: &str, index: usize) -> usize {
    (0..=index)
        .rev()
        .find(|&at| text.is_char_boundary(at))
        .unwrap_or(0)
}

/// Copies a text lazily, allocating only once something is replaced.
struct Splicer<'a> {
    original: &'a str,
    out: Option<String>,
    copied_up_to: usize,
}

impl<'a> Splicer<'a> {
    fn new(original: &'a str) -> Self {
        Splicer {
            original,
            out: None,
            copied_up_to: 0,
        }
    }

    fn replace(&mut self, start: usize, end: usize, with: &str) {
        let out = self
            .out
            .get_or_insert_with(|| String::with_capacity(self.original.len()));
        out.push_str(&self.original[self.copied_up_to..start]);
        out.push_str(with);
        self.copied_up_to = end;
    }

    fn finish(self) -> Cow<'a, str> {
        match self.out {
            None => Cow::Borrowed(self.original),
            Some(mut out) => {
                out.push_str(&self.original[self.copied_up_to..]);
                Cow::Owned(out)
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Badness heuristic
// ---------------------------------------------------------------------------

// Character categories, after ftfy's MOJIBAKE_CATEGORIES.
const COMMON: u32 = 1 << 0;
const C1: u32 = 1 << 1;
const BAD: u32 = 1 << 2;
const LAW: u32 = 1 << 3;
const CURRENCY: u32 = 1 << 4;
const START_PUNCT: u32 = 1 << 5;
const END_PUNCT: u32 = 1 << 6;
const NUMERIC: u32 = 1 << 7;
const KAOMOJI: u32 = 1 << 8;
const UPPER_ACCENTED: u32 = 1 << 9;
const LOWER_ACCENTED: u32 = 1 << 10;
const UPPER_COMMON: u32 = 1 << 11;
const LOWER_COMMON: u32 = 1 << 12;
const BOX: u32 = 1 << 13;
/// Regex `\s`.
const SPACE: u32 = 1 << 14;
/// Regex `\w`.
const WORD: u32 = 1 << 15;

const ACCENTED: u32 = UPPER_ACCENTED | LOWER_ACCENTED;
const SYMBOLS: u32 = BOX | START_PUNCT | END_PUNCT | CURRENCY | NUMERIC | LAW;

/// Members of each category as regex-style sets, where `a-z` is a range.
const CATEGORY_MEMBERS: &[(u32, &str)] = &[
    // Characters of many contexts: their sequences are not mojibake by themselves.
    (COMMON, "\u{A0}\u{AD}·´–—―…’"),
    (C1, "\u{80}-\u{9F}"),
    // Nearly always mojibake.
    (BAD, "¦¤¨¬¯¸ƒˆˇ˘˛˜†‡‰⌐◊\u{FFFD}ªº"),
    (LAW, "¶§"),
    (CURRENCY, "¢£¥₧€"),
    (START_PUNCT, "¡«¿©΄΅‘‚“„•‹\u{F8FF}"),
    (END_PUNCT, "®»˝”›™"),
    (NUMERIC, "²³¹±¼½¾×µ÷⁄∂∆∏∑√∞∩∫≈≠≡≤≥№"),
    // Letters that emoticons (kaomoji) are made of, so they get more leeway.
    (KAOMOJI, "Ò-ÖÙ-Üò-öø-üŐŌŪŲ°"),
    (
        UPPER_ACCENTED,
        "À-ÑØÜÝĂĀĄĆČĎĐĘĚĒĖĞĢİĪĶĹĽŁĻŃŇŅŒŘŚŞŠŢŤŮŰŸŹŻŽҐ",
    ),
    (LOWER_ACCENTED, "ßà-ñăąāćčďđęěēėğģįīķĺľłļœŕśşšťüźżžґﬁﬂ"),
    (UPPER_COMMON, "ÞΑ-ΩΆΈΉΊΌΎΏΪΫЁ-Я"),
    (LOWER_COMMON, "α-ωάέήίΰа-џ"),
    // The single horizontal line is left out: kaomoji use it.
    (BOX, "│┌┐┘├┤┬┼═-╬▀▄█▌▐░▒▓"),
];

/// One position of a badness rule: a character fits if it has one of the
/// categories or is one of the listed characters (or, negated, neither).
#[derive(Clone, Copy)]
struct Slot {
    categories: u32,
    chars: &'static str,
    negated: bool,
}

const fn cats(categories: u32) -> Slot {
    Slot {
        categories,
        chars: "",
        negated: false,
    }
}

const fn chars(chars: &'static str) -> Slot {
    Slot {
        categories: 0,
        chars,
        negated: false,
    }
}

const fn cats_or(categories: u32, chars: &'static str) -> Slot {
    Slot {
        categories,
        chars,
        negated: false,
    }
}

const fn none_of(chars: &'static str) -> Slot {
    Slot {
        categories: 0,
        chars,
        negated: true,
    }
}

const ARABIC_TAIL: Slot = cats_or(COMMON | CURRENCY | BAD | NUMERIC | START_PUNCT, "ŸŠ®°µ»");

/// Unlikely neighbours, after ftfy's BADNESS_RE: each rule is a sequence of
/// consecutive characters, and any match makes a text bad.
const RULES: &[&[Slot]] = &[
    // C1 controls have no use outside mojibake.
    &[cats(C1)],
    &[cats(BAD | ACCENTED | SYMBOLS), cats(BAD)],
    &[
        chars("a-zA-Z"),
        cats(LOWER_COMMON | UPPER_COMMON),
        cats(BAD),
    ],
    &[cats(BAD), cats(ACCENTED | SYMBOLS)],
    &[
        cats(LOWER_ACCENTED | LOWER_COMMON | BOX | END_PUNCT | CURRENCY | NUMERIC),
        cats(UPPER_ACCENTED),
    ],
    &[
        cats(BOX | END_PUNCT | CURRENCY | NUMERIC),
        cats(LOWER_ACCENTED),
    ],
    &[cats(LOWER_ACCENTED | BOX | END_PUNCT), cats(CURRENCY)],
    &[cats(SPACE), cats(UPPER_ACCENTED), cats(CURRENCY)],
    &[cats(UPPER_ACCENTED | BOX), cats(NUMERIC | LAW)],
    &[
        cats(ACCENTED | BOX | CURRENCY | END_PUNCT),
        cats(START_PUNCT),
        cats(NUMERIC),
    ],
    &[
        cats(ACCENTED | CURRENCY | NUMERIC | BOX | LAW),
        cats(END_PUNCT),
        cats(START_PUNCT),
    ],
    &[cats(CURRENCY | NUMERIC | BOX), cats(START_PUNCT)],
    &[
        chars("a-z"),
        cats(UPPER_ACCENTED),
        cats(START_PUNCT | CURRENCY),
    ],
    &[cats(BOX), cats(KAOMOJI)],
    &[
        cats(ACCENTED | CURRENCY | NUMERIC | START_PUNCT | END_PUNCT | LAW),
        cats(BOX),
    ],
    &[cats(BOX), cats(END_PUNCT)],
    &[cats(ACCENTED), cats(START_PUNCT | END_PUNCT), cats(WORD)],
    // œ is a ligature inside words, so it is followed by a plain letter.
    &[chars("Œœ"), none_of("A-Za-z")],
    &[cats(UPPER_ACCENTED), chars("°")],
    // Frequent two-character windows-1252 mojibake not caught above.
    &[
        chars("ÂÃÎÐ"),
        cats_or(START_PUNCT | END_PUNCT, "€Šš¢£Ÿž\u{A0}\u{AD}®©°·»–—´"),
    ],
    &[chars("×"), chars("²³")],
    // Arabic in windows-1252 leans on common characters, so demand two letters' worth.
    &[chars("ØÙ"), ARABIC_TAIL, chars("ØÙ"), ARABIC_TAIL],
    // Starts of three-byte South Asian letters in windows-1252.
    &[chars("à"), chars("²µ¹¼½¾")],
    // MacRoman.
    &[chars("√"), chars("±∂†≠®™´≤≥¥µø")],
    &[chars("≈"), chars("°¢")],
    &[chars("‚"), chars("Ä"), chars("ìîïòôúùû†°¢π")],
    &[chars("‚"), chars("âó"), chars("àä°ê")],
    // windows-1251: the U+2000 block, and windows-1252 symbols.
    &[chars("в"), chars("Ђ")],
    &[
        chars("ВГРС"),
        cats_or(C1 | BAD | START_PUNCT | END_PUNCT | CURRENCY, "°µ"),
        chars("ВГРС"),
    ],
    // à, á and the no-break space itself, whose A0 byte often became a space.
    &[chars("Ã"), chars("\u{A0}¡")],
    &[chars("a-z"), chars("ÃÂ"), chars(" ")],
    &[chars("a-z"), cats(SPACE), chars("ÃÂ"), chars(" ")],
    &[chars("\n"), chars("ÃÂ"), chars(" ")],
    // Â in front of the very character it encodes. ftfy's rule, with a
    // colon, semicolon or digit before it as well (`Step 2:Â Appoint`).
    &[
        cats_or(END_PUNCT, "a-z0-9.,:;?!"),
        chars("Â"),
        cats_or(COMMON, " "),
    ],
    // windows-1253: the U+2000 block, and windows-1252 symbols.
    &[chars("β"), chars("€"), chars("™\u{A0}Ά\u{AD}®°")],
    &[
        chars("ΒΓΞΟ"),
        cats_or(C1 | BAD | START_PUNCT | END_PUNCT | CURRENCY, "°"),
        chars("ΒΓΞΟ"),
    ],
    // windows-1257: the U+2000 block.
    &[chars("ā"), chars("€")],
];

const fn total_rule_length() -> usize {
    let mut total = 0;
    let mut rule = 0;
    while rule < RULES.len() {
        total += RULES[rule].len();
        rule += 1;
    }
    total
}

// Every rule position owns one bit of the matcher state.
const _: () = assert!(total_rule_length() <= u128::BITS as usize);

/// Code points whose rule positions are looked up in tables rather than
/// computed: Latin, Greek and Cyrillic, then general punctuation through box
/// drawing.
const LOW_BLOCK_END: u32 = 0x500;
const SYMBOL_BLOCK: std::ops::Range<u32> = 0x2000..0x2600;

/// All badness rules run at once as a shift-and matcher: a rule position's
/// bit survives a character only if the position before it matched the
/// previous character, so a set last bit is a match.
struct BadnessScanner {
    rule_starts: u128,
    rule_ends: u128,
    /// The rule positions each character fits, one bit each.
    low_block: Vec<u128>,
    symbol_block: Vec<u128>,
    /// Listed characters outside the two blocks, sorted.
    outliers: Vec<(char, u128)>,
    /// What unlisted whitespace, letters and other signs fit.
    unlisted_space: u128,
    unlisted_word: u128,
    unlisted_other: u128,
    /// The state at a line start, so rules can anchor there.
    after_line_break: u128,
    /// For each block of 64 code points below U+10000: true when none of
    /// its characters is in the lookup blocks, an outlier or whitespace.
    inert_blocks: Vec<bool>,
    /// The same for everything from U+10000 on.
    astral_inert: bool,
    /// The longest stretch of rule positions that ASCII can fill; ASCII runs
    /// longer than this cannot carry a match across, so they are skipped.
    max_ascii_stretch: usize,
}

fn scanner() -> &'static BadnessScanner {
    static SCANNER: OnceLock<BadnessScanner> = OnceLock::new();
    SCANNER.get_or_init(BadnessScanner::build)
}

impl BadnessScanner {
    /// Counts rule matches (non-overlapping), stopping early at `limit`.
    fn count_matches(&self, text: &str, limit: usize) -> usize {
        let bytes = text.as_bytes();
        let mut state = self.after_line_break;
        let mut matches = 0;
        let mut ascii_since_other = 0;
        let mut pos = 0;
        while let Some(&lead) = bytes.get(pos) {
            if state == 0 {
                if let Some(length) = self.inert_length(&bytes[pos..]) {
                    pos += length;
                    ascii_since_other = self.max_ascii_stretch;
                    continue;
                }
            }
            let fits = if lead.is_ascii() {
                if ascii_since_other >= self.max_ascii_stretch {
                    match self.resume_point(bytes, pos) {
                        None => break,
                        Some(resume) if resume > pos => {
                            (pos, state, ascii_since_other) = (resume, 0, 0);
                            continue;
                        }
                        Some(_) => {}
                    }
                }
                pos += 1;
                ascii_since_other += 1;
                self.low_block[usize::from(lead)]
            } else {
                let (code, length) = decode_non_ascii(&bytes[pos..]);
                pos += length;
                ascii_since_other = 0;
                self.fits_of(code, state)
            };
            state = ((state << 1) | self.rule_starts) & fits;
            if state & self.rule_ends != 0 {
                matches += 1;
                if matches >= limit {
                    break;
                }
                state = 0;
            }
        }
        matches
    }

    /// Where scanning must pick up again so that the characters right before
    /// the next non-ASCII one are seen, or None when only ASCII is left.
    fn resume_point(&self, bytes: &[u8], pos: usize) -> Option<usize> {
        let next = next_non_ascii(bytes, pos);
        (next < bytes.len()).then(|| next.saturating_sub(self.max_ascii_stretch))
    }

    /// The UTF-8 length of the leading character if it belongs to a block
    /// of 64 code points that no rule starts with, read from its first bytes
    /// so CJK and other scripts skip the decoding.
    #[inline]
    fn inert_length(&self, bytes: &[u8]) -> Option<usize> {
        let (block, length) = match *bytes {
            [lead @ 0xC2..=0xDF, ..] => (usize::from(lead & 0x1F), 2),
            [lead @ 0xE0..=0xEF, second, ..] => (
                usize::from(lead & 0x0F) << 6 | usize::from(second & 0x3F),
                3,
            ),
            [0xF0..=0xF4, ..] => return self.astral_inert.then_some(4),
            _ => return None,
        };
        self.inert_blocks[block].then_some(length)
    }

    /// The rule positions that the character `code` fits.
    #[inline]
    fn fits_of(&self, code: u32, state: u128) -> u128 {
        match self.low_block.get(code as usize) {
            Some(&fits) => fits,
            None => self.fits_beyond_low_block(code, state),
        }
    }

    fn fits_beyond_low_block(&self, code: u32, state: u128) -> u128 {
        if SYMBOL_BLOCK.contains(&code) {
            return self.symbol_block[(code - SYMBOL_BLOCK.start) as usize];
        }
        let c = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
        if let Ok(at) = self
            .outliers
            .binary_search_by_key(&c, |&(outlier, _)| outlier)
        {
            return self.outliers[at].1;
        }
        if c.is_whitespace() {
            self.unlisted_space
        } else if state != 0 && c.is_alphanumeric() {
            // Only a pending match can care that a letter follows (no rule
            // starts with one), so the costlier lookup waits for that.
            self.unlisted_word
        } else {
            self.unlisted_other
        }
    }

    fn build() -> Self {
        let layout = RuleLayout::new();
        // Characters that no category or rule lists fit exactly what one of
        // these fits: a space, a letter or a sign. Only listed ones need the
        // full computation.
        let unlisted_space = layout.fits('\u{3000}');
        let unlisted_word = layout.fits('\u{4E00}');
        let unlisted_other = layout.fits('\u{3001}');
        let unlisted = |c: char| match layout.categories_of(c) {
            SPACE => unlisted_space,
            WORD => unlisted_word,
            _ => unlisted_other,
        };
        let mut low_block: Vec<u128> = (0..LOW_BLOCK_END)
            .filter_map(char::from_u32)
            .map(unlisted)
            .collect();
        let mut symbol_block: Vec<u128> = SYMBOL_BLOCK
            .filter_map(char::from_u32)
            .map(unlisted)
            .collect();
        let mut outliers = Vec::new();
        for c in layout.listed_chars() {
            let fits = layout.fits(c);
            let code = c as usize;
            let in_symbols = code.checked_sub(SYMBOL_BLOCK.start as usize);
            if let Some(entry) = low_block.get_mut(code) {
                *entry = fits;
            } else if let Some(entry) = in_symbols.and_then(|at| symbol_block.get_mut(at)) {
                *entry = fits;
            } else {
                outliers.push((c, fits));
            }
        }
        outliers.sort_unstable();
        outliers.dedup();
        let (inert_blocks, astral_inert) = inert_blocks(&outliers);
        BadnessScanner {
            rule_starts: layout.starts,
            rule_ends: layout.ends,
            max_ascii_stretch: layout.max_ascii_stretch(),
            after_line_break: layout.starts & layout.fits('\n'),
            low_block,
            symbol_block,
            outliers,
            unlisted_space,
            unlisted_word,
            unlisted_other,
            inert_blocks,
            astral_inert,
        }
    }
}

/// Marks the 64-code-point blocks where every character falls to the
/// unlisted classes and is no whitespace, so no rule can start there.
/// (Unicode has no whitespace beyond U+FFFF.)
fn inert_blocks(outliers: &[(char, u128)]) -> (Vec<bool>, bool) {
    let mut inert = vec![true; 0x10000 >> 6];
    let mut astral_inert = true;
    let special = (0..0x10000u32)
        .filter_map(char::from_u32)
        .filter(|&c| c.is_whitespace() || is_in_blocks(c));
    let outliers = outliers.iter().map(|&(c, _)| c);
    for c in special.chain(outliers) {
        match inert.get_mut((c as usize) >> 6) {
            Some(block) => *block = false,
            None => astral_inert = false,
        }
    }
    (inert, astral_inert)
}

fn is_in_blocks(c: char) -> bool {
    (c as u32) < LOW_BLOCK_END || SYMBOL_BLOCK.contains(&(c as u32))
}

/// The code point and length of the non-ASCII character that starts valid UTF-8.
#[inline]
fn decode_non_ascii(bytes: &[u8]) -> (u32, usize) {
    let byte = |at: usize| u32::from(bytes.get(at).copied().unwrap_or(0));
    let tail = |at: usize| byte(at) & 0x3F;
    match byte(0) {
        lead @ 0xC0..=0xDF => ((lead & 0x1F) << 6 | tail(1), 2),
        lead @ 0xE0..=0xEF => ((lead & 0x0F) << 12 | tail(1) << 6 | tail(2), 3),
        lead => (
            (lead & 0x07) << 18 | tail(1) << 12 | tail(2) << 6 | tail(3),
            4,
        ),
    }
}

/// Position of the first non-ASCII byte at or after `from`, or the length.
fn next_non_ascii(bytes: &[u8], from: usize) -> usize {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let rest = &bytes[from..];
    let mut words = rest.chunks_exact(8);
    let mut offset = from;
    for word in &mut words {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        let high = u64::from_le_bytes(eight) & HIGH_BITS;
        if high != 0 {
            return offset + (high.trailing_zeros() / 8) as usize;
        }
        offset += 8;
    }
    let tail = words.remainder();
    offset
        + tail
            .iter()
            .position(|b| !b.is_ascii())
            .unwrap_or(tail.len())
}

/// The rules laid out on the state bits, with their sets parsed.
struct RuleLayout {
    slots: Vec<(Slot, CharSet)>,
    categories: Vec<(u32, CharSet)>,
    starts: u128,
    ends: u128,
}

impl RuleLayout {
    fn new() -> Self {
        let mut starts = 0;
        let mut ends = 0;
        let mut bit = 0;
        for rule in RULES {
            starts |= 1 << bit;
            ends |= 1 << (bit + rule.len() - 1);
            bit += rule.len();
        }
        RuleLayout {
            slots: RULES
                .iter()
                .flat_map(|rule| rule.iter())
                .map(|&slot| (slot, CharSet::parse(slot.chars)))
                .collect(),
            categories: CATEGORY_MEMBERS
                .iter()
                .map(|&(category, members)| (category, CharSet::parse(members)))
                .collect(),
            starts,
            ends,
        }
    }

    fn categories_of(&self, c: char) -> u32 {
        let listed = self
            .categories
            .iter()
            .filter(|(_, members)| members.contains(c))
            .fold(0, |all, &(category, _)| all | category);
        let space = if c.is_whitespace() { SPACE } else { 0 };
        let word = if c.is_alphanumeric() || c == '_' {
            WORD
        } else {
            0
        };
        listed | space | word
    }

    /// The rule positions that `c` fits, one bit each.
    fn fits(&self, c: char) -> u128 {
        let categories = self.categories_of(c);
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, (slot, members))| {
                let listed = slot.categories & categories != 0 || members.contains(c);
                listed != slot.negated
            })
            .fold(0, |all, (bit, _)| all | 1 << bit)
    }

    /// Every character named in a category or rule.
    fn listed_chars(&self) -> impl Iterator<Item = char> + '_ {
        let sets = self.categories.iter().map(|(_, set)| set);
        sets.chain(self.slots.iter().map(|(_, set)| set))
            .flat_map(|set| set.ranges.iter().flat_map(|range| range.clone()))
    }

    fn max_ascii_stretch(&self) -> usize {
        let ascii_fits = (0..=0x7Fu8).fold(0, |all, byte| all | self.fits(char::from(byte)));
        let mut longest = 0;
        let mut bit = 0;
        for rule in RULES {
            let mut stretch = 0;
            for offset in 0..rule.len() {
                stretch = if ascii_fits & (1 << (bit + offset)) != 0 {
                    stretch + 1
                } else {
                    0
                };
                longest = longest.max(stretch);
            }
            bit += rule.len();
        }
        longest
    }
}

/// A regex-style character set, where `a-z` is a range.
struct CharSet {
    ranges: Vec<std::ops::RangeInclusive<char>>,
}

impl CharSet {
    fn parse(members: &str) -> Self {
        let listed: Vec<char> = members.chars().collect();
        let mut ranges = Vec::new();
        let mut at = 0;
        while at < listed.len() {
            if listed.get(at + 1) == Some(&'-') && at + 2 < listed.len() {
                ranges.push(listed[at]..=listed[at + 2]);
                at += 3;
            } else {
                ranges.push(listed[at]..=listed[at]);
                at += 1;
            }
        }
        CharSet { ranges }
    }

    fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|range| range.contains(&c))
    }
}

// ---------------------------------------------------------------------------
// Legacy single-byte codecs
// ---------------------------------------------------------------------------

/// How a codec treats bytes its standard leaves unassigned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavor {
    /// Every byte is assigned (latin-1, iso-8859-2, MacRoman, cp437).
    Complete,
    /// Unassigned bytes stand for the same-numbered code point, as browsers
    /// decode them; byte 0x1A stands for U+FFFD so lossy text can round-trip.
    Sloppy,
    /// Unassigned bytes cannot be encoded.
    Strict,
}

/// One candidate encoding for the text's bytes before they were mis-decoded.
struct Codec {
    name: &'static str,
    high_half: [Option<char>; 128],
    /// (character, byte) pairs of the high half, sorted for encoding.
    encoder: Vec<(char, u8)>,
    flavor: Flavor,
    /// MacRoman has its own no-break space, so its spaces are never A0 bytes.
    restores_a0: bool,
}

const SUBSTITUTE: u8 = 0x1A;

/// The leading codecs whose mojibake looks Latin-1-like, used to spot UTF-8 runs.
const LATIN_LIKE_CODECS: usize = 7;

const CP437_HIGH_HALF: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»\
    ░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀\
    αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{A0}";

/// ftfy's candidates, in the order it tries them.
fn codecs() -> &'static [Codec] {
    static CODECS: OnceLock<Vec<Codec>> = OnceLock::new();
    CODECS.get_or_init(|| {
        let whatwg = |encoding: &'static Encoding| {
            move |byte: u8| {
                encoding
                    .decode_without_bom_handling_and_without_replacement(&[byte])
                    .and_then(|decoded| decoded.chars().next())
            }
        };
        let cp437: Vec<char> = CP437_HIGH_HALF.chars().collect();
        let cp437 = |byte: u8| {
            let index = usize::from(byte).checked_sub(0x80)?;
            cp437.get(index).copied()
        };
        use Flavor::{Complete, Sloppy, Strict};
        vec![
            Codec::new("latin-1", |byte| Some(char::from(byte)), Complete),
            Codec::new(
                "sloppy-windows-1252",
                whatwg(encoding_rs::WINDOWS_1252),
                Sloppy,
            ),
            Codec::new(
                "sloppy-windows-1251",
                whatwg(encoding_rs::WINDOWS_1251),
                Sloppy,
            ),
            Codec::new(
                "sloppy-windows-1250",
                whatwg(encoding_rs::WINDOWS_1250),
                Sloppy,
            ),
            Codec::new("windows-1253", whatwg(encoding_rs::WINDOWS_1253), Strict),
            Codec::new("windows-1254", whatwg(encoding_rs::WINDOWS_1254), Strict),
            Codec::new("windows-1257", whatwg(encoding_rs::WINDOWS_1257), Strict),
            Codec::new("iso-8859-2", whatwg(encoding_rs::ISO_8859_2), Complete),
            Codec::new("macroman", whatwg(encoding_rs::MACINTOSH), Complete).without_a0(),
            Codec::new("cp437", cp437, Complete),
        ]
    })
}

fn codec_named(name: &str) -> Option<&'static Codec> {
    codecs().iter().find(|codec| codec.name == name)
}

impl Codec {
    fn new(name: &'static str, decode: impl Fn(u8) -> Option<char>, flavor: Flavor) -> Self {
        let mut high_half = [None; 128];
        for (slot, byte) in high_half.iter_mut().zip(0x80..=0xFFu8) {
            *slot = match flavor {
                Flavor::Complete => decode(byte),
                Flavor::Sloppy => decode(byte).or(Some(char::from(byte))),
                // The WHATWG tables pass unassigned bytes through as C1 controls.
                Flavor::Strict => decode(byte).filter(|&c| !is_c1(c)),
            };
        }
        let mut encoder: Vec<(char, u8)> = (0x80..=0xFFu8)
            .zip(high_half)
            .filter_map(|(byte, c)| Some((c?, byte)))
            .collect();
        encoder.sort_unstable();
        Codec {
            name,
            high_half,
            encoder,
            flavor,
            restores_a0: true,
        }
    }

    fn without_a0(self) -> Self {
        Codec {
            restores_a0: false,
            ..self
        }
    }

    fn decode_byte(&self, byte: u8) -> Option<char> {
        match byte {
            SUBSTITUTE if self.flavor == Flavor::Sloppy => Some('\u{FFFD}'),
            0..=0x7F => Some(char::from(byte)),
            _ => self.high_half[usize::from(byte) - 0x80],
        }
    }

    fn encode_char(&self, c: char) -> Option<u8> {
        let sloppy = self.flavor == Flavor::Sloppy;
        match c {
            '\u{1A}' if sloppy => None,
            '\u{FFFD}' if sloppy => Some(SUBSTITUTE),
            _ if c.is_ascii() => u8::try_from(c).ok(),
            _ => self
                .encoder
                .binary_search_by_key(&c, |&(listed, _)| listed)
                .ok()
                .map(|at| self.encoder[at].1),
        }
    }

    fn encode(&self, text: &str) -> Option<Vec<u8>> {
        text.chars().map(|c| self.encode_char(c)).collect()
    }

    /// The text as it reads if this codec's bytes were really UTF-8.
    fn reencode_as_utf8(&self, text: &str) -> Option<String> {
        let mut bytes = self.encode(text)?;
        if self.restores_a0 {
            bytes = restore_byte_a0(&bytes);
        }
        if self.flavor == Flavor::Sloppy {
            bytes = replace_lossy_sequences(&bytes);
        }
        decode_utf8_variants(bytes)
    }
}

// ---------------------------------------------------------------------------
// Byte-level sub-fixes
// ---------------------------------------------------------------------------

/// Inclusive byte ranges.
type ByteClass = &'static [(u8, u8)];
/// Consecutive bytes, one class each.
type BytePattern = &'static [ByteClass];

const SPACE_BYTE: ByteClass = &[(b' ', b' ')];
const CONTINUATION: ByteClass = &[(0x80, 0xBF)];
/// Continuation bytes whose windows-1252 characters (… and no-break space)
/// are too common for a space next to them to be a lost A0.
const CONTINUATION_NOT_85_A0: ByteClass = &[(0x80, 0x84), (0x86, 0x9F), (0xA1, 0xBF)];

/// UTF-8 sequences whose A0 byte became a space, after ftfy's ALTERED_UTF8_RE.
const ALTERED_UTF8: &[BytePattern] = &[
    &[
        &[
            (0xC2, 0xC3),
            (0xC5, 0xC5),
            (0xCE, 0xCE),
            (0xD0, 0xD0),
            (0xD9, 0xD9),
        ],
        SPACE_BYTE,
    ],
    &[&[(0xE2, 0xE3)], SPACE_BYTE, CONTINUATION_NOT_85_A0],
    &[&[(0xE0, 0xE3)], CONTINUATION_NOT_85_A0, SPACE_BYTE],
    &[&[(0xF0, 0xF0)], SPACE_BYTE, CONTINUATION, CONTINUATION],
    &[&[(0xF0, 0xF0)], CONTINUATION, SPACE_BYTE, CONTINUATION],
    &[&[(0xF0, 0xF0)], CONTINUATION, CONTINUATION, SPACE_BYTE],
];

/// Words that start with "à" in Portuguese, where "Ã " is not a lost "à ".
const A_GRAVE_WORD_EXCEPTIONS: [&[u8]; 5] = [b" ", b"quele", b"quela", b"quilo", b"s "];

/// Puts back A0 bytes that some process turned into spaces ("GÃ idhlig").
fn restore_byte_a0(bytes: &[u8]) -> Vec<u8> {
    let with_a_grave = restore_a_grave_words(bytes);
    rewrite_byte_patterns(&with_a_grave, ALTERED_UTF8, |span, out| {
        out.extend(span.iter().map(|&b| if b == b' ' { 0xA0 } else { b }));
    })
}

/// "voilÃ le": the no-break space after "Ã" vanished and only the word space
/// is left, so the "à" is restored in front of that space.
fn restore_a_grave_words(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 8);
    let mut at = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        let lost_a_grave = rest.starts_with(&[0xC3, b' '])
            && !A_GRAVE_WORD_EXCEPTIONS
                .iter()
                .any(|word| rest[2..].starts_with(word));
        if lost_a_grave {
            out.extend_from_slice(&[0xC3, 0xA0, b' ']);
            at += 2;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    out
}

const LOST: ByteClass = &[(SUBSTITUTE, SUBSTITUTE), (b'?', b'?')];
const LOST_OR_CONTINUATION: ByteClass = &[(SUBSTITUTE, SUBSTITUTE), (b'?', b'?'), (0x80, 0xBF)];
const SUBSTITUTE_OR_CONTINUATION: ByteClass = &[(SUBSTITUTE, SUBSTITUTE), (0x80, 0xBF)];

/// UTF-8 sequences that lost a byte to U+FFFD (encoded as 0x1A) or `?`,
/// after ftfy's LOSSY_UTF8_RE.
const LOSSY_UTF8: &[BytePattern] = &[
    &[&[(0xC2, 0xDF)], &[(SUBSTITUTE, SUBSTITUTE)]],
    &[&[(0xC2, 0xC3)], &[(b'?', b'?')]],
    &[
        &[(0xED, 0xED)],
        &[(0xA0, 0xAF)],
        LOST,
        &[(0xED, 0xED)],
        &[(0xB0, 0xBF)],
        LOST_OR_CONTINUATION,
    ],
    &[
        &[(0xED, 0xED)],
        &[(0xA0, 0xAF)],
        LOST_OR_CONTINUATION,
        &[(0xED, 0xED)],
        &[(0xB0, 0xBF)],
        LOST,
    ],
    &[&[(0xE0, 0xEF)], LOST, SUBSTITUTE_OR_CONTINUATION],
    &[&[(0xE0, 0xEF)], SUBSTITUTE_OR_CONTINUATION, LOST],
    &[
        &[(0xF0, 0xF4)],
        LOST,
        SUBSTITUTE_OR_CONTINUATION,
        SUBSTITUTE_OR_CONTINUATION,
    ],
    &[
        &[(0xF0, 0xF4)],
        SUBSTITUTE_OR_CONTINUATION,
        LOST,
        SUBSTITUTE_OR_CONTINUATION,
    ],
    &[
        &[(0xF0, 0xF4)],
        SUBSTITUTE_OR_CONTINUATION,
        SUBSTITUTE_OR_CONTINUATION,
        LOST,
    ],
    &[&[(SUBSTITUTE, SUBSTITUTE)]],
];

/// Turns sequences that lost bytes into one U+FFFD each.
fn replace_lossy_sequences(bytes: &[u8]) -> Vec<u8> {
    rewrite_byte_patterns(bytes, LOSSY_UTF8, |_, out| {
        out.extend_from_slice("\u{FFFD}".as_bytes());
    })
}

/// Scans left to right; at each position the first matching pattern is
/// rewritten and skipped, as a regex substitution would.
fn rewrite_byte_patterns(
    bytes: &[u8],
    patterns: &[BytePattern],
    rewrite: impl Fn(&[u8], &mut Vec<u8>),
) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 8);
    let mut at = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        match patterns
            .iter()
            .find(|pattern| pattern_matches(pattern, rest))
        {
            Some(pattern) => {
                rewrite(&rest[..pattern.len()], &mut out);
                at += pattern.len();
            }
            None => {
                out.push(bytes[at]);
                at += 1;
            }
        }
    }
    out
}

fn pattern_matches(pattern: BytePattern, bytes: &[u8]) -> bool {
    pattern.len() <= bytes.len()
        && pattern
            .iter()
            .zip(bytes)
            .all(|(class, byte)| class.iter().any(|&(low, high)| (low..=high).contains(byte)))
}

/// Decodes UTF-8, also accepting the variants some software writes: CESU-8
/// surrogate pairs (ED A0..AF xx ED B0..BF xx) and Java's C0 80 for U+0000.
fn decode_utf8_variants(bytes: Vec<u8>) -> Option<String> {
    if !bytes.iter().any(|&b| b == 0xED || b == 0xC0) {
        return String::from_utf8(bytes).ok();
    }
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes.as_slice();
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                out.push_str(valid);
                return Some(out);
            }
            Err(error) => {
                let (valid, invalid) = rest.split_at(error.valid_up_to());
                out.push_str(std::str::from_utf8(valid).ok()?);
                let (c, used) = decode_variant_sequence(invalid)?;
                out.push(c);
                rest = &invalid[used..];
            }
        }
    }
}

fn decode_variant_sequence(bytes: &[u8]) -> Option<(char, usize)> {
    let surrogate =
        |second: u8, third: u8| 0xD000 | (u32::from(second & 0x3F) << 6) | u32::from(third & 0x3F);
    match *bytes {
        [0xC0, 0x80, ..] => Some(('\0', 2)),
        [0xED, h2 @ 0xA0..=0xAF, h3 @ 0x80..=0xBF, 0xED, l2 @ 0xB0..=0xBF, l3 @ 0x80..=0xBF, ..] => {
            let high = surrogate(h2, h3) - 0xD800;
            let low = surrogate(l2, l3) - 0xDC00;
            char::from_u32(0x10000 + (high << 10) + low).map(|c| (c, 6))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Clues for decode_inconsistent_utf8
// ---------------------------------------------------------------------------

const LEADS_2: u8 = 1;
const LEADS_3: u8 = 1 << 1;
const LEADS_4: u8 = 1 << 2;
const CONTINUES: u8 = 1 << 3;

/// What each character would be as a byte of UTF-8, in any Latin-1-like
/// codec: a lead byte of a 2-, 3- or 4-byte sequence, or a continuation.
struct Utf8Clues {
    roles: HashMap<char, u8>,
}

fn utf8_clues() -> &'static Utf8Clues {
    static CLUES: OnceLock<Utf8Clues> = OnceLock::new();
    CLUES.get_or_init(Utf8Clues::build)
}

impl Utf8Clues {
    fn build() -> Self {
        let mut roles: HashMap<char, u8> = HashMap::new();
        // A space often stands for a lost A0 continuation byte.
        roles.insert(' ', CONTINUES);
        for codec in &codecs()[..LATIN_LIKE_CODECS] {
            for byte in 0x80..=0xF4u8 {
                let role = match byte {
                    0x80..=0xBF => CONTINUES,
                    0xC2..=0xDF => LEADS_2,
                    0xE0..=0xEF => LEADS_3,
                    0xF0..=0xF4 => LEADS_4,
                    _ => continue,
                };
                if let Some(c) = codec.decode_byte(byte) {
                    *roles.entry(c).or_default() |= role;
                }
            }
        }
        Utf8Clues { roles }
    }

    fn role(&self, c: char) -> u8 {
        self.roles.get(&c).copied().unwrap_or(0)
    }

    /// Length in characters of a UTF-8-looking run starting the slice;
    /// none that holds one of the `split` marks.
    fn run_length_at(&self, chars: &[(usize, char)], split: AsciiMarks) -> Option<usize> {
        let lead = self.role(chars.first()?.1);
        [(LEADS_2, 2), (LEADS_3, 3), (LEADS_4, 4)]
            .into_iter()
            .find(|&(leads, length)| {
                lead & leads != 0
                    && chars.len() >= length
                    && chars[1..length]
                        .iter()
                        .all(|&(_, c)| self.role(c) & CONTINUES != 0)
            })
            .map(|(_, length)| length)
            .filter(|&length| !chars[..length].iter().any(|&(_, c)| split.contains(c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codec(name: &str) -> &'static Codec {
        codec_named(name).unwrap_or_else(|| panic!("no codec {name}"))
    }

    /// Normalization makes a vertical tab or a form feed a space, and the
    /// next pass may read that space as a lost A0 byte: `ð£¬` and a
    /// vertical tab is U+23B20 (F0 A3 AC A0) the second time, so it is the
    /// first time too.
    #[test]
    fn vertical_tabs_and_form_feeds_are_judged_as_the_spaces_they_become() {
        assert_eq!(spaces_as_normalized("a\u{0B}\u{0C} b\u{0B}"), "a b");
        assert_eq!(fix_encoding("v.ð£¬\u{0B}‚S"), fix_encoding("v.ð£¬ ‚S"));
    }

    /// With the space fix off, a no-break space stays until normalization
    /// trims it: `ÒŒ` and a no-break space cannot be U+048C (D2 8C) and a
    /// lone A0 byte, but the next pass sees `ÒŒ` alone and repairs it, so
    /// the first pass judges the line without the space too (the input is
    /// in `fuzz/regressions/pipeline/`). A no-break space that completes
    /// a sequence still counts as its A0 byte.
    #[test]
    fn a_line_that_is_no_mojibake_is_judged_again_without_wide_spaces() {
        assert_eq!(wide_spaces_as_normalized("ÒŒ\u{a0}").as_deref(), Some("ÒŒ"));
        assert_eq!(
            wide_spaces_as_normalized("a\u{2003}\u{a0}b\r\nc").as_deref(),
            Some("a b\r\nc")
        );
        assert_eq!(wide_spaces_as_normalized("ÒŒ "), None);
        let alone = fix_encoding_before("ÒŒ\nfÿ", AsciiMarks::NONE);
        assert_eq!(alone, "Ҍ\nfÿ");
        assert_eq!(fix_encoding_before("ÒŒ\u{a0}\nfÿ", AsciiMarks::NONE), alone);
        assert_eq!(fix_encoding("dÃ©jÃ\u{a0} vu"), "déjà vu");
    }

    #[test]
    fn only_marks_made_ascii_end_runs() {
        // `æ¸–` is 渖 read as windows-1252, its last byte 0x96 an en dash.
        let chars: Vec<(usize, char)> = "æ¸–".char_indices().collect();
        let clues = utf8_clues();
        assert_eq!(clues.run_length_at(&chars, AsciiMarks::NONE), Some(3));
        let quotes_only = AsciiMarks::new(true, false, false);
        assert_eq!(clues.run_length_at(&chars, quotes_only), Some(3));
        assert_eq!(clues.run_length_at(&chars, AsciiMarks::ALL), None);
        assert_eq!(quotes_only.as_ascii("“a–b…”"), "\"a–b…\"");
    }

    #[test]
    fn lines_are_repaired_as_the_next_pass_sees_their_marks() {
        // Beside `”` (0x94), `ÒŒ` (windows-1252 for `Ҍ`) cannot re-encode
        // as part of the line; in `’Œß“` the quotes hide MacRoman's `Χ`.
        // Either is repaired once the marks are ASCII, so it is repaired
        // now, and the marks outside the repair stay as they were.
        for (broken, repaired) in [
            ("initia”ÒŒ ale", "initia”Ҍ ale"),
            ("“quoted” a”ÒŒ b ‘x’", "“quoted” a”Ҍ b ‘x’"),
            ("post c’Œß“ olive", "post c’Χ“ olive"),
        ] {
            let once = fix_encoding(broken);
            assert_eq!(once, repaired);
            let normalized = AsciiMarks::ALL.as_ascii(&once).into_owned();
            assert_eq!(fix_encoding(&normalized), normalized);
        }
        // With no marks made ASCII, nothing reveals the sequences.
        assert_eq!(fix_encoding_before("c’Œß“", AsciiMarks::NONE), "c’Œß“");
    }

    #[test]
    fn the_byte_test_for_a_trailing_lead_agrees_with_the_lines() {
        assert_eq!(
            A0_LEADS.map(|c| c.to_string().into_bytes()[1]),
            [0x82, 0x83, 0x85, 0x8E, 0x90, 0x99]
        );
        for text in [
            "cats.Â",
            "a\ncittÃ\r\nb",
            "x:Â\u{2028}y",
            "café",
            "Â b",
            "ÂÃ",
        ] {
            let lines = segments(text).any(|(_, line)| ends_by_lead(line));
            assert!(!lines || may_end_by_lead(text), "{text:?}");
        }
    }

    #[test]
    fn a_lead_byte_whose_no_break_space_was_trimmed_is_repaired() {
        assert_eq!(fix_encoding("for cats.Â"), "for cats.\u{a0}");
        assert_eq!(fix_encoding("la cittÃ\nnext"), "la città\nnext");
        // Whose no-break space became a space, after a colon.
        assert_eq!(fix_encoding("Step 2:Â Appoint"), "Step 2:\u{a0}Appoint");
        // A capital that ends a word in capitals, or stands alone, stays.
        for clean in ["MAÇÃ", "IRMÃ", "ved Å", "Â"] {
            assert_eq!(fix_encoding(clean), clean);
        }
    }

    #[test]
    fn every_line_break_ends_a_segment() {
        for separator in ["\n", "\r", "\r\n", "\u{2028}", "\u{2029}"] {
            let broken = format!(
                "The The{separator}Ã¦â€\u{9d}Â¿Ã¥ÂºÅ“Ã£Â\u{81}Â¯ Ã¦Â\u{9d}Â±Ã¤ÂºÂ¬.{separator}The The"
            );
            let repaired = crate::repair::RepairOptions::default().repair(&broken);
            assert!(
                repaired.contains("\n政府は 東京.\n"),
                "{separator:?}: {repaired}"
            );
        }
    }

    #[test]
    fn double_mojibake_next_to_clean_text_is_fixed_as_one_run() {
        // 東 encoded twice, its middle byte a C1 control after the first
        // layer, beside a 東 that no legacy encoding can represent.
        let fixed = fix_encoding("Ã¦Â\u{9d}Â± 東");
        assert_eq!(fixed, "東 東");
        assert_eq!(
            fix_encoding("Ã¦Â\u{9d}Â±Ã¤ÂºÂ¬ is “Tokyo”"),
            "東京 is “Tokyo”"
        );
    }

    /// Each line holds a clean 東京, which no legacy encoding can
    /// represent, so the mojibake beside it is repaired run by run.
    #[test]
    fn runs_beside_clean_text_are_repaired_as_they_are_alone() {
        let cases = [
            // The first layer of 'ž' is no less bad than the second.
            ("Ã…Â¾luÃ…Â¥ouÃ„Â\u{8d}kÃƒÂ½", "žluťoučký"),
            // 'Å„' is bad only before a letter.
            ("GdaÅ„sk", "Gdańsk"),
            ("GdaÃƒâ€¦Ã¢â‚¬Å¾sk", "Gdańsk"),
            // 'Ĺş' (ź in iso-8859-2 mojibake) is bad only as part of its word.
            ("Ĺ\u{81}ĂłdĹş", "Łódź"),
            // 'и æ' looks like a UTF-8 sequence and hides 'æ\u{9d}±'.
            ("Ð¸ Ã¦Â\u{9d}Â±Ã¤ÂºÂ¬", "и 東京"),
            // 'ň — ' looks like one in windows-1250 and joins the next word.
            ("kůň — ÃƒÆ’Ã‚Â¼ber", "kůň — über"),
            // 'ç” ' looks like one, its space standing for a lost A0, and
            // joins the real '士' before it; the quote is the text's.
            ("å£«ç” cut", "士ç” cut"),
            // The same with a quote mark as the false continuation.
            ("θƒ½ζœ’", "能ζœ’"),
        ];
        for (broken, fixed) in cases {
            assert_eq!(fix_encoding(broken), fixed, "alone");
            let line = format!("東京 {broken} 東京");
            assert_eq!(
                fix_encoding(&line),
                format!("東京 {fixed} 東京"),
                "{broken:?}"
            );
        }
    }

    #[test]
    fn gate_passes_ascii_and_clean_text() {
        for clean in [
            "",
            "plain ASCII",
            "naïve café",
            "Größe",
            "“quoted”",
            "日本語",
        ] {
            assert!(!is_bad(clean), "{clean:?}");
        }
    }

    #[test]
    fn gate_flags_classic_mojibake() {
        let bad = [
            "cafÃ©",
            "â€œquoteâ€\u{9d}",
            "\u{85}",
            "Ã±",
            "вЂ”",
            "β€™",
            "×‘",
            "Ø±Ø³",
            "à¤¹",
            "─îe┼ítina",
            "voilÃ le",
            "Ã idhlig",
        ];
        for text in bad {
            assert!(is_bad(text), "{text:?}");
        }
    }

    #[test]
    fn gate_sees_mojibake_after_long_ascii_runs() {
        let prefix = "x".repeat(1000);
        assert!(is_bad(&format!("{prefix} voilÃ le")));
        assert!(is_bad(&format!("{prefix}\nÃ la")));
        assert!(!is_bad(&format!("{prefix} voilà le")));
    }

    #[test]
    fn gate_counts_each_match() {
        assert_eq!(scanner().count_matches("Ã© and Ã©", usize::MAX), 2);
        assert_eq!(scanner().count_matches("é and é", usize::MAX), 0);
    }

    #[test]
    fn every_rule_needs_a_non_ascii_character() {
        let layout = RuleLayout::new();
        let mut bit = 0;
        for rule in RULES {
            let needs_non_ascii = (bit..bit + rule.len()).any(|slot| {
                (0..=0x7Fu8).all(|byte| layout.fits(char::from(byte)) & (1 << slot) == 0)
            });
            assert!(needs_non_ascii, "rule at bit {bit} can match pure ASCII");
            bit += rule.len();
        }
    }

    #[test]
    fn unlisted_letters_never_start_a_rule() {
        let scanner = scanner();
        let starts = scanner.rule_starts;
        assert_eq!(scanner.unlisted_word & starts, 0);
        assert_eq!(scanner.unlisted_other & starts, 0);
    }

    #[test]
    fn inert_characters_cannot_start_a_rule() {
        let scanner = scanner();
        let layout = RuleLayout::new();
        let samples = (0x80..0x10000u32).chain([0x1F600, 0x10FFFF]);
        for c in samples.filter_map(char::from_u32) {
            let mut utf8 = [0; 4];
            let bytes = c.encode_utf8(&mut utf8).as_bytes();
            if let Some(length) = scanner.inert_length(bytes) {
                assert_eq!(length, c.len_utf8(), "{c:?}");
                assert_eq!(layout.fits(c) & layout.starts, 0, "{c:?}");
            }
        }
        assert!(scanner.inert_length("中".as_bytes()).is_some());
        assert!(scanner.inert_length("\u{3000}".as_bytes()).is_none());
        assert!(scanner.inert_length("é".as_bytes()).is_none());
    }

    #[test]
    fn class_tables_agree_with_the_rules() {
        let scanner = scanner();
        let layout = RuleLayout::new();
        let others = [0xF8FF, 0xFFFD, 0xFB01, 0x4E00, 0x3000, 0x3001, 0x1F600];
        for c in (0..0x2700u32).chain(others).filter_map(char::from_u32) {
            // A non-zero state makes the scanner tell letters from signs.
            assert_eq!(
                scanner.fits_of(c as u32, u128::MAX),
                layout.fits(c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn no_whitespace_beyond_the_basic_plane() {
        let astral = (0x10000..=0x10FFFFu32).filter_map(char::from_u32);
        assert!(!astral.clone().any(char::is_whitespace));
    }

    #[test]
    fn sloppy_codecs_fill_unassigned_bytes() {
        let windows_1252 = codec("sloppy-windows-1252");
        assert_eq!(windows_1252.decode_byte(0x80), Some('€'));
        assert_eq!(windows_1252.decode_byte(0x81), Some('\u{81}'));
        assert_eq!(windows_1252.encode_char('\u{8D}'), Some(0x8D));
        assert_eq!(
            codec("sloppy-windows-1251").decode_byte(0x98),
            Some('\u{98}')
        );
        assert_eq!(codec("windows-1253").decode_byte(0x81), None);
        assert_eq!(codec("windows-1253").encode_char('\u{81}'), None);
    }

    #[test]
    fn sloppy_codecs_carry_replacement_characters_as_substitute() {
        let windows_1252 = codec("sloppy-windows-1252");
        assert_eq!(windows_1252.encode_char('\u{FFFD}'), Some(SUBSTITUTE));
        assert_eq!(windows_1252.encode_char('\u{1A}'), None);
        assert_eq!(codec("latin-1").encode_char('\u{1A}'), Some(SUBSTITUTE));
    }

    #[test]
    fn codec_tables_are_complete() {
        assert_eq!(CP437_HIGH_HALF.chars().count(), 128);
        assert_eq!(codec("cp437").decode_byte(0xC4), Some('─'));
        assert_eq!(codec("macroman").decode_byte(0xD7), Some('◊'));
        assert_eq!(codec("latin-1").decode_byte(0xE9), Some('é'));
        for codec in codecs() {
            for (c, byte) in &codec.encoder {
                assert_eq!(codec.decode_byte(*byte), Some(*c), "{}", codec.name);
            }
        }
    }

    #[test]
    fn restores_a0_after_lead_bytes() {
        assert_eq!(restore_byte_a0(b"\xC2 x"), b"\xC2\xA0x");
        assert_eq!(restore_byte_a0(b"\xD0 \xD1"), b"\xD0\xA0\xD1");
        assert_eq!(restore_byte_a0(b"\xE0\xB8 x"), b"\xE0\xB8\xA0x");
        // A space after a byte that never leads UTF-8 is left alone.
        assert_eq!(restore_byte_a0(b"\xC4 x"), b"\xC4 x");
    }

    #[test]
    fn whitespace_is_judged_as_normalization_leaves_it() {
        for spaced in ["x ðŸ ¬ y", "x ðŸ  ¬ y", "x ðŸ\t¬ y", "x ðŸ \t ¬ y"] {
            assert_eq!(fix_encoding(spaced), "x \u{1F82C} y", "{spaced:?}");
        }
        assert_eq!(fix_encoding("\tÃ\t<"), fix_encoding("Ã <"));
        // Lines left alone keep their own spacing.
        assert!(matches!(
            fix_encoding("naïve  café\tau lait"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn restores_a_grave_before_a_word_space() {
        assert_eq!(restore_byte_a0(b"voil\xC3 le"), b"voil\xC3\xA0 le");
        assert_eq!(restore_byte_a0(b"voil\xC3  le"), b"voil\xC3\xA0 le");
        assert_eq!(restore_byte_a0(b"\xC3 s "), b"\xC3\xA0s ");
        // As in ftfy, a lost A0 inside a word reads as "à" plus a space.
        assert_eq!(restore_byte_a0(b"G\xC3 idhlig"), b"G\xC3\xA0 idhlig");
    }

    #[test]
    fn macroman_does_not_restore_a0() {
        assert!(!codec("macroman").restores_a0);
        assert!(codec("sloppy-windows-1252").restores_a0);
    }

    #[test]
    fn lossy_sequences_become_replacement_characters() {
        assert_eq!(
            replace_lossy_sequences(b"\xC4\x1Ax"),
            "\u{FFFD}x".as_bytes()
        );
        assert_eq!(replace_lossy_sequences(b"\xE2\x80?"), "\u{FFFD}".as_bytes());
        assert_eq!(replace_lossy_sequences(b"a?b"), b"a?b");
    }

    #[test]
    fn decodes_cesu8_and_java_nul() {
        let cesu = vec![b'a', 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80, 0xC0, 0x80];
        assert_eq!(decode_utf8_variants(cesu).as_deref(), Some("a😀\0"));
        assert_eq!(decode_utf8_variants(vec![0xED, 0xA0, 0xBD]), None);
        assert_eq!(
            decode_utf8_variants("한".as_bytes().to_vec()).as_deref(),
            Some("한")
        );
    }

    #[test]
    fn loops_until_double_mojibake_is_gone() {
        let once = "cafÃ©";
        let twice = "cafÃƒÂ©";
        assert_eq!(
            fix_one_step(twice, 0, AsciiMarks::ALL).as_deref(),
            Some(once)
        );
        assert_eq!(fix_encoding(twice), "café");
    }

    #[test]
    fn fixed_point_stops_on_unfixable_text() {
        let stuck = "control \u{81} stays";
        assert_eq!(fix_segment(stuck, 0, AsciiMarks::ALL), None);
        assert!(matches!(fix_encoding(stuck), Cow::Borrowed(_)));
    }

    #[test]
    fn repairs_line_by_line() {
        let text = "clean line ВІКІ\ncafÃ©\nnaïve\n";
        assert_eq!(fix_encoding(text), "clean line ВІКІ\ncafé\nnaïve\n");
    }

    #[test]
    fn fixes_runs_next_to_correct_text() {
        assert_eq!(
            fix_encoding("â€œmismatched quotesâ€¦”"),
            "“mismatched quotes…”"
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        let odd = [
            "\u{0}\u{1A}\u{FFFD}Ã",
            "Ã",
            "Ã ",
            "\u{80}\u{9F}\u{A0}",
            "ÃƒÃƒÃƒÃƒÃƒ",
            "\u{10FFFF}Ã©",
        ];
        for text in odd {
            let _ = fix_encoding(text);
        }
        // Pseudo-random strings over characters that steer every branch.
        let alphabet: Vec<char> = "ÃÂâ€œ™íÀÐÑ×Ø‚Äв Ђ?\n\u{1A}\u{FFFD}\u{80}\u{9D}\u{A0}é日😀a"
            .chars()
            .collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..5_000 {
            let text: String = (0..seed % 13)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect();
            let _ = fix_encoding(&text);
        }
        let long: String = "Ã©".repeat(MAX_SEGMENT_BYTES);
        assert_eq!(fix_encoding(&long), "é".repeat(MAX_SEGMENT_BYTES));
    }
}
