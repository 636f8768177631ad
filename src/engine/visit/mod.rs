//! The one syntax-tree walk per item: every rule is offered every node it can match, through
//! the [`Triggers`](crate::codex::Triggers) index, while the walk tracks the local context a
//! finding needs (enclosing items, test-only code, clippy allows, the statement it is in).
//!
//! [`Walker`] holds that context; [`nodes`] is the walk itself (syn's `Visit`), [`rules`] offers
//! a node to the rules that look at it, and [`syntax`] reads small facts off syntax nodes.

mod anchor;
mod descend;
mod eval;
mod nodes;
mod object;
mod rules;
mod syntax;

use std::cell::Cell;
use std::ops::Range;

use proc_macro2::Ident;
use syn::Attribute;

use super::imports::Imports;
use super::lints::{self, InnerLevels};
use super::{before, flow, guard};
use crate::codex::clippy::ClippyLints;
use crate::codex::{Codex, RuleIndex};
use crate::source::attrs;

/// A rule matched at a token, with the context the walk knew there.
#[derive(Debug, Clone)]
pub(crate) struct RawFinding {
    /// Which rule.
    pub rule: RuleIndex,
    /// Byte range of the offending token.
    pub range: Range<usize>,
    /// Enclosing items inside the file (`["Loader", "load"]`).
    pub item: Vec<String>,
    /// Name of the innermost enclosing function.
    pub function: Option<String>,
    /// Inside `#[cfg(test)]` code or a test function.
    pub test: bool,
    /// Inside a `#[bench]` function.
    pub bench: bool,
    /// What the lint attributes of the enclosing items and expressions say of the finding's
    /// clippy lint.
    pub clippy: lints::ClippyVerdict,
    /// Start of the innermost enclosing statement.
    pub statement: Option<usize>,
    /// A second place the finding is about (the first unvalidated use of a value).
    pub related: Option<Range<usize>>,
    /// A suggested edit: these bytes become this text.
    pub fix: Option<(Range<usize>, String)>,
}

/// Walks items of one file, collecting findings.
pub(crate) struct Walker<'a> {
    codex: &'a Codex,
    pub(crate) findings: Vec<RawFinding>,
    items: Vec<String>,
    functions: Vec<String>,
    test_depth: usize,
    bench_depth: usize,
    /// Clippy lint levels set by the enclosing nodes, outermost first.
    allows: InnerLevels,
    /// Inside code evaluated while compiling: a const or static initializer, a `const` block,
    /// an array length, a const generic argument, an enum discriminant.
    const_context: bool,
    /// Inside the tokens of `thread_local!`, whose statics are initialized at run time.
    thread_local: bool,
    statement: Option<usize>,
    pub(crate) imports: Imports,
    /// Per enclosing function, which `before` rules have seen a required call so far.
    pub(crate) required_seen: Vec<Vec<bool>>,
    /// `before` rules: what they reported, which types the file imports.
    pub(crate) before: before::State,
    /// `validate` rules: findings of the enclosing functions not yet recorded.
    pub(crate) flow: flow::State,
    /// `index` rules: what the enclosing conditions and statements say about map keys.
    pub(crate) guards: guard::Guards,
    /// Per enclosing function, closure or async block: whether `?` can propagate from it
    /// (a function returning `Result` or `Option`).
    try_scopes: Vec<bool>,
    /// Bytes of macro tokens that may still be parsed with syn. Parsing a macro's tokens
    /// copies all the tokens nested in it, so nested macros are parsed once per level; past
    /// this budget (a multiple of the file's size) macro tokens are only scanned, which is
    /// linear.
    pub(crate) macro_budget: usize,
    /// The file's text, for `regex` rules and fix templates.
    text: &'a str,
    /// The `inside` rules the enclosing nodes match.
    ancestry: eval::Ancestry,
    /// Steps left for `has` searches and run placements, per pattern or rule-object rule (and
    /// one for the `inside` rules, last): a rule that exhausts its own starves no other.
    budgets: Vec<Cell<usize>>,
    /// The rules whose searches ran out of budget in this file, each with the node where it
    /// first did: their findings from there on are unknown, which is reported (CX9007).
    pub(crate) exhausted: Vec<(RuleIndex, Range<usize>)>,
}

