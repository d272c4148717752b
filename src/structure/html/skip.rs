//! Script and style bodies, drawings and formulas, found before parsing so
//! the parser never reads them.
//!
//! Nothing thresh does reads a script's code, a style sheet or the inside
//! of an `<svg>` or `<math>`: the walk skips these elements and the
//! metadata scan reads only JSON-LD scripts. Yet scripts and styles are
//! 42% of the bytes of the wcxb pages, and inline drawings 4% more, each
//! path of them an element for the tree builder. This scanner follows the HTML tokenizer's states far
//! enough to know where each `<script>` and `<style>` body begins and ends
//! exactly as the parser will see it (comments, quoted attribute values,
//! the text-only elements, the script data escape states), and the parser
//! is then fed the page without those bodies. The tree it builds is the
//! tree of the whole page with those elements empty: the tree builder's
//! decisions depend on tags, never on the text inside a script or style,
//! and a drawing's content is cut only when the scanner followed it from
//! its start tag to its end tag.
//!
//! Where the tokenizer's state depends on the tree (inside `<svg>` and
//! `<math>`, where `<style>` is an ordinary element whose content is
//! markup), the scanner follows the foreign elements, and stops cutting
//! for the rest of the page at anything it cannot follow for certain: an
//! HTML element that breaks out of foreign content, markup inside an
//! integration point (`<foreignObject>`, an SVG `<title>`), an end tag
//! that closes no foreign element, or a `<frameset>`, whose insertion
//! modes ignore script tags. What it does not cut, the parser reads as
//! before.

use std::ops::Range;

/// The page's byte ranges the parser should read: everything but the
/// bodies of `<script>` (other than JSON-LD) and `<style>` elements, and
/// the content of `<svg>` and `<math>` elements.
/// Every range starts and ends at an ASCII byte or the page's end, so each
/// is valid UTF-8.
pub(crate) fn kept_ranges(page: &str) -> Vec<Range<usize>> {
    let mut kept = Vec::new();
    let mut from = 0;
    for cut in Scanner::new(page.as_bytes()).cuts() {
        kept.push(from..cut.start);
        from = cut.end;
    }
    kept.push(from..page.len());
    kept.retain(|range| !range.is_empty());
    kept
}

/// The tokenizer's whitespace, with the carriage return that its input
/// stream turns into a line feed.
const fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// How an element's content is tokenized, by the element's name, in HTML
/// content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    /// Markup.
    Markup,
    /// Text up to the element's end tag (`<title>`, `<textarea>`,
    /// `<style>`, `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`).
    Text,
    /// Script data, with its escape states.
    Script,
    /// Text to the end of the page.
    Plaintext,
}

fn content_of(name: &[u8]) -> Content {
    match name {
        b"script" => Content::Script,
        b"title" | b"textarea" | b"style" | b"xmp" | b"iframe" | b"noembed" | b"noframes" => {
            Content::Text
        }
        b"plaintext" => Content::Plaintext,
        _ => Content::Markup,
    }
}

/// HTML start tags that end foreign content (the tree builder's list), and
/// `font`, which does with some attributes: the scanner gives up on all.
fn breaks_out(name: &[u8]) -> bool {
    matches!(
        name,
        b"b" | b"big"
            | b"blockquote"
            | b"body"
            | b"br"
            | b"center"
            | b"code"
            | b"dd"
            | b"div"
            | b"dl"
            | b"dt"
            | b"em"
            | b"embed"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"head"
            | b"hr"
            | b"i"
            | b"img"
            | b"li"
            | b"listing"
            | b"menu"
            | b"meta"
            | b"nobr"
            | b"ol"
            | b"p"
            | b"pre"
            | b"ruby"
            | b"s"
            | b"small"
            | b"span"
            | b"strong"
            | b"strike"
            | b"sub"
            | b"sup"
            | b"table"
            | b"tt"
            | b"u"
            | b"ul"
            | b"var"
            | b"font"
    )
}

/// Foreign elements whose content is read as HTML.
fn is_integration_point(name: &[u8]) -> bool {
    matches!(
        name,
        b"foreignobject"
            | b"desc"
            | b"title"
            | b"annotation-xml"
            | b"mi"
            | b"mo"
            | b"mn"
            | b"ms"
            | b"mtext"
    )
}

