//! Finding the article in the page.
//!
//! Every block gets a weight: prose counts for its length, link lists,
//! short labels and text under page furniture (comments, sidebars, share
//! bars, navigation) count against. An element's score is the sum of the
//! weights of the blocks inside it, so the element that wins holds as much
//! prose and as little junk as the page allows: growing it to take in a
//! sidebar costs more than the sidebar brings. Class names, `<article>`
//! and `itemprop=articleBody` raise an element's score by a factor; they
//! never pick it alone.
//!
//! The winner can still be the wrong element in three ways, each
//! corrected here: on a flat table layout, a run of paragraphs outweighing
//! it replaces it; when it lies apart from the heading that repeats the
//! page's title, the element under that heading holds the article; and one
//! post of a forum thread grows into the whole thread, every post built
//! from the same template.

use super::hints::Junk;
use super::walk::{Page, RawBlock, NONE};
use crate::document::BlockKind;
use std::ops::RangeInclusive;

/// Where extraction sets its thresholds, as trafilatura's `favor_precision`
/// and `favor_recall` do.
///
/// ```
/// use thresh::Favor;
/// assert_eq!("recall".parse::<Favor>(), Ok(Favor::Recall));
/// assert_eq!(Favor::default(), Favor::Balanced);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Favor {
    /// Drop anything doubtful: less junk, some article text lost.
    Precision,
    /// The default balance.
    #[default]
    Balanced,
    /// Keep anything plausible: all the article, some junk kept.
    Recall,
}

impl std::str::FromStr for Favor {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.to_ascii_lowercase().as_str() {
            "precision" => Ok(Favor::Precision),
            "balanced" => Ok(Favor::Balanced),
            "recall" => Ok(Favor::Recall),
            other => Err(format!(
                "unknown favor {other:?} (expected precision, balanced or recall)"
            )),
        }
    }
}

/// The numbers a [`Favor`] sets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Thresholds {
    /// How much a byte of junk weighs against a byte of prose.
    junk_weight: f32,
    /// How much a byte of prose under page furniture weighs against.
    furniture_weight: f32,
    /// Inside the content, blocks whose link share exceeds this are dropped.
    link_cut: f32,
}

impl Favor {
    pub(crate) fn thresholds(self) -> Thresholds {
        match self {
            Favor::Precision => Thresholds {
                junk_weight: 1.5,
                furniture_weight: 0.25,
                link_cut: 0.5,
            },
            Favor::Balanced => Thresholds {
                junk_weight: 1.0,
                furniture_weight: 0.1,
                link_cut: 0.6,
            },
            Favor::Recall => Thresholds {
                junk_weight: 0.5,
                furniture_weight: 0.05,
                link_cut: 0.8,
            },
        }
    }
}

/// Blocks at least this long (in bytes) are prose unless links fill them.
const PROSE_BYTES: usize = 150;
/// Shorter blocks are prose only with sentence punctuation and this length.
const SENTENCE_BYTES: usize = 50;

/// What a block looks like, measured once.
struct Shape {
    bytes: f32,
    link_share: f32,
    heading: bool,
    punctuated: bool,
    prose: bool,
}

fn shape(block: &RawBlock) -> Shape {
    let bytes = block.text.len();
    let link_share = if bytes == 0 {
        0.0
    } else {
        block.link_bytes as f32 / bytes as f32
    };
    let punctuated = block
        .text
        .contains(['.', '!', '?', ',', ';', '。', '，', '！', '？', '；', '、']);
    let heading = matches!(block.kind, BlockKind::Heading(_));
    let prose = link_share < 0.5
        && (bytes >= PROSE_BYTES || (bytes >= SENTENCE_BYTES && punctuated))
        && !heading;
    Shape {
        bytes: bytes as f32,
        link_share,
        heading,
        punctuated,
        prose,
    }
}

/// Every block's shape, with the lines that `<br>` splits out of one
/// element judged together (see [`lines_read_as_prose`]).
fn shapes(page: &Page) -> Vec<Shape> {
    let mut shapes: Vec<Shape> = page.blocks.iter().map(shape).collect();
    let mut start = 0;
    while let Some(first) = page.blocks.get(start) {
        let lines = page.blocks[start..]
            .iter()
            .take_while(|block| block.owner == first.owner)
            .count();
        if lines > 1 && lines_read_as_prose(&shapes[start..start + lines]) {
            for line in &mut shapes[start..start + lines] {
                line.prose |= !line.heading && line.link_share < 0.5;
            }
        }
        start += lines;
    }
    shapes
}