/// How many times its own size a file's macro tokens may be parsed, summed over nesting levels.
const MACRO_PARSES_PER_BYTE: usize = 16;

/// What entering an item changed, to undo on leaving it.
#[allow(clippy::struct_excessive_bools)] // independent flags, each undone on its own
pub(crate) struct Entered {
    named: bool,
    function: bool,
    test: bool,
    bench: bool,
    allows: usize,
}

impl<'a> Walker<'a> {
    /// A walker for the file whose text is `text`.
    pub(crate) fn new(codex: &'a Codex, text: &'a str) -> Self {
        let bytes = text.len();
        Walker {
            codex,
            findings: Vec::new(),
            items: Vec::new(),
            functions: Vec::new(),
            test_depth: 0,
            bench_depth: 0,
            allows: InnerLevels::tracking(tracked_lints(codex)),
            const_context: false,
            thread_local: false,
            statement: None,
            imports: Imports::keeping(codex.triggers().glob_prefixes().clone()),
            required_seen: Vec::new(),
            before: before::State::default(),
            flow: flow::State::new(bytes),
            guards: guard::Guards::default(),
            try_scopes: Vec::new(),
            macro_budget: bytes.saturating_mul(MACRO_PARSES_PER_BYTE).max(1 << 16),
            text,
            ancestry: eval::Ancestry::default(),
            budgets: {
                let steps = bytes.saturating_mul(object::STEPS_PER_BYTE).max(1 << 16);
                let count = codex.triggers().objects().len() + 1;
                (0..count).map(|_| Cell::new(steps)).collect()
            },
            exhausted: Vec::new(),
        }
    }

    fn enter(&mut self, attrs: &[Attribute], name: Option<String>, function: bool) -> Entered {
        self.enter_levels(attrs, name, function, true)
    }

    /// Enters a macro invocation carrying `attrs`: its `cfg` and test attributes count, but
    /// rustc applies no lint level written on an invocation to its expansion
    /// (`#[allow(clippy::unwrap_used)] m!(x.unwrap());` is still linted).
    fn enter_invocation(&mut self, attrs: &[Attribute]) -> Entered {
        self.enter_levels(attrs, None, false, false)
    }

    fn enter_levels(
        &mut self,
        attrs: &[Attribute],
        name: Option<String>,
        function: bool,
        levels: bool,
    ) -> Entered {
        let test = attrs::is_test_only(attrs);
        let bench = attrs::is_bench(attrs);
        self.test_depth += usize::from(test);
        self.bench_depth += usize::from(bench);
        let allows = if levels {
            attrs::clippy_allows(attrs, self.test_depth > 0)
        } else {
            Vec::new()
        };
        let added = allows.len();
        for level in allows {
            self.allows.push(level);
        }
        let named = name.is_some();
        if let Some(name) = name {
            if function {
                self.functions.push(name.clone());
                self.required_seen
                    .push(vec![false; self.codex.triggers().befores().len()]);
            }
            self.items.push(name);
        }
        Entered {
            named,
            function: function && named,
            test,
            bench,
            allows: added,
        }
    }

    fn leave(&mut self, entered: &Entered) {
        self.test_depth -= usize::from(entered.test);
        self.bench_depth -= usize::from(entered.bench);
        self.allows.truncate(self.allows.len() - entered.allows);
        if entered.named {
            self.items.pop();
        }
        if entered.function {
            self.functions.pop();
            self.required_seen.pop();
        }
    }

    /// Records a finding of each rule in `rules` at `token`, the name the rules matched.
    pub(crate) fn record(&mut self, rules: &[RuleIndex], token: &Ident) {
        let name = token.to_string();
        self.record_named(rules, token.span().byte_range(), Some(&name));
    }

