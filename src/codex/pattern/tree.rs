//! The compiled form of a pattern: a tree of the syntax a rule author can write (expressions,
//! statements, blocks, items, types, patterns, attributes), with metavariables (`$X`), named runs
//! (`$...ARGS`) and gaps (`..`), built once from syn's parse of the pattern text.
//!
//! What a metavariable may stand in for is decided here: a construct this tree does not model is
//! kept whole (`Other`) and compared as syntax, and a metavariable or `..` inside it is an error
//! at load, never a pattern that silently matches nothing.

use std::mem::Discriminant;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Attribute, Expr, FnArg, Item, Pat, ReturnType, Stmt, Type};

use super::target::{Tag, expr_tag, item_tag};

/// Prefix of the identifier a `$NAME` metavariable becomes before syn parses the pattern.
pub(crate) const ANY: &str = "__codex_mv_";
/// Prefix of the identifier a `$...NAME` (or `$$$NAME`) run becomes.
pub(crate) const REST: &str = "__codex_rest_";
/// The method call `.$$$.` becomes: a run of chained calls.
pub(crate) const CHAIN: &str = "__codex_chain";
/// The parameter `fn f(..)` becomes: any parameters.
pub(crate) const PARAMS: &str = "__codex_params";

/// A name in a pattern: written out, or a metavariable binding the name found there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    /// `unwrap`.
    Lit(String),
    /// `$METHOD`.
    Var(String),
}

/// One element of a sequence (arguments, statements, parameters, generic arguments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Elem<T> {
    /// One element.
    One(T),
    /// `..`: any run of elements, possibly empty.
    Gap,
    /// `$...NAME`: any run of elements, bound to `NAME`.
    Rest(String),
}

/// A path: segments, each a name with optional generic arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathNode {
    /// The segments, without a leading `::`.
    pub segments: Vec<SegmentNode>,
}

/// One segment of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentNode {
    /// Its name.
    pub name: Name,
    /// Its generic arguments when the pattern writes them (`Vec<$T>`); `None` matches any.
    pub args: Option<Vec<Elem<TypeNode>>>,
}

/// An expression, statement or item of a pattern.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// `$X`: any expression (or statement, in a statement list).
    Any(String),
    /// `$_`: any expression, bound to nothing.
    Wild,
    Path(PathNode),
    MethodCall {
        receiver: Box<Node>,
        method: Name,
        args: Vec<Elem<Node>>,
    },
    /// `R.$$$`: the receiver `R` itself or `R` followed by any run of calls and field accesses.
    Chain(Box<Node>),
    Call {
        func: Box<Node>,
        args: Vec<Elem<Node>>,
    },
    Field {
        base: Box<Node>,
        member: Name,
    },
    Cast {
        expr: Box<Node>,
        ty: TypeNode,
    },
    Reference {
        mutable: bool,
        expr: Box<Node>,
    },
    Unary {
        op: Discriminant<syn::UnOp>,
        expr: Box<Node>,
    },
    Binary {
        left: Box<Node>,
        op: Discriminant<syn::BinOp>,
        right: Box<Node>,
    },
    Assign {
        left: Box<Node>,
        right: Box<Node>,
    },
    Index {
        expr: Box<Node>,
        index: Box<Node>,
    },
    Try(Box<Node>),
    Await(Box<Node>),
    Macro(MacroNode),
    /// A literal, as written.
    Lit(String),
    /// `X { a: $A, .. }`: the fields named, in any order; with `rest`, others too.
    Struct {
        path: PathNode,
        fields: Vec<(Name, Node)>,
        rest: bool,
    },
    Block(BlockNode),
    Unsafe(BlockNode),
    Async(BlockNode),
    If {
        cond: Box<Node>,
        then: BlockNode,
        otherwise: Option<Box<Node>>,
    },
    Let {
        pat: PatNode,
        expr: Box<Node>,
    },
    While {
        cond: Box<Node>,
        body: BlockNode,
    },
    ForLoop {
        pat: PatNode,
        expr: Box<Node>,
        body: BlockNode,
    },
    Loop(BlockNode),
    Closure {
        inputs: Vec<Elem<PatNode>>,
        body: Box<Node>,
    },
    Return(Option<Box<Node>>),
    Tuple(Vec<Elem<Node>>),
    Array(Vec<Elem<Node>>),
    /// Any other expression, compared as tokens (spans aside).
    Other {
        tag: Tag,
        tokens: Vec<Token>,
    },
    /// `let PAT: TYPE = INIT else { .. };`; parts left out match anything.
    Local {
        pat: PatNode,
        ty: Option<TypeNode>,
        init: Option<Box<Node>>,
        diverge: Option<Box<Node>>,
    },
    Item(Box<ItemNode>),
    /// Statements of one block in order, `..` between them standing for any statements.
    Seq(Vec<Elem<Node>>),
}

