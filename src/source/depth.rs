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

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

use super::lex::tokens::{Kind, Tokens};

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

    /// Counts a step; returns the opening delimiter of a group to descend into (its depth is
    /// the second value then), and the deepest estimate reached.
    fn step(&mut self, tokens: &Tokens<'_>, step: Step) -> (Option<usize>, usize) {
        let segment = &mut self.segment;
        segment.tokens += step.count;
        let before_angle = tokens.is_punct(step.end, '<');
        let type_before = match tokens.get(step.at).map(|t| t.kind) {
            // Only a name followed by `<` is spelled out.
            Some(Kind::Ident) if before_angle => tokens
                .name(step.at)
                .trim_start_matches("r#")
                .starts_with(|c: char| c.is_uppercase()),
            Some(Kind::Ident) => false,
            Some(Kind::Punct(..)) => true,
            _ => segment.after != After::Operand,
        };
        let (entered, reached) = count(segment, self.base, tokens, step);
        // Set after counting: it is what the next token sees.
        segment.type_before = type_before;
        (entered, reached)
    }
}

/// Counts a step into `segment` (of a level starting at depth `base`); see [`Cursor::step`].
fn count(
    segment: &mut Segment,
    base: usize,
    tokens: &Tokens<'_>,
    step: Step,
) -> (Option<usize>, usize) {
    let mut peak = segment.units();
    let Some(kind) = tokens.get(step.at).map(|t| t.kind) else {
        return (None, base + peak);
    };
    match kind {
        Kind::Open(delimiter) => {
            let attribute = matches!(segment.after, After::Attribute | After::AttributeBody)
                && delimiter == Delimiter::Bracket;
            segment.after = After::Operand;
            let depth = base + segment.units() + 1;
            if attribute {
                // `#[…]` and `#![…]` are siblings, not nested: what follows starts afresh.
                segment.end();
                return (Some(step.at), depth);
            }
            let next_starts_statement = match tokens.get(step.end).map(|t| t.kind) {
                Some(Kind::Ident) => {
                    let next = tokens.name(step.end);
                    next != "else" && next != "as"
                }
                Some(Kind::Punct(p, _)) => p == '#',
                _ => false,
            };
            if delimiter == Delimiter::Brace && next_starts_statement {
                // A block that ends a statement: what follows starts afresh.
                segment.end();
            }
            return (Some(step.at), depth);
        }
        Kind::Ident => word(segment, tokens.name(step.at)),
        Kind::Literal => segment.after = After::Operand,
        Kind::Punct(..) => {
            // The run, split into operators, longest first.
            let char_at = |i: usize| match tokens.get(i).map(|t| t.kind) {
                Some(Kind::Punct(c, _)) => c,
                _ => ' ',
            };
            let len = step.end - step.at;
            let mut i = 0;
            while i < len {
                let mut op = [' '; 3];
                for (k, slot) in op.iter_mut().enumerate().take(len - i) {
                    *slot = char_at(step.at + i + k);
                }
                let available = (len - i).min(3);
                let width = (2..=available)
                    .rev()
                    .find(|&n| OPERATORS.contains(&op.get(..n).unwrap_or_default()))
                    .unwrap_or(1);
                operator(segment, op.get(..width).unwrap_or_default());
                peak = peak.max(segment.units());
                i += width;
            }
        }
        Kind::Close => {}
    }
    (None, base + peak.max(segment.units()))
}

/// What the previous token leaves the parser expecting.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum After {
    /// An operand: a following operator is binary or postfix (a chain link).
    Operand,
    /// An operator, keyword or the start: a following operator is prefix (a nesting level).
    #[default]
    Operator,
    /// A `#`: a following `!` makes an inner attribute, not a negation.
    Attribute,
    /// `#!`: the attribute's brackets follow.
    AttributeBody,
}

/// The running count of one expression, type or pattern at one delimiter level.
#[derive(Clone, Copy, Default)]
struct Segment {
    nesting: usize,
    angles: usize,
    /// Every token of the segment: whatever recursion it makes that is not counted as nesting
    /// (chains, or a construct the counting does not know), it cannot recurse deeper than it is
    /// long.
    tokens: usize,
    after: After,
    closure_params: bool,
    /// A `use` item: each `::` of its tree is one more level.
    in_use: bool,
    /// The previous token may end a type path (an upper-case name, `Self`), or was not an
    /// operand at all: a `<` opens generics rather than compares.
    type_before: bool,
}

impl Segment {
    fn units(&self) -> usize {
        self.nesting + self.angles + self.tokens / CHAIN_LINKS_PER_UNIT
    }