/// True when the lines of one element, split by `<br>`, read as prose
/// taken together though none does alone: as long as a prose paragraph,
/// not mostly links, and most of them punctuated. A poem or a paragraph
/// typed with line breaks is short lines, each of which alone reads as a
/// label; a sidebar's list of dates or of link titles is not punctuated,
/// or is links. Where one line is prose by itself (an event's
/// description under its date and time), the short lines beside it stay
/// labels.
fn lines_read_as_prose(lines: &[Shape]) -> bool {
    if lines.iter().any(|line| line.prose) {
        return false;
    }
    let bytes: f32 = lines.iter().map(|line| line.bytes).sum();
    let link_bytes: f32 = lines.iter().map(|line| line.bytes * line.link_share).sum();
    let punctuated = lines.iter().filter(|line| line.punctuated).count();
    bytes >= PROSE_BYTES as f32 && link_bytes < 0.5 * bytes && 2 * punctuated >= lines.len()
}

/// The block's weight toward the score of every element holding it.
fn weight(shape: &Shape, furniture: bool, limits: &Thresholds) -> f32 {
    if shape.heading && !furniture && shape.link_share < 0.5 {
        return 0.0;
    }
    let junk = -limits.junk_weight * shape.bytes * (0.3 + shape.link_share);
    match (shape.prose, furniture) {
        (true, false) => shape.bytes * (1.0 - 2.0 * shape.link_share),
        (true, true) => -limits.furniture_weight * shape.bytes,
        (false, _) => junk,
    }
}

/// A furniture name on an element holding at least this share of the page's
/// prose is void: such an element is the page's main wrapper, whatever its
/// designers called it ("newsletter-wrapper" on a newsletter's own page).
const WRAPPER_SHARE: f32 = 0.5;
/// A wrapper wraps at least a short article's worth of prose: on a page
/// with less, half of it is one paragraph, such as the site's blurb in
/// its footer, and that is no reason to void the footer's name.
const WRAPPER_MIN_BYTES: f32 = 1000.0;

/// Prose bytes (discounted by link share) under every element.
fn prose_totals(page: &Page, shapes: &[Shape]) -> Vec<f32> {
    let mut prose = vec![0.0f32; page.elements.len()];
    for (block, shape) in page.blocks.iter().zip(shapes) {
        if shape.prose {
            if let Some(slot) = prose.get_mut(block.owner as usize) {
                *slot += prose_bytes(shape);
            }
        }
    }
    add_up(page, &mut prose);
    prose
}

/// A prose block's bytes, discounted by its link share.
fn prose_bytes(shape: &Shape) -> f32 {
    shape.bytes * (1.0 - shape.link_share)
}

/// The page's prose outside comment sections. Readers' comments can
/// outweigh the post they answer, and the post's wrapper is still the
/// wrapper of the page's own prose, whatever its name ("post-meta").
fn prose_outside_comments(page: &Page, shapes: &[Shape]) -> f32 {
    let mut in_comments: Vec<bool> = Vec::with_capacity(page.elements.len());
    for element in &page.elements {
        let inherited = in_comments
            .get(element.parent as usize)
            .copied()
            .unwrap_or(false);
        in_comments.push(inherited || element.junk == Some(Junk::Comments));
    }
    page.blocks
        .iter()
        .zip(shapes)
        .filter(|(block, shape)| {
            shape.prose
                && !in_comments
                    .get(block.owner as usize)
                    .copied()
                    .unwrap_or(false)
        })
        .map(|(_, shape)| prose_bytes(shape))
        .sum()
}

/// Turns per-element values into subtree totals. Preorder puts every child
/// after its parent, so one backward sweep adds each total into its parent.
fn add_up(page: &Page, values: &mut [f32]) {
    for index in (0..values.len()).rev() {
        let parent = page.elements[index].parent;
        if parent != NONE {
            let own = values[index];
            if let Some(slot) = values.get_mut(parent as usize) {
                *slot += own;
            }
        }
    }
}

/// The furniture each element sits in, with the element that names it.
///
/// Names pass down to descendants, except into an element marked as the
/// article body, and layout names (sidebar, navigation) except into an
/// element named as content: a main column inside a wrapper named after its
/// sidebar is still the article. See [`stops_at_content`] for post metadata.
fn furniture(page: &Page, shapes: &[Shape], prose: &[f32]) -> Vec<Option<(Junk, u32)>> {
    let total = prose_outside_comments(page, shapes).max(WRAPPER_MIN_BYTES);
    let mut out: Vec<Option<(Junk, u32)>> = Vec::with_capacity(page.elements.len());
    for (index, element) in page.elements.iter().enumerate() {
        let inherited = out
            .get(element.parent as usize)
            .copied()
            .flatten()
            .filter(|(junk, _)| {
                !(element.marked_body || element.content && stops_at_content(*junk, prose[index]))
            });
        let own = element
            .junk
            .filter(|junk| *junk == Junk::Comments || prose[index] < WRAPPER_SHARE * total);
        out.push(own.map(|junk| (junk, index as u32)).or(inherited));
    }
    out
}