/// A tag name, ASCII lower-cased, kept inline: every tag has one, and the
/// names that matter are short.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Name {
    bytes: [u8; NAME_BYTES],
    /// The name's length, or [`LONG`] when it is longer than [`NAME_BYTES`].
    len: u8,
}

/// Longer tag names are not kept: none that matters is longer.
const NAME_BYTES: usize = 16;
/// The length of a name longer than [`NAME_BYTES`].
const LONG: u8 = u8::MAX;

impl Name {
    fn read(raw: &[u8]) -> Name {
        let mut name = Name {
            bytes: [0; NAME_BYTES],
            len: LONG,
        };
        if let Some(slot) = name.bytes.get_mut(..raw.len()) {
            for (to, from) in slot.iter_mut().zip(raw) {
                *to = from.to_ascii_lowercase();
            }
            name.len = raw.len() as u8;
        }
        name
    }

    /// The name, empty when it is long.
    fn as_slice(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or_default()
    }

    fn is_long(&self) -> bool {
        self.len == LONG
    }
}

/// A tag as the tokenizer reads it.
struct Tag {
    name: Name,
    self_closing: bool,
    /// The tag's bytes, from `<` to `>`.
    span: Range<usize>,
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Open foreign elements, innermost last: the scanner is in foreign
    /// content while this is not empty.
    foreign: Vec<Name>,
    /// Inside a `<select>`, whose insertion mode ignores most start tags
    /// (a `<style>` there opens no style sheet) and ends at others.
    in_select: bool,
    /// Where the content of the outermost open `<svg>` or `<math>` begins.
    foreign_body: usize,
}

