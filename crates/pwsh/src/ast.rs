//! The shape of a parsed script.

use std::rc::Rc;

/// A script, a function's body or a script block: its `param()` and its statements.
#[derive(Clone, Debug, Default)]
pub struct Block {
    pub params: Vec<Param>,
    /// An advanced function (`[CmdletBinding()]`, or a `[Parameter()]` on a parameter): an
    /// argument no parameter takes is an error; in a simple function it goes to `$args`.
    pub advanced: bool,
    pub stmts: Vec<Stmt>,
}

/// One parameter of a `param()` block.
#[derive(Clone, Debug, Default)]
pub struct Param {
    pub name: String,
    /// The declared type (`string`, `int`, `switch`, `string[]` …), lower case.
    pub ty: Option<String>,
    pub default: Option<Expr>,
    pub mandatory: bool,
    pub validate_set: Vec<String>,
    pub not_empty: bool,
    pub help: Option<String>,
    /// `[Parameter(Position = n)]`; without it parameters bind positionally in order.
    pub position: Option<usize>,
    /// It has a `[Parameter()]` attribute.
    pub advanced: bool,
}

#[derive(Clone, Debug)]
pub struct Stmt {
    pub line: usize,
    pub kind: StmtKind,
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    Pipeline(Pipeline),
    /// `target op= value`; `op` is `=`, `+`, `-`, `*`, `/` or `%`.
    Assign {
        target: Expr,
        op: char,
        value: Box<Stmt>,
    },
    /// `$x++` / `$x--`.
    Step {
        target: Expr,
        by: i64,
    },
    If {
        clauses: Vec<(Pipeline, Block)>,
        otherwise: Option<Block>,
    },
    While {
        cond: Pipeline,
        body: Block,
    },
    Do {
        body: Block,
        cond: Pipeline,
        until: bool,
    },
    For {
        init: Option<Box<Stmt>>,
        cond: Option<Pipeline>,
        step: Option<Box<Stmt>>,
        body: Block,
    },
    Foreach {
        var: String,
        items: Pipeline,
        body: Block,
    },
    Switch {
        value: Pipeline,
        cases: Vec<(Expr, Block)>,
        default: Option<Block>,
        wildcard: bool,
        regex: bool,
    },
    Try {
        body: Block,
        catches: Vec<Block>,
        finally: Option<Block>,
    },
    Throw(Option<Pipeline>),
    Return(Option<Pipeline>),
    Exit(Option<Pipeline>),
    Break,
    Continue,
    Function {
        name: String,
        body: Rc<Block>,
    },
}

#[derive(Clone, Debug)]
pub struct Pipeline {
    pub elems: Vec<Elem>,
}

#[derive(Clone, Debug)]
pub enum Elem {
    Expr(Expr),
    Cmd(Cmd),
}

#[derive(Clone, Debug)]
pub struct Cmd {
    pub name: CmdName,
    pub args: Vec<Arg>,
    /// Dot-sourced (`. ./file.ps1`): runs in the caller's scope.
    pub dot: bool,
}

#[derive(Clone, Debug)]
pub enum CmdName {
    Word(String),
    /// `& $block`, `& "path"`, `. $path`.
    Expr(Expr),
}

#[derive(Clone, Debug)]
pub enum Arg {
    /// `-Name` or `-Name:value` (the value of `-Name value` is the next positional, bound later).
    Named(String, Option<Expr>),
    Pos(Expr),
    /// `@params`.
    Splat(String),
}

#[derive(Clone, Debug)]
pub enum Part {
    Text(String),
    Var(String),
    Sub(Block),
}

#[derive(Clone, Debug)]
pub enum Expr {
    Int(i64),
    Dbl(f64),
    Str(String),
    Expand(Vec<Part>),
    /// A variable, with its scope prefix if any (`global:x`, `env:HOME`).
    Var(String),
    Array(Vec<Expr>),
    /// `@( … )`.
    SubArray(Block),
    /// `$( … )`.
    Sub(Block),
    Paren(Box<Pipeline>),
    /// `@{ k = v; … }`, and `[ordered]@{…}` (kept in order either way).
    Hash(Vec<(Expr, Stmt)>),
    Block(Rc<Block>),
    Member {
        obj: Box<Expr>,
        name: Box<Expr>,
        stat: bool,
    },
    Call {
        obj: Box<Expr>,
        name: Box<Expr>,
        args: Vec<Expr>,
        stat: bool,
    },
    Index {
        obj: Box<Expr>,
        idx: Box<Expr>,
    },
    Cast {
        ty: String,
        expr: Box<Expr>,
    },
    Type(String),
    Unary {
        op: String,
        expr: Box<Expr>,
    },
    Binary {
        op: String,
        l: Box<Expr>,
        r: Box<Expr>,
    },
}
