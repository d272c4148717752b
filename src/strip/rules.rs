//! The rule table: pattern rules read from TOML (the built-in `rules.toml`,
//! then any user files), compiled once into one `RegexSet` so that each block
//! is scanned a single time whatever the number of rules.

use crate::document::{Document, Edge};
use crate::stage::Stage;
use aho_corasick::AhoCorasick;
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Unicode classes in many patterns make the combined automaton large; it is
/// built once per process, so a generous limit costs only memory.
const SET_SIZE_LIMIT: usize = 256 << 20;

/// The built-in rule table.
pub const BUILTIN_RULES: &str = include_str!("rules.toml");

/// What a rule does with a block it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The whole block goes.
    Drop,
    /// The matched start of the block goes; a `value` group goes to `field`.
    Prefix,
    /// The block goes and its `value` group becomes the byline.
    Byline,
    /// The block opens a tail of other stories or comments: it and all after
    /// it go, when enough article text precedes it (see the `tail` stage).
    Tail,
}

impl Action {
    /// The action's name, as written in the TOML table.
    ///
    /// ```
    /// use thresh::strip::Action;
    /// assert_eq!(Action::Tail.as_str(), "tail");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Drop => "drop",
            Action::Prefix => "prefix",
            Action::Byline => "byline",
            Action::Tail => "tail",
        }
    }
}

/// One row of the rule table, as written in TOML.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Unique snake_case name, shown in the audit.
    pub name: String,
    /// What kind of junk it is.
    #[serde(default)]
    pub category: String,
    /// ISO 639-1 codes the patterns cover.
    #[serde(default)]
    pub languages: Vec<String>,
    /// What happens to a matching block.
    #[serde(default = "default_action")]
    pub action: Action,
    /// Blocks longer than this (in bytes) are not tested.
    #[serde(default = "default_max_chars")]
    pub max_chars: usize,
    /// Only blocks at the head of the article (before its second paragraph of prose) are tested.
    #[serde(default)]
    pub head_only: bool,
    /// The metadata field a `prefix` rule's `value` group fills (`date`, `byline`, `source`).
    #[serde(default)]
    pub field: Option<String>,
    /// The reason recorded in the audit.
    #[serde(default)]
    pub reason: String,
    /// Regular expressions; `{term}` expands to the term list's alternation.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Words, one of which every pattern of the rule that is not anchored
    /// at the start of the block needs: a block with none of them (ASCII
    /// letters compared without case, others as written) skips those
    /// patterns. Unanchored patterns scan whole blocks, and most blocks
    /// hold none of these words, so one scan for all of them saves most of
    /// that work. Without needles, the patterns run on every block.
    #[serde(default)]
    pub needles: Vec<String>,
    /// Blocks the rule must remove.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Blocks the rule must leave alone.
    #[serde(default)]
    pub keep: Vec<String>,
    /// `false` disables a rule (useful to switch off a built-in one).
    #[serde(default = "default_enabled")]
    pub enabled: bool,
}

fn default_action() -> Action {
    Action::Drop
}

fn default_max_chars() -> usize {
    300
}

fn default_enabled() -> bool {
    true
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    terms: BTreeMap<String, Vec<String>>,
    #[serde(default, rename = "rule")]
    rules: Vec<RuleSpec>,
}

/// Why a rule table could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// The TOML does not parse or has unknown fields.
    #[error("rule file: {0}")]
    Toml(String),
    /// A pattern does not compile.
    #[error("rule {rule:?}: pattern {pattern:?}: {message}")]
    Pattern {
        /// The rule's name.
        rule: String,
        /// The pattern as written.
        pattern: String,
        /// The regex compiler's message.
        message: String,
    },
    /// A pattern names a term list that does not exist.
    #[error("rule {rule:?}: unknown term list {{{term}}}")]
    UnknownTerm {
        /// The rule's name.
        rule: String,
        /// The missing term list.
        term: String,
    },
}