/// True when furniture named `junk` on an ancestor stops at an element
/// named as content holding `prose` bytes of prose. Layout names always
/// stop there. Post metadata stops there when the element holds an
/// article's worth of prose: some blog themes call the box around the
/// whole post its metadata (`div.post-meta > div.post-content`), where an
/// author's bio box (`author-meta > bio-content`) holds a few sentences.
fn stops_at_content(junk: Junk, prose: f32) -> bool {
    junk.is_layout() || (junk == Junk::PostMeta && prose >= WRAPPER_MIN_BYTES)
}

/// Each block's weight toward the score of the elements holding it.
fn block_weights(
    page: &Page,
    shapes: &[Shape],
    furniture: &[Option<(Junk, u32)>],
    limits: &Thresholds,
) -> Vec<f32> {
    page.blocks
        .iter()
        .zip(shapes)
        .map(|(block, shape)| {
            let owner = block.owner as usize;
            let under_furniture = furniture.get(owner).is_some_and(Option::is_some);
            weight(shape, under_furniture, limits)
        })
        .collect()
}

/// The element holding the article, with its score, or `None` when the
/// page has no prose.
fn choose(page: &Page, weights: &[f32], furniture: &[Option<(Junk, u32)>]) -> Option<(u32, f32)> {
    let mut score = vec![0.0f32; page.elements.len()];
    for (block, weight) in page.blocks.iter().zip(weights) {
        if let Some(slot) = score.get_mut(block.owner as usize) {
            *slot += weight;
        }
    }
    add_up(page, &mut score);
    let mut best: Option<(u32, f32, f32)> = None;
    for (index, element) in page.elements.iter().enumerate() {
        let raw = score[index];
        if raw <= 0.0 || furniture[index].is_some() {
            continue;
        }
        let bonus = 1.0
            + 0.25 * f32::from(u8::from(element.content))
            + 0.25 * f32::from(u8::from(element.body));
        let value = raw * bonus;
        if best.map_or(true, |(_, _, top)| value > top) {
            best = Some((index as u32, raw, value));
        }
    }
    best.map(|(index, raw, _)| (index, raw))
}

/// The run of consecutive blocks with the greatest total weight: the
/// densest stretch of prose in reading order, whatever elements hold it.
fn best_run(weights: &[f32]) -> Option<(usize, usize, f32)> {
    let mut best: Option<(usize, usize, f32)> = None;
    let (mut start, mut sum) = (0, 0.0f32);
    for (index, &weight) in weights.iter().enumerate() {
        if sum <= 0.0 {
            start = index;
            sum = 0.0;
        }
        sum += weight;
        if best.map_or(true, |(_, _, top)| sum > top) {
            best = Some((start, index, sum));
        }
    }
    // Headings weigh nothing: the run takes those at its edges.
    best.map(|(mut first, mut last, sum)| {
        while first > 0 && weights[first - 1] >= 0.0 {
            first -= 1;
        }
        while last + 1 < weights.len() && weights[last + 1] >= 0.0 {
            last += 1;
        }
        (first, last, sum)
    })
}

/// A run of blocks outside the best element, outweighing it by this
/// factor, replaces it. On flat table layouts the article's paragraphs are
/// siblings of the page's link lists: the smallest element holding them
/// all is mostly junk, and the best single element is one paragraph, or a
/// legal notice. The run must begin and end outside the best element and
/// hold twice its paragraphs: a subtree's blocks are consecutive, so a run
/// inside the best element is never lighter and only confirms it.
const RUN_ADVANTAGE: f32 = 1.5;

/// True when the run begins and ends outside the chosen element and holds
/// at least twice its paragraphs.
fn run_replaces(page: &Page, shapes: &[Shape], chosen: u32, run: RangeInclusive<usize>) -> bool {
    let end = page.elements.get(chosen as usize).map_or(chosen, |e| e.end);
    let within = |index: usize| (chosen..=end).contains(&page.blocks[index].owner);
    let chosen_prose = (0..page.blocks.len())
        .filter(|&index| within(index) && shapes[index].prose)
        .count();
    let (first, last) = (*run.start(), *run.end());
    !within(first) && !within(last) && run.filter(|&i| shapes[i].prose).count() >= 2 * chosen_prose
}

/// The smallest element holding the blocks `first..=last`.
fn common_ancestor(page: &Page, first: usize, last: usize) -> u32 {
    match (page.blocks.get(first), page.blocks.get(last)) {
        (Some(a), Some(b)) => ancestor_holding(page, a.owner, b.owner),
        _ => 0,
    }
}

