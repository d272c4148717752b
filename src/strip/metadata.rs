//! Metadata found in the text: dates in many spellings, normalized to ISO
//! 8601 as precise as the source, and the fields rules may fill.

use crate::document::Metadata;
use regex::Regex;
use std::sync::OnceLock;

/// Month names and abbreviations in the languages the rules cover, with
/// their month numbers.
const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("janvier", 1),
    ("février", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
];

fn month_number(name: &str) -> Option<u8> {
    let lower = name.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == lower).map(|(_, m)| *m)
}

/// The date shapes, compiled once. A pattern that failed to compile (a bug
/// the tests catch) is `None` and simply never matches.
struct DatePatterns {
    iso: Option<Regex>,
    month_first: Option<Regex>,
    day_first: Option<Regex>,
    numeric: Option<Regex>,
}

fn patterns() -> &'static DatePatterns {
    static PATTERNS: OnceLock<DatePatterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let weekday = r"(?:\p{L}+\.?,?\s+)?";
        let time = r"(?:\s*(?:,|at|um|à|a las|às|alle|в)?\s*\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|Uhr|h)?(?:\s*\(?[A-Z]{2,5}\)?)?)?";
        let compile = |pattern: String| Regex::new(&pattern).ok();
        DatePatterns {
            iso: compile(format!(r"^(?i:{weekday})(\d{{4}})-(\d{{2}})(?:-(\d{{2}}))?(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?$")),
            month_first: compile(format!(r"(?i)^{weekday}(\p{{L}}+\.?)\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}}){time}$")),
            day_first: compile(format!(r"(?i)^{weekday}(\d{{1,2}})\.?\s*(?:de\s+)?(\p{{L}}+\.?)\s*(?:de\s+|del\s+)?,?\s*(\d{{4}})(?:\s*г\.?)?{time}$")),
            numeric: compile(format!(r"^{weekday}(\d{{1,2}})[./](\d{{1,2}})[./](\d{{4}}){time}$")),
        }
    })
}

/// Parses a line that is only a date (optionally with a weekday and a
/// time), returning ISO 8601 as precise as the text: `2025-05-23` or `2025-05`.
/// Ambiguous numeric dates (`03/04/2025`) are refused.
///
/// ```
/// use thresh::strip::parse_date;
/// assert_eq!(parse_date("September 4, 2025").as_deref(), Some("2025-09-04"));
/// assert_eq!(parse_date("Friday, May 23, 2025 12:11 AM").as_deref(), Some("2025-05-23"));
/// assert_eq!(parse_date("23. Mai 2025").as_deref(), Some("2025-05-23"));
/// assert_eq!(parse_date("2025-05").as_deref(), Some("2025-05"));
/// assert_eq!(parse_date("25/12/2024").as_deref(), Some("2024-12-25"));
/// assert_eq!(parse_date("03/04/2025"), None);
/// assert_eq!(parse_date("May the force be with you"), None);
/// ```
pub fn parse_date(text: &str) -> Option<String> {
    let text = text.trim();
    if text.len() > 60 || !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let p = patterns();
    let captures = |regex: &Option<Regex>| regex.as_ref().and_then(|r| r.captures(text));
    if let Some(c) = captures(&p.iso) {
        let (year, month) = (c[1].parse().ok()?, c[2].parse().ok()?);
        let day = c.get(3).and_then(|d| d.as_str().parse().ok());
        return iso(year, month, day);
    }
    if let Some(c) = captures(&p.month_first) {
        return iso(
            c[3].parse().ok()?,
            month_number(&c[1])?,
            Some(c[2].parse().ok()?),
        );
    }
    if let Some(c) = captures(&p.day_first) {
        return iso(
            c[3].parse().ok()?,
            month_number(&c[2])?,
            Some(c[1].parse().ok()?),
        );
    }
    let c = captures(&p.numeric)?;
    let (a, b): (u8, u8) = (c[1].parse().ok()?, c[2].parse().ok()?);
    let (day, month) = match (a > 12, b > 12) {
        (true, false) => (a, b),
        (false, true) => (b, a),
        _ if a == b => (a, b),
        _ => return None,
    };
    iso(c[3].parse().ok()?, month, Some(day))
}

/// ISO 8601 for a date already split into numbers, or `None` when they
/// cannot be one.
pub(crate) fn iso(year: u16, month: u8, day: Option<u8>) -> Option<String> {
    if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    match day {
        Some(day) if (1..=31).contains(&day) => Some(format!("{year:04}-{month:02}-{day:02}")),
        Some(_) => None,
        None => Some(format!("{year:04}-{month:02}")),
    }
}

/// Fills a metadata field named in a rule, keeping a value already there.
/// Dates are normalized; an unparseable date is kept as written.
pub(crate) fn set_field(meta: &mut Metadata, field: &str, value: &str) {
    let slot = match field {
        "date" => &mut meta.date,
        "byline" => &mut meta.byline,
        "source" => &mut meta.source,
        "title" => &mut meta.title,
        _ => return,
    };
    if slot.is_none() {
        let value = value.trim();
        let normalized = if field == "date" {
            parse_date(value)
        } else {
            None
        };
        *slot = Some(normalized.unwrap_or_else(|| value.to_owned()));
    }
}

/// The document stage that moves date-only lines at the head of the article
/// into the date field.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dates;

impl crate::stage::Stage for Dates {
    fn name(&self) -> &str {
        "dates"
    }

    fn apply(&self, doc: &mut crate::document::Document) {
        let features = super::features::block_features(doc);
        let head_end = super::features::head_end(doc, &features);
        for index in 0..head_end.min(doc.blocks.len()) {
            let block = &doc.blocks[index];
            if !block.is_kept() {
                continue;
            }
            let text = block
                .text
                .trim_start_matches(|c: char| !c.is_alphanumeric());
            let text = strip_date_label(text);
            if let Some(date) = parse_date(text) {
                if doc.meta.date.is_none() {
                    doc.meta.date = Some(date);
                }
                doc.blocks[index].remove("date_line", "date moved to the date field");
            }
        }
    }
}

/// "Published: 4 May 2025" → "4 May 2025".
fn strip_date_label(text: &str) -> &str {
    const LABELS: &[&str] = &[
        "published",
        "updated",
        "posted",
        "veröffentlicht",
        "aktualisiert",
        "publié le",
        "publié",
        "mis à jour",
        "publicado",
        "actualizado",
        "atualizado",
        "pubblicato",
        "aggiornato",
        "опубликовано",
        "обновлено",
    ];
    let lower = text.to_lowercase();
    for label in LABELS {
        if lower.starts_with(label) && text.is_char_boundary(label.len()) {
            return text[label.len()..].trim_start_matches([':', ' ', '\u{a0}']);
        }
    }
    text
}