/// The statements of a block: `{ .. }` is any block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockNode(pub Vec<Elem<Node>>);

/// A macro invocation: its name (the last segment of its path) and its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroNode {
    /// `println` of `println!`, `std::println!`.
    pub name: String,
    /// The tokens inside its delimiters.
    pub tokens: Vec<Token>,
}

/// A token of a macro's or attribute's arguments, as a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// `$X`: a run of one or more tokens up to the next `,` or `;` at that level.
    Var(String),
    /// `..` or `$...X`: any run of tokens.
    Gap,
    /// An identifier or keyword.
    Ident(String),
    /// A punctuation character.
    Punct(char),
    /// A literal, as written.
    Literal(String),
    /// A delimited group.
    Group(Delimiter, Vec<Token>),
}

/// A type of a pattern.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeNode {
    /// `$T`: any type.
    Any(String),
    Path(PathNode),
    Reference {
        mutable: bool,
        elem: Box<TypeNode>,
    },
    Slice(Box<TypeNode>),
    Tuple(Vec<Elem<TypeNode>>),
    /// Any other type (or generic argument), compared as tokens.
    Other(Vec<Token>),
}

/// A (destructuring) pattern of a pattern: `Some($X)`, `mut $N`, `_`.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatNode {
    /// `$P`: any pattern.
    Any(String),
    Wild,
    Ident {
        name: Name,
        mutable: bool,
    },
    TupleStruct {
        path: PathNode,
        elems: Vec<Elem<PatNode>>,
    },
    Path(PathNode),
    Tuple(Vec<Elem<PatNode>>),
    Reference {
        mutable: bool,
        pat: Box<PatNode>,
    },
    /// Any other pattern, compared as tokens.
    Other(Vec<Token>),
}

/// An item of a pattern, with the attributes it must carry (others may be there too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemNode {
    /// Attributes the item must carry.
    pub attrs: Vec<AttrNode>,
    /// What item it is.
    pub kind: ItemKind,
}

/// What an item of a pattern is. Modifiers written are required; those left out match anything
/// (`fn $F(..)` matches `pub unsafe fn f()` too).
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    Fn(FnNode),
    /// `impl TRAIT for TYPE { ITEMS }`: the items written must each be there.
    Impl {
        unsafety: bool,
        trait_: Option<PathNode>,
        self_ty: TypeNode,
        items: Vec<ItemNode>,
    },
    /// `mod NAME { ITEMS }` or `mod NAME;`.
    Mod {
        name: Name,
        items: Option<Vec<ItemNode>>,
    },
    /// `use a::b::{c, d as e};`: every leaf written must be imported by the item.
    Use(Vec<UseLeaf>),
    Static {
        mutable: bool,
        name: Name,
        ty: TypeNode,
        expr: Box<Node>,
    },
    Const {
        name: Name,
        ty: TypeNode,
        expr: Box<Node>,
    },
    Macro(MacroNode),
    /// Any other item, compared as tokens (its attributes aside).
    Other {
        tag: Tag,
        tokens: Vec<Token>,
    },
}

/// A function of a pattern.
#[allow(clippy::struct_excessive_bools)] // independent modifiers, each required when written
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnNode {
    /// `pub` written: the function must be visible outside its module in some way.
    pub public: bool,
    /// `const fn`.
    pub constness: bool,
    /// `async fn`.
    pub asyncness: bool,
    /// `unsafe fn`.
    pub unsafety: bool,
    /// `extern "C" fn`.
    pub abi: bool,
    /// Its name.
    pub name: Name,
    /// Its parameters; `..` (any) when the pattern writes `(..)`.
    pub params: Vec<Elem<ParamNode>>,
    /// Its return type, when written.
    pub output: Option<TypeNode>,
    /// Its body, when written (`fn f(..);` matches any body).
    pub body: Option<BlockNode>,
}

