//! What a pattern is tested on: a syntax node of the walk ([`Target`]), the kind of node it is
//! ([`Tag`]), and which kinds a pattern's root can match ([`Tags`]), so that the walk offers each
//! node only to the rules that can match it.

use syn::{Attribute, Block, Expr, Item, Stmt, Type};

use super::Root;
use super::tree::{ItemKind, Node, TypeNode};

/// A function item, in a module, an `impl` or a trait: what `fn` patterns match.
#[derive(Debug, Clone, Copy)]
pub struct FnRef<'a> {
    /// Its attributes.
    pub attrs: &'a [Attribute],
    /// Its visibility (none for trait members).
    pub vis: Option<&'a syn::Visibility>,
    /// Its signature.
    pub sig: &'a syn::Signature,
    /// Its body (none for a trait method without a default).
    pub body: Option<&'a Block>,
}

/// A syntax node a rule is tested on.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// An expression.
    Expr(&'a Expr),
    /// A `let` statement.
    Local(&'a syn::Local),
    /// An item other than a function.
    Item(&'a Item),
    /// A function.
    Fn(FnRef<'a>),
    /// A macro invocation (expression, statement or item).
    Macro(&'a syn::Macro),
    /// A type.
    Type(&'a Type),
    /// An attribute.
    Attr(&'a Attribute),
    /// The statements of a block, for statement sequences.
    Stmts(&'a [Stmt]),
}

macro_rules! tags {
    ($($tag:ident),* $(,)?) => {
        /// The kind of a [`Target`].
        #[allow(missing_docs)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u8)]
        pub enum Tag { $($tag),* }

        impl Tag {
            /// Every tag.
            pub const ALL: &'static [Tag] = &[$(Tag::$tag),*];
        }
    };
}

tags!(
    ExprPath,
    MethodCall,
    Call,
    Field,
    Cast,
    Reference,
    Unary,
    Binary,
    Assign,
    Index,
    Try,
    Await,
    ExprMacro,
    Lit,
    Struct,
    Block,
    Unsafe,
    Async,
    If,
    Let,
    While,
    ForLoop,
    Loop,
    Closure,
    Return,
    Tuple,
    Array,
    Match,
    Range,
    OtherExpr,
    Local,
    Fn,
    Impl,
    Mod,
    Use,
    Static,
    Const,
    ItemStruct,
    ItemEnum,
    Trait,
    ItemType,
    OtherItem,
    Macro,
    TypePath,
    TypeReference,
    TypeSlice,
    TypeTuple,
    OtherType,
    Attr,
    Stmts,
);

/// A set of [`Tag`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tags(u64);

impl Tags {
    /// No tag.
    pub const NONE: Tags = Tags(0);

    /// One tag.
    pub fn of(tag: Tag) -> Tags {
        Tags(1 << (tag as u8))
    }

    /// Several tags.
    pub fn all_of(tags: &[Tag]) -> Tags {
        tags.iter().fold(Tags::NONE, |set, &tag| set.with(tag))
    }

    /// Every expression.
    pub fn expressions() -> Tags {
        let first = Tag::ExprPath as u8;
        let last = Tag::OtherExpr as u8;
        Tags(((1u64 << (last + 1)) - 1) & !((1u64 << first) - 1))
    }

    /// Every type.
    pub fn types() -> Tags {
        Tags::all_of(&[
            Tag::TypePath,
            Tag::TypeReference,
            Tag::TypeSlice,
            Tag::TypeTuple,
            Tag::OtherType,
        ])
    }

    /// Every kind of node.
    pub fn everything() -> Tags {
        Tags::all_of(Tag::ALL)
    }

    /// This set and `tag`.
    #[must_use]
    pub fn with(self, tag: Tag) -> Tags {
        Tags(self.0 | (1 << (tag as u8)))
    }

    /// Both sets.
    #[must_use]
    pub fn union(self, other: Tags) -> Tags {
        Tags(self.0 | other.0)
    }

    /// What both sets hold.
    #[must_use]
    pub fn intersection(self, other: Tags) -> Tags {
        Tags(self.0 & other.0)
    }

    /// Whether `tag` is in the set.
    pub fn contains(self, tag: Tag) -> bool {
        self.0 & (1 << (tag as u8)) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The tags in the set.
    pub fn iter(self) -> impl Iterator<Item = Tag> {
        Tag::ALL
            .iter()
            .copied()
            .filter(move |&tag| self.contains(tag))
    }
}

impl Target<'_> {
    /// The kind of node this is.
    pub fn tag(&self) -> Tag {
        match self {
            Target::Expr(expr) => expr_tag(expr),
            Target::Local(_) => Tag::Local,
            Target::Item(item) => item_tag(item),
            Target::Fn(_) => Tag::Fn,
            Target::Macro(_) => Tag::Macro,
            Target::Type(ty) => type_tag(ty),
            Target::Attr(_) => Tag::Attr,
            Target::Stmts(_) => Tag::Stmts,
        }
    }
}

/// The tag of an expression.
pub(crate) fn expr_tag(expr: &Expr) -> Tag {
    match expr {
        Expr::Path(_) => Tag::ExprPath,
        Expr::MethodCall(_) => Tag::MethodCall,
        Expr::Call(_) => Tag::Call,
        Expr::Field(_) => Tag::Field,
        Expr::Cast(_) => Tag::Cast,
        Expr::Reference(_) => Tag::Reference,
        Expr::Unary(_) => Tag::Unary,
        Expr::Binary(_) => Tag::Binary,
        Expr::Assign(_) => Tag::Assign,
        Expr::Index(_) => Tag::Index,
        Expr::Try(_) => Tag::Try,
        Expr::Await(_) => Tag::Await,
        Expr::Macro(_) => Tag::ExprMacro,
        Expr::Lit(_) => Tag::Lit,
        Expr::Struct(_) => Tag::Struct,
        Expr::Block(_) => Tag::Block,
        Expr::Unsafe(_) => Tag::Unsafe,
        Expr::Async(_) => Tag::Async,
        Expr::If(_) => Tag::If,
        Expr::Let(_) => Tag::Let,
        Expr::While(_) => Tag::While,
        Expr::ForLoop(_) => Tag::ForLoop,
        Expr::Loop(_) => Tag::Loop,
        Expr::Closure(_) => Tag::Closure,
        Expr::Return(_) => Tag::Return,
        Expr::Tuple(_) => Tag::Tuple,
        Expr::Array(_) => Tag::Array,
        Expr::Match(_) => Tag::Match,
        Expr::Range(_) => Tag::Range,
        Expr::Paren(p) => expr_tag(&p.expr),
        Expr::Group(g) => expr_tag(&g.expr),
        _ => Tag::OtherExpr,
    }
}

/// The tag of an item.
pub(crate) fn item_tag(item: &Item) -> Tag {
    match item {
        Item::Fn(_) => Tag::Fn,
        Item::Impl(_) => Tag::Impl,
        Item::Mod(_) => Tag::Mod,
        Item::Use(_) => Tag::Use,
        Item::Static(_) => Tag::Static,
        Item::Const(_) => Tag::Const,
        Item::Struct(_) => Tag::ItemStruct,
        Item::Enum(_) => Tag::ItemEnum,
        Item::Trait(_) => Tag::Trait,
        Item::Type(_) => Tag::ItemType,
        _ => Tag::OtherItem,
    }
}

fn type_tag(ty: &Type) -> Tag {
    match ty {
        Type::Path(_) => Tag::TypePath,
        Type::Reference(_) => Tag::TypeReference,
        Type::Slice(_) => Tag::TypeSlice,
        Type::Tuple(_) => Tag::TypeTuple,
        Type::Paren(p) => type_tag(&p.elem),
        Type::Group(g) => type_tag(&g.elem),
        _ => Tag::OtherType,
    }
}

/// The kinds of nodes a pattern rooted at `root` can match.
pub(super) fn root_tags(root: &Root) -> Tags {
    match root {
        Root::Attr(_) => Tags::of(Tag::Attr),
        Root::Type(TypeNode::Any(_)) => Tags::types(),
        Root::Type(TypeNode::Path(_)) => Tags::of(Tag::TypePath),
        Root::Type(TypeNode::Reference { .. }) => Tags::of(Tag::TypeReference),
        Root::Type(TypeNode::Slice(_)) => Tags::of(Tag::TypeSlice),
        Root::Type(TypeNode::Tuple(_)) => Tags::of(Tag::TypeTuple),
        Root::Type(TypeNode::Other(_)) => Tags::of(Tag::OtherType),
        Root::Node(node) => node_tags(node),
    }
}

fn node_tags(node: &Node) -> Tags {
    let tag = match node {
        Node::Any(_) | Node::Wild | Node::Chain(_) => return Tags::expressions(),
        Node::Path(_) => return Tags::all_of(&[Tag::ExprPath, Tag::TypePath]),
        Node::MethodCall { .. } => Tag::MethodCall,
        Node::Call { .. } => Tag::Call,
        Node::Field { .. } => Tag::Field,
        Node::Cast { .. } => Tag::Cast,
        Node::Reference { .. } => Tag::Reference,
        Node::Unary { .. } => Tag::Unary,
        Node::Binary { .. } => Tag::Binary,
        Node::Assign { .. } => Tag::Assign,
        Node::Index { .. } => Tag::Index,
        Node::Try(_) => Tag::Try,
        Node::Await(_) => Tag::Await,
        Node::Macro(_) => Tag::Macro,
        Node::Lit(_) => Tag::Lit,
        Node::Struct { .. } => Tag::Struct,
        Node::Block(_) => Tag::Block,
        Node::Unsafe(_) => Tag::Unsafe,
        Node::Async(_) => Tag::Async,
        Node::If { .. } => Tag::If,
        Node::Let { .. } => Tag::Let,
        Node::While { .. } => Tag::While,
        Node::ForLoop { .. } => Tag::ForLoop,
        Node::Loop(_) => Tag::Loop,
        Node::Closure { .. } => Tag::Closure,
        Node::Return(_) => Tag::Return,
        Node::Tuple(_) => Tag::Tuple,
        Node::Array(_) => Tag::Array,
        Node::Other { tag, .. } => *tag,
        Node::Local { .. } => Tag::Local,
        Node::Seq(_) => Tag::Stmts,
        Node::Item(item) => match &item.kind {
            ItemKind::Fn(_) => Tag::Fn,
            ItemKind::Impl { .. } => Tag::Impl,
            ItemKind::Mod { .. } => Tag::Mod,
            ItemKind::Use(_) => Tag::Use,
            ItemKind::Static { .. } => Tag::Static,
            ItemKind::Const { .. } => Tag::Const,
            ItemKind::Macro(_) => Tag::Macro,
            ItemKind::Other { tag, .. } => *tag,
        },
    };
    Tags::of(tag)
}
