//! One pass over the bytes that says which repair fixes can possibly apply,
//! so that clean text (the common case) is read once and never copied.

/// A set of fixes that may apply, as bit flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Needs(u8);

impl Needs {
    pub const ENTITIES: Needs = Needs(1);
    pub const NON_ASCII: Needs = Needs(1 << 1);
    pub const CONTROLS: Needs = Needs(1 << 2);
    pub const INVISIBLES: Needs = Needs(1 << 3);
    pub const LINE_BREAKS: Needs = Needs(1 << 4);
    pub const SPACES: Needs = Needs(1 << 5);
    pub const NFC: Needs = Needs(1 << 6);

    pub fn contains(self, other: Needs) -> bool {
        self.0 & other.0 == other.0
    }

    const fn with(self, other: Needs) -> Needs {
        Needs(self.0 | other.0)
    }
}

const NONE: Needs = Needs(0);

/// What each ASCII byte asks for.
const ASCII_NEEDS: [Needs; 128] = {
    let mut table = [NONE; 128];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = Needs::CONTROLS;
        byte += 1;
    }
    table[b'\t' as usize] = NONE;
    table[b'\n' as usize] = NONE;
    table[b'\r' as usize] = Needs::LINE_BREAKS;
    table[0x0B] = Needs::LINE_BREAKS;
    table[0x0C] = Needs::LINE_BREAKS;
    table[0x7F] = Needs::CONTROLS;
    table[b'&' as usize] = Needs::ENTITIES;
    table
};

/// What a non-ASCII character asks for. Besides the characters that some
/// fix rewrites, anything above U+0300 outside the ranges known to be NFC and
/// never to combine (punctuation, CJK, kana, Hangul syllables, fullwidth
/// forms, emoji) asks for the normalization check.
const fn char_needs(c: char) -> Needs {
    let needs = match c {
        '\u{80}'..='\u{9F}' => Needs::CONTROLS,
        '\u{A0}' => Needs::SPACES,
        '\u{AD}' => Needs::INVISIBLES,
        '\u{A1}'..='\u{2FF}' | '\u{391}'..='\u{3CE}' | '\u{400}'..='\u{45F}' => NONE,
        '\u{5D0}'..='\u{5EA}'
        | '\u{621}'..='\u{64A}'
        | '\u{E01}'..='\u{E30}'
        | '\u{E40}'..='\u{E46}' => NONE,
        '\u{1EA0}'..='\u{1EF9}' | '\u{200C}'..='\u{200D}' => NONE,
        '\u{61C}' | '\u{180E}' => Needs::INVISIBLES,
        '\u{2000}'..='\u{2001}' => Needs::SPACES.with(Needs::NFC),
        '\u{2002}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => Needs::SPACES,
        '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' => Needs::INVISIBLES,
        '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFC}' => {
            Needs::INVISIBLES
        }
        '\u{2028}' | '\u{2029}' => Needs::LINE_BREAKS,
        '\u{2010}'..='\u{205E}' | '\u{2070}'..='\u{2125}' | '\u{2127}'..='\u{2129}' => NONE,
        '\u{212C}'..='\u{2328}' | '\u{232B}'..='\u{2BFF}' | '\u{FE00}'..='\u{FE0F}' => NONE,
        '\u{3000}'..='\u{3098}' | '\u{30A0}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}' => NONE,
        '\u{AC00}'..='\u{D7A3}' | '\u{FF01}'..='\u{FF5E}' | '\u{1F000}'..='\u{1FAFF}' => NONE,
        _ => Needs::NFC,
    };
    needs.with(Needs::NON_ASCII)
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// True when any byte of the word is below `n` (n <= 128).
fn has_byte_below(word: u64, n: u8) -> bool {
    word.wrapping_sub(LO * n as u64) & !word & HI != 0
}

fn has_byte(word: u64, byte: u8) -> bool {
    has_byte_below(word ^ (LO * byte as u64), 1)
}

/// Eight bytes that are printable ASCII other than `&` and DEL ask for nothing.
fn quiet_word(chunk: &[u8]) -> bool {
    let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
    word & HI == 0 && !has_byte_below(word, 0x20) && !has_byte(word, b'&') && !has_byte(word, 0x7F)
}

/// Which fixes the text may need.
pub(crate) fn triage(text: &str) -> Needs {
    let bytes = text.as_bytes();
    let mut needs = NONE;
    let mut i = 0;
    while i < bytes.len() {
        if i + 8 <= bytes.len() && quiet_word(&bytes[i..i + 8]) {
            i += 8;
            continue;
        }
        let byte = bytes[i];
        if byte < 0x80 {
            needs = needs.with(ASCII_NEEDS[byte as usize]);
            i += 1;
            continue;
        }
        match text.get(i..).and_then(|rest| rest.chars().next()) {
            Some(c) => {
                needs = needs.with(char_needs(c));
                i += c.len_utf8();
            }
            None => i += 1,
        }
    }
    needs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_ascii_needs_nothing() {
        assert_eq!(triage("Just text.\nAnd a tab\there."), NONE);
    }

    #[test]
    fn each_trigger_is_seen() {
        assert!(triage("a &amp; b").contains(Needs::ENTITIES));
        assert!(triage("x\ry").contains(Needs::LINE_BREAKS));
        assert!(triage("x\u{7}y").contains(Needs::CONTROLS));
        assert!(triage("x\u{93}y").contains(Needs::CONTROLS));
        assert!(triage("x\u{200B}y").contains(Needs::INVISIBLES));
        assert!(triage("x\u{A0}y").contains(Needs::SPACES));
        assert!(triage("e\u{301}").contains(Needs::NFC));
        assert!(triage("é").contains(Needs::NON_ASCII));
    }

    #[test]
    fn common_non_ascii_skips_the_nfc_check() {
        let needs = triage("“Quoted” — 中文 and Привет 😀");
        assert!(!needs.contains(Needs::NFC));
        assert!(needs.contains(Needs::NON_ASCII));
    }

    #[test]
    fn word_boundaries_do_not_hide_triggers() {
        for at in 0..20 {
            let mut text = "a".repeat(20);
            text.replace_range(at..at + 1, "&");
            assert!(triage(&text).contains(Needs::ENTITIES), "at {at}");
        }
    }
}
