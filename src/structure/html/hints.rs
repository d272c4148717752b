//! What an element's class, id, role and itemprop say about its content.
//!
//! The vocabulary is a table: each row is a word, where in a class or id
//! token it must stand, and what it signals. Hints never decide alone: they
//! weigh the blocks under the element when candidates are scored, and name
//! the rule when a block inside the chosen node is dropped.

use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

/// The kinds of page furniture a hint can name. Each becomes the rule name
/// of blocks dropped from inside the content node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Junk {
    Comments,
    Share,
    Related,
    Newsletter,
    AuthorBox,
    Sidebar,
    Advertisement,
    Navigation,
    Footer,
    Consent,
    Popup,
    Tags,
    PostMeta,
}

impl Junk {
    /// True for names of page layout (a sidebar column, a navigation
    /// area) rather than of a specific piece of furniture: an element named
    /// as content inside one is still content.
    pub(crate) fn is_layout(self) -> bool {
        matches!(self, Junk::Sidebar | Junk::Navigation)
    }

    /// The rule name recorded in the audit.
    pub(crate) fn rule(self) -> &'static str {
        match self {
            Junk::Comments => "comments_section",
            Junk::Share => "share_bar",
            Junk::Related => "related_links",
            Junk::Newsletter => "newsletter_box",
            Junk::AuthorBox => "author_box",
            Junk::Sidebar => "sidebar",
            Junk::Advertisement => "advertisement",
            Junk::Navigation => "navigation",
            Junk::Footer => "footer",
            Junk::Consent => "consent",
            Junk::Popup => "popup",
            Junk::Tags => "tags",
            Junk::PostMeta => "post_meta",
        }
    }
}

/// Every junk kind, for listing their rule names.
pub(crate) const ALL_JUNK: [Junk; 13] = [
    Junk::Comments,
    Junk::Share,
    Junk::Related,
    Junk::Newsletter,
    Junk::AuthorBox,
    Junk::Sidebar,
    Junk::Advertisement,
    Junk::Navigation,
    Junk::Footer,
    Junk::Consent,
    Junk::Popup,
    Junk::Tags,
    Junk::PostMeta,
];

/// What one element's attributes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Hint {
    /// The element is hidden from readers; its subtree is skipped.
    pub hidden: bool,
    /// Page furniture, by name.
    pub junk: Option<Junk>,
    /// Names that mark article content (article, content, entry, post, ...).
    pub content: bool,
    /// An explicit marker of the article body (`itemprop=articleBody`,
    /// `role=main`), stronger than a class name.
    pub body: bool,
    /// A picture caption or credit.
    pub caption: bool,
}

/// What a vocabulary word signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signal {
    Hidden,
    Junk(Junk),
    Content,
    Caption,
}

/// Where in a class or id token a word must stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// The word starts a token: "comment" fits "comments" and "commentList".
    Prefix,
    /// The word is a whole token: "ad" fits "ad" and "ad-slot", not "add".
    Whole,
    /// The word is a whole class name: "hidden" fits "hidden", not
    /// "hidden-xs", which hides only on small screens.
    Name,
    /// The word starts a class name: "widget" fits "widget_recent_posts",
    /// not "elementor-widget", which page builders put on everything.
    NameStart,
}

use Fit::{Name, NameStart, Prefix, Whole};
use Junk::*;