    /// Records a finding of each rule in `rules` over the bytes `range`.
    pub(crate) fn record_range(&mut self, rules: &[RuleIndex], range: Range<usize>) {
        self.record_named(rules, range, None);
    }

    /// Records a finding of each rule in `rules` over the bytes `range`, where the rules
    /// matched the method, macro or function `name` (which picks the clippy lint); rules that
    /// skip const contexts record nothing inside one.
    pub(super) fn record_named(
        &mut self,
        rules: &[RuleIndex],
        range: Range<usize>,
        name: Option<&str>,
    ) {
        for &rule in rules {
            let Some(spec) = self.codex.rule(rule) else {
                continue;
            };
            if self.const_context && !spec.const_contexts {
                continue;
            }
            let lint = spec.clippy.as_ref().and_then(|lints| lints.lint_for(name));
            let clippy = self.allows.verdict(lint);
            self.findings.push(RawFinding {
                rule,
                range: range.clone(),
                item: self.items.clone(),
                function: self.functions.last().cloned(),
                test: self.test_depth > 0,
                bench: self.bench_depth > 0,
                clippy,
                statement: self.statement,
                related: None,
                fix: None,
            });
        }
    }

    pub(crate) fn codex(&self) -> &'a Codex {
        self.codex
    }

    /// Start of the innermost enclosing statement.
    pub(crate) fn current_statement(&self) -> Option<usize> {
        self.statement
    }

    /// Walks with `const_context` set as given: `true` for code evaluated while compiling,
    /// `false` for a body that runs (a function, a closure, an async block) even inside one.
    fn in_const(&mut self, evaluated: bool, walk: impl FnOnce(&mut Self)) {
        let saved = self.const_context;
        self.const_context = evaluated;
        walk(self);
        self.const_context = saved;
    }

    /// Enters attributes found in macro tokens that syn could not read as code
    /// (`#[allow(..)] { .. }` in a `quote!`), until [`Walker::leave_attrs`].
    pub(crate) fn enter_attrs(&mut self, attrs: &[Attribute]) -> Entered {
        self.enter(attrs, None, false)
    }

    /// Leaves what [`Walker::enter_attrs`] entered.
    pub(crate) fn leave_attrs(&mut self, entered: &Entered) {
        self.leave(entered);
    }

    /// Walks code that is test code when `test` is (a `cfg_if!` branch under `cfg(test)`).
    pub(crate) fn in_test(&mut self, test: bool, walk: impl FnOnce(&mut Self)) {
        self.test_depth += usize::from(test);
        walk(self);
        self.test_depth -= usize::from(test);
    }

    /// Walks a node carrying `attrs` (lint levels, `cfg(test)`) that names no item.
    fn with_attrs(&mut self, attrs: &[Attribute], walk: impl FnOnce(&mut Self)) {
        if attrs.is_empty() {
            walk(self);
            return;
        }
        let entered = self.enter(attrs, None, false);
        walk(self);
        self.leave(&entered);
    }

    fn in_try_scope(&mut self, propagates: bool, walk: impl FnOnce(&mut Self)) {
        self.try_scopes.push(propagates);
        walk(self);
        self.try_scopes.pop();
    }

    fn with_statement(&mut self, start: Option<usize>, walk: impl FnOnce(&mut Self)) {
        let saved = self.statement;
        if start.is_some() {
            self.statement = start;
        }
        walk(self);
        self.statement = saved;
    }
}

/// The clippy lints the Codex's rules defer to.
fn tracked_lints(codex: &Codex) -> impl Iterator<Item = &str> {
    codex
        .rules()
        .iter()
        .filter_map(|rule| rule.clippy.as_ref())
        .flat_map(|lints| match lints {
            ClippyLints::One(lint) => vec![lint.as_str()],
            ClippyLints::ByName(pairs) => pairs.iter().map(|(_, lint)| lint.as_str()).collect(),
        })
}
