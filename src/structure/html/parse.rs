//! Parsing under a nesting limit.
//!
//! html5ever's tree builder answers "is there an element in scope?" by
//! walking its stack of open elements, and nearly every start tag asks, so
//! a page nested n elements deep takes time in n²: 16,000 nested `<div>`s
//! take half a second to parse, 64,000 take eight, and the megabyte of
//! them a hostile page can hold would take minutes. So the page is fed to
//! the parser in small chunks, the tree sink records the depth of each
//! element it inserts, and parsing stops with [`Error::DomTooDeep`] as soon
//! as an element lies deeper than the limit. Up to that point the stack is
//! never much deeper than the limit plus one chunk's worth of tags, so
//! parsing stays linear in the page for any fixed limit.

use crate::error::Error;
use ego_tree::NodeId;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{Html, HtmlTreeSink};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};

/// How much of the page the parser gets at a time: small enough that one
/// chunk's worth of start tags (at most a fifth of it) costs little on top
/// of the limit, large enough that the check between chunks costs nothing.
const CHUNK_BYTES: usize = 4096;

/// The name given for a handle that is not an element.
static NO_NAME: std::sync::LazyLock<QualName> =
    std::sync::LazyLock::new(|| QualName::new(None, html5ever::ns!(), html5ever::local_name!("")));

/// Parses `text` as an HTML document, as [`Html::parse_document`] does, or
/// refuses it once an element nests deeper than `max_depth` (the `<html>`
/// element is at depth 1, `<body>` at 2).
///
/// Scripting is off, as in a browser without JavaScript: `<noscript>`
/// content is parsed as markup rather than kept as one raw string, so the
/// walk can read it when a page has nothing else (see `NOSCRIPT_ADVANTAGE`).
///
/// The bodies of scripts and style sheets and the content of drawings and
/// formulas are left out before parsing (see [`skip`](super::skip)): the
/// tree is the page's, with those elements empty.
pub(crate) fn parse(text: &str, max_depth: usize) -> Result<Html, Error> {
    let mut parser = limited_parser();
    for range in super::skip::kept_ranges(text) {
        let mut rest = &text[range];
        while !rest.is_empty() {
            let mut cut = rest.len().min(CHUNK_BYTES);
            while !rest.is_char_boundary(cut) {
                cut += 1;
            }
            let (chunk, after) = rest.split_at(cut);
            parser.process(StrTendril::from_slice(chunk));
            if parser.tokenizer.sink.sink.deepest.get() > max_depth {
                return Err(Error::DomTooDeep { limit: max_depth });
            }
            rest = after;
        }
    }
    let html = parser.finish();
    Ok(html)
}

/// [`parse`] without a depth limit and with the whole page read: the tree
/// that parsing without [`skip`](super::skip) builds.
pub(crate) fn parse_whole(text: &str) -> Html {
    let mut parser = limited_parser();
    parser.process(StrTendril::from_slice(text));
    parser.finish()
}

/// The greatest depth at which the parser places any element of `text`,
/// parsed without a limit: [`parse`] refuses `text` exactly when this
/// exceeds its limit. The finished tree can be shallower, because the
/// adoption agency lifts a block out of the formatting elements it was
/// opened in, however many there are.
///
/// The page is measured as [`parse`] reads it, without the bodies
/// [`skip`](super::skip) leaves out: the limit bounds the tree that is
/// built, and elements inside a drawing are never built.
pub(crate) fn deepest_placement(text: &str) -> usize {
    let mut parser = limited_parser();
    for range in super::skip::kept_ranges(text) {
        parser.process(StrTendril::from_slice(&text[range]));
    }
    parser.tokenizer.sink.sink.deepest.get()
}

fn limited_parser() -> html5ever::driver::Parser<DepthSink> {
    let sink = DepthSink {
        inner: HtmlTreeSink::new(Html::new_document()),
        deepest: Cell::new(0),
        path: RefCell::default(),
        #[cfg(test)]
        climb_always: false,
    };
    let options = html5ever::ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        // html5ever drops a U+FEFF at the start of every chunk it is fed,
        // not only at the start of the page, so a page read in chunks lost
        // the ones a chunk happened to begin with. The decode stage has
        // already removed the byte order mark.
        tokenizer: html5ever::tokenizer::TokenizerOpts {
            discard_bom: false,
            ..Default::default()
        },
    };
    html5ever::driver::parse_document(sink, options)
}