impl<'a> Scanner<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Scanner {
            bytes,
            at: 0,
            foreign: Vec::new(),
            in_select: false,
            foreign_body: 0,
        }
    }

    /// The byte ranges to leave out, in order.
    fn cuts(mut self) -> Vec<Range<usize>> {
        let mut cuts = Vec::new();
        while let Some(lt) = memchr::memchr(b'<', &self.bytes[self.at..]) {
            let lt = self.at + lt;
            self.at = lt;
            let Some(step) = self.markup_at(lt) else {
                break;
            };
            match step {
                Step::Go => {}
                Step::Stop => break,
                Step::Cut(range) => cuts.push(range),
            }
        }
        cuts
    }

    /// Reads the markup at the `<` at `lt`, leaving `at` past it. `None`
    /// at the end of the page.
    fn markup_at(&mut self, lt: usize) -> Option<Step> {
        let next = *self.bytes.get(lt + 1)?;
        match next {
            b'!' => self.declaration(lt),
            b'?' => self.bogus_comment(lt + 2),
            b'/' => match *self.bytes.get(lt + 2)? {
                b if b.is_ascii_alphabetic() => {
                    let tag = self.tag(lt, true)?;
                    Some(self.end_tag(&tag))
                }
                b'>' => {
                    self.at = lt + 3;
                    Some(Step::Go)
                }
                _ => self.bogus_comment(lt + 2),
            },
            b if b.is_ascii_alphabetic() => {
                let tag = self.tag(lt, false)?;
                Some(self.start_tag(&tag))
            }
            _ => {
                self.at = lt + 1;
                Some(Step::Go)
            }
        }
    }

    /// `<!`: a comment, a doctype, or (in foreign content) a CDATA section.
    fn declaration(&mut self, lt: usize) -> Option<Step> {
        let rest = &self.bytes[lt + 2..];
        if rest.starts_with(b"--") {
            self.at = comment_end(self.bytes, lt + 4)?;
            return Some(Step::Go);
        }
        if !self.foreign.is_empty() && rest.starts_with(b"[CDATA[") {
            let end = memchr::memmem::find(&rest[7..], b"]]>")?;
            self.at = lt + 2 + 7 + end + 3;
            return Some(Step::Go);
        }
        // A doctype, or a bogus comment: both end at the first `>`.
        self.bogus_comment(lt + 2)
    }

    fn bogus_comment(&mut self, from: usize) -> Option<Step> {
        self.at = from + memchr::memchr(b'>', self.bytes.get(from..)?)? + 1;
        Some(Step::Go)
    }

    fn start_tag(&mut self, tag: &Tag) -> Step {
        self.at = tag.span.end;
        if !self.foreign.is_empty() {
            return self.foreign_start_tag(tag);
        }
        if self.in_select {
            return self.select_start_tag(tag);
        }
        match tag.name.as_slice() {
            b"select" => {
                self.in_select = true;
                Step::Go
            }
            b"svg" | b"math" => {
                if !tag.self_closing {
                    self.foreign.push(tag.name);
                    self.foreign_body = tag.span.end;
                }
                Step::Go
            }
            b"frameset" => Step::Stop,
            _ => self.element_content(tag),
        }
    }

    /// Reads past the content of an HTML element whose start tag was just
    /// read, when its content is text; cuts it for a script or style.
    fn element_content(&mut self, tag: &Tag) -> Step {
        let body = tag.span.end;
        let end = match content_of(tag.name.as_slice()) {
            Content::Markup => return Step::Go,
            Content::Plaintext => return Step::Stop,
            Content::Text => text_end(self.bytes, body, tag.name.as_slice()),
            Content::Script => script_end(self.bytes, body),
        };
        // Without its end tag, the element runs to the end of the page.
        let end = end.unwrap_or(self.bytes.len());
        self.at = end;
        let cut = match tag.name.as_slice() {
            b"script" => !may_be_json_ld(&self.bytes[tag.span.clone()]),
            b"style" => true,
            _ => false,
        };
        if cut && end > body {
            Step::Cut(body..end)
        } else {
            Step::Go
        }
    }

    /// Inside a `<select>`, options and scripts are read as everywhere;
    /// a start tag that the select's insertion mode ignores or that ends
    /// the select (the rules differ between versions of the standard)
    /// stops the cutting.
    fn select_start_tag(&mut self, tag: &Tag) -> Step {
        match tag.name.as_slice() {
            b"option" | b"optgroup" | b"hr" => Step::Go,
            b"script" => self.element_content(tag),
            _ => Step::Stop,
        }
    }

    fn foreign_start_tag(&mut self, tag: &Tag) -> Step {
        let in_integration_point = self
            .foreign
            .last()
            .is_some_and(|open| is_integration_point(open.as_slice()));
        if in_integration_point || tag.name.is_long() || breaks_out(tag.name.as_slice()) {
            return Step::Stop;
        }
        if !tag.self_closing {
            self.foreign.push(tag.name);
        }
        Step::Go
    }

    fn end_tag(&mut self, tag: &Tag) -> Step {
        self.at = tag.span.end;
        if self.in_select {
            return match tag.name.as_slice() {
                b"select" => {
                    self.in_select = false;
                    Step::Go
                }
                b"option" | b"optgroup" => Step::Go,
                _ => Step::Stop,
            };
        }
        if self.foreign.is_empty() {
            return Step::Go;
        }
        // Closes the innermost open foreign element of its name, and every
        // element inside it; an end tag closing none is read by the HTML
        // insertion mode, which may end foreign content: give up.
        let open = (!tag.name.is_long())
            .then(|| self.foreign.iter().rposition(|open| *open == tag.name))
            .flatten();
        match open {
            Some(at) => {
                self.foreign.truncate(at);
                // Nothing reads inside a drawing or a formula (the walk and
                // the metadata scan skip both): its content goes too.
                if self.foreign.is_empty() && tag.span.start > self.foreign_body {
                    Step::Cut(self.foreign_body..tag.span.start)
                } else {
                    Step::Go
                }
            }
            None => Step::Stop,
        }
    }

    /// Reads the tag at the `<` at `lt`; `None` when the page ends inside
    /// it (the tokenizer then drops it).
    fn tag(&self, lt: usize, end: bool) -> Option<Tag> {
        let bytes = self.bytes;
        let start = lt + if end { 2 } else { 1 };
        let name_len = bytes
            .get(start..)?
            .iter()
            .position(|&b| CLASSES[usize::from(b)] & ENDS_NAME != 0)
            .unwrap_or(bytes.len() - start);
        let at = start + name_len;
        let (close, self_closing) = attributes_end(bytes, at)?;
        Some(Tag {
            name: Name::read(&bytes[start..at]),
            self_closing,
            span: lt..close,
        })
    }
}

