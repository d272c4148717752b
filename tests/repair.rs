//! Repair must leave real text alone: accents, scripts, emoji, symbols and
//! typographic punctuation in many languages pass through unchanged.

use thresh::repair::RepairOptions;

/// Real sentences that must survive every repair fix untouched.
const CLEAN: &[&str] = &[
    "It’s “quoted” — and ‘single’ too… (see p. 4).",
    "« Où êtes-vous ? » demanda-t-il. Ça, c’est déjà fait : l’été à Noël.",
    "Größe, Straße und Äpfel: „Guten Tag“, sagte die Bürgermeisterin.",
    "¿Qué tal? ¡Olé! El año pasado, la señora Muñoz ganó.",
    "A ação não é possível; coração, pão e mãe.",
    "Perché è così? Più caffè, però.",
    "Zażółć gęślą jaźń. Łódź i Kraków.",
    "Čeština: příliš žluťoučký kůň úpěl ďábelské ódy.",
    "Türkçe: ğüşıöç İstanbul’da ılık bir gün.",
    "Tiếng Việt: Xin chào, tôi là người Việt Nam.",
    "Ελληνικά: Γειά σου Κόσμε, τί κάνεις;",
    "Русский: Съешь же ещё этих мягких французских булок.",
    "Українська: ВІКІ, Ґанок, їжак, є, Ђ, ў.",
    "עברית: שלום עולם, מה שלומך?",
    "العربية: مرحبا بالعالم، كيف حالك؟",
    "हिन्दी: नमस्ते दुनिया, आप कैसे हैं?",
    "ภาษาไทย: สวัสดีชาวโลก",
    "中文：你好，世界！这是一个测试。",
    "日本語：こんにちは、世界。カタカナとひらがな。",
    "한국어: 안녕하세요, 세계!",
    "Emoji 😀 👍🏽 👨‍👩‍👧‍👦 🇺🇦 🏴󠁧󠁢󠁳󠁣󠁴󠁿 ❤️",
    "Math: x ≥ 5, y ≤ 3, ±2, 3 × 4 ÷ 2, √2, ∞, ∑, µ, 90°.",
    "Money: €5, £3, ¥100, ₹50, ½ price, © 2025 ACME™ ®.",
    "Legit Latin-1: Æsir, naïve café, Ånäs, HÅØYA ER BLÅØYD, IL Y MARQUÉ…",
    "a radius of 10 Å—",
    "می‌خواهم (Persian with a zero-width non-joiner).",
    "Tabs\tstay, and\nnewlines stay.",
    "AT&T, R&D and Q&A; Tom & Jerry.",
];

#[test]
fn real_text_in_many_scripts_is_unchanged() {
    let options = RepairOptions::default();
    let mut log = Vec::new();
    for text in CLEAN {
        let repaired = options.repair_logged((*text).to_owned(), &mut log);
        assert_eq!(&repaired, text, "repair changed real text");
        assert!(log.is_empty(), "repair logged {log:?} for {text:?}");
    }
}

#[test]
fn damaged_text_is_repaired() {
    let cases = [
        ("Caf&eacute; &amp; bar", "Café & bar"),
        (
            "zero\u{200B}width\u{FEFF} soft\u{AD}hyphen",
            "zerowidth softhyphen",
        ),
        ("line\r\nbreaks\rhere", "line\nbreaks\nhere"),
        ("no\u{A0}break", "no break"),
        ("\u{93}smart\u{94} quotes", "“smart” quotes"),
        ("bell\u{7} and nul\u{0}", "bell and nul"),
        ("Cafe\u{301}", "Café"),
    ];
    for (damaged, fixed) in cases {
        assert_eq!(RepairOptions::default().repair(damaged), fixed);
    }
}
