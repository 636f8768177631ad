//! What the code around an index already knows about a map's keys, for `index` rules: the
//! walk keeps a stack of *facts* "map `m` has key `k`" that hold where it is, and an index
//! `m[&k]` that a fact covers cannot panic.
//!
//! A fact comes from a condition (`m.contains_key(&k)`, `m.get(&k).is_some()`,
//! `let Some(_) = m.get(&k)`, through `!`, `&&` and `||`) for the branch it guards or the right
//! operand of `&&`/`||`; from an earlier statement of the block that leaves it when the key is
//! absent (`if !m.contains_key(&k) { return; }`, `let Some(_) = m.get(&k) else { .. }`,
//! `assert!(m.contains_key(&k))`); or from an earlier `m.insert(k, ..)` / `m.entry(k)`. A later
//! statement of the block that assigns the map or the key, or removes from the map, ends the
//! facts about them. Maps and keys are compared by their tokens, after `&`, `*`, `.clone()`,
//! `.to_owned()`, `.to_string()`, `.as_str()` and `.borrow()`; expressions of more than a few
//! nodes are not compared at all, so every check is bounded.

mod text;

use proc_macro2::TokenTree;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{BinOp, Block, Expr, Pat, Stmt, Token, UnOp};

use text::text;

/// At most this many facts hold at once; past it new ones are not kept (their indexes are
/// reported), so a check costs at most this many comparisons.
const MAX_FACTS: usize = 64;

/// An `assert!` with more top-level tokens than this is not read for facts.
const MAX_ASSERT_TOKENS: usize = 64;

/// Expressions with more nodes than this are not compared.
const MAX_NODES: usize = 24;

/// Methods that add the key of their first argument to the map.
const ADDS: &[&str] = &["insert", "entry"];

/// Methods that may remove keys from a map.
const REMOVES: &[&str] = &[
    "remove",
    "remove_entry",
    "swap_remove",
    "shift_remove",
    "clear",
    "retain",
    "drain",
    "take",
    "truncate",
];

/// Macros that never return: a branch ending in one leaves the key present after it.
const EXITS: &[&str] = &["bail", "panic", "unreachable", "todo", "unimplemented"];

/// "`map` has `key`", with both as compared text.
#[derive(Debug, Clone)]
struct Fact {
    map: String,
    key: String,
    alive: bool,
}

/// The facts that hold at the current point of the walk.
#[derive(Debug, Default)]
pub(crate) struct Guards {
    facts: Vec<Fact>,
}

impl Guards {
    /// Where the stack stands, to go back to it when a scope ends.
    pub(crate) fn mark(&self) -> usize {
        self.facts.len()
    }

    /// Forgets the facts added since `mark`.
    pub(crate) fn reset(&mut self, mark: usize) {
        self.facts.truncate(mark);
    }

    /// Adds what `cond` being `truth` says about keys.
    pub(crate) fn assume(&mut self, cond: &Expr, truth: bool) {
        let mut found = Vec::new();
        facts(cond, truth, &mut found, 0);
        for (map, key) in found {
            self.add(map, key);
        }
    }

    fn add(&mut self, map: String, key: String) {
        if self.facts.len() < MAX_FACTS {
            self.facts.push(Fact {
                map,
                key,
                alive: true,
            });
        }
    }

    /// Whether a fact covers `map[key]`.
    pub(crate) fn covers(&self, map: &Expr, key: &Expr) -> bool {
        if !self.facts.iter().any(|fact| fact.alive) {
            return false;
        }
        let (Some(map), Some(key)) = (text(map), text(key)) else {
            return false;
        };
        self.facts
            .iter()
            .any(|fact| fact.alive && fact.map == map && fact.key == key)
    }

    /// Learns from a statement of a block, once the walk has passed it: what holds for the
    /// rest of the block, and which facts it ends.
    pub(crate) fn after(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Expr(expr, _) => self.after_expr(expr),
            Stmt::Local(local) => {
                let Some(init) = &local.init else { return };
                if init.diverge.is_some() {
                    // `let Some(_) = m.get(&k) else { return };`
                    if let Some(fact) = lookup(&local.pat, &init.expr) {
                        self.add(fact.0, fact.1);
                    }
                }
                self.added(&init.expr);
            }
            Stmt::Macro(mac) => self.asserted(&mac.mac),
            Stmt::Item(_) => {}
        }
    }

    fn after_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::If(e) => {
                let then_exits = exits(&e.then_branch);
                let else_exits = e.else_branch.as_ref().is_some_and(
                    |(_, other)| matches!(&**other, Expr::Block(b) if exits(&b.block)),
                );
                if then_exits && !else_exits {
                    self.assume(&e.cond, false);
                } else if else_exits && !then_exits {
                    self.assume(&e.cond, true);
                }
            }
            Expr::Assign(e) => self.ends(&e.left),
            Expr::Binary(e) if is_compound_assign(e.op) => self.ends(&e.left),
            Expr::Macro(m) => self.asserted(&m.mac),
            Expr::MethodCall(call) if REMOVES.iter().any(|m| call.method == m) => {
                self.ends(&call.receiver);
            }
            _ => self.added(expr),
        }
    }

    /// `m.insert(k, ..)` or `m.entry(k)` somewhere down a method chain.
    fn added(&mut self, mut expr: &Expr) {
        for _ in 0..MAX_NODES {
            let Expr::MethodCall(call) = expr else { return };
            if ADDS.iter().any(|m| call.method == m) {
                if let (Some(map), Some(key)) =
                    (text(&call.receiver), call.args.first().and_then(text))
                {
                    self.add(map, key);
                }
                return;
            }
            expr = &call.receiver;
        }
    }

    /// `assert!(m.contains_key(&k))`.
    fn asserted(&mut self, mac: &syn::Macro) {
        let is_assert = mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "assert");
        // Parse only an assertion that can hold a fact: a shallow look at its tokens first.
        if !is_assert {
            return;
        }
        let mut relevant = false;
        for (count, token) in mac.tokens.clone().into_iter().enumerate() {
            if count > MAX_ASSERT_TOKENS {
                return;
            }
            relevant |= matches!(&token, TokenTree::Ident(i)
                if i == "contains_key" || i == "is_some" || i == "is_none");
        }
        if !relevant {
            return;
        }
        if let Ok(args) = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(mac.tokens.clone())
        {
            if let Some(cond) = args.first() {
                self.assume(cond, true);
            }
        }
    }

    /// A statement changed `target`: facts about it as a map or as a key end.
    fn ends(&mut self, target: &Expr) {
        let Some(target) = text(target) else { return };
        for fact in &mut self.facts {
            if fact.map == target || fact.key == target {
                fact.alive = false;
            }
        }
    }
}