/// A compiled rule table, shared by every document.
#[derive(Debug)]
pub struct RuleSet {
    specs: Vec<RuleSpec>,
    /// Each pattern's compiled regex and the index of its rule.
    patterns: Vec<(usize, Regex)>,
    /// Patterns grouped by the block lengths they apply to, each group one
    /// automaton: a long paragraph is scanned only by the few rules that
    /// allow long blocks.
    tiers: Vec<Tier>,
    /// `prefix` rules, run on the first bytes of a block only.
    prefix: Tier,
    /// `tail` rules, for the tail stage's header search.
    tail: Tier,
    /// The `related_label` rule, for the tail stage's label search.
    label: Tier,
}

/// The rule whose weak labels ("Read more") end an article before a bare
/// list of links.
const LABEL_RULE: &str = "related_label";
/// Blocks up to these lengths use the tiers' automata in turn.
const TIER_LIMITS: [usize; 3] = [200, 800, usize::MAX];
/// `prefix` rules see this many bytes from the start of a block.
const PREFIX_WINDOW: usize = 160;

/// Automata over a subset of the patterns.
///
/// Patterns anchored at the start of the block share one set, which the
/// regex engine searches anchored: on a block that matches none it stops
/// within a few bytes. Only the few unanchored patterns scan whole blocks.
/// One set over both kinds would scan every block to the end, and its lazy
/// DFA would keep building states for every new text.
///
/// Unanchored patterns whose rules give needles are gated instead: one
/// scan for every needle finds the few patterns worth running.
#[derive(Debug)]
struct Tier {
    /// Indices into `RuleSet::patterns` of the anchored patterns.
    anchored_members: Vec<usize>,
    anchored: RegexSet,
    /// Indices into `RuleSet::patterns` of the other ungated patterns.
    floating_members: Vec<usize>,
    floating: RegexSet,
    /// The unanchored patterns of rules with needles.
    gated: Option<Gate>,
}

/// Unanchored patterns behind their rules' needles.
#[derive(Debug)]
struct Gate {
    /// Every needle of every gated pattern.
    needles: AhoCorasick,
    /// For each needle, the gated patterns (indices into `patterns`) it opens.
    opens: Vec<Vec<usize>>,
    /// The gated patterns: index into `RuleSet::patterns`, and the regex.
    patterns: Vec<(usize, Regex)>,
}

impl Gate {
    fn build(patterns: &[(usize, Regex)], gated: &[(usize, &[String])]) -> Option<Gate> {
        if gated.is_empty() {
            return None;
        }
        let mut needles: Vec<&str> = Vec::new();
        let mut opens: Vec<Vec<usize>> = Vec::new();
        for (slot, (_, words)) in gated.iter().enumerate() {
            for word in words.iter() {
                match needles.iter().position(|n| n == word) {
                    Some(at) => opens[at].push(slot),
                    None => {
                        needles.push(word);
                        opens.push(vec![slot]);
                    }
                }
            }
        }
        let needles = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&needles)
            .ok()?;
        Some(Gate {
            needles,
            opens,
            patterns: gated
                .iter()
                .map(|&(member, _)| (member, patterns[member].1.clone()))
                .collect(),
        })
    }

    /// The gated patterns that match `text`.
    fn hits(&self, text: &str) -> Vec<usize> {
        if !self.needles.is_match(text) {
            return Vec::new();
        }
        let mut open = vec![false; self.patterns.len()];
        for found in self.needles.find_overlapping_iter(text) {
            for &slot in &self.opens[found.pattern().as_usize()] {
                open[slot] = true;
            }
        }
        self.patterns
            .iter()
            .zip(open)
            .filter(|((_, regex), open)| *open && regex.is_match(text))
            .map(|((member, _), _)| *member)
            .collect()
    }
}

/// True when the pattern can only match at the start of the haystack.
fn is_start_anchored(pattern: &str) -> bool {
    let mut rest = pattern;
    while let Some(flags) = rest.strip_prefix("(?") {
        match flags.find(')') {
            Some(end)
                if flags[..end]
                    .chars()
                    .all(|c| c.is_ascii_alphabetic() || c == '-') =>
            {
                rest = &flags[end + 1..];
            }
            _ => break,
        }
    }
    rest.starts_with('^') || rest.starts_with("\\A")
}

