//! What a page says about itself outside its body text: title, date, byline,
//! site name, canonical URL, language, and the article body some publishers
//! repeat in JSON-LD.
//!
//! The sources are ranked by how reliably they mean what we want. Structured
//! data written for search engines and social cards (JSON-LD, Open Graph,
//! `<meta>`) comes first, because it is written for machines and names the
//! article itself. Markup hints in the body (`<time>`, `<h1>`, byline classes)
//! come last, because themes reuse the same names for teasers, testimonials
//! and comments. URL patterns are the last resort for a date.
//!
//! Everything is gathered in one iterative walk over the tree, then ranked.
//! The walk never recurses: pages can nest elements far deeper than the stack
//! allows.

use super::tags::attr;
use crate::normalize::whitespace::collapse;
use crate::strip::metadata::{iso, parse_date};
use crate::structure::language::short_code;
use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use html5ever::local_name;
use regex::Regex;
use scraper::node::{Element, Node};
use scraper::Html;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Everything the page says about itself, outside its body text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageMeta {
    pub title: Option<String>,
    /// Always a full `YYYY-MM-DD`: a month alone is too vague to be worth a
    /// field, and one shape is easier on every consumer.
    pub date: Option<String>,
    pub byline: Option<String>,
    pub site: Option<String>,
    pub canonical: Option<String>,
    /// ISO 639-1 when the language has such a code, as the detector reports it.
    pub language: Option<String>,
    /// The longest JSON-LD `articleBody`, lines kept, for extraction to use
    /// as a fallback or cross-check: it is the publisher's own idea of the
    /// article text.
    pub article_body: Option<String>,
}

/// Titles and site names longer than this are cut: past it, a "title" is
/// a description or a page of text that landed in the wrong tag.
const TITLE_CHARS: usize = 300;

/// Bylines from structured data, where several authors can add up.
const BYLINE_CHARS: usize = 300;

/// Bylines read from body markup: a real byline is short, and a longer text
/// under an `author` class is a bio box or a whole teaser.
const HINT_CHARS: usize = 100;

/// Body elements tried as byline hints, per page: enough for the false
/// starts ("Written by" labels, hidden lists) without reading every teaser
/// card on a long index page.
const HINT_TRIES: usize = 40;

/// What dates in `itemprop=datePublished` text can be: `parse_date` refuses
/// longer strings anyway.
const DATE_CHARS: usize = 60;

/// Separators between a title and the site name in `<title>`.
const SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » "];

/// Meta keys for the publication date, best first. Keys are lowercased;
/// `itemprop:` marks microdata.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "published_time",
    "itemprop:datepublished",
];

/// Less specific date keys, read after the microdata in the body.
const LOOSE_DATE_KEYS: &[&str] = &[
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "datepublished",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "og:pubdate",
];

/// Meta keys naming the author, best first.
const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author",
    "byl",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
];

/// Meta keys declaring the language, after `<html lang>`.
const LANGUAGE_KEYS: &[&str] = &[
    "http-equiv:content-language",
    "og:locale",
    "content-language",
    "language",
    "dc.language",
];

/// Other meta keys read.
const OTHER_KEYS: &[&str] = &[
    "og:title",
    "twitter:title",
    "og:site_name",
    "application-name",
    "og:url",
    "itemprop:author",
];

/// The key as this module spells it, when it is one it reads: pages carry
/// dozens of metas (microdata for every product on the page) and keeping
/// only the few that matter spares allocating for the rest.
fn known_key(prefix: &str, key: &str) -> Option<&'static str> {
    [
        DATE_KEYS,
        LOOSE_DATE_KEYS,
        AUTHOR_KEYS,
        LANGUAGE_KEYS,
        OTHER_KEYS,
    ]
    .into_iter()
    .flatten()
    .find(|known| {
        known.len() == prefix.len() + key.len()
            && known.starts_with(prefix)
            && known
                .get(prefix.len()..)
                .is_some_and(|k| k.eq_ignore_ascii_case(key))
    })
    .copied()
}

/// Words that introduce a byline rather than belong to it.
const BYLINE_LABELS: &[&str] = &[
    "written by",
    "posted by",
    "authored by",
    "published by",
    "authors",
    "author",
    "by",
    "von",
    "par",
    "por",
    "door",
    "автор",
];

/// Parts of class names that mark an `author` or `byline` element as
/// something else: a picture, a bio, a teaser, a comment.
const NOT_BYLINE: &[&str] = &[
    "comment",
    "authorit",
    "avatar",
    "image",
    "img",
    "photo",
    "pic",
    "bio",
    "box",
    "desc",
    "about",
    "hidden",
    "testimonial",
    "quote",
    "has-",
    "social",
    "follow",
    "card",
];

/// Parts of class names with `comment` that are controls or counters in
/// the article header, not the comment section.
const NOT_COMMENTS: &[&str] = &[
    "has-", "open", "closed", "count", "link", "button", "btn", "icon", "number", "num",
];

/// Elements whose words run on in the same line; any other element starts
/// a new one, so its text needs a space before it.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "em", "font", "i", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// Reads the page's metadata. `url` is the caller's URL hint, used for URL
/// date patterns when the canonical URL has none and to make a relative
/// canonical link absolute.
pub(crate) fn page_meta(html: &Html, url: Option<&str>) -> PageMeta {
    let scan = Scan::run(html);
    let values: Vec<Value> = scan.json_ld.iter().flat_map(|t| parse_json(t)).collect();
    let ld = JsonLd::new(&values);
    let meta = |keys: &[&str]| -> Vec<&str> {
        keys.iter()
            .filter_map(|key| scan.metas.get(*key).copied())
            .collect()
    };

    let known_site = meta(&["og:site_name"])
        .into_iter()
        .map(Cow::Borrowed)
        .chain(ld.publisher())
        .chain(ld.website())
        .chain(meta(&["application-name"]).into_iter().map(Cow::Borrowed))
        .find_map(|s| single_line(before_markup(&s), TITLE_CHARS));
    let (title, site) = title_and_site(&scan, &ld, known_site);

    let canonical = scan
        .canonical
        .into_iter()
        .chain(meta(&["og:url"]))
        .find_map(|href| absolute(href, url));

    let date = ld
        .date()
        .or_else(|| meta(DATE_KEYS).into_iter().find_map(normalize_date))
        .or_else(|| scan.item_date.as_deref().and_then(normalize_date))
        .or_else(|| meta(LOOSE_DATE_KEYS).into_iter().find_map(normalize_date))
        .or_else(|| scan.time.and_then(normalize_date))
        .or_else(|| {
            canonical
                .as_deref()
                .into_iter()
                .chain(url)
                .find_map(url_date)
        });

    let byline = ld
        .authors()
        .or_else(|| meta(AUTHOR_KEYS).into_iter().find_map(clean_byline))
        .or_else(|| scan.bylines[0].clone())
        .or_else(|| {
            meta(&["itemprop:author"])
                .into_iter()
                .find_map(clean_byline)
        })
        .or_else(|| scan.bylines[1..].iter().flatten().next().cloned());

    let language = scan
        .html_lang
        .into_iter()
        .chain(meta(LANGUAGE_KEYS))
        .find_map(reduce_language)
        .or_else(|| ld.language());

    PageMeta {
        title,
        date,
        byline,
        site,
        canonical,
        language,
        article_body: ld.article_body(),
    }
}

/// The title and the site name, settled together because each helps find
/// the other: a known site name is cut off the title, and a title's short
/// tail names the site when nothing else does.
fn title_and_site(
    scan: &Scan,
    ld: &JsonLd,
    known_site: Option<String>,
) -> (Option<String>, Option<String>) {
    let mut site = known_site;
    let raw = scan.title.as_deref().filter(|t| !t.is_empty());
    let page_title = raw.map(|raw| {
        if let Some(rest) = site.as_deref().and_then(|s| without_site(raw, s)) {
            return rest.to_owned();
        }
        match guess_suffix(raw) {
            Some((rest, dropped)) => {
                site.get_or_insert_with(|| dropped.to_owned());
                rest.to_owned()
            }
            None => raw.to_owned(),
        }
    });
    let social = [
        scan.metas.get("og:title").map(|t| Cow::Borrowed(*t)),
        scan.metas.get("twitter:title").map(|t| Cow::Borrowed(*t)),
        ld.headline(),
    ];
    // A social title that is only the site name names no article.
    let is_site = |t: &str| {
        site.as_deref()
            .is_some_and(|s| s.to_lowercase() == t.to_lowercase())
    };
    let social = social
        .into_iter()
        .flatten()
        .filter_map(|t| single_line(before_markup(&t), TITLE_CHARS))
        .find(|t| !is_site(t));
    let social = social.map(|title| {
        // Social titles often copy <title> with its site suffix.
        if Some(title.as_str()) == raw {
            if let Some(clean) = &page_title {
                return clean.clone();
            }
        }
        match site.as_deref().and_then(|s| without_site(&title, s)) {
            Some(rest) => rest.to_owned(),
            None => title,
        }
    });
    let title = social.or(page_title).or_else(|| scan.h1.clone());
    (title, site)
}