/// A function parameter of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamNode {
    /// `self`, `&self`, `&mut self`, `mut self`.
    Receiver {
        /// `&self`.
        reference: bool,
        /// `mut self`, `&mut self`.
        mutable: bool,
    },
    /// `PAT: TYPE`.
    Typed {
        /// The binding.
        pat: PatNode,
        /// The type.
        ty: TypeNode,
    },
}

/// One leaf of a `use` tree: a path, ending in a name, `*` or a rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseLeaf {
    /// The segments, the last one the imported name (absent for a glob).
    pub segments: Vec<Name>,
    /// `::*`.
    pub glob: bool,
    /// `as NAME`.
    pub rename: Option<Name>,
}

/// An attribute of a pattern: `#[derive(..)]`, `#[allow(clippy::$LINT)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrNode {
    /// Its path.
    pub path: Vec<Name>,
    /// `#!` (inner) rather than `#`.
    pub inner: bool,
    /// Its arguments: tokens of a list, or the value of `name = value`; `None` for a bare path.
    pub args: Option<Vec<Token>>,
}

/// Why a pattern could not be built: where (a byte offset in the substituted text), and what.
#[derive(Debug)]
pub(crate) struct BuildError {
    pub(crate) at: usize,
    pub(crate) message: String,
}

type Built<T> = Result<T, BuildError>;

/// A name of an identifier: `__codex_mv_X` is the metavariable `X`.
pub(crate) fn name(ident: &proc_macro2::Ident) -> Name {
    let text = ident.to_string();
    match text.strip_prefix(ANY) {
        Some(var) => Name::Var(var.to_owned()),
        None => Name::Lit(text),
    }
}

/// The first place in `tokens` a metavariable or `..` was written, if any.
fn placeholder_in(tokens: TokenStream) -> Option<usize> {
    let mut stack = vec![tokens.into_iter()];
    let mut previous_dot = false;
    while let Some(top) = stack.last_mut() {
        let Some(tree) = top.next() else {
            stack.pop();
            continue;
        };
        match tree {
            TokenTree::Ident(ident) if ident.to_string().starts_with("__codex_") => {
                return Some(ident.span().byte_range().start);
            }
            TokenTree::Punct(punct) if punct.as_char() == '.' => {
                if previous_dot {
                    return Some(punct.span().byte_range().start.saturating_sub(1));
                }
                previous_dot = punct.spacing() == Spacing::Joint;
                continue;
            }
            TokenTree::Group(group) => stack.push(group.stream().into_iter()),
            _ => {}
        }
        previous_dot = false;
    }
    None
}

/// Keeps `value` whole, as tokens, or says where a metavariable inside it cannot be matched.
fn whole<T: ToTokens>(value: &T, what: &str) -> Built<Vec<Token>> {
    let stream = value.to_token_stream();
    match placeholder_in(stream.clone()) {
        Some(at) => Err(BuildError {
            at,
            message: format!(
                "metavariables and `..` are not supported inside {what} in a pattern; write it out, \
                 or match it with `has` or `[match.where]`"
            ),
        }),
        None => Ok(tokens(stream)),
    }
}

fn path(path: &syn::Path) -> Built<PathNode> {
    let segments = path
        .segments
        .iter()
        .map(|segment| {
            let args = match &segment.arguments {
                syn::PathArguments::None => None,
                syn::PathArguments::AngleBracketed(angle) => Some(
                    angle
                        .args
                        .iter()
                        .map(|arg| match arg {
                            syn::GenericArgument::Type(ty) => type_elem(ty),
                            other => Ok(Elem::One(TypeNode::Other(whole(
                                other,
                                "a generic argument",
                            )?))),
                        })
                        .collect::<Built<Vec<_>>>()?,
                ),
                syn::PathArguments::Parenthesized(args) => {
                    whole(args, "`Fn(..)` arguments")?;
                    None
                }
            };
            Ok(SegmentNode {
                name: name(&segment.ident),
                args,
            })
        })
        .collect::<Built<Vec<_>>>()?;
    Ok(PathNode { segments })
}