/// The class and id vocabulary.
const WORDS: &[(&str, Fit, Signal)] = &[
    ("hidden", Name, Signal::Hidden),
    ("sr-only", Name, Signal::Hidden),
    ("screen-reader", Prefix, Signal::Hidden),
    ("visually-hidden", Name, Signal::Hidden),
    ("visuallyhidden", Name, Signal::Hidden),
    ("d-none", Name, Signal::Hidden),
    ("comment", Prefix, Signal::Junk(Comments)),
    ("disqus", Prefix, Signal::Junk(Comments)),
    ("respond", Whole, Signal::Junk(Comments)),
    ("replies", Whole, Signal::Junk(Comments)),
    ("share", Whole, Signal::Junk(Share)),
    ("sharebar", Prefix, Signal::Junk(Share)),
    ("sharethis", Prefix, Signal::Junk(Share)),
    ("shareaholic", Prefix, Signal::Junk(Share)),
    ("sharedaddy", Prefix, Signal::Junk(Share)),
    ("sharing", Prefix, Signal::Junk(Share)),
    ("social", Prefix, Signal::Junk(Share)),
    ("addtoany", Prefix, Signal::Junk(Share)),
    ("addthis", Prefix, Signal::Junk(Share)),
    ("shariff", Prefix, Signal::Junk(Share)),
    ("related", Prefix, Signal::Junk(Related)),
    ("recommend", Prefix, Signal::Junk(Related)),
    ("more-stories", Prefix, Signal::Junk(Related)),
    ("trending", Prefix, Signal::Junk(Related)),
    ("popular", Prefix, Signal::Junk(Related)),
    ("outbrain", Prefix, Signal::Junk(Related)),
    ("taboola", Prefix, Signal::Junk(Related)),
    ("recirc", Prefix, Signal::Junk(Related)),
    ("read-next", Prefix, Signal::Junk(Related)),
    ("newsletter", Prefix, Signal::Junk(Newsletter)),
    ("subscri", Prefix, Signal::Junk(Newsletter)),
    ("signup", Prefix, Signal::Junk(Newsletter)),
    ("sign-up", Prefix, Signal::Junk(Newsletter)),
    ("optin", Prefix, Signal::Junk(Newsletter)),
    ("mc4wp", Prefix, Signal::Junk(Newsletter)),
    ("author-bio", Prefix, Signal::Junk(AuthorBox)),
    ("authorbio", Prefix, Signal::Junk(AuthorBox)),
    ("author-box", Prefix, Signal::Junk(AuthorBox)),
    ("about-author", Prefix, Signal::Junk(AuthorBox)),
    ("author-info", Prefix, Signal::Junk(AuthorBox)),
    ("sidebar", Prefix, Signal::Junk(Sidebar)),
    ("widget", NameStart, Signal::Junk(Sidebar)),
    ("rail", Whole, Signal::Junk(Sidebar)),
    ("ad", Whole, Signal::Junk(Advertisement)),
    ("ads", Whole, Signal::Junk(Advertisement)),
    ("advert", Prefix, Signal::Junk(Advertisement)),
    ("adsense", Prefix, Signal::Junk(Advertisement)),
    ("adslot", Prefix, Signal::Junk(Advertisement)),
    ("dfp", Prefix, Signal::Junk(Advertisement)),
    ("sponsor", Prefix, Signal::Junk(Advertisement)),
    ("promo", Prefix, Signal::Junk(Advertisement)),
    ("nav", Whole, Signal::Junk(Navigation)),
    ("navbar", Prefix, Signal::Junk(Navigation)),
    ("navigation", Prefix, Signal::Junk(Navigation)),
    ("menu", Prefix, Signal::Junk(Navigation)),
    ("breadcrumb", Prefix, Signal::Junk(Navigation)),
    ("pagination", Prefix, Signal::Junk(Navigation)),
    ("pager", Whole, Signal::Junk(Navigation)),
    ("skip-link", Prefix, Signal::Junk(Navigation)),
    ("masthead", Prefix, Signal::Junk(Navigation)),
    ("toolbar", Prefix, Signal::Junk(Navigation)),
    ("footer", Prefix, Signal::Junk(Footer)),
    ("copyright", Prefix, Signal::Junk(Footer)),
    ("cookie", Prefix, Signal::Junk(Consent)),
    ("consent", Prefix, Signal::Junk(Consent)),
    ("gdpr", Prefix, Signal::Junk(Consent)),
    ("modal", Prefix, Signal::Junk(Popup)),
    ("popup", Prefix, Signal::Junk(Popup)),
    ("tags", Whole, Signal::Junk(Tags)),
    ("tag-list", Prefix, Signal::Junk(Tags)),
    ("taglist", Prefix, Signal::Junk(Tags)),
    ("tagcloud", Prefix, Signal::Junk(Tags)),
    ("tag-cloud", Prefix, Signal::Junk(Tags)),
    ("meta", Whole, Signal::Junk(PostMeta)),
    ("postmeta", Prefix, Signal::Junk(PostMeta)),
    ("article", Prefix, Signal::Content),
    ("content", Prefix, Signal::Content),
    ("entry", Prefix, Signal::Content),
    ("main", Prefix, Signal::Content),
    ("post", Whole, Signal::Content),
    ("postbody", Prefix, Signal::Content),
    ("story", Prefix, Signal::Content),
    ("body", Whole, Signal::Content),
    ("text", Whole, Signal::Content),
    ("hentry", Whole, Signal::Content),
    ("prose", Whole, Signal::Content),
    ("rich-text", Prefix, Signal::Content),
    ("richtext", Prefix, Signal::Content),
    ("caption", Prefix, Signal::Caption),
    ("credit", Prefix, Signal::Caption),
];

