//! What each step adds to the estimate: nesting keywords and prefix operators open a level,
//! generics count their angles, a closure's body is one deeper, and every token counts a
//! fraction of a level; `;`, `,` and `=>` end an expression and start the count afresh.

use proc_macro2::Delimiter;

use super::{CHAIN_LINKS_PER_UNIT, Cursor, Step};
use crate::source::lex::tokens::{Kind, Tokens};

impl Cursor {
    /// Counts a step; returns the opening delimiter of a group to descend into (its depth is
    /// the second value then), and the deepest estimate reached.
    pub(super) fn step(&mut self, tokens: &Tokens<'_>, step: Step) -> (Option<usize>, usize) {
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
pub(super) struct Segment {
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