/// The metavariable or run a bare path stands for, if it is one.
fn placeholder(path: &syn::Path) -> Option<Elem<String>> {
    let [segment] = path.segments.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    if !matches!(segment.arguments, syn::PathArguments::None) || path.leading_colon.is_some() {
        return None;
    }
    let text = segment.ident.to_string();
    if let Some(rest) = text.strip_prefix(REST) {
        return Some(if rest.is_empty() {
            Elem::Gap
        } else {
            Elem::Rest(rest.to_owned())
        });
    }
    text.strip_prefix(ANY).map(|var| Elem::One(var.to_owned()))
}

fn type_elem(ty: &Type) -> Built<Elem<TypeNode>> {
    if let Type::Path(p) = ty {
        if p.qself.is_none() {
            match placeholder(&p.path) {
                Some(Elem::Gap) => return Ok(Elem::Gap),
                Some(Elem::Rest(name)) => return Ok(Elem::Rest(name)),
                _ => {}
            }
        }
    }
    Ok(Elem::One(type_node(ty)?))
}

/// A type.
pub(crate) fn type_node(ty: &Type) -> Built<TypeNode> {
    Ok(match ty {
        Type::Path(p) if p.qself.is_none() => match placeholder(&p.path) {
            Some(Elem::One(var)) if var == "_" => TypeNode::Any(String::new()),
            Some(Elem::One(var)) => TypeNode::Any(var),
            Some(_) => {
                return Err(BuildError {
                    at: p
                        .path
                        .segments
                        .first()
                        .map_or(0, |s| s.ident.span().byte_range().start),
                    message: "a run (`..`, `$...X`) stands for generic arguments only, like \
                              `Result<..>`"
                        .to_owned(),
                });
            }
            None => TypeNode::Path(path(&p.path)?),
        },
        Type::Reference(r) => TypeNode::Reference {
            mutable: r.mutability.is_some(),
            elem: Box::new(type_node(&r.elem)?),
        },
        Type::Slice(s) => TypeNode::Slice(Box::new(type_node(&s.elem)?)),
        Type::Tuple(t) => TypeNode::Tuple(t.elems.iter().map(type_elem).collect::<Built<_>>()?),
        Type::Paren(p) => type_node(&p.elem)?,
        Type::Group(g) => type_node(&g.elem)?,
        other => TypeNode::Other(whole(other, "this type")?),
    })
}

fn pat_elem(pat: &Pat) -> Built<Elem<PatNode>> {
    match pat {
        Pat::Rest(_) => Ok(Elem::Gap),
        Pat::Ident(i) if i.subpat.is_none() => {
            let text = i.ident.to_string();
            match text.strip_prefix(REST) {
                Some("") => Ok(Elem::Gap),
                Some(rest) => Ok(Elem::Rest(rest.to_owned())),
                None => Ok(Elem::One(pat_node(pat)?)),
            }
        }
        _ => Ok(Elem::One(pat_node(pat)?)),
    }
}

/// A destructuring pattern.
pub(crate) fn pat_node(pat: &Pat) -> Built<PatNode> {
    Ok(match pat {
        Pat::Ident(i) if i.subpat.is_none() && i.by_ref.is_none() => match name(&i.ident) {
            Name::Var(var) if i.mutability.is_none() => PatNode::Any(var),
            name => PatNode::Ident {
                name,
                mutable: i.mutability.is_some(),
            },
        },
        Pat::Wild(_) => PatNode::Wild,
        Pat::TupleStruct(t) if t.qself.is_none() => PatNode::TupleStruct {
            path: path(&t.path)?,
            elems: t.elems.iter().map(pat_elem).collect::<Built<_>>()?,
        },
        Pat::Path(p) if p.qself.is_none() => match placeholder(&p.path) {
            Some(Elem::One(var)) => PatNode::Any(var),
            _ => PatNode::Path(path(&p.path)?),
        },
        Pat::Tuple(t) => PatNode::Tuple(t.elems.iter().map(pat_elem).collect::<Built<_>>()?),
        Pat::Reference(r) => PatNode::Reference {
            mutable: r.mutability.is_some(),
            pat: Box::new(pat_node(&r.pat)?),
        },
        Pat::Paren(p) => pat_node(&p.pat)?,
        other => PatNode::Other(whole(other, "this pattern")?),
    })
}

fn args<'e>(exprs: impl IntoIterator<Item = &'e Expr>) -> Built<Vec<Elem<Node>>> {
    exprs.into_iter().map(expr_elem).collect()
}