/// ARIA roles and what they signal.
const ROLES: &[(&str, Option<Junk>)] = &[
    ("navigation", Some(Navigation)),
    ("menu", Some(Navigation)),
    ("menubar", Some(Navigation)),
    ("banner", Some(Navigation)),
    ("search", Some(Navigation)),
    ("complementary", Some(Sidebar)),
    ("contentinfo", Some(Footer)),
    ("dialog", Some(Popup)),
    ("alertdialog", Some(Popup)),
    ("main", None),
    ("article", None),
];

fn matcher() -> Option<&'static AhoCorasick> {
    static MATCHER: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    MATCHER
        .get_or_init(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(WORDS.iter().map(|(word, _, _)| word))
                .ok()
        })
        .as_ref()
}

/// True where a class or id token starts: after a separator. A case change
/// is no boundary: "articleWidgetHTML" names an article part, not a widget.
fn starts_token(raw: &[u8], at: usize) -> bool {
    at == 0 || !raw[at - 1].is_ascii_alphanumeric()
}

fn ends_token(raw: &[u8], at: usize) -> bool {
    raw.get(at)
        .map_or(true, |after| !after.is_ascii_alphanumeric())
}

fn is_class_name(raw: &[u8], start: usize, end: usize) -> bool {
    (start == 0 || raw[start - 1].is_ascii_whitespace())
        && raw
            .get(end)
            .map_or(true, |after| after.is_ascii_whitespace())
}

/// Reads the signals in a class-and-id string (tokens separated by spaces).
///
/// A junk word beats a content word ("comment-content" and "post-footer"
/// are furniture), except a layout word: "content-area main-sidebar" is the
/// column that holds the article beside a sidebar.
#[cfg(test)]
pub(crate) fn class_hint(raw: &str, hint: &mut Hint) {
    read_words(raw, hint);
    settle_layout(hint);
}

/// The signals of the words in `raw` alone, to merge with [`merge_words`].
/// Reading "a b" equals merging the reads of "a" and of "b" in that order,
/// as no vocabulary word spans a space; so a page's repeated class strings
/// can be read once.
pub(crate) fn word_signals(raw: &str) -> Hint {
    let mut hint = Hint::default();
    read_words(raw, &mut hint);
    hint
}

/// Adds word signals to `hint` as reading the words into it would: the
/// first furniture word seen stays.
pub(crate) fn merge_words(hint: &mut Hint, words: Hint) {
    hint.hidden |= words.hidden;
    hint.junk = hint.junk.or(words.junk);
    hint.content |= words.content;
    hint.caption |= words.caption;
}