/// The title without the site name at its end ("Title | Site", also
/// "Title | Site | Tagline") or start ("Site: Title"), when it is there.
fn without_site<'t>(title: &'t str, site: &str) -> Option<&'t str> {
    let site_lower = site.to_lowercase();
    let starts_with_site = |text: &str| {
        text.get(..site.len())
            .is_some_and(|head| head.to_lowercase() == site_lower)
    };
    // "Title • The Source" for the site "The Source - Harvard": the last
    // segment is the start of the site name, cut at a word.
    let is_site_start = |segment: &str| {
        let segment = segment.trim().to_lowercase();
        let next = site_lower
            .get(segment.len()..)
            .and_then(|r| r.chars().next());
        segment.chars().count() >= 4
            && site_lower.starts_with(&segment)
            && next.is_some_and(|c| !c.is_alphanumeric())
            && !SEPARATORS.iter().any(|s| segment.contains(s))
    };
    for sep in SEPARATORS {
        for (at, _) in title.match_indices(sep) {
            let after = title.get(at + sep.len()..).unwrap_or("");
            let tail = after.get(site.len()..).unwrap_or("");
            let ends = tail.trim().is_empty() || SEPARATORS.iter().any(|s| tail.starts_with(s));
            let rest = title.get(..at).unwrap_or("").trim();
            if ((starts_with_site(after) && ends) || is_site_start(after)) && !rest.is_empty() {
                return Some(rest);
            }
        }
    }
    if starts_with_site(title) {
        let after = title.get(site.len()..).unwrap_or("");
        for sep in SEPARATORS.iter().chain(&[": "]) {
            if let Some(rest) = after.strip_prefix(sep).map(str::trim) {
                if !rest.is_empty() {
                    return Some(rest);
                }
            }
        }
    }
    None
}

/// Splits "A Title of Several Words | Site" when the site name is unknown:
/// the tail is dropped only when it is short and the rest still reads as a
/// title, so "Rust 1.80 - What's New" keeps its subtitle.
fn guess_suffix(title: &str) -> Option<(&str, &str)> {
    let (at, sep) = SEPARATORS
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|at| (at, *sep)))
        .max_by_key(|(at, _)| *at)?;
    let rest = title.get(..at)?.trim();
    let dropped = title.get(at + sep.len()..)?.trim();
    let words = |s: &str| s.split_whitespace().count();
    let short = words(dropped) <= 4 && dropped.chars().count() <= 40;
    (words(rest) >= 3 && !dropped.is_empty() && short && words(dropped) < words(rest))
        .then_some((rest, dropped))
}

/// The text before the first thing that looks like a tag (`<` and a
/// letter, `/`, `!` or `?`). A `<title>` left unclosed holds the rest of
/// the page as text, and an attribute value whose closing quote is missing
/// holds the tags after it (`content="Title <meta property=`), and so does
/// an `<h1>` holding an unclosed raw-text element such as `<xmp>`: what
/// follows the first tag is markup, not the title. A title that really
/// spells a tag (`&lt;div&gt; explained`) is cut too, which is rarer than
/// broken markup and costs only the title's end.
fn before_markup(text: &str) -> &str {
    let tag = text.match_indices('<').find(|(at, _)| {
        text[at + 1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'))
    });
    tag.map_or(text, |(at, _)| &text[..at])
}

/// One line of text: whitespace collapsed, cut at `cap` characters, `None`
/// when nothing is left.
fn single_line(text: &str, cap: usize) -> Option<String> {
    let mut out = String::new();
    for (count, word) in text.split_whitespace().enumerate() {
        if count > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.len() > cap * 4 {
            break;
        }
    }
    if let Some((at, _)) = out.char_indices().nth(cap) {
        out.truncate(at);
        out.truncate(out.trim_end().len());
    }
    (!out.is_empty()).then_some(out)
}

/// A byline without its label ("By", "Written by") and without what
/// follows a separator (" | May 3", " · 5 min read"); URLs and handles are
/// not names.
fn clean_byline(text: &str) -> Option<String> {
    let line = single_line(text, BYLINE_CHARS)?;
    let mut rest = line.as_str();
    for label in BYLINE_LABELS {
        let head = rest.get(..label.len()).map(str::to_lowercase);
        let after = rest.get(label.len()..).unwrap_or("");
        let ends = after.is_empty() || after.starts_with([' ', ':']);
        if head.as_deref() == Some(*label) && ends {
            rest = after;
            break;
        }
    }
    let rest = rest.trim_start_matches([':', ' ', '-', '–', '—', '|']);
    let rest = ["|", " · ", " • ", " – ", " — "]
        .iter()
        .fold(rest, |r, sep| r.split(sep).next().unwrap_or(r))
        .trim();
    let placeholder = ["undefined", "null", "none", "n/a"]
        .iter()
        .any(|p| rest.eq_ignore_ascii_case(p));
    let name_like = rest.chars().any(char::is_alphabetic)
        && !looks_like_url(rest)
        && !rest.starts_with('@')
        && !placeholder;
    (name_like && parse_date(rest).is_none()).then(|| rest.to_owned())
}

fn looks_like_url(text: &str) -> bool {
    text.contains("://") || text.starts_with("www.") || text.starts_with('/')
}

/// An absolute URL for a canonical link, resolving a root-relative one
/// against the caller's URL.
fn absolute(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    let scriptish = href
        .get(..11)
        .is_some_and(|p| p.eq_ignore_ascii_case("javascript:"));
    if href.is_empty() || href.starts_with('#') || scriptish || href.contains(char::is_whitespace) {
        return None;
    }
    if href.contains("://") {
        return Some(href.to_owned());
    }
    let Some((scheme, rest)) = base.and_then(|b| b.trim().split_once("://")) else {
        return Some(href.to_owned());
    };
    if let Some(authority) = href.strip_prefix("//") {
        return Some(format!("{scheme}://{authority}"));
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if href.starts_with('/') && !host.is_empty() {
        return Some(format!("{scheme}://{host}{href}"));
    }
    Some(href.to_owned())
}

/// "en-US", "pt_BR", "de, en" → "en", "pt", "de"; three-letter codes are
/// shortened when ISO 639-1 has them; "und" and friends mean no language.
fn reduce_language(tag: &str) -> Option<String> {
    let first = tag.split([',', ';']).next().unwrap_or(tag).trim();
    let primary = first.split(['-', '_']).next().unwrap_or(first);
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let primary = primary.to_ascii_lowercase();
    if matches!(primary.as_str(), "und" | "mul" | "zxx" | "mis") {
        return None;
    }
    Some(short_code(&primary).to_owned())
}

/// A full `YYYY-MM-DD` from a date as pages write it. ISO timestamps are cut
/// to their date first, since `parse_date` reads only a few time shapes.
fn normalize_date(value: &str) -> Option<String> {
    let value = value.trim();
    match iso_start(value) {
        Some((year, month, day)) => ymd(year, month, day),
        None => parse_date(value).filter(|d| d.len() == 10),
    }
}

/// The year, month and day a value starts with, written `2024-05-23`,
/// `2024/5/23` or `2024.05.23` and followed by anything but a digit.
fn iso_start(value: &str) -> Option<(&str, &str, &str)> {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let year = value.get(..4).filter(|y| digits(y) == 4)?;
    let mut rest = value.get(4..)?;
    let separator = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '/' | '.'))?;
    let mut parts = [""; 2];
    for part in &mut parts {
        rest = rest.strip_prefix(separator)?;
        let len = digits(rest);
        *part = rest.get(..len).filter(|_| (1..=2).contains(&len))?;
        rest = rest.get(len..)?;
    }
    Some((year, parts[0], parts[1]))
}

/// A full date from its digits; `iso` checks the ranges.
fn ymd(year: &str, month: &str, day: &str) -> Option<String> {
    iso(
        year.parse().ok()?,
        month.parse().ok()?,
        Some(day.parse().ok()?),
    )
}

/// The date in a URL path: `/2024/05/23/`, `/2024-05-23-slug`, `/20240523/`.
fn url_date(url: &str) -> Option<String> {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').and_then(|at| rest.get(at..)).unwrap_or(""),
        None => url,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let p = patterns();
    [&p.url_separated, &p.url_compact]
        .into_iter()
        .flatten()
        .flat_map(|r| r.captures_iter(path))
        .find_map(|c| ymd(c.get(1)?.as_str(), c.get(2)?.as_str(), c.get(3)?.as_str()))
}

/// The regular expressions, compiled once. One that failed to compile (a
/// bug the tests catch) is `None` and never matches.
struct Patterns {
    url_separated: Option<Regex>,
    url_compact: Option<Regex>,
    trailing_comma: Option<Regex>,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let compile = |pattern: &str| Regex::new(pattern).ok();
        Patterns {
            url_separated: compile(
                r"(?:^|[/_-])((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?:[/_.-]|$)",
            ),
            url_compact: compile(r"(?:^|[/_-])((?:19|20)\d{2})(\d{2})(\d{2})(?:[/_.-]|$)"),
            trailing_comma: compile(r",(\s*[}\]])"),
        }
    })
}

