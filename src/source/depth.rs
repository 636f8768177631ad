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

/// Chain links (method calls, fields, `?`, binary operators, `else if`) that cost as much
/// stack as one level of nesting. Measured with syn 3 on a bare parse, visit and drop: a
/// nesting level costs 1.3 to 8 KB of stack in release builds (14 to 60 KB in debug builds) and
/// a chain link 0.03 to 0.15 KB (0.5 to 0.7 KB), a ratio of at least 40; 16 leaves room for
/// the engine's own frames.
pub const CHAIN_LINKS_PER_UNIT: usize = 16;

/// The estimated recursion depth of `tokens`, in units of one nesting level. Stops counting
/// once `limit` is passed (the result is then some value above `limit`).
pub fn depth_units(tokens: &[TokenTree], limit: usize) -> usize {
    let mut estimate = Estimate {
        deepest: 0,
        limit,
        frames: Vec::new(),
    };
    estimate.run(Level::Slice(tokens.iter()));
    estimate.deepest
}

/// The estimated recursion depth of a whole token stream; see [`depth_units`].
pub fn stream_depth_units(stream: &TokenStream, limit: usize) -> usize {
    let tokens: Vec<TokenTree> = stream.clone().into_iter().collect();
    depth_units(&tokens, limit)
}

/// The tokens of one delimiter level, borrowed at the top and owned below.
enum Level<'a> {
    Slice(std::slice::Iter<'a, TokenTree>),
    Stream(proc_macro2::token_stream::IntoIter),
}

impl Iterator for Level<'_> {
    type Item = TokenTree;

    fn next(&mut self) -> Option<TokenTree> {
        match self {
            Level::Slice(iter) => iter.next().cloned(),
            Level::Stream(iter) => iter.next(),
        }
    }
}

/// One open delimiter level: its tokens, the depth it starts at, and its running count.
struct Frame<'a> {
    tokens: std::iter::Peekable<Level<'a>>,
    base: usize,
    segment: Segment,
}

struct Estimate<'a> {
    deepest: usize,
    limit: usize,
    frames: Vec<Frame<'a>>,
}

/// What the previous token leaves the parser expecting.
#[derive(Clone, Copy, PartialEq, Eq)]
enum After {
    /// An operand: a following operator is binary or postfix (a chain link).
    Operand,
    /// An operator, keyword or the start: a following operator is prefix (a nesting level).
    Operator,
    /// A `#`: a following `!` makes an inner attribute, not a negation.
    Attribute,
}

/// The running count of one expression, type or pattern at one delimiter level.
#[derive(Clone, Copy)]
struct Segment {
    nesting: usize,
    angles: usize,
    links: usize,
    after: After,
    closure_params: bool,
}

impl Segment {
    const START: Segment = Segment {
        nesting: 0,
        angles: 0,
        links: 0,
        after: After::Operator,
        closure_params: false,
    };

    fn units(&self) -> usize {
        self.nesting + self.angles + self.links / CHAIN_LINKS_PER_UNIT
    }

    /// A `;`, `=>` or `,` outside generics ends the expression.
    fn end(&mut self) {
        *self = Segment::START;
    }
}

impl<'a> Estimate<'a> {
    fn run(&mut self, top: Level<'a>) {
        self.frames.push(Frame {
            tokens: top.peekable(),
            base: 0,
            segment: Segment::START,
        });
        while let Some(frame) = self.frames.last_mut() {
            let Some(token) = frame.tokens.next() else {
                self.frames.pop();
                continue;
            };
            let (entered, peak) = step(frame, token);
            let here = frame.base + frame.segment.units();
            self.deepest = self.deepest.max(frame.base + peak).max(here);
            if let Some((group, ends_statement)) = entered {
                if ends_statement {
                    // Counted from where the block stands; what follows starts afresh.
                    frame.segment.end();
                }
                let base = here + 1;
                self.deepest = self.deepest.max(base);
                self.frames.push(Frame {
                    tokens: Level::Stream(group.into_iter()).peekable(),
                    base,
                    segment: Segment::START,
                });
            }
            if self.deepest > self.limit {
                return;
            }
        }
    }
}

/// Counts one token of `frame`; returns the contents of a group to descend into (and whether
/// the group is a block that ends a statement), and the most units the segment reached (a run
/// of punctuation may end in `;`).
fn step(frame: &mut Frame<'_>, token: TokenTree) -> (Option<(TokenStream, bool)>, usize) {
    let entered = count(frame, token);
    (entered.0, entered.1.max(frame.segment.units()))
}