/// scraper's tree sink, measuring the depth of every node it places.
///
/// Each node is measured in the tree as it stands when it is placed: the
/// tree builder places nodes under parents that the adoption agency has
/// since moved, so a depth noted once per node goes stale. The sink keeps
/// the path from the document to the node it measured last: a new node's
/// parent is nearly always on that path (the current node, or an ancestor
/// the builder closed back to), so its depth is the parent's place on the
/// path plus one, and the path is cut there and grows by the new node.
/// Each node joins the path once and leaves it once, so between moves this
/// costs a few comparisons per node. When the parent is not on the path,
/// or the tree builder has moved nodes, the path is rebuilt by climbing
/// from the parent to the document: no more than the limit, and no more
/// often than the moves, whose scope checks cost the tree builder as much.
/// A subtree the adoption agency moves a level deeper is not measured
/// again; the walk checks the finished tree.
struct DepthSink {
    inner: HtmlTreeSink,
    /// The depth of the deepest node placed so far, the document being at 0.
    deepest: Cell<usize>,
    /// The document and the ancestors of the node measured last, and that
    /// node: `path[d]` is at depth `d`. Empty when a move made it stale.
    path: RefCell<Vec<NodeId>>,
    /// Climb to the document for every node instead: the definition the
    /// path must agree with, for tests.
    #[cfg(test)]
    climb_always: bool,
}

impl DepthSink {
    /// Measures `child`, if it is a node, where it now sits.
    fn measure(&self, child: Option<NodeId>) {
        let Some(node) = child else { return };
        let html = self.inner.0.borrow();
        let Some(placed) = html.tree.get(node) else {
            return;
        };
        let Some(parent) = placed.parent() else {
            return;
        };
        #[cfg(test)]
        if self.climb_always {
            let depth = placed.ancestors().count();
            self.deepest.set(self.deepest.get().max(depth));
            return;
        }
        let mut path = self.path.borrow_mut();
        // A node placed with children brings its subtree along: a move.
        let moved = placed.has_children();
        match path.iter().rposition(|&id| id == parent.id()) {
            Some(at) if !moved => path.truncate(at + 1),
            _ => {
                path.clear();
                path.extend(parent.ancestors().map(|at| at.id()));
                path.reverse();
                path.push(parent.id());
            }
        }
        path.push(node);
        self.deepest.set(self.deepest.get().max(path.len() - 1));
    }

    /// Notes that the tree builder moved nodes: depths on the path may be stale.
    fn moved(&self) {
        self.path.borrow_mut().clear();
    }
}

fn node_of(child: &NodeOrText<NodeId>) -> Option<NodeId> {
    match child {
        NodeOrText::AppendNode(node) => Some(*node),
        NodeOrText::AppendText(_) => None,
    }
}

impl TreeSink for DepthSink {
    type Handle = NodeId;
    type Output = Html;
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Html {
        self.inner.finish()
    }

    /// scraper keeps parse errors only with its `errors` feature, which
    /// thresh leaves off; answered here, the call inlines away.
    #[inline]
    fn parse_error(&self, _: Cow<'static, str>) {}

    #[inline]
    fn get_document(&self) -> NodeId {
        self.inner.0.borrow().tree.root().id()
    }

    /// scraper's own `elem_name`, written here so that it inlines into
    /// the tree builder's scope checks, which ask for it on every open
    /// element they pass: a call into scraper is not inlined without LTO,
    /// and cost 17M of the pipeline's own 400M instructions on 60 pages.
    #[inline]
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        std::cell::Ref::map(self.inner.0.borrow(), |html| {
            match html.tree.get(*target).map(|node| node.value()) {
                Some(scraper::Node::Element(element)) => &element.name,
                // The tree builder asks only about elements; scraper
                // unwraps here, a library must not.
                _ => &NO_NAME,
            }
        })
    }