/// True unless the start tag surely does not declare JSON-LD: it names
/// `ld+json`, or names `json` beside an entity (`ld&#x2B;json`).
fn may_be_json_ld(tag: &[u8]) -> bool {
    let tag = tag.to_ascii_lowercase();
    let has = |needle: &[u8]| memchr::memmem::find(&tag, needle).is_some();
    has(b"ld+json") || (has(b"json") && tag.contains(&b'&'))
}

/// What reading one piece of markup gives.
enum Step {
    Go,
    Stop,
    Cut(Range<usize>),
}

/// Byte classes inside a tag: what ends a tag name, an attribute name and
/// an unquoted value.
const ENDS_NAME: u8 = 1;
const ENDS_ATTRIBUTE: u8 = 2;
const ENDS_UNQUOTED: u8 = 4;

const fn tag_classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        let space = is_space(byte);
        if space || byte == b'/' || byte == b'>' {
            table[b] |= ENDS_NAME | ENDS_ATTRIBUTE;
        }
        if byte == b'=' {
            table[b] |= ENDS_ATTRIBUTE;
        }
        if space || byte == b'>' {
            table[b] |= ENDS_UNQUOTED;
        }
        b += 1;
    }
    table
}

static CLASSES: [u8; 256] = tag_classes();

/// The index of the first byte from `at` in `class`, or the end.
fn skip_until(bytes: &[u8], at: usize, class: u8) -> usize {
    bytes
        .get(at..)
        .and_then(|rest| {
            rest.iter()
                .position(|&b| CLASSES[usize::from(b)] & class != 0)
        })
        .map_or(bytes.len(), |skip| at + skip)
}

/// States of the tokenizer between a tag's name and its `>`.
#[derive(Clone, Copy)]
enum Attr {
    BeforeName,
    Name,
    AfterName,
    BeforeValue,
    AfterQuoted,
    SelfClosing,
}

/// The index past the `>` that ends the tag whose attributes begin at
/// `from`, and whether the tag closes itself; `None` at the page's end.
/// The states are the tokenizer's (HTML standard, 13.2.5.32 to 13.2.5.40);
/// names and unquoted values are skipped whole, quoted values by a search
/// for the closing quote.
fn attributes_end(bytes: &[u8], from: usize) -> Option<(usize, bool)> {
    let mut state = Attr::BeforeName;
    let mut at = from;
    loop {
        let b = *bytes.get(at)?;
        at += 1;
        state = match state {
            Attr::BeforeName | Attr::AfterQuoted | Attr::SelfClosing if b == b'>' => {
                return Some((at, matches!(state, Attr::SelfClosing)));
            }
            Attr::BeforeName | Attr::AfterQuoted | Attr::SelfClosing if b == b'/' => {
                Attr::SelfClosing
            }
            Attr::BeforeName | Attr::AfterQuoted | Attr::SelfClosing if is_space(b) => {
                Attr::BeforeName
            }
            // Anything else begins an attribute name, `=` too.
            Attr::BeforeName | Attr::AfterQuoted | Attr::SelfClosing => {
                at = skip_until(bytes, at, ENDS_ATTRIBUTE);
                Attr::Name
            }
            Attr::Name | Attr::AfterName => match b {
                b'=' => Attr::BeforeValue,
                b'>' => return Some((at, false)),
                b'/' => Attr::SelfClosing,
                b if is_space(b) => Attr::AfterName,
                _ => {
                    at = skip_until(bytes, at, ENDS_ATTRIBUTE);
                    Attr::Name
                }
            },
            Attr::BeforeValue => match b {
                b if is_space(b) => Attr::BeforeValue,
                b'"' | b'\'' => {
                    at += memchr::memchr(b, bytes.get(at..)?)? + 1;
                    Attr::AfterQuoted
                }
                b'>' => return Some((at, false)),
                _ => {
                    // An unquoted value runs to whitespace or `>`.
                    at = skip_until(bytes, at, ENDS_UNQUOTED);
                    let end = *bytes.get(at)?;
                    at += 1;
                    if end == b'>' {
                        return Some((at, false));
                    }
                    Attr::BeforeName
                }
            },
        };
    }
}