/// A layout word does not make content furniture: "content-area
/// main-sidebar" is the column beside the sidebar.
pub(crate) fn settle_layout(hint: &mut Hint) {
    if hint.content && hint.junk.is_some_and(Junk::is_layout) {
        hint.junk = None;
    }
}

fn read_words(raw: &str, hint: &mut Hint) {
    let Some(matcher) = matcher() else { return };
    let bytes = raw.as_bytes();
    for found in matcher.find_overlapping_iter(raw) {
        let (_, fit, signal) = WORDS[found.pattern().as_usize()];
        let fits = match fit {
            Prefix => starts_token(bytes, found.start()),
            Whole => starts_token(bytes, found.start()) && ends_token(bytes, found.end()),
            Name => is_class_name(bytes, found.start(), found.end()),
            NameStart => found.start() == 0 || bytes[found.start() - 1].is_ascii_whitespace(),
        };
        if !fits {
            continue;
        }
        match signal {
            Signal::Hidden => hint.hidden = true,
            Signal::Junk(junk) => {
                hint.junk.get_or_insert(junk);
            }
            Signal::Content => hint.content = true,
            Signal::Caption => hint.caption = true,
        }
    }
}

/// Reads an ARIA role.
pub(crate) fn role_hint(role: &str, hint: &mut Hint) {
    let role = role.trim();
    for (name, junk) in ROLES {
        if role.eq_ignore_ascii_case(name) {
            match junk {
                Some(junk) => {
                    hint.junk.get_or_insert(*junk);
                }
                None => hint.body = true,
            }
        }
    }
}

/// True for inline styles that hide the element.
pub(crate) fn style_hides(style: &str) -> bool {
    // Most styles say neither word: skip building the compact copy.
    let lower = style.as_bytes();
    let has = |word: &[u8]| {
        lower
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word))
    };
    if !has(b"none") && !has(b"hidden") {
        return false;
    }
    let compact: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    compact.contains("display:none") || compact.contains("visibility:hidden")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(raw: &str) -> Hint {
        let mut hint = Hint::default();
        class_hint(raw, &mut hint);
        hint
    }

    #[test]
    fn words_fit_at_token_starts_only() {
        assert_eq!(hint("comments-area").junk, Some(Junk::Comments));
        assert_eq!(hint("commentList").junk, Some(Junk::Comments));
        assert_eq!(hint("articleWidgetHTML_root").junk, None);
        assert_eq!(hint("elementor-widget-container").junk, None);
        assert_eq!(
            hint("widget widget_recent_entries").junk,
            Some(Junk::Sidebar)
        );
        assert_eq!(hint("uncommented").junk, None);
        assert_eq!(hint("ad-slot").junk, Some(Junk::Advertisement));
        assert_eq!(hint("add-to-cart header").junk, None);
        assert_eq!(hint("shadow").junk, None);
        assert_eq!(hint("kff-shared-content").junk, None);
        assert_eq!(hint("share-buttons").junk, Some(Junk::Share));
        assert_eq!(hint("navy-theme").junk, None);
    }

    #[test]
    fn content_and_junk_are_both_seen() {
        let both = hint("comment-content");
        assert!(both.content);
        assert_eq!(both.junk, Some(Junk::Comments));
        assert!(hint("entry-content").content);
        assert!(hint("articleBody").content);
        assert!(hint("sr-only").hidden);
        assert!(!hint("hidden-xs").hidden);
        assert!(hint("wp-caption-text").caption);
        assert_eq!(hint("content-area newspaper-x-sidebar").junk, None);
        assert_eq!(hint("post-footer").junk, Some(Junk::Footer));
    }

    #[test]
    fn roles_and_styles() {
        let mut h = Hint::default();
        role_hint("Navigation", &mut h);
        assert_eq!(h.junk, Some(Junk::Navigation));
        let mut main = Hint::default();
        role_hint("main", &mut main);
        assert!(main.body);
        assert!(style_hides("color: red; DISPLAY : none"));
        assert!(!style_hides("display: block"));
    }
}
