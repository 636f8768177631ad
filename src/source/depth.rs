//! How deep a token sequence makes a recursive-descent parser and tree walker go, estimated in
//! one linear pass over the tokens, without recursion, before syn or any walker of ours sees
//! them.
//!
//! syn parses, visits and drops syntax trees recursively, and so do parts of the engine. Nesting
//! that is not delimiters recurses too: `&&&…u8`, `V<V<…>>`, `|x| |x| …`, `return return …`,
//! `fn() -> fn() -> …`, `!!!x`, `a = b = …`. Long flat chains (`a.b().c()…`, `a + b + …`,
//! `else if …`) build left-deep trees whose walk recurses once per link, at a small fraction of
//! the stack a nesting level costs. An item whose estimate passes the bound is reported as not
//! checked instead of being handed to syn, so no input can overflow a stack.
//!
//! The estimate is an upper bound in practice, not a proof: each construct that opens a level of
//! recursion in syn counts as one unit, and each chain link as `1 / CHAIN_LINKS_PER_UNIT`.
//! Real code stays far below the bound (see the tests); generated or hostile code above it is
//! reported. Counting restarts at `;`, `,` (outside generics) and `=>`, and after a block that
//! ends a statement.

mod count;

use proc_macro2::{Spacing, TokenStream, TokenTree};

use super::lex::tokens::{Kind, Tokens};
use count::Segment;

/// Tokens of one expression that cost as much stack as one level of nesting. Whatever a run of
/// tokens builds that is not counted as nesting (a chain of calls, fields, `?`, binary operators,
/// `else if`, or a construct the counting does not know), it recurses at most once per token.
/// Measured with syn 3 on a bare parse, visit and drop: a nesting level costs 1.3 to 8 KB of stack
/// in release builds (14 to 60 KB in debug builds) and a chain link 0.03 to 0.15 KB (0.5 to
/// 0.7 KB); 16 tokens per unit leaves 8 KB per token even for an unknown construct.
pub const CHAIN_LINKS_PER_UNIT: usize = 16;

/// The estimated recursion depth of `tokens`, in units of one nesting level. Stops counting
/// once `limit` is passed (the result is then some value above `limit`).
pub fn depth_units(tokens: &[TokenTree], limit: usize) -> usize {
    let flat = Tokens::from_trees(tokens.to_vec());
    peaks(&flat, limit).into_iter().max().unwrap_or(0)
}

/// The estimated recursion depth of a whole token stream; see [`depth_units`].
pub fn stream_depth_units(stream: &TokenStream, limit: usize) -> usize {
    peaks(&Tokens::from_stream(stream), limit)
        .into_iter()
        .max()
        .unwrap_or(0)
}

/// For each top-level token of `tokens` (a file's top level), the deepest estimate reached
/// while reading it and everything nested in it. A token whose estimate passes `limit` gets
/// `limit + 1`, and what is nested in it is not read further, so the pass stays linear whatever
/// the input. A group counts as one token.
pub fn peaks(tokens: &Tokens<'_>, limit: usize) -> Vec<usize> {
    top_level(tokens, limit)
        .into_iter()
        .map(|top| top.peak(tokens, limit))
        .collect()
}

/// The estimate of one top-level token before what is nested in it is read (kept small: a file
/// has one per top-level token).
#[derive(Debug, Clone, Copy)]
pub struct Top {
    /// The deepest estimate reached at the top level: for a group, the depth it opens at.
    reached: u32,
    /// The group's opening delimiter, for a group whose contents are to be read; else
    /// [`Top::NONE`].
    group: u32,
}

impl Top {
    const NONE: u32 = u32::MAX;

    /// The deepest estimate reached while reading the token and everything nested in it, at
    /// most `limit + 1`: [`peaks`] for this one token.
    pub fn peak(self, tokens: &Tokens<'_>, limit: usize) -> usize {
        let reached = self.reached as usize;
        let deepest = if self.group == Top::NONE {
            reached
        } else {
            descend(tokens, self.group as usize, reached, limit)
        };
        deepest.min(limit.saturating_add(1))
    }
}