/// What the walk over the tree found, before ranking. Attribute values are
/// borrowed from the tree; text gathered across nodes is owned.
#[derive(Default)]
struct Scan<'a> {
    /// `<meta>` content by the key in [`known_key`]'s lists (a lowercased
    /// name or property, or one with an `itemprop:` or `http-equiv:`
    /// prefix); the first non-empty one wins.
    metas: HashMap<&'static str, &'a str>,
    canonical: Option<&'a str>,
    html_lang: Option<&'a str>,
    title: Option<String>,
    h1: Option<String>,
    /// The first `<time datetime>` outside comments and hidden parts.
    time: Option<&'a str>,
    /// A body element with `itemprop=datePublished`.
    item_date: Option<String>,
    /// Byline hints by strength: `rel`/`itemprop=author`, a `byline`
    /// class, an `author` class.
    bylines: [Option<String>; 3],
    byline_tries: usize,
    json_ld: Vec<String>,
}

/// Where the walk is: parts whose text is not prose at all, and parts whose
/// prose is not about the article.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// script, style, svg...: no text, no elements worth reading.
    Raw,
    /// Comment sections and hidden elements: no body hints.
    Aside,
}

/// The field a capture fills.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Title,
    H1,
    ItemDate,
    Byline(usize),
}

/// Text being gathered from an element until it closes, whitespace
/// collapsed on the way and stopped one character past its limit so an
/// overlong hint can be told from a fitting one.
struct Capture {
    end: NodeId,
    target: Target,
    text: String,
    chars: usize,
    limit: usize,
    space: bool,
}

impl Capture {
    fn new(end: NodeId, target: Target, limit: usize) -> Self {
        Capture {
            end,
            target,
            text: String::new(),
            chars: 0,
            limit,
            space: false,
        }
    }

    fn push(&mut self, text: &str) {
        for c in text.chars() {
            if self.chars > self.limit {
                return;
            }
            if c.is_whitespace() {
                self.space = true;
                continue;
            }
            if self.space && !self.text.is_empty() {
                self.text.push(' ');
                self.chars += 1;
            }
            self.space = false;
            self.text.push(c);
            self.chars += 1;
        }
    }

    fn overflowed(&self) -> bool {
        self.chars > self.limit
    }
}

/// The attributes of a body element that the walk looks at, read in one
/// pass over the element's attributes.
#[derive(Default)]
struct Hints<'a> {
    class: Names<'a>,
    id: Names<'a>,
    rel: &'a str,
    itemprop: &'a str,
    content: Option<&'a str>,
    datetime: Option<&'a str>,
    hidden: bool,
}

impl<'a> Hints<'a> {
    fn of(el: &'a Element) -> Self {
        let mut hints = Hints::default();
        // Atoms compare as integers; values are read only when wanted.
        for (name, value) in &el.attrs {
            match name.local {
                local_name!("class") => hints.class = Names::new(value),
                local_name!("id") => hints.id = Names::new(value),
                local_name!("rel") => hints.rel = value,
                local_name!("itemprop") => hints.itemprop = value,
                local_name!("content") => hints.content = Some(value),
                local_name!("datetime") => hints.datetime = Some(value),
                local_name!("hidden") => hints.hidden = true,
                local_name!("style") => hints.hidden |= style_hides(value),
                _ => {}
            }
        }
        hints
    }

    /// A comment section is often marked by its id alone (`id="comments"`).
    fn is_comments(&self) -> bool {
        named(self.class, COMMENT, NOT_COMMENTS) || named(self.id, COMMENT, NOT_COMMENTS)
    }

    /// Which byline hint this element is, if any (see [`Scan::bylines`]).
    /// Only classes count: an `author` id marks the one bio box more often
    /// than a byline.
    fn byline_kind(&self) -> Option<usize> {
        if has_token(self.rel, "author") || has_token(self.itemprop, "author") {
            Some(0)
        } else if named(self.class, BYLINE, NOT_BYLINE) {
            Some(1)
        } else if named(self.class, AUTHOR, NOT_BYLINE) {
            Some(2)
        } else {
            None
        }
    }
}

/// A class or id list, with the hint words it may contain as bits (see
/// [`stems`]), found once per element.
#[derive(Default, Clone, Copy)]
struct Names<'a> {
    list: &'a str,
    stems: u8,
}

impl<'a> Names<'a> {
    fn new(list: &'a str) -> Self {
        Names {
            list,
            stems: stems(list),
        }
    }
}

/// A word looked for in class and id names, with its bit in [`stems`].
type HintWord = (&'static str, u8);
const COMMENT: HintWord = ("comment", 1);
const BYLINE: HintWord = ("byline", 2);
const AUTHOR: HintWord = ("author", 4);

/// Which hint words a class or id list may contain, as bits, found in one
/// pass over its bytes. Each word is recognised by four letters after its
/// first (which camelCase capitalises), so the many elements with none of
/// the words cost one quick scan.
fn stems(names: &str) -> u8 {
    let mut found = 0;
    for window in names.as_bytes().windows(4) {
        if let [a, b, c, d] = window {
            found |= match [*a, *b, *c, *d] {
                [b'm', b'm', b'e', b'n'] => COMMENT.1,
                [b'y', b'l', b'i', b'n'] => BYLINE.1,
                [b'u', b't', b'h', b'o'] => AUTHOR.1,
                _ => 0,
            };
        }
    }
    found
}

/// True when a name in the list contains the word in any case and none of
/// `except`.
fn named(names: Names, (word, bit): HintWord, except: &[&str]) -> bool {
    if names.stems & bit == 0 {
        return false;
    }
    names.list.split_ascii_whitespace().any(|name| {
        contains_ignore_case(name, word) && !except.iter().any(|n| contains_ignore_case(name, n))
    })
}

/// Inline styles that hide an element.
fn style_hides(style: &str) -> bool {
    if !style.contains("none") && !style.contains("hidden") {
        return false;
    }
    let squeezed: String = style.chars().filter(|c| !c.is_whitespace()).collect();
    squeezed.contains("display:none") || squeezed.contains("visibility:hidden")
}

fn has_token(list: &str, token: &str) -> bool {
    list.split_ascii_whitespace()
        .any(|t| t.eq_ignore_ascii_case(token))
}

/// `needle` must be lowercase ASCII.
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

impl<'a> Scan<'a> {
    /// Walks the tree once, in document order, keeping a stack of open
    /// scopes and captures instead of recursing.
    fn run(html: &'a Html) -> Self {
        let mut scan = Scan::default();
        let mut scopes: Vec<(NodeId, Scope)> = Vec::new();
        let (mut raw, mut aside) = (0usize, 0usize);
        let mut captures: Vec<Capture> = Vec::new();
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => match node.value() {
                    Node::Text(text) if raw == 0 => {
                        for capture in &mut captures {
                            capture.push(text);
                        }
                    }
                    Node::Element(el) if raw == 0 => {
                        if !captures.is_empty() && !INLINE.contains(&el.name()) {
                            for capture in &mut captures {
                                capture.space = true;
                            }
                        }
                        if let Some(scope) = scan.element(node, el, aside > 0, &mut captures) {
                            scopes.push((node.id(), scope));
                            match scope {
                                Scope::Raw => raw += 1,
                                Scope::Aside => aside += 1,
                            }
                        }
                    }
                    _ => {}
                },
                Edge::Close(node) => {
                    if scopes.last().is_some_and(|(id, _)| *id == node.id()) {
                        match scopes.pop() {
                            Some((_, Scope::Raw)) => raw = raw.saturating_sub(1),
                            Some((_, Scope::Aside)) => aside = aside.saturating_sub(1),
                            None => {}
                        }
                    }
                    while captures.last().is_some_and(|c| c.end == node.id()) {
                        if let Some(capture) = captures.pop() {
                            scan.finish(capture);
                        }
                    }
                }
            }
        }
        scan
    }

    /// Reads one element; returns the scope it opens, if any.
    fn element(
        &mut self,
        node: NodeRef<'a, Node>,
        el: &'a Element,
        aside: bool,
        captures: &mut Vec<Capture>,
    ) -> Option<Scope> {
        let capturing = |captures: &[Capture], target| captures.iter().any(|c| c.target == target);
        match el.name.local {
            local_name!("script") => {
                if attr(el, local_name!("type")).is_some_and(is_json_ld) {
                    self.json_ld.push(child_text(node));
                }
                return Some(Scope::Raw);
            }
            local_name!("style")
            | local_name!("noscript")
            | local_name!("template")
            | local_name!("svg")
            | local_name!("math")
            | local_name!("iframe")
            | local_name!("textarea")
            | local_name!("select")
            | local_name!("object") => return Some(Scope::Raw),
            local_name!("html") => {
                if self.html_lang.is_none() {
                    self.html_lang = attr(el, local_name!("lang")).or_else(|| el.attr("xml:lang"));
                }
                return None;
            }
            local_name!("head") | local_name!("body") => return None,
            local_name!("meta") => {
                self.meta(el, aside);
                return None;
            }
            local_name!("link") => {
                if self.canonical.is_none()
                    && attr(el, local_name!("rel")).is_some_and(|r| has_token(r, "canonical"))
                {
                    self.canonical = attr(el, local_name!("href")).filter(|h| !h.trim().is_empty());
                }
                return None;
            }
            local_name!("title") => {
                if self.title.is_none() && !capturing(captures, Target::Title) {
                    captures.push(Capture::new(node.id(), Target::Title, TITLE_CHARS));
                }
                return None;
            }
            _ => {}
        }
        if aside {
            // Nothing inside an aside is read, so nested ones need no scope.
            return None;
        }
        let hints = Hints::of(el);
        if hints.hidden || hints.is_comments() {
            return Some(Scope::Aside);
        }
        match el.name.local {
            local_name!("h1") if self.h1.is_none() && !capturing(captures, Target::H1) => {
                captures.push(Capture::new(node.id(), Target::H1, TITLE_CHARS));
            }
            local_name!("time") if self.time.is_none() => {
                self.time = hints.datetime.filter(|d| !d.trim().is_empty());
            }
            _ => {}
        }
        if self.item_date.is_none() && has_token(hints.itemprop, "datePublished") {
            match hints.datetime.or(hints.content) {
                Some(value) => self.item_date = Some(value.to_owned()),
                None if !capturing(captures, Target::ItemDate) => {
                    captures.push(Capture::new(node.id(), Target::ItemDate, DATE_CHARS));
                }
                None => {}
            }
        }
        // Once the strongest hint is found, or the tries are spent, no
        // element can change the byline.
        let settled = self.bylines[0].is_some() || self.byline_tries >= HINT_TRIES;
        if let Some(kind) = (!settled).then(|| hints.byline_kind()).flatten() {
            if self.bylines.get(kind).is_some_and(Option::is_none) {
                self.byline_tries += 1;
                captures.push(Capture::new(node.id(), Target::Byline(kind), HINT_CHARS));
            }
        }
        None
    }

    fn meta(&mut self, el: &'a Element, aside: bool) {
        let mut content = None;
        let mut keys: [Option<(&str, &str)>; 4] = [None; 4];
        for (name, value) in &el.attrs {
            match name.local {
                local_name!("content") => content = Some(&**value),
                local_name!("name") => keys[0] = Some(("", &**value)),
                local_name!("property") => keys[1] = Some(("", &**value)),
                local_name!("itemprop") if !aside => keys[2] = Some(("itemprop:", &**value)),
                local_name!("http-equiv") => keys[3] = Some(("http-equiv:", &**value)),
                _ => {}
            }
        }
        let Some(content) = content.filter(|c| !c.trim().is_empty()) else {
            return;
        };
        for (prefix, key) in keys.into_iter().flatten() {
            if let Some(known) = known_key(prefix, key.trim()) {
                self.metas.entry(known).or_insert(content);
            }
        }
    }

    fn finish(&mut self, capture: Capture) {
        match capture.target {
            Target::Title if self.title.is_none() => {
                self.title = single_line(before_markup(&capture.text), TITLE_CHARS);
            }
            Target::H1 if self.h1.is_none() => {
                self.h1 = single_line(before_markup(&capture.text), TITLE_CHARS);
            }
            Target::ItemDate if self.item_date.is_none() && !capture.overflowed() => {
                self.item_date = Some(capture.text);
            }
            Target::Byline(kind) if !capture.overflowed() => {
                if let Some(slot) = self.bylines.get_mut(kind).filter(|s| s.is_none()) {
                    *slot = clean_byline(&capture.text);
                }
            }
            _ => {}
        }
    }
}

