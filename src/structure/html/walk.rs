//! One iterative walk over the parsed page that turns its body into raw
//! blocks and records, for every block-level element, where it sits and
//! what its attributes hint.
//!
//! The walk never recurses (a page may nest a hundred thousand elements
//! deep) and visits each node once, so its time is linear in the page.

use super::hints::{merge_words, role_hint, settle_layout, style_hides, word_signals, Hint, Junk};
use super::tags::{attr, tag_of, Tag};
use crate::document::BlockKind;
use crate::error::Error;
use ego_tree::NodeRef;
use rustc_hash::FxHashMap;
use scraper::{Html, Node};

/// The index of no element.
pub(crate) const NONE: u32 = u32::MAX;

/// A block-level element of the page, in document order (preorder), so an
/// element's descendants are exactly the indices after it up to `end`.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub parent: u32,
    /// The index of the element's last descendant (itself when it has none).
    pub end: u32,
    /// The furniture the element's own names or tag declare.
    pub junk: Option<Junk>,
    /// Class or id names of article content.
    pub content: bool,
    /// `<article>`, `<main>`, `itemprop=articleBody` or `role=main`.
    pub body: bool,
    /// `<main>`, `itemprop=articleBody` or `role=main`: furniture named
    /// on an ancestor does not pass into it.
    pub marked_body: bool,
    /// The element's tag and class names, hashed (see [`class_template`]);
    /// 0 for an element without class names.
    pub template: u64,
}

/// A run of text between block boundaries.
#[derive(Debug, Clone)]
pub(crate) struct RawBlock {
    pub kind: BlockKind,
    pub text: String,
    /// The innermost block-level element holding the text.
    pub owner: u32,
    /// Bytes of the text that sit inside links.
    pub link_bytes: usize,
}

/// The page as extraction sees it.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub elements: Vec<Element>,
    pub blocks: Vec<RawBlock>,
    /// Text bytes inside `<noscript>` elements the walk did not enter.
    pub noscript_bytes: usize,
}

/// Class names that carry a CMS taxonomy ("tag-sharing", "category-social")
/// or a layout modifier ("has-sidebar", "with-rail") rather than describe
/// the element's own role.
const IGNORED_CLASS_PREFIXES: &[&str] = &[
    "tag-",
    "category-",
    "categories-",
    "format-",
    "topic-",
    "has-",
    "with-",
    "no-",
    "layout",
];

/// What entering an element pushed, so leaving it can undo exactly that.
struct Open {
    tag: Tag,
    element: u32,
    caption: bool,
    article: bool,
}

/// A block owner on the stack: the element and the kind its text takes.
struct Owner {
    element: u32,
    kind: BlockKind,
}

struct Walker {
    /// Whether to walk into `<noscript>` elements.
    noscript: bool,
    page: Page,
    open: Vec<Open>,
    owners: Vec<Owner>,
    buf: String,
    link_bytes: usize,
    pending_space: bool,
    links: u32,
    pre: u32,
    captions: u32,
    articles: u32,
    max_blocks: usize,
    overflow: bool,
    /// Scratch space for an element's class names.
    names: String,
    /// The word signals of each class attribute value seen on the page:
    /// pages repeat a few class strings on thousands of elements.
    class_signals: FxHashMap<Box<str>, (Hint, u64)>,
}

/// Walks the parsed page into elements and raw blocks.
///
/// The parser stops at the first element deeper than the limit (see
/// `parse`); the finished tree can still nest a little deeper (the adoption
/// agency moves children under cloned formatting elements), so the walk
/// checks again.
///
/// `noscript` walks into `<noscript>` elements; otherwise their text is
/// only counted, in [`Page::noscript_bytes`].
pub(crate) fn walk(
    html: &Html,
    max_blocks: usize,
    max_depth: usize,
    noscript: bool,
) -> Result<Page, Error> {
    let mut walker = Walker {
        noscript,
        page: Page::default(),
        open: Vec::new(),
        owners: Vec::new(),
        buf: String::new(),
        link_bytes: 0,
        pending_space: false,
        links: 0,
        pre: 0,
        captions: 0,
        articles: 0,
        max_blocks,
        overflow: false,
        names: String::new(),
        class_signals: FxHashMap::default(),
    };
    let root = html.tree.root();
    let mut node = root;
    'walk: loop {
        if walker.overflow {
            return Err(Error::TooManyBlocks { limit: max_blocks });
        }
        if walker.open.len() > max_depth {
            return Err(Error::DomTooDeep { limit: max_depth });
        }
        if walker.enter(node) {
            if let Some(child) = node.first_child() {
                node = child;
                continue;
            }
            walker.leave(node);
        }
        loop {
            if node.id() == root.id() {
                break 'walk;
            }
            if let Some(next) = node.next_sibling() {
                node = next;
                continue 'walk;
            }
            match node.parent() {
                Some(parent) => {
                    node = parent;
                    walker.leave(node);
                }
                None => break 'walk,
            }
        }
    }
    walker.flush();
    if walker.overflow {
        return Err(Error::TooManyBlocks { limit: max_blocks });
    }
    Ok(walker.page)
}

