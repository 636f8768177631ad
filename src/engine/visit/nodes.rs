//! The walk itself: syn's `Visit`, with the context kept up to date on the way down (items,
//! attributes, const contexts, statements, the guards of index rules) and each node offered to
//! the rules that look at it.

use syn::visit::{self, Visit};
use syn::{Expr, ImplItem, Item, Stmt, TraitItem};

use super::Walker;
use super::syntax::{expr_start, item_parts, returns_try};
use crate::codex::pattern::{FnRef, Target, segments};
use crate::engine::lints;

impl<'ast> Visit<'ast> for Walker<'_> {
    fn visit_block(&mut self, block: &'ast syn::Block) {
        let entered = self.enter_node(Target::Stmts(&block.stmts));
        self.leave_node(entered);
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
        let node = self.enter_node(crate::codex::pattern::matching::item_target(item));
        match item {
            Item::Fn(f) => self.in_try_scope(returns_try(&f.sig), |walker| {
                visit::visit_item(walker, item);
            }),
            _ => visit::visit_item(self, item),
        }
        self.leave_node(node);
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
        let node = match item {
            ImplItem::Fn(f) => self.enter_node(Target::Fn(FnRef {
                attrs: &f.attrs,
                vis: Some(&f.vis),
                sig: &f.sig,
                body: Some(&f.block),
            })),
            _ => false,
        };
        match item {
            ImplItem::Fn(f) => self.in_try_scope(returns_try(&f.sig), |walker| {
                visit::visit_impl_item(walker, item);
            }),
            _ => visit::visit_impl_item(self, item),
        }
        self.leave_node(node);
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
        let node = match item {
            TraitItem::Fn(f) => self.enter_node(Target::Fn(FnRef {
                attrs: &f.attrs,
                vis: None,
                sig: &f.sig,
                body: f.default.as_ref(),
            })),
            _ => false,
        };
        match item {
            TraitItem::Fn(f) => self.in_try_scope(returns_try(&f.sig), |walker| {
                visit::visit_trait_item(walker, item);
            }),
            _ => visit::visit_trait_item(self, item),
        }
        self.leave_node(node);
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
        let node = self.enter_node(Target::Local(local));
        visit::visit_local(self, local);
        self.leave_node(node);
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
        if let Expr::Path(path) = &*call.func
            && let (None, Some(last)) = (&path.qself, path.path.segments.last())
        {
            let segments: Vec<String> = segments(&path.path);
            self.call_path(&segments, &last.ident);
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

    fn visit_type(&mut self, ty: &'ast syn::Type) {
        let node = self.enter_node(Target::Type(ty));
        visit::visit_type(self, ty);
        self.leave_node(node);
    }

    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        let node = self.enter_node(Target::Attr(attr));
        visit::visit_attribute(self, attr);
        self.leave_node(node);
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        // Attributes on an expression (`#[allow(..)] if ..`, `{ #![allow(..)] .. }`) cover it.
        // No closure here: this is the walk's deepest recursion, and each frame counts.
        let attrs = lints::expr_attrs(expr);
        let entered = (!attrs.is_empty()).then(|| match expr {
            Expr::Macro(_) => self.enter_invocation(attrs),
            _ => self.enter(attrs, None, false),
        });
        let node = self.enter_node(Target::Expr(expr));
        visit::visit_expr(self, expr);
        self.leave_node(node);
        if let Some(entered) = entered {
            self.leave(&entered);
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let node = self.enter_node(Target::Macro(mac));
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
        self.leave_node(node);
    }
}
