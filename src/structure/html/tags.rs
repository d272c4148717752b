//! What each HTML element means to extraction: skipped with its subtree,
//! a block of some kind, a table row or cell, a link, a line break, page
//! chrome, or plain inline markup.

use crate::document::BlockKind;

/// An element's part in turning the page into blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    /// Never holds article text (scripts, styles, media, form controls); its
    /// whole subtree is skipped.
    Skip,
    /// Starts and ends a block of the given kind.
    Block(BlockKind),
    /// A block-level container (div, section, ...): text directly inside
    /// it is a paragraph.
    Container,
    /// Page chrome (nav, aside, header, footer): a container whose text
    /// counts against any candidate holding it.
    Chrome,
    /// A table row: its cells join into one block.
    Row,
    /// A table cell: separated from the previous cell by a tab.
    Cell,
    /// A link: its text counts toward link density.
    Link,
    /// `<br>`: ends the line.
    LineBreak,
    /// Everything else: text flows through into the enclosing block.
    Inline,
}

/// Maps an element's local name to its [`Tag`].
pub(crate) fn tag_of(name: &str) -> Tag {
    use BlockKind::*;
    match name {
        "script" | "style" | "noscript" | "template" | "svg" | "math" | "iframe" | "object"
        | "embed" | "canvas" | "video" | "audio" | "map" | "select" | "option" | "button"
        | "input" | "textarea" | "head" | "title" | "meta" | "link" | "dialog" | "frameset"
        | "frame" | "applet" | "datalist" | "picture" | "source" | "track" | "img" => Tag::Skip,
        "p" => Tag::Block(Paragraph),
        "h1" => Tag::Block(Heading(1)),
        "h2" => Tag::Block(Heading(2)),
        "h3" => Tag::Block(Heading(3)),
        "h4" => Tag::Block(Heading(4)),
        "h5" => Tag::Block(Heading(5)),
        "h6" => Tag::Block(Heading(6)),
        "li" | "dt" | "dd" => Tag::Block(ListItem),
        "blockquote" => Tag::Block(Quote),
        "pre" | "listing" | "xmp" | "plaintext" => Tag::Block(Preformatted),
        "figcaption" => Tag::Block(Caption),
        "caption" | "summary" | "legend" | "address" => Tag::Block(Paragraph),
        "nav" | "aside" | "header" | "footer" | "menu" => Tag::Chrome,
        "div" | "section" | "article" | "main" | "body" | "html" | "figure" | "ul" | "ol"
        | "dl" | "table" | "tbody" | "thead" | "tfoot" | "form" | "fieldset" | "details"
        | "center" | "hgroup" | "hr" | "search" => Tag::Container,
        "tr" => Tag::Row,
        "td" | "th" => Tag::Cell,
        "a" => Tag::Link,
        "br" => Tag::LineBreak,
        _ => Tag::Inline,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_element_has_its_part() {
        assert_eq!(tag_of("script"), Tag::Skip);
        assert_eq!(tag_of("h2"), Tag::Block(BlockKind::Heading(2)));
        assert_eq!(tag_of("figcaption"), Tag::Block(BlockKind::Caption));
        assert_eq!(tag_of("nav"), Tag::Chrome);
        assert_eq!(tag_of("td"), Tag::Cell);
        assert_eq!(tag_of("em"), Tag::Inline);
        assert_eq!(tag_of("custom-element"), Tag::Inline);
    }
}