impl Walker {
    /// Handles a node on the way down; false when its subtree is skipped.
    fn enter(&mut self, node: NodeRef<'_, Node>) -> bool {
        match node.value() {
            Node::Document | Node::Fragment => true,
            Node::Text(text) => {
                self.push_text(text);
                false
            }
            Node::Element(element) if element.name() == "noscript" && !self.noscript => {
                self.page.noscript_bytes += node
                    .descendants()
                    .filter_map(|n| n.value().as_text())
                    .map(|text| text.len())
                    .sum::<usize>();
                false
            }
            Node::Element(element) => self.enter_element(element),
            _ => false,
        }
    }

    fn enter_element(&mut self, element: &scraper::node::Element) -> bool {
        let name = element.name();
        let mut tag = tag_of(&element.name.local);
        if tag == Tag::Skip && name == "noscript" {
            tag = Tag::Container;
        }
        if tag == Tag::Skip {
            return false;
        }
        let structural = matches!(name, "article" | "main" | "body" | "html");
        let (hint, classes) = match tag {
            _ if matches!(name, "body" | "html") => (Hint::default(), 0),
            // Inline elements never own blocks: only whether they hide
            // their text matters, and that is cheaper to ask.
            Tag::Inline | Tag::Link => (
                Hint {
                    hidden: hides_inline(element),
                    ..Hint::default()
                },
                0,
            ),
            _ => read_hint(element, &mut self.names, &mut self.class_signals),
        };
        if hint.hidden {
            return false;
        }
        let article = matches!(name, "article" | "main") || hint.body;
        if name == "header" && self.articles > 0 {
            tag = Tag::Container;
        }
        // An anchor without href links nowhere. Old forum markup closes
        // links with a second `<a>`, and the parser then reopens that empty
        // anchor in every block after it: counted as a link, a whole post
        // would read as a list of links.
        if tag == Tag::Link && attr(element, html5ever::local_name!("href")).is_none() {
            tag = Tag::Inline;
        }
        let junk = if structural || hint.body {
            None
        } else {
            hint.junk.or(match (tag, name) {
                (Tag::Chrome, "aside") => Some(Junk::Sidebar),
                (Tag::Chrome, "footer") => Some(Junk::Footer),
                (Tag::Chrome, _) => Some(Junk::Navigation),
                _ => None,
            })
        };
        let mut open = Open {
            tag,
            element: NONE,
            caption: hint.caption,
            article,
        };
        match tag {
            Tag::Block(_) | Tag::Container | Tag::Chrome | Tag::Row => {
                self.flush();
                let marked_body = hint.body || name == "main";
                open.element = self.push_element(
                    junk,
                    hint.content,
                    article,
                    marked_body,
                    template(classes, name),
                );
                let kind = self.kind_for(tag, hint.caption);
                self.owners.push(Owner {
                    element: open.element,
                    kind,
                });
                if kind == BlockKind::Preformatted {
                    self.pre += 1;
                }
            }
            Tag::Cell => {
                if !self.buf.is_empty() {
                    self.buf.push('\t');
                    self.pending_space = false;
                }
            }
            Tag::Link => self.links += 1,
            Tag::LineBreak => {
                self.line_break();
                return false;
            }
            Tag::Inline | Tag::Skip => {}
        }
        if open.caption {
            self.captions += 1;
        }
        if open.article {
            self.articles += 1;
        }
        self.open.push(open);
        true
    }

