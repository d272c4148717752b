//! Stage 2, repair: undo the damage text picks up between a newsroom and a
//! scraper's output.
//!
//! The fixes run in a fixed order, each switchable through [`RepairOptions`]:
//!
//! | fix | what it does |
//! |---|---|
//! | `entities` | decodes HTML entities left in text (`&amp;`, `&#8217;`, `&nbsp;`) |
//! | `mojibake` | reverses UTF-8 that was decoded as windows-1252, latin-1, MacRoman, windows-1251… |
//! | `controls` | drops C0 controls and DEL; maps stray C1 controls to their windows-1252 characters |
//! | `invisibles` | drops zero-width spaces, bidi controls, soft hyphens and stray BOMs |
//! | `line_breaks` | CRLF, CR, U+2028, U+2029, VT and FF become `\n` |
//! | `spaces` | no-break and other fixed-width spaces become plain spaces |
//! | `nfc` | Unicode normalization form C |
//!
//! Each fix is a function from `&str` to `Cow<str>` that borrows when it has
//! nothing to do, and a single byte scan ([`triage`]) decides which fixes can
//! possibly apply, so clean text costs one pass.

mod controls;
mod entities;
pub mod mojibake;
mod triage;
mod unicode;

pub use controls::{fix_controls, fix_invisibles};
pub use entities::decode_entities;
pub use unicode::{fix_line_breaks, fix_spaces, nfc};

use mojibake::AsciiMarks;
use std::borrow::Cow;
use triage::{triage, Needs};

/// Which repair fixes run. All are on by default.
///
/// ```
/// use thresh::repair::RepairOptions;
/// let only_entities = RepairOptions { entities: true, ..RepairOptions::none() };
/// assert_eq!(only_entities.repair("Tom &amp; Jerry\u{200B}"), "Tom & Jerry\u{200B}");
/// assert_eq!(RepairOptions::default().repair("Tom &amp; Jerry\u{200B}"), "Tom & Jerry");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepairOptions {
    /// Decode HTML entities left in text.
    pub entities: bool,
    /// Reverse mojibake.
    pub mojibake: bool,
    /// Drop C0 controls, map C1 controls.
    pub controls: bool,
    /// Drop zero-width, bidi and soft-hyphen characters.
    pub invisibles: bool,
    /// Normalize line breaks to `\n`.
    pub line_breaks: bool,
    /// Turn no-break spaces into spaces.
    pub spaces: bool,
    /// Normalize to NFC.
    pub nfc: bool,
}

impl Default for RepairOptions {
    fn default() -> Self {
        RepairOptions {
            entities: true,
            mojibake: true,
            controls: true,
            invisibles: true,
            line_breaks: true,
            spaces: true,
            nfc: true,
        }
    }
}

/// Rounds of the whole chain before repair settles for what it has. Real
/// text settles in two; each round strictly shrinks or un-mangles the text,
/// so only input built to nest escapes inside escapes gets this far.
const MAX_ROUNDS: usize = 8;

/// One row of the fix table: its name, its switch, the triage flag that says
/// it may apply, and the function.
struct Fix {
    name: &'static str,
    /// Whether the fix can bring in characters that other fixes act on, so
    /// the text must be triaged again after it changes something.
    adds_characters: bool,
    enabled: fn(&RepairOptions) -> bool,
    needed: Needs,
    /// The fix, given the marks that normalization makes ASCII later.
    apply: fn(&str, AsciiMarks) -> Cow<'_, str>,
}

/// The fixes in the order they run. Entities come first so that an escaped
/// mojibake sequence is seen whole; spaces come after mojibake, which needs
/// to see a no-break space to restore a lost 0xA0 byte; NFC comes last.
const FIXES: [Fix; 7] = [
    Fix {
        name: "entities",
        adds_characters: true,
        enabled: |o| o.entities,
        needed: Needs::ENTITIES,
        apply: |text, _| decode_entities(text),
    },
    Fix {
        name: "mojibake",
        adds_characters: true,
        enabled: |o| o.mojibake,
        needed: Needs::NON_ASCII,
        apply: mojibake::fix_encoding_before,
    },
    Fix {
        name: "controls",
        adds_characters: false,
        enabled: |o| o.controls,
        needed: Needs::CONTROLS,
        apply: |text, _| fix_controls(text),
    },
    Fix {
        name: "invisibles",
        adds_characters: false,
        enabled: |o| o.invisibles,
        needed: Needs::INVISIBLES,
        apply: |text, _| fix_invisibles(text),
    },
    Fix {
        name: "line_breaks",
        adds_characters: false,
        enabled: |o| o.line_breaks,
        needed: Needs::LINE_BREAKS,
        apply: |text, _| fix_line_breaks(text),
    },
    Fix {
        name: "spaces",
        adds_characters: false,
        enabled: |o| o.spaces,
        needed: Needs::SPACES,
        apply: |text, _| fix_spaces(text),
    },
    Fix {
        name: "nfc",
        adds_characters: false,
        enabled: |o| o.nfc,
        needed: Needs::NFC,
        apply: |text, _| nfc(text),
    },
];