/// Finds the article and judges every block of the page against it; with
/// no prose anywhere, every block is kept for the strip stages to judge.
pub(crate) fn extract(page: &Page, limits: &Thresholds, title: Option<&str>) -> Vec<Verdict> {
    let shapes = shapes(page);
    let prose = prose_totals(page, &shapes);
    let furniture = furniture(page, &shapes, &prose);
    let weights = block_weights(page, &shapes, &furniture, limits);
    let Some((chosen, score)) = choose(page, &weights, &furniture) else {
        return vec![Verdict::Keep; page.blocks.len()];
    };
    if let Some(region) = title.and_then(|title| headline_region(page, &shapes, chosen, title)) {
        return judge(page, &shapes, &furniture, region, 0..=usize::MAX, limits);
    }
    match best_run(&weights) {
        Some((first, last, sum))
            if sum > RUN_ADVANTAGE * score && run_replaces(page, &shapes, chosen, first..=last) =>
        {
            let root = common_ancestor(page, first, last);
            judge(page, &shapes, &furniture, root, first..=last, limits)
        }
        _ => {
            let root = thread_root(page, &prose, &furniture, chosen).unwrap_or(chosen);
            judge(page, &shapes, &furniture, root, 0..=usize::MAX, limits)
        }
    }
}

/// Posts of a thread: at least this many elements built from the chosen
/// element's template (its tag and class names) hold prose.
const THREAD_POSTS: usize = 3;
/// The posts hold at least this share of the prose of the element that
/// holds them all, so that two look-alike boxes at the two ends of a page
/// do not pull in everything between them.
const THREAD_SHARE: f32 = 0.6;
/// The other posts hold at least this share of the post's own prose: a
/// thread's replies add up to more than its opening post, where the
/// teasers of a list of featured posts built like the article, a sentence
/// or two each, add up to less than the article.
const REPLIES_SHARE: f32 = 1.0;
/// Elements holding at least this share of a post's prose hold the post.
const SAME_PROSE: f32 = 0.99;
/// How many elements holding the chosen post's prose are tried as posts.
const TEMPLATE_TRIES: usize = 4;

/// The element holding a whole thread, when the chosen element is one post
/// of it: on a forum, the opening post and every reply are built from one
/// template, and the thread is the page's content. The post's template is
/// that of the chosen element or of an element around or inside it that
/// holds the same prose (a classless table cell around `div.post`).
/// Elements under furniture (a comment section, a sidebar of teasers) are
/// not posts.
fn thread_root(
    page: &Page,
    prose: &[f32],
    furniture: &[Option<(Junk, u32)>],
    chosen: u32,
) -> Option<u32> {
    let own = *prose.get(chosen as usize)?;
    let same_post = |element: u32| prose[element as usize] >= SAME_PROSE * own;
    let mut around = Vec::new();
    let mut element = chosen;
    while let Some(parent) = page.elements.get(element as usize).map(|e| e.parent) {
        if parent == NONE || !same_post(parent) {
            break;
        }
        around.push(parent);
        element = parent;
    }
    let end = page.elements.get(chosen as usize)?.end;
    let inside = (chosen..=end).filter(|&element| same_post(element));
    // Each try is a pass over the page: a chain of nested look-alike
    // wrappers is tried only a few wrappers deep.
    let depths = depths(page);
    around
        .into_iter()
        .rev()
        .chain(inside)
        .filter(|&post| {
            page.elements
                .get(post as usize)
                .is_some_and(|e| e.template != 0)
        })
        .take(TEMPLATE_TRIES)
        .find_map(|post| thread_of(page, prose, furniture, &depths, post))
}

/// The element holding the thread that `post` opens or belongs to: the
/// smallest element around every element of its template holding prose.
fn thread_of(
    page: &Page,
    prose: &[f32],
    furniture: &[Option<(Junk, u32)>],
    depths: &[u32],
    post: u32,
) -> Option<u32> {
    let template = page.elements.get(post as usize)?.template;
    if template == 0 {
        return None;
    }
    // Posts sit at one depth in the page, where a list of teasers built
    // like the article sits elsewhere in the layout.
    let post_depth = depths.get(post as usize)?;
    let mut posts: Vec<u32> = Vec::new();
    let mut inside_end = None;
    for (index, element) in page.elements.iter().enumerate() {
        let index = index as u32;
        if inside_end.is_some_and(|end| index <= end) {
            continue;
        }
        if element.template == template
            && prose[index as usize] > 0.0
            && furniture[index as usize].is_none()
            && depths.get(index as usize) == Some(post_depth)
        {
            posts.push(index);
            inside_end = Some(element.end);
        }
    }
    if posts.len() < THREAD_POSTS || !posts.contains(&post) {
        return None;
    }
    let root = posts
        .iter()
        .skip(1)
        .fold(posts[0], |root, &later| ancestor_holding(page, root, later));
    let posts_prose: f32 = posts.iter().map(|&post| prose[post as usize]).sum();
    let replies_prose = posts_prose - prose[post as usize];
    let holds_thread = posts_prose >= THREAD_SHARE * prose[root as usize];
    let has_replies = replies_prose >= REPLIES_SHARE * prose[post as usize];
    (holds_thread && has_replies && furniture[root as usize].is_none()).then_some(root)
}