/// True when an anchored pattern opens with a run that reads on through
/// letters (`^.*`, `^[^|]+`, `^(?:[^.]+, )?`): on a block it does not
/// match, it reads to the end of the block rather than stopping within a
/// few characters, as `^\W*(?:advertisement|...)` does.
fn reads_past_letters(pattern: &str) -> bool {
    use regex_syntax::hir::{Hir, HirKind};
    fn has_letters(hir: &Hir) -> bool {
        match hir.kind() {
            HirKind::Class(regex_syntax::hir::Class::Unicode(class)) => class
                .ranges()
                .iter()
                .any(|r| r.start() <= 'e' && 'e' <= r.end()),
            HirKind::Class(regex_syntax::hir::Class::Bytes(class)) => class
                .ranges()
                .iter()
                .any(|r| r.start() <= b'e' && b'e' <= r.end()),
            HirKind::Literal(literal) => literal.0.first().is_some_and(u8::is_ascii_alphabetic),
            HirKind::Capture(capture) => has_letters(&capture.sub),
            HirKind::Repetition(repetition) => has_letters(&repetition.sub),
            HirKind::Concat(items) => items.first().is_some_and(has_letters),
            HirKind::Alternation(branches) => branches.iter().any(has_letters),
            HirKind::Empty | HirKind::Look(_) => false,
        }
    }
    fn runs(hir: &Hir) -> bool {
        match hir.kind() {
            HirKind::Repetition(repetition) => {
                (repetition.max.is_none() && has_letters(&repetition.sub)) || runs(&repetition.sub)
            }
            HirKind::Capture(capture) => runs(&capture.sub),
            HirKind::Alternation(branches) => branches.iter().any(runs),
            HirKind::Concat(items) => {
                for item in items {
                    if runs(item) {
                        return true;
                    }
                    // Only what can match nothing lets the next item start
                    // the block too.
                    if item.properties().minimum_len() != Some(0) {
                        return false;
                    }
                }
                false
            }
            _ => false,
        }
    }
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .is_ok_and(|hir| runs(&hir))
}

impl Tier {
    fn empty() -> Tier {
        Tier {
            anchored_members: Vec::new(),
            anchored: RegexSet::empty(),
            floating_members: Vec::new(),
            floating: RegexSet::empty(),
            gated: None,
        }
    }

    /// The automata over `members`; `needles` gives each pattern's rule's
    /// needles.
    fn build<'a>(
        patterns: &[(usize, Regex)],
        members: Vec<usize>,
        needles: impl Fn(usize) -> &'a [String],
    ) -> Result<Tier, RuleError> {
        // Anchored patterns that read past letters cost a scan of the block
        // each; behind needles they cost nothing on most blocks.
        let stops_early = |m: usize| {
            let pattern = patterns[m].1.as_str();
            is_start_anchored(pattern) && (needles(m).is_empty() || !reads_past_letters(pattern))
        };
        let (anchored_members, unanchored): (Vec<usize>, Vec<usize>) =
            members.into_iter().partition(|&m| stops_early(m));
        let (gated, floating_members): (Vec<usize>, Vec<usize>) = unanchored
            .into_iter()
            .partition(|&m| !needles(m).is_empty());
        let gated: Vec<(usize, &[String])> = gated.into_iter().map(|m| (m, needles(m))).collect();
        Ok(Tier {
            anchored: Self::set(patterns, &anchored_members)?,
            anchored_members,
            floating: Self::set(patterns, &floating_members)?,
            floating_members,
            gated: Gate::build(patterns, &gated),
        })
    }

    fn set(patterns: &[(usize, Regex)], members: &[usize]) -> Result<RegexSet, RuleError> {
        RegexSetBuilder::new(members.iter().map(|&m| patterns[m].1.as_str()))
            .size_limit(SET_SIZE_LIMIT)
            .dfa_size_limit(SET_SIZE_LIMIT)
            .build()
            .map_err(|e| RuleError::Pattern {
                rule: "(all)".into(),
                pattern: String::new(),
                message: e.to_string(),
            })
    }

    fn hits<'a>(&'a self, text: &str) -> impl Iterator<Item = usize> + 'a {
        let mut found = Self::set_hits(&self.anchored, &self.anchored_members, text);
        found.extend(Self::set_hits(&self.floating, &self.floating_members, text));
        if let Some(gate) = &self.gated {
            found.extend(gate.hits(text));
        }
        found.into_iter()
    }

    /// Most blocks match no rule; one early-exit scan settles those before
    /// the costlier search for every matching pattern.
    fn set_hits(set: &RegexSet, members: &[usize], text: &str) -> Vec<usize> {
        if members.is_empty() || !set.is_match(text) {
            return Vec::new();
        }
        set.matches(text).into_iter().map(|i| members[i]).collect()
    }
}

