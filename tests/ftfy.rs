//! Mojibake repair against ftfy's own test cases, plus sensible text in many
//! scripts that must come through untouched.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Value;
use thresh::repair::mojibake::{fix_encoding, is_bad};

const FTFY_CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/ftfy");
const MIN_PASS_RATE: f64 = 0.95;

struct Case {
    label: String,
    original: String,
    expected: String,
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("ftfy test cases not found at {}: {error}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

fn passing_cases(file: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", file.display()));
    let cases: Vec<Value> = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("bad JSON in {}: {error}", file.display()));
    let field = |case: &Value, name: &str| case.get(name).and_then(Value::as_str).map(String::from);
    cases
        .iter()
        .filter(|case| field(case, "expect").as_deref() == Some("pass"))
        .map(|case| Case {
            label: field(case, "label").unwrap_or_default(),
            original: field(case, "original").expect("case has an original"),
            expected: field(case, "fixed-encoding")
                .or_else(|| field(case, "fixed"))
                .expect("case has an expected result"),
        })
        .collect()
}

#[test]
fn ftfy_cases_pass() {
    let files = json_files(Path::new(FTFY_CASES));
    assert!(!files.is_empty(), "no *.json case files in {FTFY_CASES}");
    let cases: Vec<Case> = files.iter().flat_map(|file| passing_cases(file)).collect();
    assert!(
        !cases.is_empty(),
        "no cases marked \"pass\" in {FTFY_CASES}"
    );

    let mut failures = 0;
    for case in &cases {
        let got = fix_encoding(&case.original);
        if got != case.expected {
            failures += 1;
            println!(
                "FAIL {}\n  original: {:?}\n  expected: {:?}\n  got:      {:?}",
                case.label, case.original, case.expected, got
            );
        }
    }
    let passed = cases.len() - failures;
    let rate = passed as f64 / cases.len() as f64;
    println!("ftfy cases: {passed}/{} passed", cases.len());
    assert!(
        rate >= MIN_PASS_RATE,
        "only {passed}/{} ftfy cases passed",
        cases.len()
    );
}

/// Sensible text that looks a little like mojibake, or uses the same characters.
const SENSIBLE: &[&str] = &[
    // English typography
    "It’s “quoted” — with an em dash… and an ellipsis.",
    "She said, ‘don’t’ – and left.",
    "I'm not such a fan of Charlotte Brontë…”",
    "“Well,” he said, “that’s that.”",
    "Price: $5 • Tax: 10% • Total: $5.50",
    // French
    "« Où êtes-vous ? »",
    "Il est déjà parti. Ça va ?",
    "Les élèves français étudient à l’école.",
    "IL Y MARQUÉ…",
    "naïve café, crème brûlée, cœur, œuvre",
    "Noël à Paris, l’été dernier",
    // German
    "Größe, Straße, Äpfel und Übermut",
    "Die Bären schlafen im Wald.",
    // Spanish and Portuguese
    "¿Qué tal? ¡Olé!",
    "El año pasado fue difícil, señor.",
    "A ação não é fácil, irmã.",
    "São Paulo é a maior cidade do Brasil.",
    "NÃO É POSSÍVEL",
    "SÃO PAULO, MÃE, IRMÃ DE ANA",
    "Ñandú, AÑO NUEVO, la 1.ª vez, el n.º 5",
    "Àquele dia fomos às compras.",
    // Italian
    "Perché è così? Più tardi, città.",
    // Nordic
    "Æsir og Vanir",
    "Ånäs ligger i Sverige.",
    "HÅØYA ER BLÅØYD",
    "Søren Kierkegaard, Blåbærsyltetøy",
    "Þórður og Guðrún",
    // Central and Eastern European Latin
    "Zażółć gęślą jaźń",
    "ŁÓDŹ i Łódź, ŹDŹBŁO",
    "Čeština je těžká, řekl. ŘÍJEN",
    "Mulțumesc, ȘI ţară",
    "Col·legi, l·l",
    "Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "Árvíztűrő tükörfúrógép",
    "NICIODATĂ\u{A0}",
    "NICIODATĂ™",
    "TRANSFORMATORIŲ™",
    "Lietuvių kalba",
    "Latviešu valoda",
    // Turkish
    "İstanbul’da ağır şeyler, ılık çay.",
    "Türkçe öğreniyorum. İSTANBUL, ĞÜŞ",
    // Vietnamese
    "Tiếng Việt có nhiều dấu.",
    "Người Việt Nam, Đà Nẵng, ĐÀ NẴNG",
    // Greek
    "Ελληνικά: Η γλώσσα μας είναι όμορφη.",
    "ΑΘΗΝΑ, Ελλάδα",
    // Cyrillic
    "Русский язык очень богат.",
    "Українська мова: ВІКІ, їжак, ґанок.",
    "ВІКІ is Ukrainian for WIKI",
    "Ђорђе живи у Београду.",
    "ПоздравЂаво",
    "Български език",
    // Hebrew, Arabic
    "עברית היא שפה שמית.",
    "اللغة العربية جميلة.",
    "رسالة",
    // Indic, Thai
    "हिन्दी भारत की भाषा है।",
    "தமிழ் மொழி",
    "ภาษาไทยสวยงาม",
    // CJK
    "中文是世界上使用人数最多的语言。",
    "简体中文，正體中文",
    "日本語のテキスト「こんにちは」。",
    "한국어 텍스트입니다.",
    // Emoji
    "Party 🎉 time 😀!",
    "Family: 👨‍👩‍👧‍👦, flags: 🇫🇷 🇯🇵 🇺🇸",
    "Thumbs up 👍🏽 and heart ❤️",
    // Math, units, symbols
    "x ≥ 5 and y ≤ 3, z = ±1",
    "2 × 3 = 6, 6 ÷ 2 = 3, √4 = 2, ∞, ∑",
    "10 µm at 25 °C",
    "a radius of 10 Å—",
    "Prices: €5, £4, ¥500, ₹100",
    "© 2024 Thresh® Inc. All rights reserved™",
    "½ cup of flour, ¼ teaspoon salt, ¾ done",
    "AHÅ™, the new sofa from IKEA",
    "!YO SÉ¡",
    "Ō¬o",
    "There are a lot of Ã’s in mojibake text",
    "Section § 3 ¶ 2",
    "Ø 10 mm, 5 µg/m³, 3×4 m², 1:100 ≥ Maßstab",
    "L’ÂGE D’OR, Âme, Ça va",
    "¯\\_(ツ)_/¯ and (╯°□°）╯︵ ┻━┻",
    "• first item\n• second item",
    "Brand®™ and Name© 2024",
    "Þetta er íslenska.",
    "No. № 5",
    "Temperature: −5 °C ± 0.5",
    // Control characters that ftfy leaves for other steps
    "These control characters \u{1A} are apparently intentional \u{81}",
    "Here's a control character: \u{1A}",
    // Multi-line text with a mix of the above
    "First line: déjà vu\nSecond line: Größe\nThird: 日本語\n",
];

#[test]
fn sensible_text_is_returned_borrowed() {
    let mut changed = Vec::new();
    for &text in SENSIBLE {
        match fix_encoding(text) {
            Cow::Borrowed(same) if same == text => {}
            other => changed.push(format!("{text:?} -> {:?}", other.as_ref())),
        }
    }
    println!("{} sensible texts checked", SENSIBLE.len());
    assert!(
        changed.is_empty(),
        "changed sensible text:\n{}",
        changed.join("\n")
    );
}

#[test]
fn ascii_is_never_bad() {
    assert!(!is_bad("plain ASCII text, with punctuation: !?;"));
    assert!(matches!(fix_encoding("plain"), Cow::Borrowed(_)));
}

fn corpus(dir: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect()
}

/// Megabytes per second of `fix_encoding` over the texts, repeated to about 200 MB.
fn throughput(texts: &[&str]) -> f64 {
    let bytes: usize = texts.iter().map(|text| text.len()).sum();
    let rounds = (200_000_000 / bytes.max(1)).max(1);
    let start = Instant::now();
    let mut owned = 0usize;
    for _ in 0..rounds {
        for text in texts {
            owned += usize::from(matches!(fix_encoding(text), Cow::Owned(_)));
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    std::hint::black_box(owned);
    (bytes * rounds) as f64 / seconds / 1e6
}

/// Throughput of `fix_encoding`, overall and on the texts it leaves alone; run with
/// `cargo test --release --test ftfy -- --ignored --nocapture`.
#[test]
#[ignore = "speed report, run with --release"]
fn throughput_report() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval");
    for name in ["wcxb_articles/text", "zh_cwce/text", "multilingual_ml/text"] {
        let texts = corpus(&format!("{root}/{name}"));
        let all: Vec<&str> = texts.iter().map(String::as_str).collect();
        let clean: Vec<&str> = all
            .iter()
            .copied()
            .filter(|text| matches!(fix_encoding(text), Cow::Borrowed(_)))
            .collect();
        let megabytes = all.iter().map(|text| text.len()).sum::<usize>() as f64 / 1e6;
        if all.is_empty() {
            println!("{name}: no files");
            continue;
        }
        println!(
            "{name}: {} files, {megabytes:.1} MB, {} repaired; all {:.0} MB/s, untouched {:.0} MB/s",
            all.len(),
            all.len() - clean.len(),
            throughput(&all),
            throughput(&clean),
        );
    }
    let sensible: Vec<&str> = SENSIBLE
        .iter()
        .copied()
        .filter(|text| !is_bad(text))
        .collect();
    let sensible = sensible.join("\n").repeat(1000);
    println!(
        "sensible sentences, many scripts: {:.0} MB/s",
        throughput(&[&sensible])
    );
    let russian =
        "Русский язык — один из восточнославянских языков, национальный язык русского народа. "
            .repeat(10_000);
    println!("Russian: {:.0} MB/s", throughput(&[&russian]));
}