    /// scraper's own `create_element`, written here so that it inlines
    /// into the tree builder (see `elem_name`).
    #[inline]
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> NodeId {
        let template =
            name.ns == html5ever::ns!(html) && name.local == html5ever::local_name!("template");
        let mut html = self.inner.0.borrow_mut();
        let mut node = html
            .tree
            .orphan(scraper::Node::Element(scraper::node::Element::new(
                name, attrs,
            )));
        if template {
            node.append(scraper::Node::Fragment);
        }
        node.id()
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }

    /// scraper's own `append`, written here so that it inlines into the
    /// tree builder (see `elem_name`): text next to text joins it.
    #[inline]
    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let node = node_of(&child);
        {
            let mut html = self.inner.0.borrow_mut();
            let Some(mut parent) = html.tree.get_mut(*parent) else {
                return;
            };
            match child {
                NodeOrText::AppendNode(id) => {
                    parent.append_id(id);
                }
                NodeOrText::AppendText(text) => {
                    let joined = parent
                        .last_child()
                        .is_some_and(|mut last| match last.value() {
                            scraper::Node::Text(last) => {
                                last.text.push_tendril(&text);
                                true
                            }
                            _ => false,
                        });
                    if !joined {
                        parent.append(scraper::Node::Text(scraper::node::Text { text }));
                    }
                }
            }
        }
        self.measure(node);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let node = node_of(&child);
        self.inner
            .append_based_on_parent_node(element, prev_element, child);
        self.measure(node);
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id);
    }

    /// Nothing to mark: scripts never run.
    #[inline]
    fn mark_script_already_started(&self, _: &NodeId) {}

    fn pop(&self, node: &NodeId) {
        self.inner.pop(node);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }

    #[inline]
    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode);
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let node = node_of(&new_node);
        self.inner.append_before_sibling(sibling, new_node);
        self.measure(node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs);
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.moved();
        self.inner.remove_from_parent(target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.moved();
        self.inner.reparent_children(node, new_parent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`deepest_placement`] with every node measured by climbing to the
    /// document: the definition the path-keeping sink must agree with.
    fn deepest_placement_by_climbing(text: &str) -> usize {
        let mut parser = limited_parser();
        parser.tokenizer.sink.sink.climb_always = true;
        for range in super::super::skip::kept_ranges(text) {
            parser.process(StrTendril::from_slice(&text[range]));
        }
        parser.tokenizer.sink.sink.deepest.get()
    }

    /// The committed fuzz corpus and regressions, the committed wcxb
    /// sample, and pages built to move nodes (adoption agency, foster
    /// parenting, reopened formatting elements): the kept path gives the
    /// climbed depth on all. `THRESH_DEPTH_CORPUS` adds a directory, such
    /// as a fuzzer's working corpus.
    #[test]
    fn the_kept_path_measures_as_climbing_does() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut pages: Vec<String> = [
            "<b><p>one<i>two</b>three</i></p>",
            "<table><tr><td>a</td></tr>text<b>bold<div>lifted</div></b></table>",
            &"<a><b><i><s><u>".repeat(40),
            &format!("{}<div>x</div>{}", "<b>".repeat(30), "</b>".repeat(30)),
            "<p><b><i>a<p>b</i>c</b>d<table><b>e<tr><td>f</b></td></tr></table>",
        ]
        .iter()
        .map(|page| page.to_string())
        .collect();
        let mut dirs = vec![
            repo.join("fuzz/corpus/structure_html"),
            repo.join("fuzz/regressions/structure_html"),
            repo.join("fixtures/html/wcxb/html"),
        ];
        dirs.extend(std::env::var_os("THRESH_DEPTH_CORPUS").map(Into::into));
        for dir in dirs {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let mut bytes = std::fs::read(&path).unwrap();
                if path.extension().is_some_and(|e| e == "gz") {
                    let mut plain = Vec::new();
                    std::io::Read::read_to_end(
                        &mut flate2::read::GzDecoder::new(&bytes[..]),
                        &mut plain,
                    )
                    .unwrap();
                    bytes = plain;
                }
                pages.push(String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        assert!(pages.len() > 60, "{}", pages.len());
        for page in &pages {
            assert_eq!(
                deepest_placement(page),
                deepest_placement_by_climbing(page),
                "{}",
                page.chars().take(200).collect::<String>()
            );
        }
    }

    #[test]
    fn pages_within_the_limit_parse_as_scraper_parses_them() {
        let page = "<html><body><div><p>One<p>Two<b><i>three</b></i></div></body></html>";
        let limited = parse(page, 10).unwrap();
        assert_eq!(limited.html(), Html::parse_document(page).html());
        let long = format!("<p>{}</p>", "word ".repeat(10_000));
        assert_eq!(
            parse(&long, 10).unwrap().html(),
            Html::parse_document(&long).html()
        );
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused() {
        // html, body, then the divs: 3 + 20 elements deep.
        let deep = format!("{}x{}", "<div>".repeat(20), "</div>".repeat(20));
        assert!(parse(&deep, 22).is_ok());
        assert_eq!(
            parse(&deep, 21).unwrap_err(),
            Error::DomTooDeep { limit: 21 }
        );
    }

    #[test]
    fn siblings_and_implied_end_tags_do_not_add_depth() {
        let flat = "<p>a".repeat(10_000) + &"<li>b".repeat(10_000) + &"<div>c</div>".repeat(10_000);
        assert!(parse(&flat, 6).is_ok());
    }

    /// A megabyte of any nesting is refused in about the time a flat
    /// megabyte takes, not the minutes html5ever alone needs: nested
    /// `<div>`s, and the nestings a count of tags in the markup misses,
    /// elements whose end tag is implied only in some places (`<rt>`
    /// outside `<ruby>`, `<optgroup>`) and stray end tags that close
    /// nothing.
    #[test]
    fn a_megabyte_of_any_nesting_is_refused_quickly() {
        for unit in ["<div>", "<rt>", "<optgroup>", "<div></i>", "<option><i>"] {
            let deep = unit.repeat((1 << 20) / unit.len());
            let started = std::time::Instant::now();
            assert_eq!(
                parse(&deep, 512).unwrap_err(),
                Error::DomTooDeep { limit: 512 }
            );
            let took = started.elapsed();
            assert!(took < std::time::Duration::from_secs(5), "{unit}: {took:?}");
        }
    }

    /// Tags the parser closes on its own do not count: a thousand unclosed
    /// links, headings or buttons sit side by side.
    #[test]
    fn unclosed_tags_the_parser_closes_are_not_nested() {
        for tag in ["<a href=/x>", "<h2>", "<button>", "<nobr>"] {
            let page = format!("<p>Story.</p>{}", format!("{tag}word ").repeat(1000));
            let html = parse(&page, 8).unwrap();
            assert_eq!(html.html(), Html::parse_document(&page).html(), "{tag}");
        }
    }

    fn finished_depth(html: &Html) -> usize {
        html.tree
            .root()
            .descendants()
            .filter(|node| node.value().is_element())
            .map(|node| node.ancestors().count())
            .max()
            .unwrap_or(0)
    }

    /// The limit applies where the parser places each element, measured in
    /// the tree as it then stands, even after the adoption agency has moved
    /// the element's parents: a block opened inside twenty formatting
    /// elements is placed deep, and lifted out of them when the first one
    /// closes, leaving the formatting elements a level shallower.
    #[test]
    fn the_limit_holds_where_elements_are_placed() {
        let page = format!("<b>{}<div>story</b>more</div>", "<i>".repeat(20));
        let placed = deepest_placement(&page);
        assert_eq!(placed, 3 + 20 + 1);
        assert!(finished_depth(&Html::parse_document(&page)) < placed);
        assert!(parse(&page, placed).is_ok());
        assert_eq!(
            parse(&page, placed - 1).unwrap_err(),
            Error::DomTooDeep { limit: placed - 1 }
        );
        // After the move, new elements are measured where they now sit.
        let moved = format!("{page}{}", "<div>".repeat(30));
        let finished = finished_depth(&Html::parse_document(&moved));
        assert!(finished > placed);
        assert_eq!(deepest_placement(&moved), finished);
    }
}