    /// Undoes what entering the element pushed.
    fn leave(&mut self, node: NodeRef<'_, Node>) {
        if !node.value().is_element() {
            if node.value().is_document() {
                self.flush();
            }
            return;
        }
        let Some(open) = self.open.pop() else { return };
        match open.tag {
            Tag::Block(_) | Tag::Container | Tag::Chrome | Tag::Row => {
                self.flush();
                if let Some(owner) = self.owners.pop() {
                    if owner.kind == BlockKind::Preformatted {
                        self.pre = self.pre.saturating_sub(1);
                    }
                }
                let last = self.page.elements.len().saturating_sub(1) as u32;
                if let Some(element) = self.page.elements.get_mut(open.element as usize) {
                    element.end = last;
                }
            }
            Tag::Link => self.links = self.links.saturating_sub(1),
            _ => {}
        }
        if open.caption {
            self.captions = self.captions.saturating_sub(1);
        }
        if open.article {
            self.articles = self.articles.saturating_sub(1);
        }
    }

    fn push_element(
        &mut self,
        junk: Option<Junk>,
        content: bool,
        body: bool,
        marked_body: bool,
        template: u64,
    ) -> u32 {
        let index = self.page.elements.len() as u32;
        let parent = self.owners.last().map_or(NONE, |owner| owner.element);
        self.page.elements.push(Element {
            parent,
            end: index,
            junk,
            content,
            body,
            marked_body,
            template,
        });
        index
    }

    /// The kind of text directly inside a new block owner: quotes, captions,
    /// list items and preformatted text pass their kind down to plain
    /// paragraphs and containers inside them.
    fn kind_for(&self, tag: Tag, caption: bool) -> BlockKind {
        let own = match tag {
            Tag::Block(kind) => kind,
            Tag::Row => BlockKind::TableRow,
            _ => BlockKind::Paragraph,
        };
        if caption || self.captions > 0 {
            return BlockKind::Caption;
        }
        let inherited = self.owners.last().map(|owner| owner.kind);
        match (own, inherited) {
            (BlockKind::Paragraph, Some(kind @ (BlockKind::Quote | BlockKind::ListItem))) => kind,
            (_, Some(BlockKind::Preformatted)) => BlockKind::Preformatted,
            _ => own,
        }
    }

    fn push_text(&mut self, text: &str) {
        let in_link = self.links > 0;
        if self.pre > 0 {
            self.buf.push_str(text);
            if in_link {
                self.link_bytes += text.len();
            }
            return;
        }
        let bytes = text.as_bytes();
        if bytes.first().is_some_and(u8::is_ascii_whitespace) {
            self.pending_space = true;
        }
        let mut at = 0;
        // Words go in by runs: a run of words already one space apart is
        // copied whole, which is most of a page's text.
        while let Some((start, end, spaces)) = next_spaced_run(bytes, at) {
            if self.pending_space && !self.buf.is_empty() && !self.buf.ends_with(['\t', '\n']) {
                self.buf.push(' ');
            }
            self.buf.push_str(&text[start..end]);
            if in_link {
                self.link_bytes += end - start - spaces;
            }
            self.pending_space = true;
            at = end;
        }
        self.pending_space = bytes.last().is_some_and(u8::is_ascii_whitespace);
    }

    fn line_break(&mut self) {
        if self.pre > 0 {
            self.buf.push('\n');
        } else {
            self.flush();
        }
    }

    /// Ends the current block, if it has any text.
    fn flush(&mut self) {
        self.pending_space = false;
        let link_bytes = std::mem::take(&mut self.link_bytes);
        let trimmed_len = self.buf.trim_end().len();
        self.buf.truncate(trimmed_len);
        if self.buf.trim_start().is_empty() {
            self.buf.clear();
            return;
        }
        if self.page.blocks.len() >= self.max_blocks {
            self.overflow = true;
            self.buf.clear();
            return;
        }
        let owner = self.owners.last();
        self.page.blocks.push(RawBlock {
            kind: owner.map_or(BlockKind::Paragraph, |owner| owner.kind),
            text: std::mem::take(&mut self.buf),
            owner: owner.map_or(0, |owner| owner.element),
            link_bytes,
        });
    }
}

/// The next run of words from `at`: its start, its end, and how many
/// single spaces lie between its words. Words are separated by ASCII
/// whitespace, as `split_ascii_whitespace` splits them.
fn next_spaced_run(bytes: &[u8], mut at: usize) -> Option<(usize, usize, usize)> {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    if at == bytes.len() {
        return None;
    }
    let start = at;
    let mut spaces = 0;
    loop {
        while bytes.get(at).is_some_and(|b| !b.is_ascii_whitespace()) {
            at += 1;
        }
        let single_space = bytes.get(at) == Some(&b' ')
            && bytes.get(at + 1).is_some_and(|b| !b.is_ascii_whitespace());
        if !single_space {
            return Some((start, at, spaces));
        }
        at += 1;
        spaces += 1;
    }
}