impl RepairOptions {
    /// Every fix switched off.
    pub fn none() -> Self {
        RepairOptions {
            entities: false,
            mojibake: false,
            controls: false,
            invisibles: false,
            line_breaks: false,
            spaces: false,
            nfc: false,
        }
    }

    /// Repairs a string, returning it unchanged when nothing applies.
    pub fn repair(&self, text: &str) -> String {
        self.repair_logged(text.to_owned(), &mut Vec::new())
    }

    /// Repairs an owned string and appends the names of the fixes that
    /// changed it to `log`.
    ///
    /// The chain runs again while a round changes anything, so that the
    /// result is a fixed point and repairing it again changes nothing: a
    /// later fix can hand an earlier one new work (dropping a control
    /// character exposes mojibake; decoding an entity spells another one).
    /// Clean text costs one round, and each extra round runs only the fixes
    /// its triage asks for.
    pub fn repair_logged(&self, text: String, log: &mut Vec<&'static str>) -> String {
        self.repair_before(text, AsciiMarks::ALL, log)
    }

    /// [`repair_logged`](Self::repair_logged) for text that a later
    /// normalization gives ASCII `marks`, as
    /// [`Normalizer::ascii_marks`](crate::normalize::Normalizer::ascii_marks)
    /// says: the mojibake fix judges its repairs as cleaning the cleaned
    /// text would (see [`AsciiMarks`]).
    ///
    /// ```
    /// use thresh::normalize::Normalizer;
    /// use thresh::repair::RepairOptions;
    /// let marks = Normalizer::default().ascii_marks();
    /// let fixed = RepairOptions::default().repair_before("cafÃ©".into(), marks, &mut Vec::new());
    /// assert_eq!(fixed, "café");
    /// ```
    pub fn repair_before(
        &self,
        mut text: String,
        marks: AsciiMarks,
        log: &mut Vec<&'static str>,
    ) -> String {
        for _ in 0..MAX_ROUNDS {
            let changed;
            (text, changed) = self.round(text, marks, log);
            if !changed {
                break;
            }
        }
        text
    }

    /// One pass of the enabled fixes, and whether any changed the text.
    fn round(
        &self,
        mut text: String,
        marks: AsciiMarks,
        log: &mut Vec<&'static str>,
    ) -> (String, bool) {
        let mut changed = false;
        let mut needs = triage(&text);
        for fix in FIXES.iter().filter(|fix| (fix.enabled)(self)) {
            if !needs.contains(fix.needed) {
                continue;
            }
            if let Cow::Owned(fixed) = (fix.apply)(&text, marks) {
                if fixed != text {
                    text = fixed;
                    changed = true;
                    if fix.adds_characters {
                        needs = triage(&text);
                    }
                    if !log.contains(&fix.name) {
                        log.push(fix.name);
                    }
                }
            }
        }
        (text, changed)
    }

    /// The names of all fixes, in the order they run.
    pub fn fix_names() -> impl Iterator<Item = &'static str> {
        FIXES.iter().map(|fix| fix.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_untouched_and_logs_nothing() {
        let mut log = Vec::new();
        let text = "Plain “quoted” text — with ü and 中文.\nSecond line.";
        assert_eq!(
            RepairOptions::default().repair_logged(text.to_owned(), &mut log),
            text
        );
        assert!(log.is_empty(), "{log:?}");
    }

    #[test]
    fn fixes_run_in_order_and_are_logged() {
        let mut log = Vec::new();
        let text = "caf&eacute;\u{200B}\r\nnext\u{A0}line".to_owned();
        let fixed = RepairOptions::default().repair_logged(text, &mut log);
        assert_eq!(fixed, "café\nnext line");
        assert_eq!(log, ["entities", "invisibles", "line_breaks", "spaces"]);
    }

    #[test]
    fn repairing_repaired_text_changes_nothing() {
        // Mojibake next to text no legacy encoding has is fixed one layer
        // at a time; the controls fix then drops the U+009D the next layer
        // needed, and a second repair used to find the rest.
        let once = RepairOptions::default().repair("Ã¦Â\u{9d}Â± 東");
        assert_eq!(RepairOptions::default().repair(&once), once);
        let once = RepairOptions::default().repair("&#38;l&#116;; &amp;amp;amp;");
        assert_eq!(once, "< &");
    }

    #[test]
    fn nfc_composes() {
        assert_eq!(RepairOptions::default().repair("Cafe\u{301}"), "Café");
    }

    #[test]
    fn switched_off_fixes_do_not_run() {
        let options = RepairOptions {
            nfc: false,
            ..RepairOptions::default()
        };
        assert_eq!(options.repair("Cafe\u{301}"), "Cafe\u{301}");
    }
}