    /// A `;`, `=>` or `,` outside generics ends the expression.
    fn end(&mut self) {
        *self = Segment::default();
    }
}

/// Counts an identifier: a keyword that nests (`return`), one that links (`else`, `as`), one
/// after which an operator is prefix (`mut`, `if`…), or an operand.
fn word(segment: &mut Segment, ident: &str) {
    match ident {
        "return" | "break" | "yield" | "box" | "become" => {
            segment.nesting += 1;
            segment.after = After::Operator;
        }
        "else" | "as" => segment.after = After::Operator,
        "mut" | "const" | "dyn" | "impl" | "unsafe" | "move" | "async" | "static" | "ref"
        | "let" | "if" | "match" | "while" | "for" | "in" | "where" | "loop" | "fn" | "type"
        | "pub" | "use" | "struct" | "enum" | "trait" | "mod" => {
            segment.in_use |= ident == "use";
            segment.after = After::Operator;
        }
        _ => segment.after = After::Operand,
    }
}

/// Operators of several characters; any other run of joint punctuation is read a character at
/// a time.
const OPERATORS: &[&[char]] = &[
    &['&', '&'],
    &['|', '|'],
    &['-', '>'],
    &['=', '>'],
    &[':', ':'],
    &[':', ':', '<'],
    &['.', '.'],
    &['.', '.', '='],
    &['.', '.', '.'],
    &['<', '<'],
    &['>', '>'],
    &['<', '='],
    &['>', '='],
    &['=', '='],
    &['!', '='],
    &['+', '='],
    &['-', '='],
    &['*', '='],
    &['/', '='],
    &['%', '='],
    &['^', '='],
    &['&', '='],
    &['|', '='],
    &['<', '<', '='],
    &['>', '>', '='],
];

/// Counts an operator (`&&`, `->`, `::`, `..=`, the `'` of a lifetime).
fn operator(segment: &mut Segment, op: &[char]) {
    let prefix = segment.after != After::Operand;
    let assignment = op.last() == Some(&'=') && !matches!(op, ['=' | '!' | '<' | '>', '=']);
    match op {
        [';'] | ['=', '>'] => segment.end(),
        [','] if segment.angles == 0 && !segment.closure_params => segment.end(),
        ['#'] => segment.after = After::Attribute,
        ['!'] if segment.after == After::Attribute => segment.after = After::AttributeBody,
        [':', ':'] if segment.in_use => {
            // `use a::b::…`: each segment of a use tree nests the rest.
            segment.nesting += 1;
            segment.after = After::Operator;
        }
        ['@'] => {
            // `a @ b @ …`: each binding nests the pattern after it.
            segment.nesting += 1;
            segment.after = After::Operator;
        }
        [',' | ':' | '$' | '~' | '\'' | '.'] | [':', ':'] => {
            segment.after = After::Operator;
        }
        ['-', '>'] => {
            segment.nesting += 1;
            segment.after = After::Operator;
        }
        ['<'] if !segment.type_before => {
            // A comparison (`a < b`, `1 < x`): a token like any other.
            segment.after = After::Operator;
        }
        ['<'] | [':', ':', '<'] => {
            // Generics (`Vec<`, `f::<`, `<T as Trait>`). Lower-case generic types are taken
            // for comparisons; the count of tokens still bounds them.
            segment.angles += 1;
            segment.after = After::Operator;
        }
        ['<', '<'] if prefix => segment.angles += 2,
        ['>'] => {
            segment.angles = segment.angles.saturating_sub(1);
            segment.after = After::Operand;
        }
        ['>', '>'] => {
            segment.angles = segment.angles.saturating_sub(2);
            segment.after = After::Operand;
        }
        ['?'] => {
            segment.after = After::Operand;
        }
        ['|'] | ['|', '|'] if segment.closure_params => {
            segment.closure_params = false;
            segment.after = After::Operator;
        }
        ['|'] | ['|', '|'] if prefix => {
            // A closure: its body is one level deeper.
            segment.nesting += 1;
            segment.closure_params = op.len() == 1;
            segment.after = After::Operator;
        }
        _ if assignment => {
            // Assignment is right-associative: each one nests the next.
            segment.nesting += 1;
            segment.after = After::Operator;
        }
        ['!'] if !prefix => {
            // A macro's `!`: its group follows.
            segment.after = After::Operator;
        }
        _ if prefix => {
            // `&`, `&&`, `*`, `-`, `!`, `..`: one level per operator character.
            segment.nesting += op.len();
        }
        _ => {
            segment.after = After::Operator;
        }
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