/// React streams server-rendered parts of a page in `<div hidden id="S:0">`
/// and moves them into place with a script: they are the page, not hidden.
fn is_streamed_boundary(element: &scraper::node::Element) -> bool {
    element.id().is_some_and(|id| {
        id.strip_prefix("S:")
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Class names of text meant for screen readers only ("Share on Facebook,
/// opens in a new window").
const HIDDEN_CLASSES: &[&str] = &[
    "hidden",
    "sr-only",
    "screen-reader-text",
    "visually-hidden",
    "visuallyhidden",
    "d-none",
];

/// Whether an inline element hides its text.
fn hides_inline(element: &scraper::node::Element) -> bool {
    element
        .attrs
        .iter()
        .any(|(name, value)| match &*name.local {
            "hidden" => true,
            "aria-hidden" => value.trim().eq_ignore_ascii_case("true"),
            "style" => style_hides(value),
            "class" => value.split_ascii_whitespace().any(|class| {
                HIDDEN_CLASSES
                    .iter()
                    .any(|hidden| class.eq_ignore_ascii_case(hidden))
            }),
            _ => false,
        })
}

/// The element's class names hashed together, leaving out class names
/// with digits in them, which number posts ("post-1234") rather than name
/// their kind: elements that share it and their tag are built from one
/// template, such as the posts of a forum thread. 0 when no class name is
/// left.
fn class_template(class: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    let mut named = false;
    for class in class.split_ascii_whitespace() {
        if !class.bytes().any(|b| b.is_ascii_digit()) {
            class.hash(&mut hasher);
            named = true;
        }
    }
    if named {
        hasher.finish().max(1)
    } else {
        0
    }
}

/// An element's template from its [`class_template`] and tag name.
fn template(classes: u64, name: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    if classes == 0 {
        return 0;
    }
    let mut hasher = rustc_hash::FxHasher::default();
    classes.hash(&mut hasher);
    name.hash(&mut hasher);
    hasher.finish().max(1)
}

/// Reads the attributes that matter to extraction in one pass and, from
/// the class names, the element's [`class_template`].
fn read_hint(
    element: &scraper::node::Element,
    names: &mut String,
    class_signals: &mut FxHashMap<Box<str>, (Hint, u64)>,
) -> (Hint, u64) {
    let mut hint = Hint::default();
    let mut template = 0;
    let mut class = None;
    let mut id = None;
    for (name, value) in &element.attrs {
        match &*name.local {
            "class" => class = Some(&**value),
            "id" => id = Some(&**value),
            "role" => role_hint(value, &mut hint),
            "itemprop"
                if value.eq_ignore_ascii_case("articleBody")
                    || value.eq_ignore_ascii_case("mainContentOfPage") =>
            {
                hint.body = true
            }
            "hidden" if !is_streamed_boundary(element) => hint.hidden = true,
            "aria-hidden" if value.trim().eq_ignore_ascii_case("true") => hint.hidden = true,
            "style" if style_hides(value) => hint.hidden = true,
            _ => {}
        }
    }
    // Class words are read before the id's, as one string would be.
    if let Some(class) = class {
        let (signals, classes) = match class_signals.get(class) {
            Some(known) => *known,
            None => {
                let known = (
                    word_signals(own_class_names(class, names)),
                    class_template(class),
                );
                class_signals.insert(class.into(), known);
                known
            }
        };
        merge_words(&mut hint, signals);
        template = classes;
    }
    if let Some(id) = id {
        merge_words(&mut hint, word_signals(id));
    }
    if class.is_some() || id.is_some() {
        settle_layout(&mut hint);
    }
    (hint, template)
}

/// The class names that describe the element's own role, space-separated
/// in `names`.
fn own_class_names<'n>(class: &str, names: &'n mut String) -> &'n str {
    names.clear();
    for class in class.split_ascii_whitespace() {
        if !IGNORED_CLASS_PREFIXES
            .iter()
            .any(|prefix| class.starts_with(prefix))
        {
            names.push_str(class);
            names.push(' ');
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(html: &str) -> Page {
        walk(&Html::parse_document(html), 1000, 512, false).unwrap()
    }

    fn texts(page: &Page) -> Vec<(&str, BlockKind)> {
        page.blocks
            .iter()
            .map(|block| (block.text.as_str(), block.kind))
            .collect()
    }

    #[test]
    fn inline_markup_joins_with_the_spacing_of_the_source() {
        let page = page("<p>Hello <b>big</b>world, <a href=x>link</a>.</p><p>Two<br>lines</p>");
        assert_eq!(
            texts(&page),
            [
                ("Hello bigworld, link.", BlockKind::Paragraph),
                ("Two", BlockKind::Paragraph),
                ("lines", BlockKind::Paragraph)
            ]
        );
        assert_eq!(page.blocks[0].link_bytes, 4);
    }

    proptest::proptest! {
        /// Runs of words rebuild exactly the words `split_ascii_whitespace`
        /// finds, each run with its words one space apart.
        #[test]
        fn spaced_runs_hold_the_words_in_order(text in "[a b\t\n\r\x0Cé]{0,40}") {
            let bytes = text.as_bytes();
            let mut words = Vec::new();
            let mut at = 0;
            while let Some((start, end, spaces)) = next_spaced_run(bytes, at) {
                let run = &text[start..end];
                proptest::prop_assert_eq!(run.split(' ').count(), spaces + 1);
                words.extend(run.split(' '));
                at = end;
            }
            proptest::prop_assert_eq!(words, text.split_ascii_whitespace().collect::<Vec<_>>());
        }
    }

    #[test]
    fn an_anchor_without_href_is_not_a_link() {
        // "<a>" where "</a>" was meant: the parser reopens the empty anchor
        // in every later block.
        let page = page("<p>By <a href=/u/1>someone<a></p><p>The whole post follows, sentence after sentence.</p>");
        assert_eq!(page.blocks[0].link_bytes, "someone".len());
        assert_eq!(page.blocks[1].link_bytes, 0);
    }

    #[test]
    fn block_kinds_follow_their_elements() {
        let page = page(
            "<h2>Sub</h2><ul><li>one</li><li><p>two</p></li></ul><blockquote><p>q</p></blockquote>\
             <figure><img src=x><figcaption>A cat.</figcaption></figure>\
             <table><tr><td>a</td><td>b</td></tr></table><pre>  x\n  y</pre>",
        );
        assert_eq!(
            texts(&page),
            [
                ("Sub", BlockKind::Heading(2)),
                ("one", BlockKind::ListItem),
                ("two", BlockKind::ListItem),
                ("q", BlockKind::Quote),
                ("A cat.", BlockKind::Caption),
                ("a\tb", BlockKind::TableRow),
                ("  x\n  y", BlockKind::Preformatted),
            ]
        );
    }

    #[test]
    fn scripts_styles_and_hidden_elements_are_skipped() {
        let page = page(
            "<script>var x;</script><style>p{}</style><p>kept</p><div hidden>no</div>\
             <span class='sr-only'>no</span><p style='display:none'>no</p><noscript>no</noscript>",
        );
        assert_eq!(texts(&page), [("kept", BlockKind::Paragraph)]);
    }

    #[test]
    fn elements_know_their_descendants_and_furniture() {
        let page =
            page("<div id=a><p>x</p><div class=comments><p>c</p></div></div><nav><p>n</p></nav>");
        let comment = &page.blocks[1];
        let section = page.elements[comment.owner as usize].parent as usize;
        assert_eq!(page.elements[section].junk, Some(Junk::Comments));
        let outer = page.elements[section].parent as usize;
        assert!(page.elements[outer].end >= comment.owner);
        assert_eq!(page.elements[outer].junk, None);
        let nav = &page.blocks[2];
        let nav_element = page.elements[nav.owner as usize].parent as usize;
        assert_eq!(page.elements[nav_element].junk, Some(Junk::Navigation));
    }

    #[test]
    fn taxonomy_classes_are_not_read_as_furniture() {
        let page = page("<div class='post tag-sharing category-comments'><p>x</p></div>");
        let owner = page.blocks[0].owner as usize;
        let parent = page.elements[owner].parent as usize;
        assert_eq!(page.elements[parent].junk, None);
        assert!(page.elements[parent].content);
    }

    #[test]
    fn too_many_blocks_is_an_error() {
        let html = "<p>x</p>".repeat(20);
        assert_eq!(
            walk(&Html::parse_document(&html), 10, 512, false).unwrap_err(),
            Error::TooManyBlocks { limit: 10 }
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let html = format!("{}<p>deep</p>", "<div>".repeat(20_000));
        let tree = Html::parse_document(&html);
        let page = walk(&tree, 1000, 100_000, false).unwrap();
        assert_eq!(texts(&page), [("deep", BlockKind::Paragraph)]);
        assert_eq!(
            walk(&tree, 1000, 512, false).unwrap_err(),
            Error::DomTooDeep { limit: 512 }
        );
    }
}