/// How many elements hold each element. Preorder puts every parent
/// before its children, so one forward sweep counts them all.
fn depths(page: &Page) -> Vec<u32> {
    let mut depths: Vec<u32> = Vec::with_capacity(page.elements.len());
    for element in &page.elements {
        let depth = depths
            .get(element.parent as usize)
            .map_or(0, |parent| parent + 1);
        depths.push(depth);
    }
    depths
}

/// The smallest element holding both elements `a` and `b`, `a` first.
fn ancestor_holding(page: &Page, a: u32, b: u32) -> u32 {
    let mut element = a;
    while let Some(node) = page.elements.get(element as usize) {
        if node.end >= b || node.parent == NONE {
            break;
        }
        element = node.parent;
    }
    element
}

/// The headline's region replaces the chosen element when it holds at
/// least this share of the chosen element's prose.
const HEADLINE_SHARE: f32 = 0.2;

/// The element under the page's headline, when the chosen element lies
/// apart from every heading that repeats the title and holds not much more
/// prose than the first one's region.
///
/// On a blog the post may be two sentences under its title, while the
/// sidebar's "about me" blurb is a longer paragraph: by weight the blurb
/// wins. The heading that repeats the page's title (`og:title`, `<title>`)
/// says where the article is. Its region is the smallest element holding
/// it and the first paragraph after it.
///
/// The chosen element stands when any such heading vouches for it: the
/// heading lies inside it, the first prose after the heading does, or the
/// region is a sibling just before it with less prose (the post's head,
/// with its byline, next to the post's body). A title such as "Blog name: Post"
/// matches both the blog's name in the masthead and the post's heading,
/// and the post's vouches. A headline in a header apart from a long body,
/// with a standfirst under it, holds far less prose than the body and
/// does not win.
fn headline_region(page: &Page, shapes: &[Shape], chosen: u32, title: &str) -> Option<u32> {
    let title = match_key(title);
    if title.chars().count() < HEADLINE_CHARS {
        return None;
    }
    let chosen_element = page.elements.get(chosen as usize)?;
    let holds = |element: u32, owner: u32| {
        page.elements
            .get(element as usize)
            .is_some_and(|e| (element..=e.end).contains(&owner))
    };
    // Each matching heading, the first prose after it, and its region.
    let regions: Vec<(usize, usize, u32)> = page
        .blocks
        .iter()
        .zip(shapes)
        .enumerate()
        .filter(|(_, (block, shape))| {
            shape.heading && headline_matches(&match_key(&block.text), &title)
        })
        .filter_map(|(headline, _)| {
            let first_prose = (headline + 1..page.blocks.len()).find(|&i| shapes[i].prose)?;
            Some((
                headline,
                first_prose,
                common_ancestor(page, headline, first_prose),
            ))
        })
        .collect();
    if regions.is_empty() {
        return None;
    }
    let prose = prose_totals(page, shapes);
    let share = |element: u32| prose.get(element as usize).copied().unwrap_or(0.0);
    let vouches = |&(headline, first_prose, region): &(usize, usize, u32)| {
        let head_of_post = page.elements.get(region as usize).is_some_and(|e| {
            e.parent == chosen_element.parent && e.end < chosen && share(region) < share(chosen)
        });
        holds(chosen, page.blocks[headline].owner)
            || holds(chosen, page.blocks[first_prose].owner)
            || holds(region, chosen)
            || head_of_post
    };
    if regions.iter().any(vouches) {
        return None;
    }
    let (_, _, region) = regions[0];
    if (chosen..=chosen_element.end).contains(&region) {
        return None;
    }
    (share(region) >= HEADLINE_SHARE * share(chosen)).then_some(region)
}

/// Titles shorter than this (in letters and digits) match too much.
const HEADLINE_CHARS: usize = 8;

