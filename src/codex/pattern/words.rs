//! The word a pattern's matches always contain, for the word search that decides which items
//! are parsed at all: a method, macro or function name, a field, a keyword (`unsafe`, `fn`).
//!
//! Only words every match spells inside the matched node are taken. A path's leading segments
//! are not (`use std::time::Duration;` lets `Duration::from_secs` be written without `std`), nor
//! is a path's last segment when an alias can rename it: those are found through the file's
//! aliases, which the search adds. A pattern whose matches need no word gives none, and its
//! rule makes every item parsed.

use super::Root;
use super::tree::{BlockNode, Elem, ItemKind, ItemNode, Name, Node, PatNode, PathNode, TypeNode};

/// A word a pattern's matches contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The word.
    pub text: String,
    /// How telling it is: names beat keywords.
    pub weight: u8,
}

const KEYWORD: u8 = 1;
const PATH: u8 = 2;
const NAME: u8 = 3;

/// The most telling word of `root`, if it has one.
pub(super) fn best(root: &Root) -> Option<Word> {
    let mut words = Vec::new();
    match root {
        Root::Node(node) => node_words(node, &mut words),
        Root::Type(ty) => type_words(ty, &mut words),
        Root::Attr(attr) => {
            if let Some(Name::Lit(last)) = attr.path.last() {
                push(&mut words, last, PATH);
            }
        }
    }
    words
        .into_iter()
        .max_by(|a, b| (a.weight, a.text.len()).cmp(&(b.weight, b.text.len())))
}

fn push(words: &mut Vec<Word>, text: &str, weight: u8) {
    // Raw identifiers and keywords that are part of other tokens are left out.
    if text.is_empty() || text.starts_with("r#") || text.starts_with("__codex_") {
        return;
    }
    words.push(Word {
        text: text.to_owned(),
        weight,
    });
}

fn name(words: &mut Vec<Word>, name: &Name, weight: u8) {
    if let Name::Lit(text) = name {
        push(words, text, weight);
    }
}

fn path(words: &mut Vec<Word>, path: &PathNode) {
    if let Some(last) = path.segments.last() {
        name(words, &last.name, PATH);
    }
}

fn elems(words: &mut Vec<Word>, elems: &[Elem<Node>]) {
    for elem in elems {
        if let Elem::One(node) = elem {
            node_words(node, words);
        }
    }
}

fn block(words: &mut Vec<Word>, body: &BlockNode) {
    elems(words, &body.0);
}

fn node_words(node: &Node, words: &mut Vec<Word>) {
    match node {
        Node::Any(_) | Node::Wild | Node::Lit(_) | Node::Other { .. } => {}
        Node::Path(p) => path(words, p),
        Node::MethodCall {
            receiver,
            method,
            args,
        } => {
            name(words, method, NAME);
            node_words(receiver, words);
            elems(words, args);
        }
        Node::Chain(inner) | Node::Try(inner) => node_words(inner, words),
        Node::Call { func, args } => {
            node_words(func, words);
            elems(words, args);
        }
        Node::Field { base, member } => {
            name(words, member, PATH);
            node_words(base, words);
        }
        Node::Cast { expr, .. } => {
            push(words, "as", KEYWORD);
            node_words(expr, words);
        }
        Node::Reference { expr, .. } | Node::Unary { expr, .. } => node_words(expr, words),
        Node::Binary { left, right, .. }
        | Node::Assign { left, right }
        | Node::Index {
            expr: left,
            index: right,
        } => {
            node_words(left, words);
            node_words(right, words);
        }
        Node::Await(inner) => {
            push(words, "await", KEYWORD);
            node_words(inner, words);
        }
        Node::Macro(mac) => push(words, &mac.name, NAME),
        Node::Struct {
            path: p, fields, ..
        } => {
            path(words, p);
            for (member, value) in fields {
                name(words, member, PATH);
                node_words(value, words);
            }
        }
        Node::Tuple(items) | Node::Array(items) | Node::Seq(items) => elems(words, items),
        Node::Local { init, .. } => {
            push(words, "let", KEYWORD);
            if let Some(init) = init {
                node_words(init, words);
            }
        }
        Node::Item(item) => item_words(item, words),
        _ => compound_words(node, words),
    }
}

/// The words of blocks, conditions and loops.
fn compound_words(node: &Node, words: &mut Vec<Word>) {
    match node {
        Node::Block(body) => block(words, body),
        Node::Unsafe(body) => {
            push(words, "unsafe", KEYWORD);
            block(words, body);
        }
        Node::Async(body) => {
            push(words, "async", KEYWORD);
            block(words, body);
        }
        Node::If {
            cond,
            then,
            otherwise,
        } => {
            push(words, "if", KEYWORD);
            node_words(cond, words);
            block(words, then);
            if let Some(other) = otherwise {
                node_words(other, words);
            }
        }
        Node::Let { pat, expr } => {
            push(words, "let", KEYWORD);
            pat_words(pat, words);
            node_words(expr, words);
        }
        Node::While { cond, body } => {
            push(words, "while", KEYWORD);
            node_words(cond, words);
            block(words, body);
        }
        Node::ForLoop { expr, body, .. } => {
            push(words, "for", KEYWORD);
            node_words(expr, words);
            block(words, body);
        }
        Node::Loop(body) => {
            push(words, "loop", KEYWORD);
            block(words, body);
        }
        Node::Closure { body, .. } => node_words(body, words),
        Node::Return(value) => {
            push(words, "return", KEYWORD);
            if let Some(value) = value {
                node_words(value, words);
            }
        }
        _ => {}
    }
}

fn pat_words(pat: &PatNode, words: &mut Vec<Word>) {
    if let PatNode::TupleStruct { path: p, .. } | PatNode::Path(p) = pat {
        path(words, p);
    }
}

fn type_words(ty: &TypeNode, words: &mut Vec<Word>) {
    match ty {
        TypeNode::Path(p) => path(words, p),
        TypeNode::Reference { elem, .. } | TypeNode::Slice(elem) => type_words(elem, words),
        _ => {}
    }
}

fn item_words(item: &ItemNode, words: &mut Vec<Word>) {
    match &item.kind {
        ItemKind::Fn(f) => {
            push(words, "fn", KEYWORD);
            name(words, &f.name, NAME);
            if let Some(body) = &f.body {
                block(words, body);
            }
        }
        // The members of an `impl` or a module may be left out of the parse when they hold no
        // word: a pattern that looks into them cannot lean on one.
        ItemKind::Impl { .. } | ItemKind::Mod { .. } | ItemKind::Other { .. } => {}
        ItemKind::Use(_) => push(words, "use", KEYWORD),
        ItemKind::Static { name: n, .. } => {
            push(words, "static", KEYWORD);
            name(words, n, NAME);
        }
        ItemKind::Const { name: n, .. } => {
            push(words, "const", KEYWORD);
            name(words, n, NAME);
        }
        ItemKind::Macro(mac) => push(words, &mac.name, NAME),
    }
}
