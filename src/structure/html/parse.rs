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
use rustc_hash::FxHashMap as HashMap;
use scraper::{Html, HtmlTreeSink};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};

/// How much of the page the parser gets at a time: small enough that one
/// chunk's worth of start tags (at most a fifth of it) costs little on top
/// of the limit, large enough that the check between chunks costs nothing.
const CHUNK_BYTES: usize = 4096;

/// Parses `text` as an HTML document, as [`Html::parse_document`] does, or
/// refuses it once an element nests deeper than `max_depth` (the `<html>`
/// element is at depth 1, `<body>` at 2).
///
/// Scripting is off, as in a browser without JavaScript: `<noscript>`
/// content is parsed as markup rather than kept as one raw string, so the
/// walk can read it when a page has nothing else (see `NOSCRIPT_ADVANTAGE`).
pub(crate) fn parse(text: &str, max_depth: usize) -> Result<Html, Error> {
    let mut parser = limited_parser();
    let mut rest = text;
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
    let html = parser.finish();
    Ok(html)
}

/// The greatest depth at which the parser places any element of `text`,
/// parsed without a limit: [`parse`] refuses `text` exactly when this
/// exceeds its limit. The finished tree can be shallower, because the
/// adoption agency lifts a block out of the formatting elements it was
/// opened in, however many there are.
pub(crate) fn deepest_placement(text: &str) -> usize {
    let mut parser = limited_parser();
    parser.process(StrTendril::from_slice(text));
    parser.tokenizer.sink.sink.deepest.get()
}

fn limited_parser() -> html5ever::driver::Parser<DepthSink> {
    let sink = DepthSink {
        inner: HtmlTreeSink::new(Html::new_document()),
        deepest: Cell::new(0),
        depths: RefCell::default(),
        moves: Cell::new(0),
    };
    let options = html5ever::ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    html5ever::driver::parse_document(sink, options)
}

/// scraper's tree sink, measuring the depth of every element it places.
///
/// Each element is measured in the tree as it stands when it is placed:
/// the tree builder places elements under parents that the adoption agency
/// has since moved, so a depth noted once per element goes stale. Depths
/// are cached, but only until the next move: an element's depth is its
/// parent's plus one, read from the cache when the parent was measured
/// since the last move, and otherwise found by climbing to an ancestor
/// that was. Between moves that costs one lookup, so parsing stays linear
/// however deep the page; a move costs one climb, no more than the scope
/// checks that the move made the tree builder do. A subtree the adoption
/// agency moves a level deeper is not measured again; the walk checks the
/// finished tree.
struct DepthSink {
    inner: HtmlTreeSink,
    /// The depth of the deepest element placed so far, the document being
    /// at 0.
    deepest: Cell<usize>,
    /// Each measured node's depth, and the move count it was measured at.
    depths: RefCell<HashMap<NodeId, (u32, usize)>>,
    /// How many times the tree builder has moved nodes.
    moves: Cell<u32>,
}

impl DepthSink {
    /// Measures `child`, if it is an element, where it now sits.
    fn measure(&self, child: Option<NodeId>) {
        let Some(node) = child else { return };
        // A node placed again brings its subtree along: a move.
        if self.depths.borrow().contains_key(&node) {
            self.moved();
        }
        let depth = self.depth_of(node);
        self.deepest.set(self.deepest.get().max(depth));
    }

    /// The depth of `node` (just placed, so not yet cached) in the tree as
    /// it stands, caching it and the depths of the ancestors it had to
    /// climb through.
    fn depth_of(&self, node: NodeId) -> usize {
        let moves = self.moves.get();
        let html = self.inner.0.borrow();
        let mut depths = self.depths.borrow_mut();
        let mut current = html.tree.get(node).and_then(|at| at.parent());
        // Between moves the parent was measured: one lookup.
        if let Some(&(seen, depth)) = current.and_then(|parent| depths.get(&parent.id())) {
            if seen == moves {
                depths.insert(node, (moves, depth + 1));
                return depth + 1;
            }
        }
        let mut climbed = vec![node];
        let mut base = 0;
        while let Some(at) = current {
            if let Some(&(seen, depth)) = depths.get(&at.id()) {
                if seen == moves {
                    base = depth;
                    break;
                }
            }
            climbed.push(at.id());
            current = at.parent();
        }
        // The topmost climbed node has no parent (the document, at 0) or
        // sits under an ancestor measured at `base`.
        let top_depth = if current.is_some() { base + 1 } else { 0 };
        for (above, id) in climbed.iter().rev().enumerate() {
            depths.insert(*id, (moves, top_depth + above));
        }
        top_depth + climbed.len() - 1
    }

    /// Notes that the tree builder moved nodes, so cached depths are stale.
    fn moved(&self) {
        self.moves.set(self.moves.get().wrapping_add(1));
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

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg);
    }

    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.inner.create_element(name, attrs, flags)
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let node = node_of(&child);
        self.inner.append(parent, child);
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

    fn mark_script_already_started(&self, node: &NodeId) {
        self.inner.mark_script_already_started(node);
    }

    fn pop(&self, node: &NodeId) {
        self.inner.pop(node);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
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