/// An expression in a sequence: `..` and `$...X` are runs there.
fn expr_elem(expr: &Expr) -> Built<Elem<Node>> {
    match expr {
        Expr::Range(r) if r.start.is_none() && r.end.is_none() => {
            if matches!(r.limits, syn::RangeLimits::HalfOpen(_)) {
                Ok(Elem::Gap)
            } else {
                Ok(Elem::One(expr_node(expr)?))
            }
        }
        Expr::Path(p) if p.qself.is_none() => match placeholder(&p.path) {
            Some(Elem::Gap) => Ok(Elem::Gap),
            Some(Elem::Rest(name)) => Ok(Elem::Rest(name)),
            _ => Ok(Elem::One(expr_node(expr)?)),
        },
        _ => Ok(Elem::One(expr_node(expr)?)),
    }
}

/// Says where a run was written where one node is expected.
fn single(elem: Elem<Node>, at: usize) -> Built<Node> {
    match elem {
        Elem::One(node) => Ok(node),
        Elem::Gap | Elem::Rest(_) => Err(BuildError {
            at,
            message: "a run (`..`, `$...X`) stands for arguments, statements, fields or \
                      parameters only; write `$X` for one expression"
                .to_owned(),
        }),
    }
}

fn boxed(expr: &Expr) -> Built<Box<Node>> {
    Ok(Box::new(expr_node(expr)?))
}

/// An expression.
pub(crate) fn expr_node(expr: &Expr) -> Built<Node> {
    Ok(match expr {
        Expr::Path(p) if p.qself.is_none() => match placeholder(&p.path) {
            Some(Elem::One(var)) if var == "_" => Node::Wild,
            Some(Elem::One(var)) => Node::Any(var),
            Some(_) => {
                let at = p
                    .path
                    .segments
                    .first()
                    .map_or(0, |s| s.ident.span().byte_range().start);
                return single(Elem::Gap, at);
            }
            None => Node::Path(path(&p.path)?),
        },
        Expr::MethodCall(call) if call.method == CHAIN => {
            if !call.args.is_empty() {
                return Err(BuildError {
                    at: call.method.span().byte_range().start,
                    message: "`.$$$.` stands for calls between two links of a chain".to_owned(),
                });
            }
            Node::Chain(boxed(&call.receiver)?)
        }
        Expr::MethodCall(call) => Node::MethodCall {
            receiver: boxed(&call.receiver)?,
            method: name(&call.method),
            args: args(&call.args)?,
        },
        Expr::Call(call) => Node::Call {
            func: boxed(&call.func)?,
            args: args(&call.args)?,
        },
        Expr::Field(field) => Node::Field {
            base: boxed(&field.base)?,
            member: match &field.member {
                syn::Member::Named(ident) => name(ident),
                syn::Member::Unnamed(index) => Name::Lit(index.index.to_string()),
            },
        },
        Expr::Cast(cast) => Node::Cast {
            expr: boxed(&cast.expr)?,
            ty: type_node(&cast.ty)?,
        },
        Expr::Reference(r) => Node::Reference {
            mutable: r.mutability.is_some(),
            expr: boxed(&r.expr)?,
        },
        Expr::Unary(u) => Node::Unary {
            op: std::mem::discriminant(&u.op),
            expr: boxed(&u.expr)?,
        },
        Expr::Binary(b) => Node::Binary {
            left: boxed(&b.left)?,
            op: std::mem::discriminant(&b.op),
            right: boxed(&b.right)?,
        },
        Expr::Assign(a) => Node::Assign {
            left: boxed(&a.left)?,
            right: boxed(&a.right)?,
        },
        Expr::Index(i) => Node::Index {
            expr: boxed(&i.expr)?,
            index: boxed(&i.index)?,
        },
        Expr::Try(t) => Node::Try(boxed(&t.expr)?),
        Expr::Await(a) => Node::Await(boxed(&a.base)?),
        Expr::Paren(p) => expr_node(&p.expr)?,
        Expr::Group(g) => expr_node(&g.expr)?,
        Expr::Macro(m) => Node::Macro(macro_node(&m.mac)),
        Expr::Lit(lit) if lit.attrs.is_empty() => Node::Lit(lit.lit.to_token_stream().to_string()),
        Expr::Range(r) if r.start.is_none() && r.end.is_none() => {
            return single(Elem::Gap, 0);
        }
        other => return compound_node(other),
    })
}