fn is_json_ld(kind: &str) -> bool {
    let kind = kind.split(';').next().unwrap_or(kind);
    kind.trim().eq_ignore_ascii_case("application/ld+json")
}

fn child_text(node: NodeRef<'_, Node>) -> String {
    node.children()
        .filter_map(|child| child.value().as_text())
        .map(|text| &**text)
        .collect()
}

/// The JSON values in a script. Broken JSON-LD is common enough to try one
/// repair: whatever wraps the JSON (HTML comments, CDATA, `//`), raw line
/// breaks inside strings, and trailing commas. What still fails is skipped.
fn parse_json(text: &str) -> Vec<Value> {
    let values = json_values(text);
    if !values.is_empty() {
        return values;
    }
    let text = ["<![CDATA[", "]]>", "<!--", "-->"]
        .iter()
        .fold(text.to_owned(), |t, wrapper| t.replace(wrapper, ""));
    let start = text.find(['{', '[']).unwrap_or(0);
    let end = text.rfind(['}', ']']).map_or(text.len(), |at| at + 1);
    let unwrapped: String = text
        .get(start..end)
        .unwrap_or(&text)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let repaired = match &patterns().trailing_comma {
        Some(r) => r.replace_all(&unwrapped, "$1"),
        None => Cow::Borrowed(unwrapped.as_str()),
    };
    json_values(&repaired)
}

/// Every value in the text, so that two objects written back to back both
/// count.
fn json_values(text: &str) -> Vec<Value> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .map_while(Result::ok)
        .collect()
}

type Object = Map<String, Value>;

/// A typed JSON-LD object and how much it speaks for the page.
struct LdNode<'v> {
    object: &'v Object,
    /// 0 for articles, 1 for web pages, 2 for everything else.
    rank: u8,
    /// Objects nested inside others (a `mainEntity`, a related article)
    /// speak less for the page than top-level ones.
    depth: usize,
}

/// All JSON-LD on the page, flattened: top-level arrays, `@graph` and
/// nested objects alike, with an index of `@id`s so references resolve.
struct JsonLd<'v> {
    nodes: Vec<LdNode<'v>>,
    ids: HashMap<&'v str, &'v Object>,
}

impl<'v> JsonLd<'v> {
    fn new(values: &'v [Value]) -> Self {
        let mut ld = JsonLd {
            nodes: Vec::new(),
            ids: HashMap::new(),
        };
        let mut stack: Vec<(&Value, usize)> = values.iter().rev().map(|v| (v, 0)).collect();
        while let Some((value, depth)) = stack.pop() {
            match value {
                Value::Array(items) => stack.extend(items.iter().rev().map(|v| (v, depth))),
                Value::Object(object) => {
                    let defines = object.keys().any(|k| k != "@id" && k != "@type");
                    if let (Some(id), true) = (object.get("@id").and_then(Value::as_str), defines) {
                        ld.ids.entry(id).or_insert(object);
                    }
                    if let Some(kind) = object.get("@type") {
                        let rank = type_names(kind).map(type_rank).min().unwrap_or(2);
                        ld.nodes.push(LdNode {
                            object,
                            rank,
                            depth,
                        });
                    }
                    for (key, child) in object.iter().rev() {
                        if matches!(child, Value::Object(_) | Value::Array(_)) {
                            let depth = if key == "@graph" { depth } else { depth + 1 };
                            stack.push((child, depth));
                        }
                    }
                }
                _ => {}
            }
        }
        ld
    }

    /// The first value `pick` finds in an article, else in a web page,
    /// shallower objects first, in document order.
    fn best<T>(&self, pick: impl Fn(&'v Object) -> Option<T>) -> Option<T> {
        let mut best: Option<((u8, usize), T)> = None;
        for node in self.nodes.iter().filter(|n| n.rank <= 1) {
            let key = (node.rank, node.depth);
            if best.as_ref().is_some_and(|(k, _)| *k <= key) {
                continue;
            }
            if let Some(found) = pick(node.object) {
                best = Some((key, found));
            }
        }
        best.map(|(_, found)| found)
    }

    fn headline(&self) -> Option<Cow<'v, str>> {
        self.best(|o| {
            let text = plain_text(first_str(o.get("headline")?)?);
            (!text.trim().is_empty()).then_some(text)
        })
    }

    fn date(&self) -> Option<String> {
        self.best(|o| normalize_date(first_str(o.get("datePublished")?)?))
    }

    fn authors(&self) -> Option<String> {
        self.best(|o| {
            let names = self.names(o.get("author")?, clean_byline);
            single_line(&names.join(", "), BYLINE_CHARS)
        })
    }