/// The index past a comment whose text begins at `from` (after `<!--`).
fn comment_end(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    // `<!-->` and `<!--->` end at once.
    if rest.first() == Some(&b'>') {
        return Some(from + 1);
    }
    if rest.starts_with(b"->") {
        return Some(from + 2);
    }
    let mut at = 0;
    loop {
        let dashes = at + memchr::memmem::find(&rest[at..], b"--")?;
        let after = &rest[dashes + 2..];
        // `--` then more dashes, `>` or `!>`.
        let mut run = 0;
        while after.get(run) == Some(&b'-') {
            run += 1;
        }
        match after.get(run) {
            Some(b'>') => return Some(from + dashes + 2 + run + 1),
            Some(b'!') if after.get(run + 1) == Some(&b'>') => {
                return Some(from + dashes + 2 + run + 2)
            }
            _ => at = dashes + 1,
        }
    }
}

/// True when `name` followed by whitespace, `/` or `>` begins at `at`:
/// the appropriate end tag of an element named `name`, after its `</`.
fn end_tag_named(bytes: &[u8], at: usize, name: &[u8]) -> bool {
    bytes
        .get(at..at + name.len())
        .is_some_and(|candidate| candidate.eq_ignore_ascii_case(name))
        && bytes
            .get(at + name.len())
            .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>')
}

/// Where the text of a text-only element whose body begins at `body`
/// ends: the `<` of its end tag. `None` when it runs to the page's end.
fn text_end(bytes: &[u8], body: usize, name: &[u8]) -> Option<usize> {
    let mut at = body;
    loop {
        let lt = at + memchr::memmem::find(&bytes[at..], b"</")?;
        if end_tag_named(bytes, lt + 2, name) {
            return Some(lt);
        }
        at = lt + 1;
    }
}

/// The script data states (HTML standard, 13.2.5.4 to 13.2.5.31) as far
/// as they decide where a script ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Data,
    Escaped,
    EscapedDash,
    EscapedDashDash,
    DoubleEscaped,
    DoubleEscapedDash,
    DoubleEscapedDashDash,
}

/// Where a script whose body begins at `body` ends: the `<` of its end
/// tag. `None` when it runs to the page's end.
fn script_end(bytes: &[u8], body: usize) -> Option<usize> {
    let mut state = Script::Data;
    let mut at = body;
    while let Some(&b) = bytes.get(at) {
        match state {
            Script::Data => {
                // Only `<` changes state here: jump to the next one.
                let lt = at + memchr::memchr(b'<', &bytes[at..])?;
                at = lt + 1;
                match bytes.get(at) {
                    Some(b'/') if end_tag_named(bytes, at + 1, b"script") => return Some(lt),
                    Some(b'!') if bytes.get(at + 1..at + 3) == Some(b"--") => {
                        // `<!--`: escaped, and the second dash may begin
                        // `-->` at once (`<!-->`).
                        at += 3;
                        state = Script::EscapedDashDash;
                    }
                    _ => {}
                }
                continue;
            }
            Script::Escaped | Script::EscapedDash | Script::EscapedDashDash => {
                at += 1;
                state = match (state, b) {
                    (_, b'<') => match bytes.get(at) {
                        Some(b'/') if end_tag_named(bytes, at + 1, b"script") => {
                            return Some(at - 1)
                        }
                        Some(&c) if c.is_ascii_alphabetic() => {
                            if end_tag_named(bytes, at, b"script") {
                                at += b"script".len();
                                Script::DoubleEscaped
                            } else {
                                Script::Escaped
                            }
                        }
                        _ => Script::Escaped,
                    },
                    (Script::Escaped, b'-') => Script::EscapedDash,
                    (Script::EscapedDash | Script::EscapedDashDash, b'-') => {
                        Script::EscapedDashDash
                    }
                    (Script::EscapedDashDash, b'>') => Script::Data,
                    _ => Script::Escaped,
                };
            }
            Script::DoubleEscaped | Script::DoubleEscapedDash | Script::DoubleEscapedDashDash => {
                at += 1;
                state = match (state, b) {
                    (_, b'<') => {
                        if bytes.get(at) == Some(&b'/') && end_tag_named(bytes, at + 1, b"script") {
                            at += 1 + b"script".len();
                            Script::Escaped
                        } else {
                            Script::DoubleEscaped
                        }
                    }
                    (Script::DoubleEscaped, b'-') => Script::DoubleEscapedDash,
                    (Script::DoubleEscapedDash | Script::DoubleEscapedDashDash, b'-') => {
                        Script::DoubleEscapedDashDash
                    }
                    (Script::DoubleEscapedDashDash, b'>') => Script::Data,
                    _ => Script::DoubleEscaped,
                };
            }
        }
    }
    None
}