/// The top-level pass of [`peaks`], without reading inside groups: one entry per top-level
/// token. What is nested in a group depends only on the depth the group opens at, so it can be
/// read later, for the items that need it ([`Top::peak`]).
pub fn top_level(tokens: &Tokens<'_>, limit: usize) -> Vec<Top> {
    let mut out = Vec::new();
    let mut top = Cursor::default();
    while let Some(step) = top.next(tokens) {
        let (group, reached) = top.step(tokens, step);
        let group = group
            .filter(|_| reached <= limit)
            .and_then(|open| u32::try_from(open).ok())
            .unwrap_or(Top::NONE);
        // Past the limit, how far past does not matter.
        let reached = u32::try_from(reached.min(limit.saturating_add(1))).unwrap_or(u32::MAX);
        out.extend(std::iter::repeat_n(Top { reached, group }, step.count));
    }
    out
}

/// The deepest estimate reached inside the group opened at `open`, which opens at depth
/// `entry`; reading stops once `limit` is passed.
fn descend(tokens: &Tokens<'_>, open: usize, entry: usize, limit: usize) -> usize {
    let mut deepest = entry;
    // The levels being read.
    let mut nested = vec![Cursor::inside(open, entry)];
    while deepest <= limit {
        let Some(cursor) = nested.last_mut() else {
            break;
        };
        let Some(step) = cursor.next(tokens) else {
            nested.pop();
            continue;
        };
        let (entered, reached) = cursor.step(tokens, step);
        deepest = deepest.max(reached);
        if let Some(open) = entered {
            nested.push(Cursor::inside(open, reached));
        }
    }
    deepest
}

/// The tokens read in one step: one token (a whole group), or a run of joint punctuation.
#[derive(Clone, Copy)]
struct Step {
    /// Index of the first token.
    at: usize,
    /// Index of the next token at the same level.
    end: usize,
    /// Tokens at this level in the step.
    count: usize,
}

/// Where reading stands in one delimiter level, the depth the level starts at, and the running
/// count of its current expression.
#[derive(Default)]
struct Cursor {
    at: usize,
    base: usize,
    segment: Segment,
}

impl Cursor {
    /// The level inside the group opened at `open`, which starts at `depth`.
    fn inside(open: usize, depth: usize) -> Self {
        Cursor {
            at: open + 1,
            base: depth,
            ..Cursor::default()
        }
    }