fn count(frame: &mut Frame<'_>, token: TokenTree) -> (Option<(TokenStream, bool)>, usize) {
    let segment = &mut frame.segment;
    match token {
        TokenTree::Group(group) => {
            if segment.after == After::Operand {
                // A call, index or struct literal on an operand: `f()()`, `a[0][0]`.
                segment.links += 1;
            }
            segment.after = After::Operand;
            let next_starts_statement = match frame.tokens.peek() {
                Some(TokenTree::Ident(next)) => next != "else" && next != "as",
                Some(TokenTree::Punct(p)) => p.as_char() == '#',
                _ => false,
            };
            let ends_statement = group.delimiter() == Delimiter::Brace && next_starts_statement;
            (Some((group.stream(), ends_statement)), 0)
        }
        TokenTree::Ident(ident) => {
            let word = ident.to_string();
            match word.as_str() {
                "return" | "break" | "yield" | "box" | "become" => {
                    segment.nesting += 1;
                    segment.after = After::Operator;
                }
                "else" | "as" => {
                    segment.links += 1;
                    segment.after = After::Operator;
                }
                "mut" | "const" | "dyn" | "impl" | "unsafe" | "move" | "async" | "static"
                | "ref" | "let" | "if" | "match" | "while" | "for" | "in" | "where" | "loop"
                | "fn" | "type" | "pub" | "use" | "struct" | "enum" | "trait" | "mod" => {
                    segment.after = After::Operator;
                }
                _ => segment.after = After::Operand,
            }
            (None, 0)
        }
        TokenTree::Literal(_) => {
            segment.after = After::Operand;
            (None, 0)
        }
        TokenTree::Punct(first) => {
            // A run of joint punctuation, split into operators, longest first.
            let mut run = vec![first.as_char()];
            let mut spacing = first.spacing();
            while spacing == Spacing::Joint {
                match frame.tokens.peek() {
                    Some(TokenTree::Punct(next)) => {
                        run.push(next.as_char());
                        spacing = next.spacing();
                        frame.tokens.next();
                    }
                    _ => break,
                }
            }
            let mut rest = run.as_slice();
            let mut peak = 0;
            while !rest.is_empty() {
                let width = (1..=rest.len().min(3))
                    .rev()
                    .find(|&n| n == 1 || OPERATORS.contains(&rest.get(..n).unwrap_or_default()))
                    .unwrap_or(1);
                let (op, after) = rest.split_at(width);
                operator(&mut frame.segment, &op.iter().collect::<String>());
                peak = peak.max(frame.segment.units());
                rest = after;
            }
            (None, peak)
        }
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

/// Counts an operator made of joint punctuation (`&&`, `->`, `::`, `..=`, `'` of a lifetime).
fn operator(segment: &mut Segment, op: &str) {
    let prefix = segment.after != After::Operand;
    match op {
        ";" | "=>" => segment.end(),
        "," if segment.angles == 0 && !segment.closure_params => segment.end(),
        "#" => segment.after = After::Attribute,
        "!" if segment.after == After::Attribute => segment.after = After::Operator,
        "," | ":" | "::" | "@" | "$" | "~" | "'" => segment.after = After::Operator,
        "->" => {
            segment.nesting += 1;
            segment.after = After::Operator;
        }
        "<" | "::<" => {
            segment.angles += 1;
            segment.after = After::Operator;
        }
        "<<" if prefix => {
            segment.angles += 2;
        }
        ">" => {
            segment.angles = segment.angles.saturating_sub(1);
            segment.after = After::Operand;
        }
        ">>" => {
            segment.angles = segment.angles.saturating_sub(2);
            segment.after = After::Operand;
        }
        "." | "?" => {
            segment.links += 1;
            segment.after = if op == "?" {
                After::Operand
            } else {
                After::Operator
            };
        }
        "|" | "||" if segment.closure_params => {
            segment.closure_params = false;
            segment.after = After::Operator;
        }
        "|" | "||" if prefix => {
            // A closure: its body is one level deeper.
            segment.nesting += 1;
            segment.closure_params = op == "|";
            segment.after = After::Operator;
        }
        "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^=" | "&=" | "|=" | "<<=" | ">>=" => {
            // Assignment is right-associative: each one nests the next.
            segment.nesting += 1;
            segment.after = After::Operator;
        }
        "!" if !prefix => {
            // A macro's `!`: its group follows.
            segment.after = After::Operator;
        }
        _ if prefix => {
            // `&`, `&&`, `*`, `-`, `!`, `..`: one level per operator character.
            segment.nesting += op.len();
        }
        _ => {
            segment.links += 1;
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
                depth >= n / CHAIN_LINKS_PER_UNIT && depth <= 3 * n / CHAIN_LINKS_PER_UNIT,
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
    fn counting_stops_past_the_limit() {
        let deep = format!("{}{}", "(".repeat(100_000), ")".repeat(100_000));
        let tokens: Vec<TokenTree> = deep.parse::<TokenStream>().unwrap().into_iter().collect();
        let depth = depth_units(&tokens, 500);
        assert!(depth > 500 && depth < 1_000);
    }
}