/// A match of a rule against a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMatch<'r, 't> {
    /// The rule.
    pub rule: &'r RuleSpec,
    /// The matched span of the block.
    pub span: std::ops::Range<usize>,
    /// The `value` group, if the pattern has one and it matched.
    pub value: Option<&'t str>,
}

impl RuleSet {
    /// The built-in table.
    ///
    /// ```
    /// use thresh::strip::RuleSet;
    /// let rules = RuleSet::builtin();
    /// assert!(rules.specs().iter().any(|rule| rule.name == "counter"));
    /// ```
    pub fn builtin() -> Arc<RuleSet> {
        static BUILTIN: std::sync::OnceLock<Arc<RuleSet>> = std::sync::OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                // The built-in table is tested; should it ever fail to compile,
                // thresh runs with no pattern rules rather than panicking.
                Arc::new(RuleSet::from_toml(&[BUILTIN_RULES]).unwrap_or_else(|_| RuleSet::empty()))
            })
            .clone()
    }

    fn empty() -> RuleSet {
        RuleSet {
            specs: Vec::new(),
            patterns: Vec::new(),
            tiers: Vec::new(),
            prefix: Tier::empty(),
            tail: Tier::empty(),
            label: Tier::empty(),
        }
    }

    /// Compiles rule tables given as TOML texts, later ones overriding
    /// earlier ones rule by rule (same name) and adding term lists.
    ///
    /// ```
    /// use thresh::strip::{RuleSet, BUILTIN_RULES};
    /// let mine = r#"
    /// [[rule]]
    /// name = "house_ad"
    /// reason = "our own house ad"
    /// patterns = ["(?i)^buy the print edition"]
    /// [[rule]]
    /// name = "social"
    /// enabled = false
    /// "#;
    /// let rules = RuleSet::from_toml(&[BUILTIN_RULES, mine]).unwrap();
    /// assert!(rules.first_match("Buy the print edition today", false).is_some());
    /// assert!(rules.specs().iter().all(|rule| rule.name != "social"));
    /// ```
    pub fn from_toml(sources: &[&str]) -> Result<RuleSet, RuleError> {
        let mut terms = BTreeMap::new();
        let mut specs: Vec<RuleSpec> = Vec::new();
        for source in sources {
            let file: RuleFile =
                toml::from_str(source).map_err(|e| RuleError::Toml(e.to_string()))?;
            terms.extend(file.terms);
            for spec in file.rules {
                match specs.iter_mut().find(|s| s.name == spec.name) {
                    Some(existing) => *existing = spec,
                    None => specs.push(spec),
                }
            }
        }
        specs.retain(|spec| spec.enabled);
        Self::compile(specs, &terms)
    }

    fn compile(
        specs: Vec<RuleSpec>,
        terms: &BTreeMap<String, Vec<String>>,
    ) -> Result<RuleSet, RuleError> {
        let mut patterns = Vec::new();
        for (index, spec) in specs.iter().enumerate() {
            for pattern in &spec.patterns {
                let expanded = expand_terms(&spec.name, pattern, terms)?;
                let regex = RegexBuilder::new(&expanded)
                    .size_limit(SET_SIZE_LIMIT)
                    .build()
                    .map_err(|e| RuleError::Pattern {
                        rule: spec.name.clone(),
                        pattern: pattern.clone(),
                        message: e.to_string(),
                    })?;
                patterns.push((index, regex));
            }
        }
        let is_prefix = |m: &usize| specs[patterns[*m].0].action == Action::Prefix;
        let needles = |m: usize| specs[patterns[m].0].needles.as_slice();
        let all: Vec<usize> = (0..patterns.len()).collect();
        let mut tiers = Vec::new();
        let mut shortest = 0;
        for limit in TIER_LIMITS {
            let members = all
                .iter()
                .copied()
                .filter(|m| !is_prefix(m) && specs[patterns[*m].0].max_chars > shortest)
                .collect();
            tiers.push(Tier::build(&patterns, members, needles)?);
            shortest = limit;
        }
        let prefix = Tier::build(
            &patterns,
            all.iter().copied().filter(is_prefix).collect(),
            needles,
        )?;
        let is_tail = |m: &usize| specs[patterns[*m].0].action == Action::Tail;
        let tail = Tier::build(
            &patterns,
            all.iter().copied().filter(is_tail).collect(),
            needles,
        )?;
        let is_label = |m: &usize| specs[patterns[*m].0].name == LABEL_RULE;
        let label = Tier::build(
            &patterns,
            all.iter().copied().filter(is_label).collect(),
            needles,
        )?;
        Ok(RuleSet {
            specs,
            patterns,
            tiers,
            prefix,
            tail,
            label,
        })
    }

    /// The rules, in the order they are tried.
    pub fn specs(&self) -> &[RuleSpec] {
        &self.specs
    }

    /// The first rule, in table order, that matches the block. `in_head`
    /// says whether the block is at the head of the article, where
    /// `head_only` rules apply.
    pub fn first_match<'t>(&self, text: &'t str, in_head: bool) -> Option<RuleMatch<'_, 't>> {
        self.matches(text, in_head).into_iter().next()
    }

    /// The first `tail` rule, in table order, that matches the block.
    pub fn tail_match(&self, text: &str) -> Option<&RuleSpec> {
        // Headers are short: a paragraph is not scanned at all.
        let fits = |rule: &RuleSpec| rule.action == Action::Tail && text.len() <= rule.max_chars;
        if !self.specs.iter().any(fits) {
            return None;
        }
        self.tail
            .hits(text)
            .map(|m| &self.specs[self.patterns[m].0])
            .filter(|rule| text.len() <= rule.max_chars)
            .min_by_key(|rule| self.specs.iter().position(|s| std::ptr::eq(s, *rule)))
    }

    /// The `related_label` rule, when it matches the block: a weak label
    /// ("Read more") that ends the article only before a bare list of links.
    pub fn label_match(&self, text: &str) -> Option<&RuleSpec> {
        let fits = |rule: &RuleSpec| rule.name == LABEL_RULE && text.len() <= rule.max_chars;
        if !self.specs.iter().any(fits) {
            return None;
        }
        // Its own automaton: the whole table's would look for every rule.
        self.label
            .hits(text)
            .map(|m| &self.specs[self.patterns[m].0])
            .find(|rule| fits(rule) && !rule.head_only)
    }

    /// Every rule that matches the block, in table order.
    pub fn matches<'t>(&self, text: &'t str, in_head: bool) -> Vec<RuleMatch<'_, 't>> {
        let tier = TIER_LIMITS
            .iter()
            .position(|&limit| text.len() <= limit)
            .unwrap_or(0);
        let mut window = text.len().min(PREFIX_WINDOW);
        while !text.is_char_boundary(window) {
            window -= 1;
        }
        let head = &text[..window];
        let mut hits: Vec<(usize, &'t str)> = self
            .tiers
            .get(tier)
            .into_iter()
            .flat_map(|t| t.hits(text))
            .map(|m| (m, text))
            .collect();
        hits.extend(self.prefix.hits(head).map(|m| (m, head)));
        hits.sort_unstable_by_key(|&(m, _)| m);
        let mut found: Vec<RuleMatch<'_, 't>> = hits
            .into_iter()
            .filter_map(|(pattern_index, haystack)| {
                let (rule_index, regex) = &self.patterns[pattern_index];
                let rule = &self.specs[*rule_index];
                if text.len() > rule.max_chars || (rule.head_only && !in_head) {
                    return None;
                }
                let captures = regex.captures(haystack)?;
                let whole = captures.get(0)?;
                Some(RuleMatch {
                    rule,
                    span: whole.range(),
                    value: captures.name("value").map(|m| m.as_str()),
                })
            })
            .collect();
        found.dedup_by(|a, b| std::ptr::eq(a.rule, b.rule));
        found
    }
}