    /// The next step of this level, `None` at its closing delimiter or the end.
    fn next(&mut self, tokens: &Tokens<'_>) -> Option<Step> {
        let token = tokens.get(self.at)?;
        let at = self.at;
        let mut end = tokens.next_sibling(at);
        match token.kind {
            Kind::Close => return None,
            Kind::Punct(_, first) => {
                let mut spacing = first;
                while spacing == Spacing::Joint {
                    match tokens.get(end) {
                        Some(next) => match next.kind {
                            Kind::Punct(_, joint) => {
                                spacing = joint;
                                end += 1;
                            }
                            _ => break,
                        },
                        None => break,
                    }
                }
            }
            _ => {}
        }
        self.at = end;
        let count = if matches!(token.kind, Kind::Open(_)) {
            1
        } else {
            end - at
        };
        Some(Step { at, end, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(text: &str) -> usize {
        let tokens: Vec<TokenTree> = text.parse::<TokenStream>().unwrap().into_iter().collect();
        depth_units(&tokens, usize::MAX)
    }

    #[test]
    fn ordinary_code_is_shallow() {
        let code = r"
            pub fn load(path: &Path) -> Result<HashMap<String, Vec<u8>>, Error> {
                let text = fs::read_to_string(path).map_err(|e| Error::Io(e))?;
                if !text.is_empty() && text.len() < 200 { return Err(Error::Empty) }
                if let Some(x) = map.get(&key) { x.clone() } else if a < b { 1 } else { 2 };
                let v: Vec<&mut Option<Box<dyn Fn(&str) -> bool + Send>>> = Vec::new();
                items.iter().filter(|x| x.a > 1).map(|x| x.b * 2 + 1).collect::<Vec<_>>();
                match x { Some(a) => a, None => b }
            }";
        let depth = units(code);
        assert!(depth < 12, "{depth}");
        let docs =
            "//! line\n".repeat(1000) + "#![allow(x)]\n" + &"/// doc\n#[inline]\n".repeat(1000);
        assert!(
            units(&(docs + "fn f() {}")) < 4,
            "doc comments are attributes"
        );
        let comparisons = format!("fn f() {{ let v = vec![{}]; }}", "a < b, ".repeat(1000));
        assert!(units(&comparisons) < 4, "comparisons are not generics");
    }

    #[test]
    fn each_nesting_shape_counts_per_level() {
        let n = 300;
        let shapes = [
            format!("fn f() {{ let x = {}1{}; }}", "(".repeat(n), ")".repeat(n)),
            format!("fn f(x: {}u8) {{}}", "&".repeat(n)),
            format!("fn f(x: {}u8{}) {{}}", "V<".repeat(n), ">".repeat(n)),
            format!("fn f(x: {}u8{}) {{}}", "V<u8, ".repeat(n), ">".repeat(n)),
            format!("fn f() {{ let x = {}a; }}", "!".repeat(n)),
            format!("fn f() {{ let x = {}a; }}", "- ".repeat(n)),
            format!("fn f() {{ let x = {}a; }}", "*&".repeat(n / 2)),
            format!("fn f() {{ let x = {}1; }}", "|x| ".repeat(n)),
            format!("fn f() {{ let x = {}1; }}", "move || ".repeat(n)),
            format!("fn f() {{ {}1; }}", "return ".repeat(n)),
            format!("type T = {}u8;", "fn() -> ".repeat(n)),
            format!("type T = Box<{}u8>;", "dyn Fn() -> ".repeat(n)),
            format!("fn f() {{ {}1; }}", "a = ".repeat(n)),
            format!("fn f() {{ g::<{}u8{}>(); }}", "V<".repeat(n), ">".repeat(n)),
            format!("mod m {{ {}{} }}", "mod m { ".repeat(n), "}".repeat(n)),
            format!("#![cfg({}test{})]", "any(".repeat(n), ")".repeat(n)),
        ];
        for shape in &shapes {
            assert!(units(shape) >= n, "{} → {}", &shape[..40], units(shape));
        }
    }

    #[test]
    fn chains_count_a_fraction_per_link() {
        let n = 160_000;
        let shapes = [
            format!("fn f() {{ a{}; }}", ".unwrap()".repeat(n)),
            format!("fn f() {{ a{}; }}", " + a".repeat(n)),
            format!("fn f() {{ a{}; }}", "?".repeat(n)),
            format!("fn f() {{ if a {{}} {} }}", "else if a {} ".repeat(n)),
            format!("fn f() {{ a{}; }}", " as u8".repeat(n)),
        ];
        for shape in &shapes {
            let depth = units(shape);
            assert!(
                depth >= n / CHAIN_LINKS_PER_UNIT && depth <= 4 * n / CHAIN_LINKS_PER_UNIT + 4,
                "{} → {depth}",
                &shape[..30]
            );
        }
        let statements = "fn f() { ".to_owned() + &"a.b().c()?;".repeat(n) + " }";
        assert!(units(&statements) < 4, "statements restart the count");
        let ifs = "fn f() { ".to_owned() + &"if !a { return; } ".repeat(n) + " }";
        assert!(units(&ifs) < 6, "a block ending a statement restarts it");
    }

    #[test]
    fn every_token_gets_a_peak() {
        let text = "#![allow(x)] fn f() { a && b; } const X: u8 = 1 ..= 2;";
        let tokens: Vec<TokenTree> = text.parse::<TokenStream>().unwrap().into_iter().collect();
        let flat = Tokens::from_trees(tokens.clone());
        assert_eq!(peaks(&flat, 256).len(), tokens.len());
    }

    #[test]
    fn counting_stops_past_the_limit() {
        let deep = format!("{}{}", "(".repeat(100_000), ")".repeat(100_000));
        let tokens: Vec<TokenTree> = deep.parse::<TokenStream>().unwrap().into_iter().collect();
        let depth = depth_units(&tokens, 500);
        assert!(depth > 500 && depth < 1_000);
    }
}
