//! The compiled form of a pattern: a tree of the syntax a rule author can write (expressions,
//! statements, blocks, items, types, patterns, attributes), with metavariables (`$X`), named runs
//! (`$...ARGS`) and gaps (`..`), built once from syn's parse of the pattern text.
//!
//! What a metavariable may stand in for is decided here: a construct this tree does not model is
//! kept whole (`Other`) and compared as syntax, and a metavariable or `..` inside it is an error
//! at load, never a pattern that silently matches nothing.

mod code;
mod syntax;

use std::mem::Discriminant;

use proc_macro2::Delimiter;

use super::target::Tag;
pub(crate) use code::{expr_node, is_any_block, item_node, statements};
pub(crate) use syntax::{attr_node, name, pat_node, tokens, type_node};

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
