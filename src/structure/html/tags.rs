//! What each HTML element means to extraction: skipped with its subtree,
//! a block of some kind, a table row or cell, a link, a line break, page
//! chrome, or plain inline markup.

use crate::document::BlockKind;
use html5ever::{local_name, LocalName};

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

/// An attribute's value, found by comparing atoms: `Element::attr` hashes
/// the name into an atom on every call.
pub(crate) fn attr(element: &scraper::node::Element, name: LocalName) -> Option<&str> {
    element
        .attrs
        .iter()
        .find(|(qualified, _)| qualified.local == name && qualified.ns == html5ever::ns!())
        .map(|(_, value)| &**value)
}

/// Maps an element's local name to its [`Tag`].
pub(crate) fn tag_of(name: &LocalName) -> Tag {
    use BlockKind::*;
    // Atoms compare as integers, where string patterns compare bytes.
    match *name {
        local_name!("script")
        | local_name!("style")
        | local_name!("noscript")
        | local_name!("template")
        | local_name!("svg")
        | local_name!("math")
        | local_name!("iframe")
        | local_name!("object")
        | local_name!("embed")
        | local_name!("canvas")
        | local_name!("video")
        | local_name!("audio")
        | local_name!("map")
        | local_name!("select")
        | local_name!("option")
        | local_name!("button")
        | local_name!("input")
        | local_name!("textarea")
        | local_name!("head")
        | local_name!("title")
        | local_name!("meta")
        | local_name!("link")
        | local_name!("dialog")
        | local_name!("frameset")
        | local_name!("frame")
        | local_name!("applet")
        | local_name!("datalist")
        | local_name!("picture")
        | local_name!("source")
        | local_name!("track")
        | local_name!("img") => Tag::Skip,
        local_name!("p") => Tag::Block(Paragraph),
        local_name!("h1") => Tag::Block(Heading(1)),
        local_name!("h2") => Tag::Block(Heading(2)),
        local_name!("h3") => Tag::Block(Heading(3)),
        local_name!("h4") => Tag::Block(Heading(4)),
        local_name!("h5") => Tag::Block(Heading(5)),
        local_name!("h6") => Tag::Block(Heading(6)),
        local_name!("li") | local_name!("dt") | local_name!("dd") => Tag::Block(ListItem),
        local_name!("blockquote") => Tag::Block(Quote),
        local_name!("pre")
        | local_name!("listing")
        | local_name!("xmp")
        | local_name!("plaintext") => Tag::Block(Preformatted),
        local_name!("figcaption") => Tag::Block(Caption),
        local_name!("caption")
        | local_name!("summary")
        | local_name!("legend")
        | local_name!("address") => Tag::Block(Paragraph),
        local_name!("nav")
        | local_name!("aside")
        | local_name!("header")
        | local_name!("footer")
        | local_name!("menu") => Tag::Chrome,
        local_name!("div")
        | local_name!("section")
        | local_name!("article")
        | local_name!("main")
        | local_name!("body")
        | local_name!("html")
        | local_name!("figure")
        | local_name!("ul")
        | local_name!("ol")
        | local_name!("dl")
        | local_name!("table")
        | local_name!("tbody")
        | local_name!("thead")
        | local_name!("tfoot")
        | local_name!("form")
        | local_name!("fieldset")
        | local_name!("details")
        | local_name!("center")
        | local_name!("hgroup")
        | local_name!("hr")
        | local_name!("search") => Tag::Container,
        local_name!("tr") => Tag::Row,
        local_name!("td") | local_name!("th") => Tag::Cell,
        local_name!("a") => Tag::Link,
        local_name!("br") => Tag::LineBreak,
        _ => Tag::Inline,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_element_has_its_part() {
        assert_eq!(tag_of(&LocalName::from("script")), Tag::Skip);
        assert_eq!(
            tag_of(&LocalName::from("h2")),
            Tag::Block(BlockKind::Heading(2))
        );
        assert_eq!(
            tag_of(&LocalName::from("figcaption")),
            Tag::Block(BlockKind::Caption)
        );
        assert_eq!(tag_of(&LocalName::from("nav")), Tag::Chrome);
        assert_eq!(tag_of(&LocalName::from("td")), Tag::Cell);
        assert_eq!(tag_of(&LocalName::from("em")), Tag::Inline);
        assert_eq!(tag_of(&LocalName::from("custom-element")), Tag::Inline);
    }
}
