//! The one syntax-tree walk per item: every rule is offered every node it can match, through
//! the [`Triggers`](crate::codex::Triggers) index, while the walk tracks the local context a
//! finding needs (enclosing items, test-only code, clippy allows, the statement it is in).

use std::ops::Range;

use proc_macro2::Ident;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, ImplItem, Item, Stmt, TraitItem, Type};

use super::imports::Imports;
use super::lints::{self, InnerLevels};
use super::{before, flow, guard};
use crate::codex::clippy::ClippyLints;
use crate::codex::pattern::{Anchor, Matching, segments};
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
    /// A walker for a file of `bytes` bytes.
    pub(crate) fn new(codex: &'a Codex, bytes: usize) -> Self {
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
    fn record_named(&mut self, rules: &[RuleIndex], range: Range<usize>, name: Option<&str>) {
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

    /// Method rules for a path expression in fully qualified form: `Option::unwrap`,
    /// `std::result::Result::<T, E>::unwrap_err`, `<Option<_>>::unwrap`.
    fn qualified_method(&mut self, qself: bool, path: &syn::Path) {
        let mut segments = path.segments.iter().rev();
        let Some(last) = segments.next() else { return };
        let rules = self.codex.triggers().method_rules(&last.ident);
        if rules.is_empty() {
            return;
        }
        let on_type = segments.next().is_some_and(|owner| {
            owner
                .ident
                .to_string()
                .starts_with(|c: char| c.is_uppercase())
        });
        let owner: Vec<String> = path
            .segments
            .iter()
            .take(path.segments.len() - 1)
            .map(|segment| segment.ident.to_string())
            .collect();
        if qself || (on_type && !self.own_type(&owner)) {
            self.record(rules, &last.ident);
        }
    }

    /// Whether `owner`, in a qualified `Owner::name`, is a type of the project itself: `Self`,
    /// or a path through `crate` or `super` as written or imported. Its associated function of
    /// that name is its own (clap's `MatchesError::unwrap(id, result)`), not the method of
    /// `Option` or `Result` a rule names; `Option` and `Result` are the std types whatever the
    /// path.
    pub(crate) fn own_type(&self, owner: &[String]) -> bool {
        match owner.last().map(String::as_str) {
            None | Some("Option" | "Result") => return false,
            Some("Self") => return true,
            Some(_) => {}
        }
        self.imports.resolve(owner).first().is_some_and(|full| {
            full.first()
                .is_some_and(|root| root == "crate" || root == "super")
        })
    }

    /// Macro rules for a macro path: `panic!`, `std::panic!`, `core::panic!`, `::core::panic!`.
    pub(crate) fn macro_path(&mut self, path: &syn::Path) {
        let Some(last) = path.segments.last() else {
            return;
        };
        let rules = self.codex.triggers().macro_rules(&last.ident);
        if rules.is_empty() {
            return;
        }
        let std_path = path.segments.len() == 1
            || (path.segments.len() == 2
                && path.segments.first().is_some_and(|first| {
                    first.ident == "std" || first.ident == "core" || first.ident == "alloc"
                }));
        if std_path {
            self.record(rules, &last.ident);
        }
    }

    /// Call rules for a call of the function at `path` (as written), resolved through the
    /// file's imports; the finding is on `name`, the path's last segment.
    pub(crate) fn call_path(&mut self, path: &[String], name: &Ident) {
        self.flow_at(name);
        let triggers = self.codex.triggers();
        if !triggers.has_call_rules() && triggers.befores().is_empty() {
            return;
        }
        let candidates = self.imports.resolve(path);
        if !triggers.befores().is_empty() {
            self.before_call(&candidates, name);
        }
        let mut rules: Vec<RuleIndex> = Vec::new();
        // The function's own name picks the clippy lint, whatever the alias it is called by.
        let mut matched: Option<&String> = None;
        for candidate in &candidates {
            let found = triggers.call_rules(candidate);
            if matched.is_none() && !found.is_empty() {
                matched = candidate.last();
            }
            rules.extend(found);
        }
        rules.sort_unstable();
        rules.dedup();
        if !rules.is_empty() {
            let range = name.span().byte_range();
            self.record_named(&rules, range, matched.map(String::as_str));
        }
    }

    /// Pattern rules whose anchor is this expression's method, function or cast.
    fn patterns(&mut self, expr: &Expr) {
        let codex = self.codex;
        let mut found: Vec<(RuleIndex, Range<usize>)> = Vec::new();
        for (pattern, anchor, rule) in codex.triggers().patterns() {
            let token = match (anchor, expr) {
                (Anchor::Method(name), Expr::MethodCall(call)) if call.method == name => {
                    call.method.span()
                }
                (Anchor::Call(name), Expr::Call(call)) => match &*call.func {
                    Expr::Path(path) => match path.path.segments.last() {
                        Some(last) if last.ident == name => last.ident.span(),
                        _ => continue,
                    },
                    _ => continue,
                },
                (Anchor::Cast, Expr::Cast(cast)) => cast.as_token.span,
                _ => continue,
            };
            let imports = &self.imports;
            let resolve = |path: &[String]| imports.resolve(path);
            if Matching::new(&resolve).matches(&pattern.root, expr) {
                found.push((*rule, token.byte_range()));
            }
        }
        for (rule, range) in found {
            self.record_range(&[rule], range);
        }
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

fn item_parts(item: &Item) -> (&[Attribute], Option<String>, bool) {
    match item {
        Item::Fn(f) => (&f.attrs, Some(f.sig.ident.to_string()), true),
        Item::Mod(m) => (&m.attrs, Some(m.ident.to_string()), false),
        Item::Impl(i) => (&i.attrs, Some(type_name(&i.self_ty)), false),
        Item::Trait(t) => (&t.attrs, Some(t.ident.to_string()), false),
        Item::Const(c) => (&c.attrs, Some(c.ident.to_string()), false),
        Item::Static(s) => (&s.attrs, Some(s.ident.to_string()), false),
        Item::Struct(s) => (&s.attrs, Some(s.ident.to_string()), false),
        Item::Enum(e) => (&e.attrs, Some(e.ident.to_string()), false),
        Item::Union(u) => (&u.attrs, Some(u.ident.to_string()), false),
        Item::Type(t) => (&t.attrs, Some(t.ident.to_string()), false),
        Item::Macro(m) => (&m.attrs, m.ident.as_ref().map(ToString::to_string), false),
        Item::Use(u) => (&u.attrs, None, false),
        Item::ExternCrate(e) => (&e.attrs, None, false),
        Item::ForeignMod(f) => (&f.attrs, None, false),
        Item::TraitAlias(t) => (&t.attrs, None, false),
        _ => (&[], None, false),
    }
}

/// Whether a function returns `Result` or `Option` (any path ending so: `io::Result<()>`).
fn returns_try(sig: &syn::Signature) -> bool {
    match &sig.output {
        syn::ReturnType::Type(_, ty) => match &**ty {
            Type::Path(path) => path
                .path
                .segments
                .last()
                .is_some_and(|last| last.ident == "Result" || last.ident == "Option"),
            _ => false,
        },
        syn::ReturnType::Default => false,
    }
}

/// The name an `impl` block is known by: the last segment of its self type.
fn type_name(ty: &Type) -> String {
    match ty {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .map_or_else(|| "_".to_owned(), |s| s.ident.to_string()),
        Type::Reference(reference) => type_name(&reference.elem),
        Type::Paren(inner) => type_name(&inner.elem),
        Type::Group(inner) => type_name(&inner.elem),
        _ => "_".to_owned(),
    }
}

/// Byte offset of the first token of an expression, found without building token streams, by
/// a loop down the left edge of the tree (chains are long).
fn expr_start(mut expr: &Expr) -> Option<usize> {
    loop {
        expr = match expr {
            Expr::MethodCall(e) => &e.receiver,
            Expr::Call(e) => &e.func,
            Expr::Field(e) => &e.base,
            Expr::Index(e) => &e.expr,
            Expr::Binary(e) => &e.left,
            Expr::Cast(e) => &e.expr,
            Expr::Try(e) => &e.expr,
            Expr::Await(e) => &e.base,
            Expr::Assign(e) => &e.left,
            Expr::Range(e) => e.start.as_deref()?,
            Expr::Unary(e)
                if matches!(
                    e.op,
                    syn::UnOp::Deref(_) | syn::UnOp::Not(_) | syn::UnOp::Neg(_)
                ) =>
            {
                return token_start(expr);
            }
            Expr::Unary(e) => &e.expr,
            _ => return token_start(expr),
        };
    }
}

/// Byte offset of an expression's first token when it is a token of the expression itself.
fn token_start(expr: &Expr) -> Option<usize> {
    let span = match expr {
        Expr::Path(e) => e.path.segments.first().map(|s| s.ident.span())?,
        Expr::Macro(e) => e.mac.path.segments.first().map(|s| s.ident.span())?,
        Expr::If(e) => e.if_token.span,
        Expr::Match(e) => e.match_token.span,
        Expr::Return(e) => e.return_token.span,
        Expr::Let(e) => e.let_token.span,
        Expr::Unary(e) => match e.op {
            syn::UnOp::Deref(t) => t.span,
            syn::UnOp::Not(t) => t.span,
            syn::UnOp::Neg(t) => t.span,
            _ => return None,
        },
        Expr::Reference(e) => e.and_token.span,
        Expr::Paren(e) => e.paren_token.span.open(),
        Expr::Block(e) => e.block.brace_token.span.open(),
        Expr::Unsafe(e) => e.unsafe_token.span,
        Expr::Lit(e) => e.lit.span(),
        _ => return None,
    };
    Some(span.byte_range().start)
}

impl<'ast> Visit<'ast> for Walker<'_> {
    fn visit_block(&mut self, block: &'ast syn::Block) {
        if !self.codex.triggers().has_index_rules() {
            visit::visit_block(self, block);
            return;
        }
        // What a statement says about map keys holds for the rest of its block.
        let mark = self.guards.mark();
        for stmt in &block.stmts {
            self.visit_stmt(stmt);
            self.guards.after(stmt);
        }
        self.guards.reset(mark);
    }

    fn visit_expr_if(&mut self, expr: &'ast syn::ExprIf) {
        if !self.codex.triggers().has_index_rules() {
            visit::visit_expr_if(self, expr);
            return;
        }
        for attr in &expr.attrs {
            self.visit_attribute(attr);
        }
        self.visit_expr(&expr.cond);
        let mark = self.guards.mark();
        self.guards.assume(&expr.cond, true);
        self.visit_block(&expr.then_branch);
        self.guards.reset(mark);
        if let Some((_, other)) = &expr.else_branch {
            self.guards.assume(&expr.cond, false);
            self.visit_expr(other);
            self.guards.reset(mark);
        }
    }

    fn visit_expr_binary(&mut self, expr: &'ast syn::ExprBinary) {
        let and = matches!(expr.op, syn::BinOp::And(_));
        let or = matches!(expr.op, syn::BinOp::Or(_));
        if !(and || or) || !self.codex.triggers().has_index_rules() {
            visit::visit_expr_binary(self, expr);
            return;
        }
        // `m.contains_key(&k) && m[&k] > 0`: the right operand runs only when the left allows.
        for attr in &expr.attrs {
            self.visit_attribute(attr);
        }
        self.visit_expr(&expr.left);
        let mark = self.guards.mark();
        self.guards.assume(&expr.left, and);
        self.visit_expr(&expr.right);
        self.guards.reset(mark);
    }

    fn visit_item(&mut self, item: &'ast Item) {
        let (attrs, name, function) = item_parts(item);
        let entered = match item {
            // An item macro invocation, not a `macro_rules!` definition (which has a name).
            Item::Macro(m) if m.ident.is_none() => self.enter_invocation(attrs),
            _ => self.enter(attrs, name, function),
        };
        match item {
            Item::Fn(f) => self.in_try_scope(returns_try(&f.sig), |walker| {
                visit::visit_item(walker, item);
            }),
            _ => visit::visit_item(self, item),
        }
        self.leave(&entered);
    }

    fn visit_impl_item(&mut self, item: &'ast ImplItem) {
        let (attrs, name, function) = match item {
            ImplItem::Fn(f) => (&f.attrs[..], Some(f.sig.ident.to_string()), true),
            ImplItem::Const(c) => (&c.attrs[..], Some(c.ident.to_string()), false),
            ImplItem::Type(t) => (&t.attrs[..], None, false),
            ImplItem::Macro(m) => (&m.attrs[..], None, false),
            _ => (&[][..], None, false),
        };
        let entered = if matches!(item, ImplItem::Macro(_)) {
            self.enter_invocation(attrs)
        } else {
            self.enter(attrs, name, function)
        };
        match item {
            ImplItem::Fn(f) => self.in_try_scope(returns_try(&f.sig), |walker| {
                visit::visit_impl_item(walker, item);
            }),
            _ => visit::visit_impl_item(self, item),
        }
        self.leave(&entered);
    }

    fn visit_trait_item(&mut self, item: &'ast TraitItem) {
        let (attrs, name, function) = match item {
            TraitItem::Fn(f) => (&f.attrs[..], Some(f.sig.ident.to_string()), true),
            TraitItem::Const(c) => (&c.attrs[..], Some(c.ident.to_string()), false),
            TraitItem::Type(t) => (&t.attrs[..], None, false),
            TraitItem::Macro(m) => (&m.attrs[..], None, false),
            _ => (&[][..], None, false),
        };
        let entered = if matches!(item, TraitItem::Macro(_)) {
            self.enter_invocation(attrs)
        } else {
            self.enter(attrs, name, function)
        };
        match item {
            TraitItem::Fn(f) => self.in_try_scope(returns_try(&f.sig), |walker| {
                visit::visit_trait_item(walker, item);
            }),
            _ => visit::visit_trait_item(self, item),
        }
        self.leave(&entered);
    }

    fn visit_stmt(&mut self, stmt: &'ast Stmt) {
        let start = match stmt {
            Stmt::Local(local) => Some(local.let_token.span.byte_range().start),
            Stmt::Expr(expr, _) => expr_start(expr),
            Stmt::Macro(mac) => mac
                .mac
                .path
                .segments
                .first()
                .map(|s| s.ident.span().byte_range().start),
            Stmt::Item(_) => None,
        };
        self.with_statement(start, |walker| visit::visit_stmt(walker, stmt));
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.flow_enter(&item.block);
        self.in_const(false, |walker| visit::visit_item_fn(walker, item));
        self.flow_leave();
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.flow_enter(&item.block);
        self.in_const(false, |walker| visit::visit_impl_item_fn(walker, item));
        self.flow_leave();
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        let body = item.default.as_ref();
        if let Some(body) = body {
            self.flow_enter(body);
        }
        self.in_const(false, |walker| visit::visit_trait_item_fn(walker, item));
        if body.is_some() {
            self.flow_leave();
        }
    }

    fn visit_item_const(&mut self, item: &'ast syn::ItemConst) {
        self.in_const(true, |walker| visit::visit_item_const(walker, item));
    }

    fn visit_impl_item_const(&mut self, item: &'ast syn::ImplItemConst) {
        self.in_const(true, |walker| visit::visit_impl_item_const(walker, item));
    }

    fn visit_trait_item_const(&mut self, item: &'ast syn::TraitItemConst) {
        self.in_const(true, |walker| visit::visit_trait_item_const(walker, item));
    }

    fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
        // `thread_local! { static X: T = init; }` runs `init` on each thread, at run time.
        let evaluated = !self.thread_local;
        self.in_const(evaluated, |walker| visit::visit_item_static(walker, item));
    }

    fn visit_expr_const(&mut self, block: &'ast syn::ExprConst) {
        self.in_const(true, |walker| visit::visit_expr_const(walker, block));
    }

    fn visit_expr_repeat(&mut self, repeat: &'ast syn::ExprRepeat) {
        self.visit_expr(&repeat.expr);
        self.in_const(true, |walker| walker.visit_expr(&repeat.len));
    }

    fn visit_type_array(&mut self, array: &'ast syn::TypeArray) {
        self.in_const(true, |walker| visit::visit_type_array(walker, array));
    }

    fn visit_generic_argument(&mut self, argument: &'ast syn::GenericArgument) {
        let evaluated = matches!(
            argument,
            syn::GenericArgument::Const(_) | syn::GenericArgument::AssocConst(_)
        );
        if evaluated {
            self.in_const(true, |walker| {
                visit::visit_generic_argument(walker, argument);
            });
        } else {
            visit::visit_generic_argument(self, argument);
        }
    }

    fn visit_const_param(&mut self, param: &'ast syn::ConstParam) {
        self.in_const(true, |walker| visit::visit_const_param(walker, param));
    }

    fn visit_variant(&mut self, variant: &'ast syn::Variant) {
        // Fields are types and the discriminant is evaluated while compiling.
        self.with_attrs(&variant.attrs, |walker| {
            walker.in_const(true, |walker| visit::visit_variant(walker, variant));
        });
    }

    fn visit_field(&mut self, field: &'ast syn::Field) {
        self.with_attrs(&field.attrs, |walker| visit::visit_field(walker, field));
    }

    fn visit_field_value(&mut self, field: &'ast syn::FieldValue) {
        self.with_attrs(&field.attrs, |walker| {
            visit::visit_field_value(walker, field);
        });
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        let entered = self.enter(&local.attrs, None, false);
        visit::visit_local(self, local);
        self.leave(&entered);
    }

    fn visit_stmt_macro(&mut self, stmt: &'ast syn::StmtMacro) {
        let entered = self.enter_invocation(&stmt.attrs);
        visit::visit_stmt_macro(self, stmt);
        self.leave(&entered);
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        // Its body runs when called, even when the closure is made in a const initializer.
        self.in_const(false, |walker| {
            walker.in_try_scope(false, |walker| visit::visit_expr_closure(walker, closure));
        });
    }

    fn visit_expr_async(&mut self, block: &'ast syn::ExprAsync) {
        self.in_const(false, |walker| {
            walker.in_try_scope(false, |walker| visit::visit_expr_async(walker, block));
        });
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        let entered = self.enter(&arm.attrs, None, false);
        visit::visit_arm(self, arm);
        self.leave(&entered);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let rules = self.codex.triggers().method_rules(&call.method);
        if !rules.is_empty() {
            // The findings recorded here: a rule may record none (in a const context).
            let at = self.findings.len();
            self.record(rules, &call.method);
            if self.try_scopes.last() == Some(&true) {
                // `.unwrap()` → `?`: from the dot to the closing parenthesis.
                let start = call.dot_token.span.byte_range().start;
                let end = call.paren_token.span.close().byte_range().end;
                let codex = self.codex;
                for finding in self.findings.iter_mut().skip(at) {
                    if codex
                        .rule(finding.rule)
                        .is_some_and(|rule| rule.fix.is_some())
                    {
                        finding.fix = Some((start..end, "?".to_owned()));
                    }
                }
            }
        }
        self.flow_at(&call.method);
        if !self.codex.triggers().befores().is_empty() {
            self.before_method(&call.method);
        }
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
        if path.path.segments.len() >= 2 || path.qself.is_some() {
            self.qualified_method(path.qself.is_some(), &path.path);
        }
        visit::visit_expr_path(self, path);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let Expr::Path(path) = &*call.func {
            if let (None, Some(last)) = (&path.qself, path.path.segments.last()) {
                let segments: Vec<String> = segments(&path.path);
                self.call_path(&segments, &last.ident);
            }
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_index(&mut self, index: &'ast syn::ExprIndex) {
        let reference = matches!(&*index.index, Expr::Reference(_));
        let rules = self.codex.triggers().index_rules(reference);
        if !rules.is_empty() && !self.guards.covers(&index.expr, &index.index) {
            let span = index.bracket_token.span;
            self.record_range(
                &rules,
                span.open().byte_range().start..span.close().byte_range().end,
            );
        }
        visit::visit_expr_index(self, index);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.imports.add(item);
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        // Attributes on an expression (`#[allow(..)] if ..`, `{ #![allow(..)] .. }`) cover it.
        // No closure here: this is the walk's deepest recursion, and each frame counts.
        let attrs = lints::expr_attrs(expr);
        let entered = (!attrs.is_empty()).then(|| match expr {
            Expr::Macro(_) => self.enter_invocation(attrs),
            _ => self.enter(attrs, None, false),
        });
        if !self.codex.triggers().patterns().is_empty() {
            self.patterns(expr);
        }
        visit::visit_expr(self, expr);
        if let Some(entered) = entered {
            self.leave(&entered);
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let matched: Vec<RuleIndex> = self
            .codex
            .triggers()
            .patterns()
            .iter()
            .filter(|(pattern, _, _)| Matching::matches_macro(&pattern.root, mac))
            .map(|(_, _, rule)| *rule)
            .collect();
        if let (false, Some(last)) = (matched.is_empty(), mac.path.segments.last()) {
            self.record(&matched, &last.ident);
        }
        self.macro_path(&mac.path);
        let span = mac.delimiter.span().join().byte_range();
        let saved = self.thread_local;
        self.thread_local = mac
            .path
            .segments
            .last()
            .is_some_and(|last| last.ident == "thread_local");
        self.visit_macro_tokens(&mac.tokens, span.len());
        self.thread_local = saved;
    }
}