/// An expression holding blocks or lists: a struct literal, a block, a condition, a loop, a
/// closure, a tuple, an array; any other is kept whole.
fn compound_node(expr: &Expr) -> Built<Node> {
    Ok(match expr {
        Expr::Struct(s) if s.qself.is_none() => {
            if s.rest.is_some() {
                return Ok(Node::Other {
                    tag: Tag::Struct,
                    tokens: whole(expr, "a struct literal with a base (`..base`)")?,
                });
            }
            Node::Struct {
                path: path(&s.path)?,
                fields: s
                    .fields
                    .iter()
                    .map(|field| {
                        let member = match &field.member {
                            syn::Member::Named(ident) => name(ident),
                            syn::Member::Unnamed(index) => Name::Lit(index.index.to_string()),
                        };
                        Ok((member, expr_node(&field.expr)?))
                    })
                    .collect::<Built<_>>()?,
                rest: s.dot2_token.is_some(),
            }
        }
        Expr::Block(b) if b.label.is_none() => Node::Block(block(&b.block)?),
        Expr::Unsafe(u) => Node::Unsafe(block(&u.block)?),
        Expr::Async(a) => Node::Async(block(&a.block)?),
        Expr::If(i) => Node::If {
            cond: boxed(&i.cond)?,
            then: block(&i.then_branch)?,
            otherwise: i
                .else_branch
                .as_ref()
                .map(|(_, other)| boxed(other))
                .transpose()?,
        },
        Expr::Let(l) => Node::Let {
            pat: pat_node(&l.pat)?,
            expr: boxed(&l.expr)?,
        },
        Expr::While(w) if w.label.is_none() => Node::While {
            cond: boxed(&w.cond)?,
            body: block(&w.body)?,
        },
        Expr::ForLoop(f) if f.label.is_none() => Node::ForLoop {
            pat: pat_node(&f.pat)?,
            expr: boxed(&f.expr)?,
            body: block(&f.body)?,
        },
        Expr::Loop(l) if l.label.is_none() => Node::Loop(block(&l.body)?),
        Expr::Closure(c) if matches!(c.output, ReturnType::Default) => Node::Closure {
            inputs: c.inputs.iter().map(pat_elem).collect::<Built<_>>()?,
            body: boxed(&c.body)?,
        },
        Expr::Return(r) => Node::Return(r.expr.as_deref().map(boxed).transpose()?),
        Expr::Tuple(t) => Node::Tuple(args(&t.elems)?),
        Expr::Array(a) => Node::Array(args(&a.elems)?),
        other => Node::Other {
            tag: expr_tag(other),
            tokens: whole(other, "this expression")?,
        },
    })
}

/// The statements of a block.
pub(crate) fn block(block: &syn::Block) -> Built<BlockNode> {
    Ok(BlockNode(statements(&block.stmts)?))
}

/// Statements, `..` between them a gap.
pub(crate) fn statements(stmts: &[Stmt]) -> Built<Vec<Elem<Node>>> {
    stmts
        .iter()
        .map(|stmt| match stmt {
            Stmt::Expr(expr, _) => expr_elem(expr),
            other => Ok(Elem::One(stmt_node(other)?)),
        })
        .collect()
}

/// A statement: an expression statement is its expression.
pub(crate) fn stmt_node(stmt: &Stmt) -> Built<Node> {
    Ok(match stmt {
        Stmt::Local(local) => {
            let (pat, ty) = match &local.pat {
                Pat::Type(typed) => (pat_node(&typed.pat)?, Some(type_node(&typed.ty)?)),
                other => (pat_node(other)?, None),
            };
            Node::Local {
                pat,
                ty,
                init: local
                    .init
                    .as_ref()
                    .map(|init| boxed(&init.expr))
                    .transpose()?,
                diverge: local
                    .init
                    .as_ref()
                    .and_then(|init| init.diverge.as_ref())
                    .map(|(_, other)| boxed(other))
                    .transpose()?,
            }
        }
        Stmt::Item(item) => Node::Item(Box::new(item_node(item)?)),
        Stmt::Expr(expr, _) => single(expr_elem(expr)?, 0)?,
        Stmt::Macro(m) => Node::Macro(macro_node(&m.mac)),
    })
}

