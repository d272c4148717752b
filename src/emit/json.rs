//! JSON output: metadata, text, kept blocks, removed pieces and counts.

use crate::article::Article;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct JsonArticle<'a> {
    title: Option<&'a str>,
    date: Option<&'a str>,
    byline: Option<&'a str>,
    source: Option<&'a str>,
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    canonical: Option<&'a str>,
    language: Option<&'a str>,
    encoding: Option<&'a str>,
    text: String,
    blocks: Vec<JsonBlock<'a>>,
    removed: Vec<JsonRemoved<'a>>,
    stats: JsonStats<'a>,
}

#[derive(Serialize)]
struct JsonBlock<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<u8>,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonRemoved<'a> {
    rule: &'a str,
    reason: &'a str,
    part: &'static str,
    kind: &'static str,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonStats<'a> {
    bytes_in: usize,
    bytes_out: usize,
    blocks_kept: usize,
    blocks_removed: usize,
    removed_per_rule: BTreeMap<String, usize>,
    encoding_source: &'static str,
    decode_errors: bool,
    repairs: &'a [&'static str],
}

fn json_article(article: &Article) -> JsonArticle<'_> {
    let meta = article.meta();
    let stats = article.stats();
    JsonArticle {
        title: meta.title.as_deref(),
        date: meta.date.as_deref(),
        byline: meta.byline.as_deref(),
        source: meta.source.as_deref(),
        url: meta.url.as_deref(),
        canonical: meta.canonical.as_deref(),
        language: meta.language.as_deref(),
        encoding: meta.encoding.as_deref(),
        text: article.text(),
        blocks: article
            .blocks()
            .map(|b| JsonBlock {
                kind: b.kind.as_str(),
                level: b.kind.level(),
                text: &b.text,
            })
            .collect(),
        removed: article
            .removed()
            .map(|r| JsonRemoved {
                rule: r.rule,
                reason: r.reason,
                part: r.part,
                kind: r.kind.as_str(),
                text: r.text,
            })
            .collect(),
        stats: JsonStats {
            bytes_in: stats.bytes_in,
            bytes_out: stats.bytes_out,
            blocks_kept: stats.blocks_kept,
            blocks_removed: stats.blocks_removed,
            removed_per_rule: stats.removed_per_rule,
            encoding_source: meta.encoding_source.as_str(),
            decode_errors: meta.decode_errors,
            repairs: &meta.repairs,
        },
    }
}

/// The article as a JSON string, pretty-printed or on one line. No trailing newline.
///
/// ```
/// use thresh::emit::to_json;
/// use thresh::Pipeline;
/// let article = Pipeline::default().clean("Body.").unwrap();
/// let json: serde_json::Value = serde_json::from_str(&to_json(&article, false)).unwrap();
/// assert_eq!(json["text"], "Body.");
/// assert!(json["title"].is_null());
/// ```
pub fn to_json(article: &Article, pretty: bool) -> String {
    let value = json_article(article);
    let rendered = if pretty {
        serde_json::to_string_pretty(&value)
    } else {
        serde_json::to_string(&value)
    };
    rendered.unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}

/// The article as a `serde_json::Value`, for callers that add fields.
pub fn to_json_value(article: &Article) -> serde_json::Value {
    serde_json::to_value(json_article(article)).unwrap_or(serde_json::Value::Null)
}