/// What `cond` being `truth` says: the (map, key) pairs known to be present.
fn facts(cond: &Expr, truth: bool, out: &mut Vec<(String, String)>, depth: usize) {
    if depth > MAX_NODES {
        return;
    }
    match cond {
        Expr::Paren(e) => facts(&e.expr, truth, out, depth + 1),
        Expr::Group(e) => facts(&e.expr, truth, out, depth + 1),
        Expr::Unary(e) if matches!(e.op, UnOp::Not(_)) => facts(&e.expr, !truth, out, depth + 1),
        Expr::Binary(e) if matches!(e.op, BinOp::And(_)) && truth => {
            facts(&e.left, true, out, depth + 1);
            facts(&e.right, true, out, depth + 1);
        }
        Expr::Binary(e) if matches!(e.op, BinOp::Or(_)) && !truth => {
            facts(&e.left, false, out, depth + 1);
            facts(&e.right, false, out, depth + 1);
        }
        Expr::MethodCall(call) if call.method == "contains_key" && truth => {
            if let (Some(map), Some(key)) = (text(&call.receiver), call.args.first().and_then(text))
            {
                out.push((map, key));
            }
        }
        Expr::MethodCall(call) if call.args.is_empty() => {
            let present = if call.method == "is_some" {
                truth
            } else if call.method == "is_none" {
                !truth
            } else {
                return;
            };
            if let (true, Some(fact)) = (present, get_call(&call.receiver)) {
                out.push(fact);
            }
        }
        Expr::Let(e) if truth => {
            if let Some(fact) = lookup(&e.pat, &e.expr) {
                out.push(fact);
            }
        }
        _ => {}
    }
}

/// `Some(..) = m.get(k)`: the fact that `m` has `k`.
fn lookup(pat: &Pat, expr: &Expr) -> Option<(String, String)> {
    let Pat::TupleStruct(tuple) = pat else {
        return None;
    };
    let some = tuple
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident == "Some");
    if some { get_call(expr) } else { None }
}

/// `m.get(k)` or `m.get_mut(k)`, as (map, key).
fn get_call(expr: &Expr) -> Option<(String, String)> {
    let Expr::MethodCall(call) = expr else {
        return None;
    };
    if call.method != "get" && call.method != "get_mut" {
        return None;
    }
    Some((text(&call.receiver)?, text(call.args.first()?)?))
}

/// Whether a block leaves its enclosing code: `return`, `break`, `continue`, `Err(..)?`, or a
/// macro that never returns.
fn exits(block: &Block) -> bool {
    block.stmts.iter().any(|stmt| match stmt {
        Stmt::Expr(Expr::Return(_) | Expr::Break(_) | Expr::Continue(_), _) => true,
        Stmt::Expr(Expr::Try(t), _) => matches!(&*t.expr, Expr::Call(call)
            if matches!(&*call.func, Expr::Path(p) if p.path.is_ident("Err"))),
        Stmt::Expr(Expr::Macro(m), _) => never_returns(&m.mac),
        Stmt::Macro(m) => never_returns(&m.mac),
        _ => false,
    })
}

fn never_returns(mac: &syn::Macro) -> bool {
    mac.path
        .segments
        .last()
        .is_some_and(|s| EXITS.iter().any(|name| s.ident == name))
}

fn is_compound_assign(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::AddAssign(_)
            | BinOp::SubAssign(_)
            | BinOp::MulAssign(_)
            | BinOp::DivAssign(_)
            | BinOp::RemAssign(_)
            | BinOp::BitXorAssign(_)
            | BinOp::BitAndAssign(_)
            | BinOp::BitOrAssign(_)
            | BinOp::ShlAssign(_)
            | BinOp::ShrAssign(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> Expr {
        syn::parse_str(text).unwrap()
    }

    #[test]
    fn conditions_give_facts() {
        let mut guards = Guards::default();
        guards.assume(&expr("!(!m.contains_key(&k) || n.get(&j).is_none())"), true);
        assert!(guards.covers(&expr("m"), &expr("&k")));
        assert!(guards.covers(&expr("n"), &expr("&j")));
        assert!(!guards.covers(&expr("m"), &expr("&j")));
        guards.after(&syn::parse_str::<Stmt>("k = other;").unwrap());
        assert!(!guards.covers(&expr("m"), &expr("&k")));
    }
}
