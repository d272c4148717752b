//! `thresh rules`: the strip rule table, as built in or as a rules file
//! changes it, so users can see what a name in the audit means.

use super::{io, RulesArgs};
use anyhow::Context;
use std::fmt::Write;
use std::process::ExitCode;
use thresh::strip::{RuleSet, RuleSpec, BUILTIN_RULES};

/// Rule names the pipeline's stages record besides the table's, and where
/// each comes from.
const STAGE_RULES: &[(&str, &str)] = &[
    ("outside_content", "HTML: outside the element chosen as the article"),
    ("comments_section, share_bar, related_links, newsletter_box, author_box, sidebar, advertisement, navigation, footer, consent, popup, tags, post_meta", "HTML: inside the article, under an element named as that furniture"),
    ("link_dense", "HTML: inside the article, but mostly link text"),
    ("json_ld_body", "HTML: replaced by the page's JSON-LD articleBody"),
    ("caption", "captions stage: figcaptions and captions found by wording"),
    ("date_line", "dates stage: a line holding only the date"),
    ("related_tail, comments_tail, drift_tail", "tail stage: appended stories and comments"),
    ("duplicate", "dedup stage: repeats of the title or of earlier blocks"),
    ("boilerplate", "boilerplate stage: page chrome in crude text"),
];

pub fn run(args: RulesArgs) -> anyhow::Result<ExitCode> {
    let extra = match &args.rules {
        Some(file) => Some(
            std::fs::read_to_string(file).with_context(|| format!("--rules {}", file.display()))?,
        ),
        None => None,
    };
    if args.toml {
        let mut text = BUILTIN_RULES.to_owned();
        if let Some(extra) = &extra {
            text.push_str("\n# --- from --rules ---\n");
            text.push_str(extra);
        }
        io::write_stdout(text.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut sources = vec![BUILTIN_RULES];
    sources.extend(extra.as_deref());
    let rules = RuleSet::from_toml(&sources).context("rules table")?;
    io::write_stdout(listing(rules.specs()).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn listing(specs: &[RuleSpec]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<18} {:<12} {:<7} {:>9}  {:<28} reason",
        "rule", "category", "action", "max bytes", "languages"
    );
    for rule in specs {
        let languages = if rule.languages.is_empty() {
            "any".to_owned()
        } else {
            rule.languages.join(",")
        };
        let _ = writeln!(
            out,
            "{:<18} {:<12} {:<7} {:>9}  {:<28} {}",
            rule.name,
            rule.category,
            rule.action.as_str(),
            rule.max_chars,
            languages,
            rule.reason
        );
    }
    out.push_str("\nRecorded by the stages, outside the table:\n");
    for (names, source) in STAGE_RULES {
        let _ = writeln!(out, "  {names}\n      {source}");
    }
    out
}