    fn publisher(&self) -> Option<Cow<'v, str>> {
        let clean = |name: &str| single_line(name, TITLE_CHARS).filter(|n| !looks_like_url(n));
        self.best(|o| self.names(o.get("publisher")?, clean).into_iter().next())
            .map(Cow::Owned)
    }

    fn website(&self) -> Option<Cow<'v, str>> {
        self.nodes
            .iter()
            .filter(|n| {
                n.object
                    .get("@type")
                    .is_some_and(|t| type_names(t).any(|t| t == "WebSite"))
            })
            .find_map(|n| first_str(n.object.get("name")?))
            .map(plain_text)
    }

    fn language(&self) -> Option<String> {
        self.best(|o| reduce_language(first_str(o.get("inLanguage")?)?))
    }

    fn article_body(&self) -> Option<String> {
        let body = self
            .nodes
            .iter()
            .filter_map(|n| n.object.get("articleBody")?.as_str())
            .max_by_key(|body| body.len())?;
        let text = collapse(&plain_text(body)).into_owned();
        (!text.is_empty()).then_some(text)
    }

    /// The names in an author or publisher value: a string, an object with a
    /// name, a reference to one by `@id`, or a list of these. `clean` turns
    /// each into a name or refuses it.
    fn names(&self, value: &'v Value, clean: impl Fn(&str) -> Option<String>) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let mut stack = vec![value];
        // A budget rather than a visited set: references can form cycles.
        let mut budget = 100usize;
        while let Some(value) = stack.pop() {
            budget = budget.saturating_sub(1);
            if budget == 0 {
                break;
            }
            match value {
                Value::String(name) => {
                    if let Some(name) = clean(&plain_text(name)).filter(|n| !names.contains(n)) {
                        names.push(name);
                    }
                }
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(object) => {
                    let object = match object.get("name") {
                        Some(_) => object,
                        None => object
                            .get("@id")
                            .and_then(Value::as_str)
                            .and_then(|id| self.ids.get(id).copied())
                            .unwrap_or(object),
                    };
                    if let Some(name) = object.get("name") {
                        stack.push(name);
                    }
                }
                _ => {}
            }
        }
        names
    }
}

/// The type names in an `@type`, which is a string or a list of them.
fn type_names(kind: &Value) -> impl Iterator<Item = &str> {
    let (one, many) = match kind {
        Value::String(name) => (Some(name.as_str()), None),
        Value::Array(items) => (None, Some(items.iter().filter_map(Value::as_str))),
        _ => (None, None),
    };
    one.into_iter().chain(many.into_iter().flatten())
}

/// How much an object of this type speaks for the page (see [`LdNode::rank`]).
/// Types may be written as full IRIs.
fn type_rank(name: &str) -> u8 {
    let name = name.rsplit(['/', ':', '#']).next().unwrap_or(name);
    if name.ends_with("Article") || name.ends_with("Posting") || name == "Report" {
        0
    } else if name.ends_with("Page") {
        1
    } else {
        2
    }
}

/// A string value, or the first string of a list.
fn first_str(value: &Value) -> Option<&str> {
    match value {
        Value::String(text) => Some(text),
        Value::Array(items) => items.iter().find_map(Value::as_str),
        _ => None,
    }
}

