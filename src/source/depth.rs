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
    peaks(tokens, limit).into_iter().max().unwrap_or(0)
}

/// The estimated recursion depth of a whole token stream; see [`depth_units`].
pub fn stream_depth_units(stream: &TokenStream, limit: usize) -> usize {
    let tokens: Vec<TokenTree> = stream.clone().into_iter().collect();
    depth_units(&tokens, limit)
}

/// For each token of `tokens` (a file's top level), the deepest estimate reached while reading
/// it and everything nested in it. A token whose estimate passes `limit` gets `limit + 1`, and
/// what is nested in it is not read further, so the pass stays linear whatever the input.
pub fn peaks(tokens: &[TokenTree], limit: usize) -> Vec<usize> {
    let cap = limit.saturating_add(1);
    let mut out = Vec::with_capacity(tokens.len());
    let mut top = Cursor::default();
    // The groups being read below the current top-level token: their tokens and cursors.
    let mut nested: Vec<(Vec<TokenTree>, Cursor)> = Vec::new();
    while let Some((at, end)) = top.next(tokens) {
        let (entered, mut deepest) = top.step(tokens, at, end);
        if let Some(group) = entered {
            if deepest <= limit {
                nested.push((group.into_iter().collect(), Cursor::at_depth(deepest)));
            }
            while deepest <= limit {
                let Some((inner, cursor)) = nested.last_mut() else {
                    break;
                };
                let Some((at, end)) = cursor.next(inner) else {
                    nested.pop();
                    continue;
                };
                let (entered, reached) = cursor.step(inner, at, end);
                deepest = deepest.max(reached);
                if let Some(group) = entered {
                    nested.push((group.into_iter().collect(), Cursor::at_depth(reached)));
                }
            }
            nested.clear();
        }
        // One entry per token, a run of punctuation included.
        out.extend(std::iter::repeat_n(deepest.min(cap), end - at));
    }
    out
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
    /// A level whose group opens at `depth`.
    fn at_depth(depth: usize) -> Self {
        Cursor {
            base: depth,
            ..Cursor::default()
        }
    }

    /// The next token's index range in `tokens`: one token, or a run of joint punctuation
    /// (an operator such as `&&` or `..=`, or several).
    fn next(&mut self, tokens: &[TokenTree]) -> Option<(usize, usize)> {
        let token = tokens.get(self.at)?;
        let start = self.at;
        let mut end = start + 1;
        if let TokenTree::Punct(first) = token {
            let mut spacing = first.spacing();
            while spacing == Spacing::Joint {
                match tokens.get(end) {
                    Some(TokenTree::Punct(next)) => {
                        spacing = next.spacing();
                        end += 1;
                    }
                    _ => break,
                }
            }
        }
        self.at = end;
        Some((start, end))
    }

    /// Counts `tokens[at..end]`; returns the contents of a group to descend into (its depth is
    /// the second value then), and the deepest estimate reached.
    fn step(
        &mut self,
        tokens: &[TokenTree],
        at: usize,
        end: usize,
    ) -> (Option<TokenStream>, usize) {
        let segment = &mut self.segment;
        segment.tokens += end - at;
        let before_angle =
            matches!(tokens.get(end), Some(TokenTree::Punct(p)) if p.as_char() == '<');
        let type_before = match tokens.get(at) {
            // Only a name followed by `<` is spelled out.
            Some(TokenTree::Ident(ident)) if before_angle => ident
                .to_string()
                .trim_start_matches("r#")
                .starts_with(|c: char| c.is_uppercase()),
            Some(TokenTree::Ident(_)) => false,
            Some(TokenTree::Punct(_)) => true,
            _ => segment.after != After::Operand,
        };
        let (entered, reached) = count(segment, self.base, tokens, at, end);
        // Set after counting: it is what the next token sees.
        segment.type_before = type_before;
        (entered, reached)
    }
}

/// Counts `tokens[at..end]` into `segment` (of a level starting at depth `base`); see
/// [`Cursor::step`].
fn count(
    segment: &mut Segment,
    base: usize,
    tokens: &[TokenTree],
    at: usize,
    end: usize,
) -> (Option<TokenStream>, usize) {
    let mut peak = segment.units();
    match tokens.get(at) {
        Some(TokenTree::Group(group)) => {
            let attribute = matches!(segment.after, After::Attribute | After::AttributeBody)
                && group.delimiter() == Delimiter::Bracket;
            segment.after = After::Operand;
            let depth = base + segment.units() + 1;
            if attribute {
                // `#[…]` and `#![…]` are siblings, not nested: what follows starts afresh.
                segment.end();
                return (Some(group.stream()), depth);
            }
            let next_starts_statement = match tokens.get(end) {
                Some(TokenTree::Ident(next)) => next != "else" && next != "as",
                Some(TokenTree::Punct(p)) => p.as_char() == '#',
                _ => false,
            };
            if group.delimiter() == Delimiter::Brace && next_starts_statement {
                // A block that ends a statement: what follows starts afresh.
                segment.end();
            }
            return (Some(group.stream()), depth);
        }
        Some(TokenTree::Ident(ident)) => word(segment, ident),
        Some(TokenTree::Literal(_)) => segment.after = After::Operand,
        Some(TokenTree::Punct(_)) => {
            // The run, split into operators, longest first.
            let run = tokens.get(at..end).unwrap_or_default();
            let mut i = 0;
            while i < run.len() {
                let mut op = [' '; 3];
                for (slot, token) in op.iter_mut().zip(run.iter().skip(i)) {
                    if let TokenTree::Punct(p) = token {
                        *slot = p.as_char();
                    }
                }
                let available = (run.len() - i).min(3);
                let width = (2..=available)
                    .rev()
                    .find(|&n| OPERATORS.contains(&op.get(..n).unwrap_or_default()))
                    .unwrap_or(1);
                operator(segment, op.get(..width).unwrap_or_default());
                peak = peak.max(segment.units());
                i += width;
            }
        }
        None => {}
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
fn word(segment: &mut Segment, ident: &proc_macro2::Ident) {
    const NESTING: &[&str] = &["return", "break", "yield", "box", "become"];
    const LINKING: &[&str] = &["else", "as"];
    const PREFIXING: &[&str] = &[
        "mut", "const", "dyn", "impl", "unsafe", "move", "async", "static", "ref", "let", "if",
        "match", "while", "for", "in", "where", "loop", "fn", "type", "pub", "use", "struct",
        "enum", "trait", "mod",
    ];
    if NESTING.iter().any(|w| ident == w) {
        segment.nesting += 1;
        segment.after = After::Operator;
    } else if LINKING.iter().any(|w| ident == w) {
        segment.after = After::Operator;
    } else if PREFIXING.iter().any(|w| ident == w) {
        segment.in_use |= ident == "use";
        segment.after = After::Operator;
    } else {
        segment.after = After::Operand;
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
        assert_eq!(peaks(&tokens, 256).len(), tokens.len());
    }

    #[test]
    fn counting_stops_past_the_limit() {
        let deep = format!("{}{}", "(".repeat(100_000), ")".repeat(100_000));
        let tokens: Vec<TokenTree> = deep.parse::<TokenStream>().unwrap().into_iter().collect();
        let depth = depth_units(&tokens, 500);
        assert!(depth > 500 && depth < 1_000);
    }
}