/// The page as the parser reads it: its kept ranges joined.
pub(crate) fn kept_text(page: &str) -> String {
    kept_ranges(page)
        .into_iter()
        .map(|range| &page[range])
        .collect()
}

/// The tree as one string, for tests and the fuzzer to compare trees by: leaving out the text of scripts other than
/// JSON-LD and of style sheets, and the content of drawings and formulas.
pub(crate) fn outline(html: &scraper::Html) -> String {
    use scraper::Node;
    let mut out = String::new();
    // Inside an <svg> or <math>: the element holding the drawing.
    let mut drawing = None;
    for edge in html.tree.root().traverse() {
        if let Some(id) = drawing {
            if matches!(edge, ego_tree::iter::Edge::Close(node) if node.id() == id) {
                drawing = None;
                out.push_str("</>");
            }
            continue;
        }
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    out.push_str(&format!("<{:?}", el.name));
                    for (name, value) in el.attrs() {
                        out.push_str(&format!(" {name}={value:?}"));
                    }
                    out.push('>');
                    if matches!(el.name(), "svg" | "math") {
                        drawing = Some(node.id());
                    }
                }
                Node::Text(text) => {
                    let parent = node.parent().and_then(|p| p.value().as_element());
                    let name = parent.map(|e| e.name());
                    let json_ld = parent
                        .and_then(|e| e.attr("type"))
                        .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"));
                    if !matches!(name, Some("script" | "style")) || json_ld {
                        out.push_str(&format!("{:?}", &**text));
                    }
                }
                Node::Comment(c) => out.push_str(&format!("<!--{:?}-->", &**c)),
                other => out.push_str(&format!("{other:?}")),
            },
            ego_tree::iter::Edge::Close(node) => {
                if node.value().is_element() {
                    out.push_str("</>");
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::parse::{parse, parse_whole};
    use super::*;

    fn assert_same_tree(page: &str) {
        let whole = parse_whole(page);
        let cut = parse(page, usize::MAX).expect("no depth limit");
        assert_eq!(outline(&cut), outline(&whole), "page: {page:?}");
    }

    #[test]
    fn bodies_are_cut_and_json_ld_is_kept() {
        let page = "<html><head><style>p{}</style><script>var a = '</scr' + 'ipt>';</script>\
                    <script type=\"application/ld+json\">{\"@context\":\"x\"}</script></head>\
                    <body><p>Text</p><script><!-- <script> </script> --></script></body></html>";
        let cut_bytes: usize = Scanner::new(page.as_bytes())
            .cuts()
            .iter()
            .map(|cut| cut.len())
            .sum();
        let bodies =
            "p{}".len() + "var a = '</scr' + 'ipt>';".len() + "<!-- <script> </script> -->".len();
        assert_eq!(cut_bytes, bodies);
        assert_same_tree(page);
    }

    #[test]
    fn markup_that_hides_or_changes_a_script_is_followed() {
        for page in [
            // In a comment, an attribute value, a title and a textarea, a
            // script tag is text.
            "<!-- <script> --><p>a</p><script>x</script><p>b</p>",
            "<p title=\"<script>\">a</p><script>x</script>",
            "<title><script></title><p>a</p><style>y</style>",
            "<textarea><style></textarea><p>a</p>",
            "<!--> <script>x</script>",
            "<!---> <script>x</script>",
            "<!-- a --!> <script>x</script>",
            // Escaped and double-escaped script data.
            "<script><!--<script>a</script>b--></script><p>after</p>",
            "<script><!-- a --></script><p>after</p>",
            "<script><!--<script></script></script><p>inside</p>",
            "<script>a</script x=\">\"><p>after</p>",
            "<SCRIPT>a</SCRIPT\t><p>after</p>",
            "<script>a</scripts><p>still</p></script><p>after</p>",
            // Foreign content: an SVG style holds markup.
            "<svg><style><p>x</p></style></svg><style>y</style>",
            "<svg><title><script>x</script></title></svg><script>y</script>",
            "<math><mi><style>x</style></mi></math><script>y</script>",
            "<svg><![CDATA[<script>]]></svg><script>y</script>",
            "<svg><p><script>x</script></svg>",
            "<div><svg><g></div><script>x</script>",
            // Insertion modes that ignore start tags.
            "<select><style>x</style><script>y</script></select><script>z</script>",
            "<select><option><script>y</script></select><style>z</style>",
            "<frameset><script>x</script>",
            "<plaintext><script>x</script>",
            // Unclosed at the end of the page.
            "<script>var a = 1;",
            "<style>p{",
            "<script><!-- <script>",
            "<p a=\"<script>",
            // html5ever drops U+FEFF at the start of every chunk it is fed.
            &format!("<p>{}{}b</p>", "a".repeat(4093), '\u{feff}'),
            "<script type=\"application/ld&#x2B;json\">{\"@context\":1}</script>",
        ] {
            assert_same_tree(page);
        }
    }

    /// Pieces of markup whose every order the scanner must follow.
    const PIECES: &[&str] = &[
        "<script>",
        "</script>",
        "<script type=application/ld+json>",
        "<style>",
        "</style>",
        "<!--",
        "-->",
        "--!>",
        "<svg>",
        "</svg>",
        "<math>",
        "</math>",
        "<title>",
        "</title>",
        "<p>",
        "</p>",
        "<select>",
        "</select>",
        "<option>",
        "<textarea>",
        "</textarea>",
        "<div>",
        "</div>",
        "<b>",
        "<![CDATA[",
        "]]>",
        "<foreignObject>",
        "<xmp>",
        "</xmp>",
        "<plaintext>",
        "<frameset>",
        "<noscript>",
        "</noscript>",
        "<template>",
        "<table>",
        "<td>",
        "<a href='",
        "<a title=\"",
        "\"",
        "'",
        "=",
        " ",
        "x",
        "<",
        ">",
        "/",
        "-",
        "!",
        "<!",
        "</",
        "<?",
        "<script/>",
        "<svg/>",
        "<mi>",
        "<desc>",
        "<iframe>",
        "</iframe>",
        "\n",
        "<SCRIPT >",
        "</STYLE/>",
        "<head>",
        "<body>",
        "<html>",
        "<font color=red>",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Whatever the pieces, cutting changes the tree only by the
        /// script and style texts.
        #[test]
        fn the_tree_is_the_same_without_the_bodies(
            picks in proptest::collection::vec(0..PIECES.len(), 0..40)
        ) {
            let page: String = picks.iter().map(|&i| PIECES[i]).collect();
            let whole = parse_whole(&page);
            let cut = parse(&page, usize::MAX).expect("no depth limit");
            proptest::prop_assert_eq!(outline(&cut), outline(&whole), "page: {:?}", page);
        }
    }

    /// Every page of the development sets parses to the same tree.
    #[test]
    fn every_development_page_parses_to_the_same_tree() {
        use std::io::Read;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
        let mut pages = 0;
        for set in [
            "wcxb_articles",
            "dragnet_train",
            "multilingual_ml",
            "zh_cwce",
        ] {
            let dir = root.join(set).join("html");
            let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (../shared must be beside the repository)",
                    dir.display()
                )
            });
            for entry in entries {
                let path = entry.expect("a directory entry").path();
                let mut bytes = Vec::new();
                flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("a page"))
                    .read_to_end(&mut bytes)
                    .expect("a gzipped page");
                let page = crate::decode::decode(&bytes, None, None).text;
                let whole = parse_whole(&page);
                let cut = parse(&page, usize::MAX).expect("no depth limit");
                let (a, b) = (outline(&cut), outline(&whole));
                if a != b {
                    let at = a
                        .bytes()
                        .zip(b.bytes())
                        .position(|(x, y)| x != y)
                        .unwrap_or(0);
                    let from = a.floor_char_boundary(at.saturating_sub(300));
                    panic!(
                        "{} parses differently:\ncut:   {}\nwhole: {}",
                        path.display(),
                        &a[from..a.floor_char_boundary((at + 200).min(a.len()))],
                        &b[b.floor_char_boundary(from)
                            ..b.floor_char_boundary((at + 200).min(b.len()))]
                    );
                }
                pages += 1;
            }
        }
        assert!(pages > 1700, "only {pages} pages");
    }
}