/// A macro invocation.
pub(crate) fn macro_node(mac: &syn::Macro) -> MacroNode {
    MacroNode {
        name: mac
            .path
            .segments
            .last()
            .map(|last| last.ident.to_string())
            .unwrap_or_default(),
        tokens: tokens(mac.tokens.clone()),
    }
}

/// Tokens as a pattern: metavariables and `..` become [`Token::Var`] and [`Token::Gap`].
pub(crate) fn tokens(stream: TokenStream) -> Vec<Token> {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut i = 0;
    while let Some(tree) = trees.get(i) {
        i += 1;
        out.push(match tree {
            TokenTree::Ident(ident) => {
                let text = ident.to_string();
                if let Some(var) = text.strip_prefix(ANY) {
                    Token::Var(var.to_owned())
                } else if text.starts_with(REST) {
                    Token::Gap
                } else {
                    Token::Ident(text)
                }
            }
            TokenTree::Punct(punct) => {
                let dots = punct.as_char() == '.'
                    && punct.spacing() == Spacing::Joint
                    && matches!(trees.get(i), Some(TokenTree::Punct(next)) if next.as_char() == '.');
                if dots {
                    i += 1;
                    Token::Gap
                } else {
                    Token::Punct(punct.as_char())
                }
            }
            TokenTree::Literal(literal) => Token::Literal(literal.to_string()),
            TokenTree::Group(group) => Token::Group(group.delimiter(), tokens(group.stream())),
        });
    }
    // `..` is an element of a comma-separated list, as in argument lists: the commas around it
    // are its separators, which the run takes along.
    let mut list: Vec<Token> = Vec::with_capacity(out.len());
    for token in out {
        let comma = token == Token::Punct(',');
        if comma && list.last() == Some(&Token::Gap) {
            continue;
        }
        if token == Token::Gap && list.last() == Some(&Token::Punct(',')) {
            list.pop();
        }
        list.push(token);
    }
    list
}

/// An attribute.
pub(crate) fn attr_node(attr: &Attribute) -> AttrNode {
    let meta_path = attr.path();
    let args = match &attr.meta {
        syn::Meta::Path(_) => None,
        syn::Meta::List(list) => Some(tokens(list.tokens.clone())),
        syn::Meta::NameValue(nv) => Some(tokens(nv.value.to_token_stream())),
    };
    AttrNode {
        path: meta_path.segments.iter().map(|s| name(&s.ident)).collect(),
        inner: matches!(attr.style, syn::AttrStyle::Inner(_)),
        args,
    }
}

fn attrs(attrs: &[Attribute]) -> Vec<AttrNode> {
    attrs.iter().map(attr_node).collect()
}

/// An item.
pub(crate) fn item_node(item: &Item) -> Built<ItemNode> {
    let kind = match item {
        Item::Fn(f) => ItemKind::Fn(fn_node(&f.vis, &f.sig, Some(&f.block))?),
        Item::Impl(i) => impl_node(i)?,
        Item::Mod(m) => ItemKind::Mod {
            name: name(&m.ident),
            items: m
                .content
                .as_ref()
                .map(|(_, items)| items.iter().map(item_node).collect::<Built<_>>())
                .transpose()?,
        },
        Item::Use(u) => {
            let mut leaves = Vec::new();
            use_leaves(&u.tree, &mut Vec::new(), &mut leaves);
            ItemKind::Use(leaves)
        }
        Item::Static(s) => ItemKind::Static {
            mutable: matches!(s.mutability, syn::StaticMutability::Mut(_)),
            name: name(&s.ident),
            ty: type_node(&s.ty)?,
            expr: boxed(&s.expr)?,
        },
        Item::Const(c) => ItemKind::Const {
            name: name(&c.ident),
            ty: type_node(&c.ty)?,
            expr: boxed(&c.expr)?,
        },
        Item::Macro(m) if m.ident.is_none() => ItemKind::Macro(macro_node(&m.mac)),
        other => {
            let mut bare = other.clone();
            strip_item_attrs(&mut bare);
            ItemKind::Other {
                tag: item_tag(other),
                tokens: whole(&bare, "this item")?,
            }
        }
    };
    let written = super::matching::item_attrs(item);
    Ok(ItemNode {
        attrs: attrs(written),
        kind,
    })
}