/// JSON-LD text with its markup read as HTML: some publishers put escaped
/// entities (`&rsquo;`) or tags in JSON strings. Block elements become line
/// breaks.
fn plain_text(text: &str) -> Cow<'_, str> {
    if !text.contains(['<', '&']) {
        return Cow::Borrowed(text);
    }
    let fragment = Html::parse_fragment(text);
    let mut out = String::with_capacity(text.len());
    for edge in fragment.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(el) if !INLINE.contains(&el.name()) => out.push('\n'),
                _ => {}
            },
            Edge::Close(node) => {
                if node
                    .value()
                    .as_element()
                    .is_some_and(|el| !INLINE.contains(&el.name()))
                {
                    out.push('\n');
                }
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(html: &str) -> PageMeta {
        page_meta(&Html::parse_document(html), None)
    }

    fn meta_at(html: &str, url: &str) -> PageMeta {
        page_meta(&Html::parse_document(html), Some(url))
    }

    fn head(tags: &str) -> String {
        format!("<!doctype html><html><head>{tags}</head><body><p>Text.</p></body></html>")
    }

    fn ld(json: &str) -> String {
        format!(r#"<script type="application/ld+json">{json}</script>"#)
    }

    // ---- title ----

    #[test]
    fn title_prefers_og_then_twitter_then_headline_then_title_then_h1() {
        let og = r#"<meta property="og:title" content="From OG">"#;
        let tw = r#"<meta name="twitter:title" content="From Twitter">"#;
        let hl = ld(r#"{"@type":"NewsArticle","headline":"From JSON-LD"}"#);
        let title = "<title>From the title element</title>";
        let all = format!("{title}{hl}{tw}{og}");
        assert_eq!(meta(&head(&all)).title.as_deref(), Some("From OG"));
        let no_og = format!("{title}{hl}{tw}");
        assert_eq!(meta(&head(&no_og)).title.as_deref(), Some("From Twitter"));
        let no_tw = format!("{title}{hl}");
        assert_eq!(meta(&head(&no_tw)).title.as_deref(), Some("From JSON-LD"));
        assert_eq!(
            meta(&head(title)).title.as_deref(),
            Some("From the title element")
        );
        let h1 = "<html><body><h1>The <em>only</em>\n   heading</h1><h1>Second</h1></body></html>";
        assert_eq!(meta(h1).title.as_deref(), Some("The only heading"));
    }

    #[test]
    fn title_loses_a_known_site_name_at_either_end() {
        let page = head(
            r#"<title>Certificate vs Certification | Stanford Online</title>
               <meta property="og:site_name" content="Stanford Online">"#,
        );
        let m = meta(&page);
        assert_eq!(m.title.as_deref(), Some("Certificate vs Certification"));
        assert_eq!(m.site.as_deref(), Some("Stanford Online"));
        // A site name with its own separator inside.
        let page = head(
            r#"<title>US News MBA Rankings - Stacy Blackman Consulting - MBA Admissions Consulting</title>
               <meta property="og:site_name" content="Stacy Blackman Consulting - MBA Admissions Consulting">"#,
        );
        assert_eq!(meta(&page).title.as_deref(), Some("US News MBA Rankings"));
        // The title ends with the start of a longer site name.
        let page = head(
            r#"<title>Healthy Eating Plate • The Nutrition Source</title>
               <meta property="og:site_name" content="The Nutrition Source - Harvard Chan School">"#,
        );
        assert_eq!(meta(&page).title.as_deref(), Some("Healthy Eating Plate"));
        let page = head(
            r#"<title>Notes on the Theory of Everything</title>
               <meta property="og:site_name" content="Theory Club">"#,
        );
        assert_eq!(
            meta(&page).title.as_deref(),
            Some("Notes on the Theory of Everything")
        );
        // The site name followed by its tagline.
        let page = head(
            r#"<title>10 Tips to Complete Online Courses &#8211; Journey To College &#8211; Realize your potential.</title>
               <meta property="og:site_name" content="Journey To College">"#,
        );
        assert_eq!(
            meta(&page).title.as_deref(),
            Some("10 Tips to Complete Online Courses")
        );
        let page = head(
            r#"<title>Ars Technica: Why the sky is blue</title>
               <meta property="og:site_name" content="Ars Technica">"#,
        );
        assert_eq!(meta(&page).title.as_deref(), Some("Why the sky is blue"));
        // Short titles and case differences.
        let page = head(
            r#"<title>Tides — THE HARBOUR GAZETTE</title>
               <meta name="application-name" content="The Harbour Gazette">"#,
        );
        assert_eq!(meta(&page).title.as_deref(), Some("Tides"));
    }

    #[test]
    fn title_loses_a_short_tail_when_the_site_is_unknown() {
        let m = meta(&head(
            "<title>Top 10 Appliance Manufacturers in the U.S.A. - IndustrySelect®</title>",
        ));
        assert_eq!(
            m.title.as_deref(),
            Some("Top 10 Appliance Manufacturers in the U.S.A.")
        );
        assert_eq!(m.site.as_deref(), Some("IndustrySelect®"));
        // Too little left, or too much dropped: kept whole.
        for title in [
            "Rust 1.80 - What's New",
            "A brief note | on the many ways a long subtitle can run on",
            "Plain title without any separator at all",
        ] {
            let m = meta(&head(&format!("<title>{title}</title>")));
            assert_eq!(m.title.as_deref(), Some(title));
            assert_eq!(m.site, None);
        }
    }

    #[test]
    fn social_title_copying_the_title_element_is_cleaned_like_it() {
        // Modelled on lesswrong.com: no site name anywhere but the suffix.
        let m = meta(&head(
            r#"<title>Scalable End-to-End Interpretability — LessWrong</title>
               <meta property="og:title" content="Scalable End-to-End Interpretability — LessWrong">"#,
        ));
        assert_eq!(
            m.title.as_deref(),
            Some("Scalable End-to-End Interpretability")
        );
        assert_eq!(m.site.as_deref(), Some("LessWrong"));
        // A different og:title loses only a known site name.
        let m = meta(&head(
            r#"<title>Whatever</title><meta property="og:site_name" content="Embarque">
               <meta property="og:title" content="Top 7 Blockchain SEO Agencies | Embarque">"#,
        ));
        assert_eq!(m.title.as_deref(), Some("Top 7 Blockchain SEO Agencies"));
    }

    #[test]
    fn social_title_that_is_only_the_site_name_is_skipped() {
        let m = meta(&head(
            r#"<title>Which robotic lawnmower suits which lawn size? | Robomow</title>
               <meta property="og:title" content="Robomow">
               <meta name="twitter:title" content="Which robotic lawnmower suits which lawn size? | Robomow">"#,
        ));
        assert_eq!(
            m.title.as_deref(),
            Some("Which robotic lawnmower suits which lawn size?")
        );
    }

    #[test]
    fn title_stops_at_markup_it_swallowed() {
        // An unclosed <title> (here with a garbled end tag) holds the page.
        let page = "<html><head><title>Visit us</t\u{5955}le>\n<meta charset=\"gb2312\">\
                    <link rel=\"stylesheet\"></head><body><p>Text</p></body></html>";
        assert_eq!(meta(page).title.as_deref(), Some("Visit us"));
        let m = meta(&head(
            r#"<meta property="og:title" content="Summary <meta property="><title>T</title>"#,
        ));
        assert_eq!(m.title.as_deref(), Some("Summary"));
        let m = meta(&head(
            "<title>&lt;/a&gt;</title><meta property=\"og:title\" content=\"x < y, 1<2\">",
        ));
        assert_eq!(m.title.as_deref(), Some("x < y, 1<2"));
        assert_eq!(before_markup("A <b>bold</b> move"), "A ");
        let raw_text_in_h1 = "<html><body><h1>Heading <xmp><p>The rest of the page";
        assert_eq!(meta(raw_text_in_h1).title.as_deref(), Some("Heading"));
        assert_eq!(before_markup("5 <= 6 <3"), "5 <= 6 <3");
    }

    #[test]
    fn title_ignores_svg_titles_and_caps_length() {
        let page = "<html><body><svg><title>icon</title></svg><h1>Heading</h1></body></html>";
        assert_eq!(meta(page).title.as_deref(), Some("Heading"));
        let long = "é".repeat(1000);
        let m = meta(&head(&format!("<title>{long}</title>")));
        assert_eq!(m.title.map(|t| t.chars().count()), Some(TITLE_CHARS));
        let m = meta(&head(
            r#"<meta property="og:title" content="  "><title> </title>"#,
        ));
        assert_eq!(m.title, None);
    }

    // ---- date ----

    #[test]
    fn date_prefers_json_ld_then_meta_then_time_then_url() {
        let jl = ld(r#"{"@type":"BlogPosting","datePublished":"2021-01-02T10:00:00+01:00"}"#);
        let og = r#"<meta property="article:published_time" content="2022-05-26T15:20:28+00:00">"#;
        let name = r#"<meta name="date" content="2023-03-04">"#;
        let time = r#"<time datetime="2024-04-05T08:00:00Z">April 5</time>"#;
        let page =
            |head: &str, body: &str| format!("<html><head>{head}</head><body>{body}</body></html>");
        let url = "https://example.com/2025/06/07/story/";
        let at = |h: &str, b: &str| meta_at(&page(h, b), url).date;
        assert_eq!(
            at(&format!("{jl}{og}{name}"), time).as_deref(),
            Some("2021-01-02")
        );
        assert_eq!(
            at(&format!("{og}{name}"), time).as_deref(),
            Some("2022-05-26")
        );
        assert_eq!(at(name, time).as_deref(), Some("2023-03-04"));
        assert_eq!(at("", time).as_deref(), Some("2024-04-05"));
        assert_eq!(at("", "").as_deref(), Some("2025-06-07"));
    }

    #[test]
    fn date_from_microdata_in_head_or_body() {
        let m = meta(&head(
            r#"<meta itemprop="datePublished" content="2020-02-29">"#,
        ));
        assert_eq!(m.date.as_deref(), Some("2020-02-29"));
        // Modelled on a WordPress theme: the published <time> comes second.
        let page = r#"<html><body>
            <time class="updated" datetime="2026-02-22T19:57:32-05:00">Feb 22</time>
            <time class="entry-date published" datetime="2026-02-21T19:57:30-05:00" itemprop="datePublished">Feb 21</time>
            </body></html>"#;
        assert_eq!(meta(page).date.as_deref(), Some("2026-02-21"));
        let page =
            r#"<html><body><span itemprop="datePublished">May 23, 2024</span></body></html>"#;
        assert_eq!(meta(page).date.as_deref(), Some("2024-05-23"));
    }

    #[test]
    fn date_spellings_and_unparseable_values_fall_through() {
        for (value, want) in [
            ("2025-01-29T18:10:07.780602-0500", Some("2025-01-29")),
            ("2024/05/23", Some("2024-05-23")),
            ("Thu, 23 May 2024 10:00:00 GMT", Some("2024-05-23")),
            ("September 4, 2025", Some("2025-09-04")),
            ("1716422400", None),
            ("2025-05", None),
            ("2024-13-40", None),
        ] {
            let page = head(&format!(r#"<meta name="pubdate" content="{value}">"#));
            assert_eq!(meta(&page).date.as_deref(), want, "{value}");
        }
        // A broken first source does not hide a good second one.
        let page = head(
            r#"<meta property="article:published_time" content="yesterday">
               <meta name="dc.date" content="2019-07-25">"#,
        );
        assert_eq!(meta(&page).date.as_deref(), Some("2019-07-25"));
    }

    #[test]
    fn date_from_url_patterns() {
        for (url, want) in [
            (
                "https://example.com/2024/05/23/some-story/",
                Some("2024-05-23"),
            ),
            (
                "https://example.com/news/20240523/some-story",
                Some("2024-05-23"),
            ),
            (
                "https://example.com/news/2024-5-3-some-story.html",
                Some("2024-05-03"),
            ),
            ("https://example.com/2024/05/some-story/", None),
            ("https://example.com/item/12345678/", None),
            ("https://example.com/2024/05/12345-story", None),
            ("https://2024.example.com/?d=2024/05/23", None),
        ] {
            assert_eq!(url_date(url).as_deref(), want, "{url}");
        }
        // The canonical URL is read first, the caller's hint after it.
        let page = head(r#"<link rel="canonical" href="https://example.com/2020/01/02/a/">"#);
        let m = meta_at(&page, "https://example.com/2021/03/04/a/");
        assert_eq!(m.date.as_deref(), Some("2020-01-02"));
        let m = meta_at(&head(""), "https://example.com/2021/03/04/a/");
        assert_eq!(m.date.as_deref(), Some("2021-03-04"));
    }

    // ---- byline ----

    #[test]
    fn byline_from_json_ld_authors_joined() {
        let page = head(&ld(
            r#"{"@type":"NewsArticle","author":[{"@type":"Person","name":"Ana Lima"},
                {"@type":"Person","name":"Bo Chen"},"Ana Lima","https://example.com/staff"]}"#,
        ));
        assert_eq!(meta(&page).byline.as_deref(), Some("Ana Lima, Bo Chen"));
        let page = head(&ld(
            r#"{"@type":"Article","author":{"name":["Ana Lima","Bo Chen"]}}"#,
        ));
        assert_eq!(meta(&page).byline.as_deref(), Some("Ana Lima, Bo Chen"));
    }

    #[test]
    fn byline_sources_in_order() {
        let jl = ld(r#"{"@type":"Article","author":"JSON Author"}"#);
        let name = r#"<meta name="author" content="Meta Author">"#;
        let og = r#"<meta property="article:author" content="OG Author">"#;
        let og_url = r#"<meta property="article:author" content="https://facebook.com/someone">"#;
        let rel = r#"<a rel="author" href="/u/x">Rel Author</a>"#;
        let byline = r#"<div class="byline">By Class Byline</div>"#;
        let author = r#"<span class="post-author">Class Author</span>"#;
        let page = |h: String, b: &str| {
            meta(&format!("<html><head>{h}</head><body>{b}</body></html>")).byline
        };
        let body = format!("{author}{byline}{rel}");
        assert_eq!(
            page(format!("{jl}{name}{og}"), &body).as_deref(),
            Some("JSON Author")
        );
        assert_eq!(
            page(format!("{name}{og}"), &body).as_deref(),
            Some("Meta Author")
        );
        assert_eq!(page(og.to_owned(), &body).as_deref(), Some("OG Author"));
        assert_eq!(
            page(og_url.to_owned(), &body).as_deref(),
            Some("Rel Author")
        );
        assert_eq!(
            page(String::new(), &format!("{author}{byline}")).as_deref(),
            Some("Class Byline")
        );
        assert_eq!(page(String::new(), author).as_deref(), Some("Class Author"));
    }

    #[test]
    fn byline_from_microdata() {
        let page = r#"<html><body><div itemprop="author" itemscope itemtype="https://schema.org/Person">
            <span itemprop="name">Mia Wong</span></div></body></html>"#;
        assert_eq!(meta(page).byline.as_deref(), Some("Mia Wong"));
        let page = head(r#"<meta itemprop="author" content="By Mia Wong">"#);
        assert_eq!(meta(&page).byline.as_deref(), Some("Mia Wong"));
    }

    #[test]
    fn byline_hints_skip_labels_comments_hidden_lists_and_bios() {
        // Modelled on camelsandchocolate.com: a label, then the name.
        let page = r#"<html><body>
            <ul class="all-authors" style="display: none"><li class="author-all">Someone Else</li></ul>
            <div class="post-author-container"><span class="post_author_intro">Written by</span>
            <span class="post_author">Kristin</span></div>
            </body></html>"#;
        assert_eq!(meta(page).byline.as_deref(), Some("Kristin"));
        let page = r#"<html><body>
            <ol class="comment-list"><li class="comment"><span class="comment-author">Troll</span></li></ol>
            <div class="author-bio">Jane writes about gardens.</div>
            <div class="entry-author">Jane Roe and a very long bio that goes on and on about gardens, travel, cooking and more than anyone would read</div>
            </body></html>"#;
        assert_eq!(meta(page).byline, None);
        let page = r#"<html><body><p class="byline">By Sam Hill | May 2, 2024</p></body></html>"#;
        assert_eq!(meta(page).byline.as_deref(), Some("Sam Hill"));
        let page = r#"<html><body><p class="byline">May 2, 2024</p></body></html>"#;
        assert_eq!(meta(page).byline, None);
        // "Authorities" is not an author.
        let page = r#"<html><body><li class="menu-authorities">Authorities</li></body></html>"#;
        assert_eq!(meta(page).byline, None);
    }

    #[test]
    fn byline_cleaning() {
        for (text, want) in [
            ("By JOHN DOE", Some("JOHN DOE")),
            ("by: Jane", Some("Jane")),
            ("Bylines Inc.", Some("Bylines Inc.")),
            ("Von Anna Schmidt", Some("Anna Schmidt")),
            ("Автор: Иван Петров", Some("Иван Петров")),
            ("Written by", None),
            ("undefined", None),
            (
                "Sergio Martínez-Beltrán | The Texas Newsroom",
                Some("Sergio Martínez-Beltrán"),
            ),
            ("Jane Roe · 5 min read", Some("Jane Roe")),
            ("www.example.com", None),
            ("@handle", None),
            ("  ", None),
        ] {
            assert_eq!(clean_byline(text).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn meta_keys_match_in_any_case_and_only_when_read() {
        assert_eq!(known_key("", "OG:Title"), Some("og:title"));
        assert_eq!(
            known_key("itemprop:", "datePublished"),
            Some("itemprop:datepublished")
        );
        assert_eq!(
            known_key("http-equiv:", "Content-Language"),
            Some("http-equiv:content-language")
        );
        assert_eq!(known_key("", "viewport"), None);
        assert_eq!(known_key("itemprop:", "url"), None);
    }

    // ---- site, canonical, language ----

    #[test]
    fn site_sources_in_order() {
        let og = r#"<meta property="og:site_name" content="OG Site">"#;
        let jl =
            ld(r#"{"@type":"Article","publisher":{"@type":"Organization","name":"Publisher"}}"#);
        let web = ld(r#"{"@type":"WebSite","name":"Web Site"}"#);
        let app = r#"<meta name="application-name" content="App Name">"#;
        let title = "<title>A title of several words | Title Site</title>";
        let site = |tags: String| meta(&head(&tags)).site;
        assert_eq!(
            site(format!("{title}{app}{web}{jl}{og}")).as_deref(),
            Some("OG Site")
        );
        assert_eq!(
            site(format!("{title}{app}{web}{jl}")).as_deref(),
            Some("Publisher")
        );
        assert_eq!(
            site(format!("{title}{app}{web}")).as_deref(),
            Some("Web Site")
        );
        assert_eq!(site(format!("{title}{app}")).as_deref(), Some("App Name"));
        assert_eq!(site(title.to_owned()).as_deref(), Some("Title Site"));
    }

    #[test]
    fn canonical_from_link_then_og_url() {
        let link = r#"<link rel="Canonical" href="https://example.com/a">"#;
        let og = r#"<meta property="og:url" content="https://example.com/b">"#;
        assert_eq!(
            meta(&head(&format!("{og}{link}"))).canonical.as_deref(),
            Some("https://example.com/a")
        );
        assert_eq!(
            meta(&head(og)).canonical.as_deref(),
            Some("https://example.com/b")
        );
        let rel = head(r#"<link rel="canonical" href="/news/a?x=1">"#);
        assert_eq!(
            meta_at(&rel, "https://example.com/other/page#top")
                .canonical
                .as_deref(),
            Some("https://example.com/news/a?x=1")
        );
        assert_eq!(meta(&rel).canonical.as_deref(), Some("/news/a?x=1"));
        let proto = head(r#"<link rel="canonical" href="//example.com/a">"#);
        assert_eq!(
            meta_at(&proto, "http://example.com/").canonical.as_deref(),
            Some("http://example.com/a")
        );
        let bad = head(r#"<link rel="canonical" href="javascript:void(0)">"#);
        assert_eq!(meta(&bad).canonical, None);
    }

    #[test]
    fn language_sources_and_reduction() {
        let page = |html_attr: &str, tags: &str| {
            let page = format!("<html {html_attr}><head>{tags}</head><body></body></html>");
            meta(&page).language
        };
        let equiv = r#"<meta http-equiv="Content-Language" content="de-AT">"#;
        let locale = r#"<meta property="og:locale" content="pt_BR">"#;
        assert_eq!(page(r#"lang="en-US""#, equiv).as_deref(), Some("en"));
        assert_eq!(page("", &format!("{locale}{equiv}")).as_deref(), Some("de"));
        assert_eq!(page(r#"lang="""#, locale).as_deref(), Some("pt"));
        assert_eq!(page(r#"lang="und""#, locale).as_deref(), Some("pt"));
        let jl = ld(r#"{"@type":"WebPage","inLanguage":"fr-CA"}"#);
        assert_eq!(page("", &jl).as_deref(), Some("fr"));
        for (tag, want) in [
            ("EN", Some("en")),
            ("zh-Hant-TW", Some("zh")),
            ("deu", Some("de")),
            ("fil", Some("fil")),
            ("fr, en", Some("fr")),
            ("x-default", None),
            ("english", None),
            ("", None),
        ] {
            assert_eq!(reduce_language(tag).as_deref(), want, "{tag}");
        }
    }

    // ---- JSON-LD shapes ----

    #[test]
    fn json_ld_graph_with_references() {
        // Modelled on a Yoast SEO graph: the author is a reference.
        let page = head(&ld(r##"{"@context":"https://schema.org","@graph":[
            {"@type":"WebPage","@id":"https://ex.com/p/#webpage","name":"Page name",
             "datePublished":"2019-07-25T15:00:00+00:00","inLanguage":"en-US"},
            {"@type":"Article","@id":"https://ex.com/p/#article","headline":"The headline",
             "author":{"@id":"https://ex.com/#/schema/person/1"},
             "publisher":{"@id":"https://ex.com/#organization"}},
            {"@type":"Person","@id":"https://ex.com/#/schema/person/1","name":"Kristin"},
            {"@type":"Organization","@id":"https://ex.com/#organization","name":"Camels &amp; Chocolate"}
        ]}"##));
        let m = meta(&page);
        assert_eq!(m.title.as_deref(), Some("The headline"));
        assert_eq!(m.byline.as_deref(), Some("Kristin"));
        assert_eq!(m.site.as_deref(), Some("Camels & Chocolate"));
        assert_eq!(m.date.as_deref(), Some("2019-07-25"));
        assert_eq!(m.language.as_deref(), Some("en"));
    }

    #[test]
    fn json_ld_arrays_nesting_and_type_shapes() {
        let page = head(&format!(
            "{}{}",
            ld(r#"[{"@type":"BreadcrumbList"},
                   {"@type":"WebPage","mainEntity":{"@type":["NewsArticle","Thing"],
                    "headline":"Nested headline","datePublished":"2024-02-03"},
                    "datePublished":"2000-01-01"}]"#),
            ld(
                r#"{"@type":"http://schema.org/ReportageNewsArticle","author":{"name":"Reporter"}}"#
            ),
        ));
        let m = meta(&page);
        assert_eq!(m.title.as_deref(), Some("Nested headline"));
        assert_eq!(m.date.as_deref(), Some("2024-02-03"));
        assert_eq!(m.byline.as_deref(), Some("Reporter"));
    }

    #[test]
    fn json_ld_broken_is_skipped_or_repaired() {
        let broken = ld(r#"{"@type":"Article","headline":"Never" "#);
        let good = ld(r#"{"@type":"Article","author":"Kept"}"#);
        let m = meta(&head(&format!("{broken}{good}")));
        assert_eq!(m.title, None);
        assert_eq!(m.byline.as_deref(), Some("Kept"));
        let repaired = r#"<script type=" Application/LD+JSON ">
            //<![CDATA[
            {"@type":"Article","headline":"Line one
            line two","datePublished":"2024-01-02",}
            //]]></script>"#;
        let m = meta(&head(repaired));
        assert_eq!(m.title.as_deref(), Some("Line one line two"));
        assert_eq!(m.date.as_deref(), Some("2024-01-02"));
        let other_type =
            r#"<script type="application/json">{"@type":"Article","headline":"No"}</script>"#;
        assert_eq!(meta(&head(other_type)), PageMeta::default());
    }

    #[test]
    fn json_ld_cycles_and_odd_values_do_not_hang_or_panic() {
        let page = head(&ld(r#"{"@graph":[
            {"@type":"Article","@id":"a","author":{"@id":"b"},"headline":42,"datePublished":null},
            {"@id":"b","name":{"@id":"b"},"x":1},
            {"@type":7,"articleBody":5}]}"#));
        let m = meta(&page);
        assert_eq!(
            (m.title, m.byline, m.date, m.article_body),
            (None, None, None, None)
        );
    }

    #[test]
    fn article_body_is_the_longest_and_plain() {
        let page = head(&format!(
            "{}{}",
            ld(r#"{"@type":"NewsArticle","articleBody":"Short body."}"#),
            ld(
                r#"{"@type":"BlogPosting","articleBody":"<p>If you&rsquo;re new,\n   read   this.</p><p>Second paragraph.</p>"}"#
            ),
        ));
        assert_eq!(
            meta(&page).article_body.as_deref(),
            Some("If you\u{2019}re new,\nread this.\nSecond paragraph.")
        );
        let page = head(&ld(r#"{"@type":"Article","articleBody":"  "}"#));
        assert_eq!(meta(&page).article_body, None);
    }

    // ---- whole pages ----

    #[test]
    fn empty_and_junk_pages_have_nothing() {
        for page in [
            "",
            "<html></html>",
            "just text",
            "<<<>>>&&&",
            "<meta content>",
        ] {
            assert_eq!(meta(page), PageMeta::default(), "{page}");
        }
        assert_eq!(
            page_meta(&Html::parse_document(""), Some("not a url")),
            PageMeta::default()
        );
    }

    #[test]
    fn deep_nesting_is_walked_without_recursion() {
        let depth = 100_000;
        let page = format!(
            "<html><head><title>Deep page title here | Site</title></head><body>{}<h1>Bottom</h1></body></html>",
            "<span>".repeat(depth)
        );
        let m = meta(&page);
        assert_eq!(m.title.as_deref(), Some("Deep page title here"));
        let deep_json = ld(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
        assert_eq!(meta(&head(&deep_json)), PageMeta::default());
    }

    #[test]
    fn wordpress_yoast_page() {
        // Modelled on the head of a WordPress + Yoast travel blog post.
        let page = r##"<!DOCTYPE html><html dir="ltr" lang="en-US"><head>
<meta charset="UTF-8" />
<title>America&#039;s Most Underrated Food City: Here Are the Best Restaurants in OKC</title>
<meta name="description" content="Dining in OKC is on par with any major city." />
<link rel="canonical" href="https://www.camelsandchocolate.com/restaurants-in-oklahoma-city/" />
<meta property="og:locale" content="en_US" />
<meta property="og:type" content="article" />
<meta property="og:title" content="America&#039;s Most Underrated Food City: Here Are the Best Restaurants in OKC" />
<meta property="og:url" content="https://www.camelsandchocolate.com/restaurants-in-oklahoma-city/" />
<meta property="og:site_name" content="Camels &amp; Chocolate" />
<meta property="article:publisher" content="https://www.facebook.com/camelsandchocolate/" />
<meta property="article:published_time" content="2019-07-25T15:00:00+00:00" />
<meta property="article:modified_time" content="2023-01-19T15:48:24+00:00" />
<meta name="author" content="Kristin" />
<meta name="twitter:label1" content="Written by" /><meta name="twitter:data1" content="Kristin" />
<script type="application/ld+json" class="yoast-schema-graph">{"@context":"https://schema.org","@graph":[{"@type":"WebPage","@id":"https://www.camelsandchocolate.com/restaurants-in-oklahoma-city/","name":"America's Most Underrated Food City","datePublished":"2019-07-25T15:00:00+00:00","author":{"@id":"https://www.camelsandchocolate.com/#/schema/person/ce6b"},"inLanguage":"en-US"},{"@type":"Person","@id":"https://www.camelsandchocolate.com/#/schema/person/ce6b","name":"Kristin"}]}</script>
</head><body class="post-template-default single single-post">
<div class="post-author-container"> <span class="post_author_intro">Written by</span> <span class="post_author">Kristin</span></div>
<article><h1 class="entry-title">America&#8217;s Most Underrated Food City</h1><p>Dining in OKC...</p></article>
<div id="comments" class="comments-area"><ol class="comment-list"><li class="comment byuser bypostauthor">
<div class="comment-author vcard">Kristin</div><time datetime="2020-01-01T00:00:00+00:00">Jan 1</time></li></ol></div>
</body></html>"##;
        let m = meta_at(
            page,
            "https://www.camelsandchocolate.com/restaurants-in-oklahoma-city/",
        );
        assert_eq!(
            m,
            PageMeta {
                title: Some(
                    "America's Most Underrated Food City: Here Are the Best Restaurants in OKC"
                        .into()
                ),
                date: Some("2019-07-25".into()),
                byline: Some("Kristin".into()),
                site: Some("Camels & Chocolate".into()),
                canonical: Some(
                    "https://www.camelsandchocolate.com/restaurants-in-oklahoma-city/".into()
                ),
                language: Some("en".into()),
                article_body: None,
            }
        );
    }

    #[test]
    fn react_news_page_with_article_body() {
        // Modelled on a Hearst-style magazine page: helmet metas, a
        // NewsArticle with articleBody, an author list in the body.
        let page = r#"<html lang="en"><head>
<title data-rh="true">The 7 Biggest Diet and Nutrition Trends in 2025</title>
<meta data-rh="true" property="og:title" content="The 7 Biggest Diet and Nutrition Trends in 2025, According to Nutritionists"/>
<script data-react-helmet="true" type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","mainEntityOfPage":{"@type":"WebPage","@id":"https://www.example.com/health/a1/"},
"datePublished":"2025-01-29T18:10:07.780602-0500","headline":"The 7 Biggest Diet and Nutrition Trends in 2025",
"articleBody":"Food and nutrition advice is constantly changing.\n\nThis year is no exception.",
"author":[{"@type":"Person","name":"Jane Doe","url":"https://www.example.com/author/1/"},{"@type":"Person","name":"Sam Roe"}],
"publisher":{"@type":"Organization","name":"Good Housekeeping"}}</script>
</head><body><div class="byline-wrapper"><a rel="author" href="/author/1/">Jane Doe</a></div>
<h1>The 7 Biggest Diet and Nutrition Trends in 2025</h1><time datetime="2025-01-30">Jan 30</time></body></html>"#;
        let want = PageMeta {
            title: Some(
                "The 7 Biggest Diet and Nutrition Trends in 2025, According to Nutritionists"
                    .into(),
            ),
            date: Some("2025-01-29".into()),
            byline: Some("Jane Doe, Sam Roe".into()),
            site: Some("Good Housekeeping".into()),
            canonical: None,
            language: Some("en".into()),
            article_body: Some(
                "Food and nutrition advice is constantly changing.\nThis year is no exception."
                    .into(),
            ),
        };
        assert_eq!(meta(page), want);
    }

    #[test]
    fn forum_style_page_with_body_hints_only() {
        // Modelled on lesswrong.com: no JSON-LD, author and date in the body,
        // comments with their own authors and times further down.
        let page = r#"<html><head><title>Scalable End-to-End Interpretability — LessWrong</title>
<meta property="og:url" content="https://www.lesswrong.com/posts/qkhw/scalable"/></head><body>
<div class="LWPostsPageHeader-authorAndSecondaryInfo"><div class="LWPostsPageHeader-authorInfo">
<span class="PostsAuthors-root">by <span class="PostsAuthors-authorName"><a href="/users/js">jsteinhardt</a></span></span></div>
<time dateTime="2025-12-18T22:37:57.570Z">18th Dec 2025</time></div>
<div class="CommentsNode-root"><span class="CommentUserName-author">Oliver</span><time dateTime="2025-12-19T04:42:52.683Z">1d</time></div>
</body></html>"#;
        let want = PageMeta {
            title: Some("Scalable End-to-End Interpretability".into()),
            date: Some("2025-12-18".into()),
            byline: Some("jsteinhardt".into()),
            site: Some("LessWrong".into()),
            canonical: Some("https://www.lesswrong.com/posts/qkhw/scalable".into()),
            language: None,
            article_body: None,
        };
        assert_eq!(meta(page), want);
    }
}