/// Replaces `{term}` with `(?:a|b|c)` from the term lists. Braces that are
/// regex repetitions (`{2,3}`) are left alone.
fn expand_terms(
    rule: &str,
    pattern: &str,
    terms: &BTreeMap<String, Vec<String>>,
) -> Result<String, RuleError> {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').unwrap_or(after.len());
        let name = &after[..close];
        let is_term = !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        if !is_term {
            out.push('{');
            rest = after;
            continue;
        }
        let list = terms.get(name).ok_or_else(|| RuleError::UnknownTerm {
            rule: rule.to_owned(),
            term: name.to_owned(),
        })?;
        out.push_str("(?:");
        out.push_str(&list.join("|"));
        out.push(')');
        rest = &after[(close + 1).min(after.len())..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The document stage that applies the rule table: drops matching blocks,
/// cuts fused prefixes into metadata and moves bylines to the byline field.
/// `tail` rules are left to the [`Tail`](super::Tail) stage.
#[derive(Debug, Clone)]
pub struct Rules {
    rules: Arc<RuleSet>,
}

impl Rules {
    /// The stage over a compiled table.
    pub fn new(rules: Arc<RuleSet>) -> Self {
        Rules { rules }
    }
}

impl Stage for Rules {
    fn name(&self) -> &str {
        "rules"
    }

    fn apply(&self, doc: &mut Document) {
        let features = super::features::block_features(doc);
        let head_end = super::features::head_end(doc, &features);
        for index in 0..doc.blocks.len() {
            if !doc.blocks[index].is_kept() {
                continue;
            }
            let in_head = index < head_end;
            // Only a hit, rare, takes a copy of the block's text.
            let hit = self
                .rules
                .matches(&doc.blocks[index].text, in_head)
                .into_iter()
                .find(|m| m.rule.action != Action::Tail)
                .map(|m| (m.rule, m.span, m.value.map(str::to_owned)));
            let Some((rule, span, value)) = hit else {
                continue;
            };
            let hit = RuleMatch {
                rule,
                span,
                value: value.as_deref(),
            };
            apply_match(doc, index, &hit);
        }
    }
}

fn apply_match(doc: &mut Document, index: usize, hit: &RuleMatch<'_, '_>) {
    let rule = hit.rule;
    let name = rule.name.clone();
    match rule.action {
        Action::Drop | Action::Tail => doc.blocks[index].remove(name, rule.reason.clone()),
        Action::Byline => {
            if doc.meta.byline.is_none() {
                doc.meta.byline = hit.value.map(|v| v.trim().to_owned());
            }
            doc.blocks[index].remove(name, rule.reason.clone());
        }
        Action::Prefix => {
            if let (Some(field), Some(value)) = (&rule.field, hit.value) {
                super::metadata::set_field(&mut doc.meta, field, value);
            }
            let block = &mut doc.blocks[index];
            if hit.span.end >= block.text.trim_end().len() {
                block.remove(name, rule.reason.clone());
            } else {
                block.trim(Edge::Start, hit.span.end, name, rule.reason.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_anchors_are_recognised_behind_flags() {
        assert!(is_start_anchored("(?i)^disclaimer"));
        assert!(is_start_anchored("(?i)(?-u)^x"));
        assert!(is_start_anchored("^x"));
        assert!(!is_start_anchored("(?i)(?-u:\\b)affiliate"));
        assert!(!is_start_anchored("(?:^a|b)"));
    }

    #[test]
    fn runs_through_letters_are_told_from_quick_stops() {
        for scanning in [
            "(?i)^.*(?:log ?in|sign ?in).*comment",
            "^(?:[^|·•\\n]+\\s*[|·•]\\s*){2,}[^|·•\\n]+$",
            "(?i)^(?:[^.!?]+[,.|–—-]\\s*)?(?:photo|image)\\s*[:©/]",
            "(?i)^[(\\[]?[^()\\[\\]]+/\\s*(?:reuters|ap)[)\\]]?$",
            "^\\W*.+ wrote:$",
        ] {
            assert!(reads_past_letters(scanning), "{scanning}");
        }
        for quick in [
            "(?i)^\\W*(?:advertisement|anzeige)\\W*$",
            "(?i)^\\W*(?:try|explore) (?:our|what) .*(?-u:\\b)(?:ai|features?)",
            "(?i)^\\W*disclaimer(?-u:\\b)",
            "^\\d+ views$",
        ] {
            assert!(!reads_past_letters(quick), "{quick}");
        }
    }

    /// The needles only skip work: every line of the rules' own examples
    /// and keeps, the seeds and the strip fixtures, as written and in
    /// upper and lower case, gets the same matches with them as without.
    #[test]
    fn needles_change_no_match() {
        let mut file: RuleFile = toml::from_str(BUILTIN_RULES).unwrap();
        assert!(file.rules.iter().any(|rule| !rule.needles.is_empty()));
        for rule in &mut file.rules {
            rule.needles.clear();
        }
        let gated = RuleSet::builtin();
        let ungated = RuleSet::compile(file.rules, &file.terms).unwrap();
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = gated
            .specs()
            .iter()
            .flat_map(|rule| rule.examples.iter().chain(&rule.keep).cloned())
            .collect();
        for dir in ["seeds", "fixtures/strip"] {
            for entry in std::fs::read_dir(repo.join(dir)).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
                texts.extend(text.lines().map(str::to_owned));
            }
        }
        let mut checked = 0;
        for text in &texts {
            for variant in [text.clone(), text.to_uppercase(), text.to_lowercase()] {
                for in_head in [false, true] {
                    let names = |set: &RuleSet| -> Vec<String> {
                        set.matches(&variant, in_head)
                            .iter()
                            .map(|m| format!("{} {:?}", m.rule.name, m.span))
                            .collect()
                    };
                    assert_eq!(names(&gated), names(&ungated), "{variant}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn builtin_table_compiles() {
        let rules = RuleSet::from_toml(&[BUILTIN_RULES]).unwrap();
        assert!(rules.specs().len() >= 10);
    }

    #[test]
    fn every_example_matches_its_rule_and_every_keep_does_not() {
        let rules = RuleSet::from_toml(&[BUILTIN_RULES]).unwrap();
        for spec in rules.specs() {
            for example in &spec.examples {
                let names: Vec<&str> = rules
                    .matches(example, true)
                    .iter()
                    .map(|m| m.rule.name.as_str())
                    .collect();
                assert!(
                    names.contains(&spec.name.as_str()),
                    "{}: {example:?} matched {names:?}",
                    spec.name
                );
            }
            for keep in &spec.keep {
                let names: Vec<&str> = rules
                    .matches(keep, true)
                    .iter()
                    .map(|m| m.rule.name.as_str())
                    .collect();
                assert!(
                    names.is_empty(),
                    "{}: {keep:?} must stay but matched {names:?}",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn terms_expand_and_unknown_terms_fail() {
        let terms = BTreeMap::from([("x".to_owned(), vec!["a".to_owned(), "b".to_owned()])]);
        assert_eq!(
            expand_terms("r", "^{x}{2,3}$", &terms).unwrap(),
            "^(?:a|b){2,3}$"
        );
        assert!(matches!(
            expand_terms("r", "{nope}", &terms),
            Err(RuleError::UnknownTerm { .. })
        ));
    }

    #[test]
    fn bad_toml_and_bad_patterns_are_errors() {
        assert!(matches!(
            RuleSet::from_toml(&["[[rule]]\nnam = 1"]),
            Err(RuleError::Toml(_))
        ));
        let bad = "[[rule]]\nname = \"x\"\npatterns = [\"(\"]";
        assert!(matches!(
            RuleSet::from_toml(&[bad]),
            Err(RuleError::Pattern { .. })
        ));
    }
}