/// Lowercase letters and digits, for comparing a heading with the title.
fn match_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The heading is the title, or one holds the other and the shorter is
/// most of the longer (a title with its site name, a heading with a kicker).
fn headline_matches(heading: &str, title: &str) -> bool {
    let (short, long) = if heading.len() <= title.len() {
        (heading, title)
    } else {
        (title, heading)
    };
    short.chars().count() >= HEADLINE_CHARS
        && long.contains(short)
        && 5 * short.len() >= 2 * long.len()
}

/// Why a block does not belong to the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Keep,
    /// Outside the chosen element.
    Outside,
    /// Inside it, but under page furniture.
    Furniture(Junk),
    /// Inside it, but mostly link text.
    Links,
}

impl Verdict {
    /// The rule name and reason for the audit.
    pub(crate) fn removal(self) -> Option<(&'static str, String)> {
        match self {
            Verdict::Keep => None,
            Verdict::Outside => Some(("outside_content", "outside the main content".to_owned())),
            Verdict::Furniture(junk) => Some((
                junk.rule(),
                format!(
                    "inside a {} element of the page",
                    junk.rule().replace('_', " ")
                ),
            )),
            Verdict::Links => Some(("link_dense", "mostly link text".to_owned())),
        }
    }
}

/// Judges every block against the chosen element.
fn judge(
    page: &Page,
    shapes: &[Shape],
    furniture: &[Option<(Junk, u32)>],
    chosen: u32,
    run: RangeInclusive<usize>,
    limits: &Thresholds,
) -> Vec<Verdict> {
    let Some(root) = page.elements.get(chosen as usize) else {
        return vec![Verdict::Keep; page.blocks.len()];
    };
    let inside = chosen..=root.end;
    page.blocks
        .iter()
        .zip(shapes)
        .enumerate()
        .map(|(index, (block, shape))| {
            if !inside.contains(&block.owner) || !run.contains(&index) {
                return Verdict::Outside;
            }
            let inner_furniture = furniture
                .get(block.owner as usize)
                .copied()
                .flatten()
                .filter(|(_, carrier)| *carrier > chosen);
            if let Some((junk, _)) = inner_furniture {
                return Verdict::Furniture(junk);
            }
            if shape.link_share > limits.link_cut {
                return Verdict::Links;
            }
            Verdict::Keep
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::walk::walk;
    use super::*;
    use scraper::Html;

    const PROSE: &str = "The council voted on Tuesday to expand the river park, after months of debate over its cost and the trees it would need, and work starts in spring.";

    fn kept(html: &str) -> Vec<String> {
        kept_under_title(html, None)
    }

    fn kept_with_title(html: &str, title: &str) -> Vec<String> {
        kept_under_title(html, Some(title))
    }

    fn kept_under_title(html: &str, title: Option<&str>) -> Vec<String> {
        let page = walk(&Html::parse_document(html), 10_000, 512, false).unwrap();
        let verdicts = extract(&page, &Favor::Balanced.thresholds(), title);
        page.blocks
            .iter()
            .zip(verdicts)
            .filter(|(_, verdict)| *verdict == Verdict::Keep)
            .map(|(block, _)| block.text.clone())
            .collect()
    }

    /// A forum thread: each post in a table row, beside a box of links
    /// about its poster. The opening post alone outweighs the thread with
    /// its link boxes; the replies share its template.
    fn thread(replies_class: &str, around: &str) -> String {
        let poster = "<td><a href=/u>profile</a> <a href=/m>private message</a> <a href=/w>website</a> <a href=/k>karma</a> <a href=/b>badges</a> <a href=/r>report to moderator</a></td>";
        let opening = format!("<tr>{poster}<td><div class=\"post body\"><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></div></td></tr>");
        let replies: String = (0..8)
            .map(|i| {
                format!("<tr>{poster}<td><div class=\"{replies_class} reply-{i}\"><p>Reply {i}: I agree, the park needed that money, and the trees too.</p></div></td></tr>")
            })
            .collect();
        format!("<body><div class=nav><a href=/>Forum</a> <a href=/b>Board</a></div>{around}<table>{opening}{replies}</table></body>")
    }

    #[test]
    fn every_post_of_a_forum_thread_is_kept() {
        let kept = kept(&thread("post body", ""));
        assert_eq!(kept.len(), 11, "{kept:?}");
        assert!(
            kept[3..].iter().all(|text| text.starts_with("Reply")),
            "{kept:?}"
        );
    }

    #[test]
    fn boxes_of_another_template_are_not_posts() {
        let kept = kept(&thread("teaser", ""));
        assert_eq!(kept, [PROSE, PROSE, PROSE]);
    }

    #[test]
    fn comments_built_like_the_post_are_not_posts_of_a_thread() {
        let comment =
            "<div class=text><p>Great post, thank you, I learned a lot from it today.</p></div>";
        let html = format!(
            "<body><div class=text><p>{PROSE}</p><p>{PROSE}</p></div>\
             <div class=comments>{comment}{comment}{comment}</div></body>"
        );
        assert_eq!(kept(&html), [PROSE, PROSE]);
    }

    #[test]
    fn look_alike_boxes_do_not_pull_in_the_prose_between_them() {
        let boxes = |between: &str| {
            format!(
                "<body><div class=box><p>{PROSE}</p><p>{PROSE}</p></div>{between}\
                 <div class=box><p>{PROSE}</p></div><div class=box><p>{PROSE}</p></div></body>"
            )
        };
        let thread_from_first_box = |html: &str| {
            let page = walk(&Html::parse_document(html), 10_000, 512, false).unwrap();
            let shapes: Vec<Shape> = page.blocks.iter().map(shape).collect();
            let prose = prose_totals(&page, &shapes);
            let furniture = furniture(&page, &shapes, &prose);
            let first_box = page.blocks[0].owner;
            let first_box = page.elements[first_box as usize].parent;
            thread_of(&page, &prose, &furniture, &depths(&page), first_box)
        };
        assert!(thread_from_first_box(&boxes("")).is_some());
        let essay: String = (0..6).map(|_| format!("<p>{PROSE}</p>")).collect();
        assert_eq!(
            thread_from_first_box(&boxes(&format!("<div class=essay>{essay}</div>"))),
            None
        );
    }

    #[test]
    fn on_a_flat_layout_the_run_of_paragraphs_beats_a_longer_legal_notice() {
        let links: String = (0..15)
            .map(|i| {
                format!("<p><a href=/{i}>Another story from the same section, number {i}</a></p>")
            })
            .collect();
        let legal = "All content on this site is provided by its partners under agreement, and may not be reproduced, distributed or transmitted in any form without the written permission of the copyright holders, who reserve all rights, including those of translation, in every country of the world, now and later.";
        let html = format!(
            "<table><tr><td><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p>{links}</td></tr></table><div><p>{legal}</p></div>"
        );
        let kept = kept(&html);
        assert_eq!(kept.len(), 4, "{kept:?}");
        assert!(kept.iter().all(|text| text == PROSE));
    }

    #[test]
    fn the_article_wins_over_menus_and_sidebars() {
        let html = format!(
            "<body><nav><ul><li><a href=/>Home</a></li><li><a href=/n>News</a></li></ul></nav>\
             <div class=main><h1>Park grows</h1><p>{PROSE}</p><p>{PROSE}</p>\
             <div class=share><a href=#>Share on Facebook</a></div></div>\
             <div class=sidebar><p>{PROSE}</p></div><footer><p>© 2025 Example News. All rights reserved.</p></footer></body>"
        );
        assert_eq!(kept(&html), ["Park grows", PROSE, PROSE]);
    }

    #[test]
    fn a_short_post_under_its_headline_beats_a_longer_about_me_blurb() {
        let post = "Repurposing food as art is creative, and these are good.";
        let html = format!(
            "<body><div class=about><p>{PROSE}</p></div>\
             <div class=entry><h2><a href=/p>Creative Food Sculptures</a></h2>\
             <div class=text><p>{post}</p></div>\
             <ul><li><a href=/f>Share on Facebook</a></li><li><a href=/t>Share on Twitter</a></li>\
             <li><a href=/m>Share by email</a></li></ul></div></body>"
        );
        assert_eq!(kept(&html), [PROSE]);
        // The headline itself is all link, so it goes with the link text.
        assert_eq!(kept_with_title(&html, "Creative Food Sculptures"), [post]);
    }

    #[test]
    fn a_headline_with_its_byline_beside_the_body_leaves_the_body_chosen() {
        let html = format!(
            "<body><div class=post><div class=head><h1>Park grows again</h1>\
             <p>Published on December 11, 2009, in Local News, by the city desk.</p></div>\
             <div class=body><p>{PROSE}</p><p>{PROSE}</p></div></div></body>"
        );
        assert_eq!(kept_with_title(&html, "Park grows again"), kept(&html));
    }

    #[test]
    fn a_masthead_matching_part_of_the_title_does_not_move_the_article() {
        let html = format!(
            "<body><header><h1>Healthcare Notes</h1><p>{PROSE}</p></header>\
             <main><h2>In Shanghai this week</h2><p>{PROSE} More.</p><p>{PROSE}</p></main></body>"
        );
        let title = "Healthcare Notes: In Shanghai this week";
        assert_eq!(kept_with_title(&html, title), kept(&html));
    }

    #[test]
    fn a_post_wrapper_named_as_meta_holds_the_article_when_comments_outweigh_it() {
        let post: String = (0..6).map(|_| format!("<p>{PROSE}</p>")).collect();
        let comments: String = (0..12)
            .map(|_| format!("<p>{PROSE} I agree.</p>"))
            .collect();
        let html = format!(
            "<body><div class=post-meta><h1>Park grows</h1>{post}</div>\
             <div id=comments>{comments}</div>\
             <div class=about><p>{PROSE} About us.</p></div></body>"
        );
        let kept = kept(&html);
        assert_eq!(kept.len(), 7, "{kept:?}");
        assert!(kept[1..].iter().all(|text| text == PROSE));
    }

    #[test]
    fn a_poem_of_short_lines_outweighs_its_byline() {
        let poem = "I wander often from the way,<br>And sin afflicts me every day:<br>\
                    Oh, when shall I be pure?<br>Christ leads me to the path again,<br>\
                    And washes me from every stain,<br>A cleansing full and sure.";
        let html = format!(
            "<body><div class=post><h1>A hymn</h1><div class=body>{poem}</div>\
             <div class=author>Posted October 27, 2012 at 3:28 PM by Jeremy Walker</div></div>\
             <div class=archive>October 2012 (33)<br>September 2012 (37)<br>August 2012 (37)<br>\
             July 2012 (21)<br>June 2012 (35)<br>May 2012 (29)<br>April 2012 (40)<br>March 2012 (38)</div></body>"
        );
        let kept = kept(&html);
        assert!(
            kept.contains(&"And washes me from every stain,".to_owned()),
            "{kept:?}"
        );
        assert!(!kept.iter().any(|line| line.contains("2012 (")), "{kept:?}");
    }

    #[test]
    fn a_post_content_inside_a_box_named_as_meta_is_the_article() {
        let post: String = (0..8).map(|_| format!("<p>{PROSE}</p>")).collect();
        // Blurbs in the sidebar and the footer hold more of the page's
        // prose than the post does, so the box's name is not voided as the
        // name of the page's main wrapper.
        let blurb: String = (0..5).map(|_| PROSE).collect::<Vec<_>>().join(" ");
        let html = format!(
            "<body><div class=post-meta><h1>Park grows</h1>\
             <div class=post-date>Published on August 20th, 2012</div>\
             <div class=post-content>{post}</div></div>\
             <div class=sidebar><p>{blurb}</p></div><footer><p>{blurb}</p></footer></body>"
        );
        let post_kept = kept(&html);
        assert_eq!(post_kept.len(), 8, "{post_kept:?}");
        assert!(post_kept.iter().all(|text| text == PROSE));
        // An author's bio box named so is still furniture.
        let html = format!(
            "<body><article><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p>\
             <div class=author-meta><div class=bio-content><p>{PROSE}</p></div></div></article></body>"
        );
        assert_eq!(kept(&html), [PROSE, PROSE, PROSE]);
    }

    #[test]
    fn a_footer_blurb_on_a_page_with_little_prose_stays_furniture() {
        let post = "Sports balls, disco balls, meatballs: all in this short film.";
        let blurb = "Our site is the neat side of the Web. We bring you the neatest, weirdest and most wonderful stuff from all over the Web, every single day.";
        let html = format!(
            "<body><div class=entry><h1>Ball</h1><p>{post}</p></div>\
             <div id=comments><p>{PROSE}</p></div>\
             <footer><p>{blurb}</p></footer></body>"
        );
        assert_eq!(kept(&html), ["Ball", post]);
    }

    #[test]
    fn comments_under_the_article_are_dropped_by_name() {
        let html = format!(
            "<article><p>{PROSE}</p><p>{PROSE}</p><section id=comments><p>{PROSE} I agree!</p></section></article>"
        );
        assert_eq!(kept(&html), [PROSE, PROSE]);
    }

    #[test]
    fn link_lists_inside_the_article_are_dropped() {
        let html = format!(
            "<article><p>{PROSE}</p><ul><li><a href=/a>Another story about parks and rivers</a></li></ul><p>{PROSE}</p></article>"
        );
        assert_eq!(kept(&html), [PROSE, PROSE]);
    }

    #[test]
    fn a_page_without_prose_has_no_content_element() {
        let page = walk(&Html::parse_document("<a href=/>Home</a>"), 100, 512, false).unwrap();
        let limits = Favor::Balanced.thresholds();
        let shapes: Vec<Shape> = page.blocks.iter().map(shape).collect();
        let furniture = furniture(&page, &shapes, &prose_totals(&page, &shapes));
        let weights = block_weights(&page, &shapes, &furniture, &limits);
        assert_eq!(choose(&page, &weights, &furniture), None);
        assert_eq!(extract(&page, &limits, None), [Verdict::Keep]);
    }
}