/// An `impl` block.
fn impl_node(i: &syn::ItemImpl) -> Built<ItemKind> {
    Ok(ItemKind::Impl {
        unsafety: i.unsafety.is_some(),
        trait_: i
            .trait_
            .as_ref()
            .map(|(trait_path, _)| path(trait_path))
            .transpose()?,
        self_ty: type_node(&i.self_ty)?,
        items: i
            .items
            .iter()
            .map(|member| match member {
                syn::ImplItem::Fn(f) => Ok(ItemNode {
                    attrs: attrs(&f.attrs),
                    kind: ItemKind::Fn(fn_node(&f.vis, &f.sig, Some(&f.block))?),
                }),
                other => Ok(ItemNode {
                    attrs: Vec::new(),
                    kind: ItemKind::Other {
                        tag: Tag::OtherItem,
                        tokens: whole(other, "this impl member")?,
                    },
                }),
            })
            .collect::<Built<_>>()?,
    })
}

/// Takes the attributes off an item kept whole: they are compared as [`AttrNode`]s.
pub(crate) fn strip_item_attrs(item: &mut Item) {
    match item {
        Item::Struct(s) => s.attrs.clear(),
        Item::Enum(e) => e.attrs.clear(),
        Item::Trait(t) => t.attrs.clear(),
        Item::Type(t) => t.attrs.clear(),
        Item::Union(u) => u.attrs.clear(),
        Item::ExternCrate(e) => e.attrs.clear(),
        Item::ForeignMod(f) => f.attrs.clear(),
        Item::TraitAlias(t) => t.attrs.clear(),
        Item::Macro(m) => m.attrs.clear(),
        _ => {}
    }
}

fn use_leaves(tree: &syn::UseTree, prefix: &mut Vec<Name>, out: &mut Vec<UseLeaf>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(name(&p.ident));
            use_leaves(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let mut segments = prefix.clone();
            segments.push(name(&n.ident));
            out.push(UseLeaf {
                segments,
                glob: false,
                rename: None,
            });
        }
        syn::UseTree::Rename(r) => {
            let mut segments = prefix.clone();
            segments.push(name(&r.ident));
            out.push(UseLeaf {
                segments,
                glob: false,
                rename: Some(name(&r.rename)),
            });
        }
        syn::UseTree::Glob(_) => out.push(UseLeaf {
            segments: prefix.clone(),
            glob: true,
            rename: None,
        }),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_leaves(tree, prefix, out);
            }
        }
    }
}

/// A function: `vis`, signature and body as written in the pattern.
fn fn_node(
    vis: &syn::Visibility,
    sig: &syn::Signature,
    body: Option<&syn::Block>,
) -> Built<FnNode> {
    let params = sig
        .inputs
        .iter()
        .map(|input| match input {
            FnArg::Receiver(receiver) => Ok(Elem::One(ParamNode::Receiver {
                reference: matches!(receiver.kind, syn::ReceiverKind::Reference(..)),
                mutable: receiver.mutability.is_some()
                    || matches!(receiver.kind, syn::ReceiverKind::Reference(_, _, Some(_))),
            })),
            FnArg::Typed(typed) => {
                if let Pat::Ident(ident) = &*typed.pat {
                    if ident.ident == PARAMS {
                        return Ok(Elem::Gap);
                    }
                }
                Ok(Elem::One(ParamNode::Typed {
                    pat: pat_node(&typed.pat)?,
                    ty: type_node(&typed.ty)?,
                }))
            }
        })
        .collect::<Built<_>>()?;
    // A body of one `..` (`{ .. }`) matches any body, as leaving it out does.
    let body = body.map(block).transpose()?;
    Ok(FnNode {
        public: !matches!(vis, syn::Visibility::Inherited),
        constness: sig.constness.is_some(),
        asyncness: sig.asyncness.is_some(),
        unsafety: matches!(sig.safety, syn::Safety::Unsafe(_)),
        abi: sig.abi.is_some(),
        name: name(&sig.ident),
        params,
        output: match &sig.output {
            ReturnType::Default => None,
            ReturnType::Type(_, ty) => Some(type_node(ty)?),
        },
        body,
    })
}

/// Whether a block pattern is `{ .. }`, which matches any body, even a missing one.
pub(crate) fn is_any_block(block: &BlockNode) -> bool {
    matches!(block.0.as_slice(), [Elem::Gap])
}
