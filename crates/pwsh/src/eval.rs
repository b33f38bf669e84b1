//! The evaluator: statements, pipelines, scopes, functions and their parameters, errors as
//! PowerShell raises and prints them.

use std::collections::HashMap;
use std::rc::Rc;

use crate::ast::*;
use crate::format::out_default;
use crate::parse::parse;
use crate::value::{ErrorRecord, Map, Value};
use crate::Host;

/// Steps (statements and loop turns) one script may take: an endless loop ends with an error.
const MAX_STEPS: u64 = 1_000_000;
/// Function calls deeper than this are refused (no script may exhaust the stack).
const MAX_CALL_DEPTH: usize = 60;

/// How a script ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// 0 when it ran to its end (errors along the way included), `exit N`'s N, 1 when an
    /// error stopped it.
    pub exit_code: i32,
    /// Whether any error was written.
    pub had_errors: bool,
    /// The host stopped the run to fetch an answer (the run is replayed once it has it).
    pub suspended: bool,
    /// Where `Set-Location` left the session: a folder of the store, "" for the home folder.
    pub location: String,
}

pub(crate) enum Flow {
    Break,
    Continue,
    Return,
    Exit(i32),
    /// The host is waiting for an answer from outside: unwind, changing nothing more.
    Suspend,
    /// `throw`: stops the script unless a `try` catches it.
    Throw(Rc<ErrorRecord>),
    /// A statement-terminating error: stops the statement; the script goes on.
    Fail(Rc<ErrorRecord>),
}

pub(crate) type Res<T> = Result<T, Flow>;

/// An argument after evaluation.
#[derive(Clone, Debug)]
pub(crate) enum ArgVal {
    Named(String, Option<Value>),
    Pos(Value),
}

/// A file's text, for error messages.
#[derive(Debug, Default)]
struct Source {
    path: String,
    lines: Vec<String>,
}

/// Where the engine is: a script file (or the console), or a function defined in one.
struct ScriptFrame {
    source: Rc<Source>,
    scope: usize,
    /// A script file's own frame (not a function's).
    script: bool,
}

pub struct Engine<'h> {
    pub(crate) host: &'h mut dyn Host,
    scopes: Vec<HashMap<String, Value>>,
    functions: HashMap<String, (String, Rc<Block>, Rc<Source>)>,
    scripts: Vec<ScriptFrame>,
    pub(crate) line: usize,
    steps: u64,
    calls: usize,
    try_depth: usize,
    had_errors: bool,
    /// Output produced now goes straight to the console (as PowerShell streams a script's or a
    /// function's output while it runs), rather than to a caller that captures it.
    direct: bool,
    /// The current location (`cd`): a folder of the store, "" for the home folder.
    pub(crate) location: String,
    /// Where `cd -` goes back to.
    pub(crate) previous_location: String,
}

impl std::fmt::Debug for Engine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("line", &self.line).finish_non_exhaustive()
    }
}

fn record(category: &str, message: String, line: usize) -> Rc<ErrorRecord> {
    Rc::new(ErrorRecord { message, category: category.into(), line, at: None })
}

impl<'h> Engine<'h> {
    pub fn new(host: &'h mut dyn Host) -> Self {
        let mut global = HashMap::new();
        global.insert("erroractionpreference".into(), Value::str("Continue"));
        global.insert("home".into(), Value::str("/home/user"));
        let mut version = Map::default();
        version.set("PSVersion", Value::str("7.4.6"));
        version.set("PSEdition", Value::str("Core"));
        global.insert("psversiontable".into(), Value::hash(version));
        Self {
            host,
            scopes: vec![global],
            functions: HashMap::new(),
            scripts: Vec::new(),
            line: 0,
            steps: 0,
            calls: 0,
            try_depth: 0,
            had_errors: false,
            direct: false,
            location: String::new(),
            previous_location: String::new(),
        }
    }

    /// Sets a global variable before the script runs (`$HOME`, the signed-in user).
    pub fn set_global(&mut self, name: &str, value: Value) {
        self.scopes[0].insert(name.to_ascii_lowercase(), value);
    }

    pub fn run_script(mut self, script: &str, path: &str) -> Outcome {
        self.direct = true;
        let code = match self.script(script, path, &[], None, false) {
            Ok(items) => {
                self.print_items(&items);
                0
            }
            Err(Flow::Exit(code)) => code,
            Err(Flow::Throw(rec) | Flow::Fail(rec)) => {
                self.report(&rec);
                1
            }
            Err(Flow::Break | Flow::Continue | Flow::Return | Flow::Suspend) => 0,
        };
        let suspended = self.host.suspended();
        Outcome { exit_code: code, had_errors: self.had_errors, suspended, location: self.location.clone() }
    }

    /// A console session: each entry typed at the prompt, run in turn in the global scope. An
    /// error ends its entry, not the session; `exit` ends the session.
    pub fn run_session(mut self, entries: &[String]) -> Outcome {
        self.direct = true;
        self.scripts.push(ScriptFrame { source: Rc::new(Source::default()), scope: 0, script: true });
        self.set_local("psscriptroot", Value::str(""));
        let mut code = 0;
        for entry in entries {
            let block = match parse(entry) {
                Ok(b) => b,
                Err(e) => {
                    self.had_errors = true;
                    self.host.print(&format!("ParserError: line {}: {}", e.line, e.message), true);
                    continue;
                }
            };
            if let Some(frame) = self.scripts.last_mut() {
                frame.source =
                    Rc::new(Source { path: String::new(), lines: entry.lines().map(str::to_string).collect() });
            }
            let mut out = Vec::new();
            match self.block(&block, &mut out) {
                Ok(()) | Err(Flow::Return | Flow::Break | Flow::Continue) => {}
                Err(Flow::Throw(rec) | Flow::Fail(rec)) => self.report(&rec),
                Err(Flow::Exit(c)) => {
                    code = c;
                    break;
                }
                Err(Flow::Suspend) => break,
            }
        }
        let suspended = self.host.suspended();
        Outcome { exit_code: code, had_errors: self.had_errors, suspended, location: self.location.clone() }
    }

    /// Runs a script file's text: parsed whole first; its `param()` bound from `args`.
    pub(crate) fn script(
        &mut self,
        text: &str,
        path: &str,
        args: &[ArgVal],
        input: Option<Vec<Value>>,
        dot: bool,
    ) -> Res<Vec<Value>> {
        let block = parse(text)
            .map_err(|e| Flow::Fail(record("ParserError", format!("{path}:{}: {}", e.line, e.message), e.line)))?;
        if self.script_depth() > 20 {
            return Err(self.fail("Scripts call scripts more than 20 deep."));
        }
        if !dot {
            self.scopes.push(HashMap::new());
        }
        // $PSScriptRoot is the script's folder as a full path, as PowerShell gives it: a path
        // built on it resolves the same from any location.
        let root = match path.rfind(['/', '\\']) {
            Some(i) => full_path(&path[..i]),
            None => HOME.to_string(),
        };
        let scope = self.scopes.len() - 1;
        let source = Rc::new(Source { path: path.into(), lines: text.lines().map(str::to_string).collect() });
        self.scripts.push(ScriptFrame { source, scope, script: true });
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path).to_string();
        // A dot-sourced script shares its caller's scope, but not its automatic variables: the
        // caller's $PSScriptRoot is back once it returns.
        let saved = dot.then(|| (self.var("psscriptroot"), self.var("pscommandpath")));
        let result = (|| {
            self.set_local("psscriptroot", Value::str(root));
            self.set_local("pscommandpath", Value::str(full_path(path)));
            self.bind(&name, &block.params, block.advanced, args, input, 1)?;
            let mut out = Vec::new();
            match self.block(&block, &mut out) {
                Ok(()) | Err(Flow::Return) => Ok(out),
                Err(e) => Err(e),
            }
        })();
        // The outermost script reports what stopped it while its lines are at hand.
        let result = match result {
            Err(Flow::Throw(rec) | Flow::Fail(rec)) if self.script_depth() == 1 => {
                self.report(&rec);
                Err(Flow::Exit(1))
            }
            other => other,
        };
        self.scripts.pop();
        if !dot {
            self.scopes.pop();
        }
        if let Some((root, command)) = saved {
            self.set_local("psscriptroot", root);
            self.set_local("pscommandpath", command);
        }
        result
    }

    /// A script's own statements: each statement's output printed when it ends (as the
    /// console prints a script's output), statement-terminating errors reported there.
    /// Runs `f` with output captured, not streamed (conditions, arguments, cmdlets' blocks).
    pub(crate) fn quiet<T>(&mut self, f: impl FnOnce(&mut Self) -> Res<T>) -> Res<T> {
        let saved = std::mem::replace(&mut self.direct, false);
        let r = f(self);
        self.direct = saved;
        r
    }

    pub(crate) fn print_items(&mut self, items: &[Value]) {
        for line in out_default(items) {
            self.host.print(&line, true);
        }
    }

    // ----- errors -----

    /// The file and the text of the line running now.
    pub(crate) fn here(&self) -> Option<(String, String)> {
        let f = self.scripts.last()?;
        let text = f.source.lines.get(self.line.wrapping_sub(1))?.clone();
        Some((f.source.path.clone(), text))
    }

    fn located(&self, category: &str, message: String, line: usize) -> Rc<ErrorRecord> {
        let at = if line == self.line { self.here() } else { None };
        Rc::new(ErrorRecord { message, category: category.into(), line, at })
    }

    fn script_depth(&self) -> usize {
        self.scripts.iter().filter(|f| f.script).count()
    }

    pub(crate) fn fail(&self, message: impl Into<String>) -> Flow {
        Flow::Fail(self.located("", message.into(), self.line))
    }

    pub(crate) fn fail_as(&self, category: &str, message: impl Into<String>) -> Flow {
        Flow::Fail(self.located(category, message.into(), self.line))
    }

    /// Prints an error as PowerShell's concise view does: where, the line, the message.
    pub(crate) fn report(&mut self, rec: &ErrorRecord) {
        self.had_errors = true;
        let category = if rec.category.is_empty() { "Exception" } else { rec.category.as_str() };
        if rec.category == "ParserError" {
            self.host.print(&format!("ParserError: {}", rec.message), true);
            return;
        }
        let (path, source) = match (&rec.at, self.scripts.last()) {
            (Some((path, text)), _) => (path.clone(), Some(text.clone())),
            (None, Some(f)) => (f.source.path.clone(), f.source.lines.get(rec.line.wrapping_sub(1)).cloned()),
            (None, None) => (String::new(), None),
        };
        match source {
            Some(src) if rec.line > 0 && !path.is_empty() => {
                let trimmed = src.trim();
                self.host.print(&format!("{category}: {path}:{}", rec.line), true);
                self.host.print("Line |", true);
                self.host.print(&format!("{:>4} |  {trimmed}", rec.line), true);
                self.host.print(&format!("     |  {}", "~".repeat(trimmed.chars().count().max(1))), true);
                for (i, l) in rec.message.lines().enumerate() {
                    self.host.print(&if i == 0 { format!("     | {l}") } else { l.to_string() }, true);
                }
            }
            _ => self.host.print(&format!("{category}: {}", rec.message), true),
        }
    }

    /// A non-terminating error: written, and the script goes on (unless
    /// `$ErrorActionPreference` or `-ErrorAction` says Stop).
    pub(crate) fn write_error(&mut self, category: &str, message: String, stop: bool) -> Res<()> {
        let rec = self.located(category, message, self.line);
        let pref = self.var("erroractionpreference").to_str().to_ascii_lowercase();
        if stop || pref == "stop" {
            return Err(Flow::Fail(rec));
        }
        if pref == "silentlycontinue" || pref == "ignore" {
            return Ok(());
        }
        self.report(&rec);
        Ok(())
    }

    fn step(&mut self) -> Res<()> {
        if self.host.suspended() {
            return Err(Flow::Suspend);
        }
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(Flow::Throw(record(
                "Exception",
                format!("The script took more than {MAX_STEPS} steps and was stopped (an endless loop?)."),
                self.line,
            )));
        }
        Ok(())
    }

    // ----- variables -----

    fn script_scope(&self) -> usize {
        self.scripts.last().map_or(0, |f| f.scope)
    }

    pub(crate) fn var(&self, name: &str) -> Value {
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            "null" => return Value::Null,
            "psitem" => return self.var("_"),
            _ => {}
        }
        if let Some((scope, rest)) = lower.split_once(':') {
            return match scope {
                "global" => self.scopes[0].get(rest).cloned().unwrap_or(Value::Null),
                "script" => self.scopes[self.script_scope()].get(rest).cloned().unwrap_or(Value::Null),
                "env" => self.scopes[0].get(&lower).cloned().unwrap_or(Value::Null),
                _ => self.var(rest),
            };
        }
        self.scopes.iter().rev().find_map(|s| s.get(&lower)).cloned().unwrap_or(Value::Null)
    }

    pub(crate) fn set_var(&mut self, name: &str, value: Value) {
        let lower = name.to_ascii_lowercase();
        if let Some((scope, rest)) = lower.split_once(':') {
            match scope {
                "global" => {
                    self.scopes[0].insert(rest.into(), value);
                }
                "script" => {
                    let s = self.script_scope();
                    self.scopes[s].insert(rest.into(), value);
                }
                "env" => {
                    self.scopes[0].insert(lower, Value::str(value.to_str()));
                }
                _ => self.set_local(rest, value),
            }
            return;
        }
        self.set_local(&lower, value);
    }

    pub(crate) fn set_local(&mut self, name: &str, value: Value) {
        if let Some(s) = self.scopes.last_mut() {
            s.insert(name.to_ascii_lowercase(), value);
        }
    }

    // ----- statements -----

    pub(crate) fn block(&mut self, block: &Block, out: &mut Vec<Value>) -> Res<()> {
        for stmt in &block.stmts {
            let r = if self.direct {
                // Printed when the statement ends; a statement that only calls a command, or
                // holds blocks, streams what they print as it comes.
                let streams = matches!(
                    &stmt.kind,
                    StmtKind::If { .. }
                        | StmtKind::While { .. }
                        | StmtKind::Do { .. }
                        | StmtKind::For { .. }
                        | StmtKind::Foreach { .. }
                        | StmtKind::Switch { .. }
                        | StmtKind::Try { .. }
                ) || matches!(&stmt.kind, StmtKind::Pipeline(p) if matches!(p.elems.as_slice(), [Elem::Cmd(_)]));
                self.direct = streams;
                let mut items = Vec::new();
                let r = self.stmt(stmt, &mut items);
                self.direct = true;
                self.print_items(&items);
                r
            } else {
                self.stmt(stmt, out)
            };
            match r {
                Err(Flow::Fail(rec)) if self.try_depth == 0 => self.report(&rec),
                other => other?,
            }
        }
        Ok(())
    }

    /// The value a statement gives to an assignment: an expression's own value (an array stays
    /// one), a pipeline's output collected.
    pub(crate) fn stmt_value(&mut self, stmt: &Stmt) -> Res<Value> {
        if let StmtKind::Pipeline(p) = &stmt.kind {
            if let [Elem::Expr(e)] = p.elems.as_slice() {
                self.line = stmt.line;
                return self.eval(e);
            }
        }
        let mut out = Vec::new();
        self.stmt(stmt, &mut out)?;
        Ok(Value::collect(out))
    }

    fn stmt(&mut self, stmt: &Stmt, out: &mut Vec<Value>) -> Res<()> {
        self.line = stmt.line;
        self.step()?;
        match &stmt.kind {
            StmtKind::Pipeline(p) => {
                let items = self.pipeline(p)?;
                out.extend(items);
            }
            StmtKind::Assign { target, op, value } => {
                let v = self.stmt_value(value)?;
                self.line = stmt.line;
                let v = if *op == '=' {
                    v
                } else {
                    let current = self.eval(target)?;
                    crate::ops::binary(self, &op.to_string(), current, v)?
                };
                self.assign(target, v)?;
            }
            StmtKind::Step { target, by } => {
                let current = self.eval(target)?;
                let v = crate::ops::binary(self, "+", current, Value::Int(*by))?;
                self.assign(target, v)?;
            }
            StmtKind::If { clauses, otherwise } => {
                for (cond, body) in clauses {
                    self.line = stmt.line;
                    if self.condition(cond)? {
                        return self.block(body, out);
                    }
                }
                if let Some(b) = otherwise {
                    self.block(b, out)?;
                }
            }
            StmtKind::While { cond, body } => {
                while self.condition(cond)? {
                    self.step()?;
                    match self.block(body, out) {
                        Err(Flow::Break) => break,
                        Err(Flow::Continue) | Ok(()) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            StmtKind::Do { body, cond, until } => loop {
                self.step()?;
                match self.block(body, out) {
                    Err(Flow::Break) => break,
                    Err(Flow::Continue) | Ok(()) => {}
                    Err(e) => return Err(e),
                }
                if self.condition(cond)? == *until {
                    break;
                }
            },
            StmtKind::For { init, cond, step, body } => {
                if let Some(i) = init {
                    self.quiet(|me| me.stmt(i, &mut Vec::new()))?;
                }
                loop {
                    if let Some(c) = cond {
                        if !self.condition(c)? {
                            break;
                        }
                    }
                    self.step()?;
                    match self.block(body, out) {
                        Err(Flow::Break) => break,
                        Err(Flow::Continue) | Ok(()) => {}
                        Err(e) => return Err(e),
                    }
                    if let Some(s) = step {
                        self.quiet(|me| me.stmt(s, &mut Vec::new()))?;
                    }
                }
            }
            StmtKind::Foreach { var, items, body } => {
                let collection = self.quiet(|me| me.pipeline(items))?;
                for item in collection {
                    self.step()?;
                    self.set_var(var, item);
                    match self.block(body, out) {
                        Err(Flow::Break) => break,
                        Err(Flow::Continue) | Ok(()) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            StmtKind::Switch { value, cases, default, wildcard, regex } => {
                let values = self.quiet(|me| me.pipeline(value))?;
                'values: for v in values {
                    let mut matched = false;
                    for (label, body) in cases {
                        self.step()?;
                        let hit = match label {
                            Expr::Block(b) => {
                                let saved = self.var("_");
                                self.set_local("_", v.clone());
                                let r = self.quiet(|me| me.invoke_here(b));
                                self.set_local("_", saved);
                                Value::collect(r?).truthy()
                            }
                            other => {
                                let l = self.quiet(|me| me.eval(other))?;
                                if *wildcard {
                                    crate::value::wildcard(&l.to_str(), &v.to_str(), false)
                                } else if *regex {
                                    crate::ops::regex_match(self, &v.to_str(), &l.to_str(), false, true)?
                                } else {
                                    crate::value::loose_eq(&v, &l, false)
                                }
                            }
                        };
                        if hit {
                            matched = true;
                            let saved = self.var("_");
                            self.set_local("_", v.clone());
                            let r = self.block(body, out);
                            self.set_local("_", saved);
                            match r {
                                Err(Flow::Break) => break 'values,
                                Err(Flow::Continue) => continue 'values,
                                other => other?,
                            }
                        }
                    }
                    if !matched {
                        if let Some(d) = default {
                            let saved = self.var("_");
                            self.set_local("_", v.clone());
                            let r = self.block(d, out);
                            self.set_local("_", saved);
                            match r {
                                Err(Flow::Break) => break 'values,
                                Err(Flow::Continue) => continue 'values,
                                other => other?,
                            }
                        }
                    }
                }
            }
            StmtKind::Try { body, catches, finally } => {
                self.try_depth += 1;
                let r = self.block(body, out);
                self.try_depth -= 1;
                let r = match r {
                    Err(Flow::Throw(rec) | Flow::Fail(rec)) if !catches.is_empty() => {
                        let saved = self.var("_");
                        self.set_local("_", Value::Error(rec));
                        let r = self.block(&catches[0], out);
                        self.set_local("_", saved);
                        r
                    }
                    other => other,
                };
                if let Some(f) = finally {
                    self.block(f, out)?;
                }
                r?;
            }
            StmtKind::Throw(p) => {
                let v = match p {
                    Some(p) => Value::collect(self.pipeline(p)?),
                    None => Value::str("ScriptHalted"),
                };
                let rec = match v {
                    Value::Error(rec) => rec,
                    other => self.located("Exception", other.to_str(), stmt.line),
                };
                return Err(Flow::Throw(rec));
            }
            StmtKind::Return(p) => {
                if let Some(p) = p {
                    let items = self.pipeline(p)?;
                    out.extend(items);
                }
                return Err(Flow::Return);
            }
            StmtKind::Exit(p) => {
                let code = match p {
                    Some(p) => Value::collect(self.pipeline(p)?).to_num().map_or(0, |n| n.f() as i32),
                    None => 0,
                };
                return Err(Flow::Exit(code));
            }
            StmtKind::Break => return Err(Flow::Break),
            StmtKind::Continue => return Err(Flow::Continue),
            StmtKind::Function { name, body } => {
                let source = self.scripts.last().map_or_else(|| Rc::new(Source::default()), |f| f.source.clone());
                self.functions.insert(name.to_ascii_lowercase(), (name.clone(), body.clone(), source));
            }
        }
        Ok(())
    }

    fn condition(&mut self, p: &Pipeline) -> Res<bool> {
        self.quiet(|me| {
            if let [Elem::Expr(e)] = p.elems.as_slice() {
                return Ok(me.eval(e)?.truthy());
            }
            Ok(Value::collect(me.pipeline(p)?).truthy())
        })
    }

    fn assign(&mut self, target: &Expr, v: Value) -> Res<()> {
        match target {
            Expr::Var(name) => {
                self.set_var(name, v);
                Ok(())
            }
            Expr::Cast { ty, expr } => {
                let v = crate::ops::cast(self, ty, v)?;
                self.assign(expr, v)
            }
            Expr::Member { obj, name, .. } => {
                let o = self.eval(obj)?;
                let n = self.eval(name)?.to_str();
                crate::ops::set_member(self, &o, &n, v)
            }
            Expr::Index { obj, idx } => {
                let o = self.eval(obj)?;
                let i = self.eval(idx)?;
                crate::ops::set_index(self, &o, &i, v)
            }
            _ => Err(self.fail("The left side of an assignment must be a variable, a property or an index.")),
        }
    }

    // ----- pipelines and commands -----

    pub(crate) fn pipeline(&mut self, p: &Pipeline) -> Res<Vec<Value>> {
        if self.direct && !matches!(p.elems.as_slice(), [Elem::Cmd(_)]) {
            return self.quiet(|me| me.pipeline(p));
        }
        let mut items: Option<Vec<Value>> = None;
        for (i, elem) in p.elems.iter().enumerate() {
            items = Some(match elem {
                // `$null | …` sends one $null down the pipeline, as PowerShell does.
                Elem::Expr(e) if i == 0 => match self.eval(e)? {
                    Value::Null if p.elems.len() > 1 => vec![Value::Null],
                    v => v.items(),
                },
                Elem::Expr(_) => {
                    return Err(self.fail("Expressions are only allowed as the first element of a pipeline."))
                }
                Elem::Cmd(c) => self.command(c, items.take(), i + 1)?,
            });
        }
        Ok(items.unwrap_or_default())
    }

    fn args(&mut self, args: &[Arg]) -> Res<Vec<ArgVal>> {
        let mut out = Vec::new();
        for a in args {
            match a {
                Arg::Named(n, v) => {
                    let v = match v {
                        Some(e) => Some(self.eval(e)?),
                        None => None,
                    };
                    out.push(ArgVal::Named(n.clone(), v));
                }
                Arg::Pos(e) => out.push(ArgVal::Pos(self.eval(e)?)),
                Arg::Splat(name) => match self.var(name) {
                    Value::Hash(h) => {
                        for (k, v) in h.borrow().0.iter() {
                            out.push(ArgVal::Named(k.clone(), Some(v.clone())));
                        }
                    }
                    Value::Array(a, _) => out.extend(a.borrow().iter().cloned().map(ArgVal::Pos)),
                    Value::Null => {}
                    other => out.push(ArgVal::Pos(other)),
                },
            }
        }
        Ok(out)
    }

    fn command(&mut self, c: &Cmd, input: Option<Vec<Value>>, position: usize) -> Res<Vec<Value>> {
        let args = self.quiet(|me| me.args(&c.args))?;
        let line = self.line;
        let name = match &c.name {
            CmdName::Word(w) => w.clone(),
            CmdName::Expr(e) => match self.quiet(|me| me.eval(e))? {
                Value::Block(b) => return self.call_block(&b, &args, input, c.dot),
                other => other.to_str(),
            },
        };
        let r = self.invoke_named(&name, &args, input, c.dot, position);
        self.line = line;
        r
    }

    /// Runs the command `name`: a function, a cmdlet of the engine, a script file, or what the
    /// host knows.
    pub(crate) fn invoke_named(
        &mut self,
        name: &str,
        args: &[ArgVal],
        input: Option<Vec<Value>>,
        dot: bool,
        position: usize,
    ) -> Res<Vec<Value>> {
        let lower = name.to_ascii_lowercase();
        if let Some((display, body, source)) = self.functions.get(&lower).cloned() {
            // Its lines are those of the file that defined it.
            let scope = self.script_scope();
            self.scripts.push(ScriptFrame { source, scope, script: false });
            let r = self.call_function(&display, &body, args, input, position);
            self.scripts.pop();
            return r;
        }
        if lower.ends_with(".ps1") || lower.ends_with(".psm1") || lower.contains(['/', '\\']) {
            let path = self.resolve(name);
            let text = self.host.read_file(&path).map_err(|e| {
                self.fail_as(
                    name,
                    format!("The term '{name}' is not recognized as a name of a cmdlet, function, script file, or executable program. ({e})"),
                )
            })?;
            return self.script(&text, &path, args, input, dot);
        }
        // A cmdlet's script blocks (Where-Object, ForEach-Object) answer it, not the console.
        let saved = std::mem::replace(&mut self.direct, false);
        let r = crate::cmdlets::call(self, &lower, args, input.clone())
            .or_else(|| crate::powerapps::call(self, &lower, args, input.as_deref().unwrap_or_default()));
        self.direct = saved;
        if let Some(r) = r {
            return r;
        }
        let flat: Vec<Value> = args
            .iter()
            .flat_map(|a| match a {
                ArgVal::Named(n, None) => vec![Value::str(format!("-{n}"))],
                // `-Force:$false` stays one word, as PowerShell binds it.
                ArgVal::Named(n, Some(Value::Bool(b))) => {
                    vec![Value::str(format!("-{n}:{}", Value::Bool(*b).to_str()))]
                }
                ArgVal::Named(n, Some(v)) => vec![Value::str(format!("-{n}")), v.clone()],
                ArgVal::Pos(v) => vec![v.clone()],
            })
            .collect();
        // A native command (az, pp, sim) prints its error as text and sets $LASTEXITCODE; a
        // cmdlet writes an error record.
        let native = !name.contains('-');
        let answer = match crate::az::rotation_policy(name, flat) {
            Ok(flat) => self.host.invoke(name, &flat),
            Err(message) => Some(Err(message)),
        };
        match answer {
            Some(Ok(items)) => {
                if native {
                    self.set_var("global:lastexitcode", Value::Int(0));
                    return Ok(items);
                }
                // An Az cmdlet outputs its module's types.
                Ok(crate::az::shape(name, items))
            }
            Some(Err(message)) if native => {
                self.had_errors = true;
                for line in message.lines() {
                    self.host.print(line, true);
                }
                self.set_var("global:lastexitcode", Value::Int(1));
                Ok(Vec::new())
            }
            Some(Err(message)) => {
                let stop = args.iter().any(|a| {
                    matches!(a, ArgVal::Named(n, Some(v)) if n.eq_ignore_ascii_case("ErrorAction") && v.to_str().eq_ignore_ascii_case("stop"))
                });
                self.write_error(name, message, stop)?;
                Ok(Vec::new())
            }
            None => Err(self.fail_as(
                name,
                format!(
                    "The term '{name}' is not recognized as a name of a cmdlet, function, script file, or executable program.\nCheck the spelling of the name, or if a path was included, verify that the path is correct and try again."
                ),
            )),
        }
    }

    fn call_function(
        &mut self,
        name: &str,
        body: &Rc<Block>,
        args: &[ArgVal],
        input: Option<Vec<Value>>,
        position: usize,
    ) -> Res<Vec<Value>> {
        if self.calls >= MAX_CALL_DEPTH {
            return Err(self.fail(format!("The script called functions more than {MAX_CALL_DEPTH} deep.")));
        }
        self.calls += 1;
        self.scopes.push(HashMap::new());
        let r = (|| {
            self.bind(name, &body.params, body.advanced, args, input, position)?;
            let mut out = Vec::new();
            match self.block(body, &mut out) {
                Ok(()) | Err(Flow::Return) => Ok(out),
                Err(e) => Err(e),
            }
        })();
        self.scopes.pop();
        self.calls -= 1;
        r
    }

    pub(crate) fn call_block(
        &mut self,
        b: &Rc<Block>,
        args: &[ArgVal],
        input: Option<Vec<Value>>,
        dot: bool,
    ) -> Res<Vec<Value>> {
        if dot {
            let mut out = Vec::new();
            return match self.block(b, &mut out) {
                Ok(()) | Err(Flow::Return) => Ok(out),
                Err(e) => Err(e),
            };
        }
        self.call_function("<ScriptBlock>", b, args, input, 1)
    }

    /// Runs a script block in the current scope (Where-Object, ForEach-Object, switch).
    pub(crate) fn invoke_here(&mut self, b: &Block) -> Res<Vec<Value>> {
        let mut out = Vec::new();
        match self.block(b, &mut out) {
            Ok(()) | Err(Flow::Return) => Ok(out),
            Err(e) => Err(e),
        }
    }

    /// Binds arguments to a `param()` block in the current (new) scope, prompting for missing
    /// mandatory parameters as PowerShell does.
    fn bind(
        &mut self,
        name: &str,
        params: &[Param],
        advanced: bool,
        args: &[ArgVal],
        input: Option<Vec<Value>>,
        position: usize,
    ) -> Res<()> {
        if let Some(items) = input {
            self.set_local("input", Value::array(items));
        }
        if params.is_empty() {
            let flat: Vec<Value> = args
                .iter()
                .flat_map(|a| match a {
                    ArgVal::Named(n, None) => vec![Value::str(format!("-{n}"))],
                    ArgVal::Named(n, Some(v)) => vec![Value::str(format!("-{n}")), v.clone()],
                    ArgVal::Pos(v) => vec![v.clone()],
                })
                .collect();
            self.set_local("args", Value::array(flat));
            return Ok(());
        }
        let is_switch = |p: &Param| matches!(p.ty.as_deref(), Some("switch"));
        let mut bound: Vec<Option<Value>> = vec![None; params.len()];
        let mut positional = Vec::new();
        let mut i = 0;
        while i < args.len() {
            match &args[i] {
                ArgVal::Pos(v) => positional.push(v.clone()),
                ArgVal::Named(n, v) => {
                    let lower = n.to_ascii_lowercase();
                    let exact = params.iter().position(|p| p.name.eq_ignore_ascii_case(&lower));
                    let prefixed: Vec<usize> = params
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| p.name.to_ascii_lowercase().starts_with(&lower))
                        .map(|(k, _)| k)
                        .collect();
                    let k = match (exact, prefixed.as_slice()) {
                        (Some(k), _) => k,
                        (None, [k]) => *k,
                        (None, []) if is_common(&lower) => {
                            if v.is_none() && i + 1 < args.len() && matches!(args[i + 1], ArgVal::Pos(_)) {
                                i += 1;
                            }
                            i += 1;
                            continue;
                        }
                        (None, []) => {
                            return Err(self.fail_as(
                                name,
                                format!("A parameter cannot be found that matches parameter name '{n}'."),
                            ))
                        }
                        (None, _) => {
                            return Err(self.fail_as(
                                name,
                                format!("Parameter cannot be processed because the parameter name '{n}' is ambiguous."),
                            ))
                        }
                    };
                    let value = match v {
                        Some(v) => v.clone(),
                        None if is_switch(&params[k]) => Value::Bool(true),
                        None => match args.get(i + 1) {
                            Some(ArgVal::Pos(v)) => {
                                i += 1;
                                v.clone()
                            }
                            _ => {
                                let ty = params[k].ty.clone().unwrap_or_else(|| "object".into());
                                return Err(self.fail_as(
                                    name,
                                    format!("Missing an argument for parameter '{}'. Specify a parameter of type '{ty}' and try again.", params[k].name),
                                ));
                            }
                        },
                    };
                    bound[k] = Some(value);
                }
            }
            i += 1;
        }
        let mut order: Vec<usize> = (0..params.len()).filter(|&k| !is_switch(&params[k])).collect();
        order.sort_by_key(|&k| params[k].position.unwrap_or(usize::MAX / 2 + k));
        let free: Vec<usize> = order.into_iter().filter(|&k| bound[k].is_none()).collect();
        let mut free = free.into_iter();
        let mut rest = Vec::new();
        for v in positional {
            match free.next() {
                Some(k) => bound[k] = Some(v),
                // A simple function keeps what no parameter takes in $args.
                None if !advanced => rest.push(v),
                None => {
                    return Err(self.fail_as(
                        name,
                        format!("A positional parameter cannot be found that accepts argument '{}'.", v.to_str()),
                    ))
                }
            }
        }
        self.set_local("args", Value::array(rest));
        let missing: Vec<usize> = (0..params.len()).filter(|&k| bound[k].is_none() && params[k].mandatory).collect();
        if !missing.is_empty() {
            self.host.print(&format!("cmdlet {name} at command pipeline position {position}"), true);
            self.host.print("Supply values for the following parameters:", true);
            if missing.iter().any(|&k| params[k].help.is_some()) {
                self.host.print("(Type !? for Help.)", true);
            }
            for k in missing {
                bound[k] = Some(self.prompt(name, &params[k])?);
            }
        }
        for (k, p) in params.iter().enumerate() {
            let was_bound = bound[k].is_some();
            let v = match bound[k].take() {
                Some(v) => v,
                None => match &p.default {
                    Some(e) => self.eval(e)?,
                    None if is_switch(p) => Value::Bool(false),
                    None => Value::Null,
                },
            };
            let v = match &p.ty {
                Some(ty) => crate::ops::cast(self, ty, v).map_err(|_| {
                    self.fail_as(name, format!("Cannot process argument transformation on parameter '{}'. Cannot convert the value to type \"{ty}\".", p.name))
                })?,
                None => v,
            };
            let supplied = !v.is_null();
            // Validation applies to what was passed, not to a default or an unbound parameter.
            if !p.validate_set.is_empty() && supplied && was_bound {
                for item in v.items() {
                    let s = item.to_str();
                    if !p.validate_set.iter().any(|x| x.eq_ignore_ascii_case(&s)) {
                        return Err(self.fail_as(name, format!(
                            "Cannot validate argument on parameter '{}'. The argument \"{s}\" does not belong to the set \"{}\" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.",
                            p.name,
                            p.validate_set.join(",")
                        )));
                    }
                }
            }
            if p.not_empty && was_bound && (v.is_null() || v.to_str().is_empty()) {
                return Err(self.fail_as(name, format!(
                    "Cannot validate argument on parameter '{}'. The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.",
                    p.name
                )));
            }
            self.set_local(&p.name, v);
        }
        Ok(())
    }

    fn prompt(&mut self, name: &str, p: &Param) -> Res<Value> {
        let many = p.ty.as_deref().is_some_and(|t| t.ends_with("[]"));
        let mut items = Vec::new();
        loop {
            let label = if many { format!("{}[{}]", p.name, items.len()) } else { p.name.clone() };
            self.host.print(&format!("{label}: "), false);
            let Some(answer) = self.host.read_line() else {
                self.host.print("", true);
                return Err(Flow::Throw(record(
                    name,
                    format!("Cannot process command because of one or more missing mandatory parameters: {}.", p.name),
                    self.line,
                )));
            };
            let answer = answer.trim_end_matches(['\r', '\n']).to_string();
            if answer == "!?" {
                if let Some(h) = &p.help {
                    self.host.print(h, true);
                }
                continue;
            }
            if many {
                if answer.is_empty() {
                    return Ok(Value::array(items));
                }
                items.push(Value::Str(answer));
                continue;
            }
            if answer.is_empty() {
                return Err(self.fail_as(
                    name,
                    format!("Cannot bind argument to parameter '{}' because it is an empty string.", p.name),
                ));
            }
            return Ok(Value::Str(answer));
        }
    }

    // ----- expressions -----

    pub(crate) fn eval(&mut self, e: &Expr) -> Res<Value> {
        match e {
            Expr::Int(n) => Ok(Value::Int(*n)),
            Expr::Dbl(f) => Ok(Value::Dbl(*f)),
            Expr::Str(s) => Ok(Value::Str(s.clone())),
            Expr::Expand(parts) => {
                let mut s = String::new();
                for part in parts {
                    match part {
                        Part::Text(t) => s.push_str(t),
                        Part::Var(v) => s.push_str(&self.var(v).to_str()),
                        Part::Sub(b) => {
                            let items = self.invoke_here(b)?;
                            s.push_str(&Value::collect(items).to_str());
                        }
                    }
                }
                Ok(Value::Str(s))
            }
            Expr::Var(v) => Ok(self.var(v)),
            Expr::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i)?);
                }
                Ok(Value::array(out))
            }
            Expr::SubArray(b) => {
                let items = self.invoke_here(b)?;
                Ok(Value::array(items))
            }
            Expr::Sub(b) => {
                if let [Stmt { kind: StmtKind::Assign { .. } | StmtKind::Step { .. }, .. }] = b.stmts.as_slice() {
                    // ($x = 5): the assignment runs, and its value is the expression's.
                    let mut out = Vec::new();
                    self.block(b, &mut out)?;
                    if let StmtKind::Assign { target, .. } | StmtKind::Step { target, .. } = &b.stmts[0].kind {
                        return self.eval(target);
                    }
                }
                let items = self.invoke_here(b)?;
                Ok(Value::collect(items))
            }
            Expr::Paren(p) => {
                if let [Elem::Expr(e)] = p.elems.as_slice() {
                    return self.eval(e);
                }
                Ok(Value::collect(self.pipeline(p)?))
            }
            Expr::Hash(entries) => {
                let mut map = Map::default();
                for (k, v) in entries {
                    let key = self.eval(k)?.to_str();
                    if map.contains(&key) {
                        return Err(self.fail(format!("Duplicate keys '{key}' are not allowed in hash literals.")));
                    }
                    let value = self.stmt_value(v)?;
                    map.0.push((key, value));
                }
                Ok(Value::hash(map))
            }
            Expr::Block(b) => Ok(Value::Block(b.clone())),
            Expr::Member { obj, name, stat } => {
                let o = self.eval(obj)?;
                let n = self.eval(name)?.to_str();
                if *stat {
                    return crate::ops::static_member(self, &o, &n);
                }
                Ok(crate::ops::member(&o, &n))
            }
            Expr::Call { obj, name, args, stat } => {
                let o = self.eval(obj)?;
                let n = self.eval(name)?.to_str();
                let mut a = Vec::with_capacity(args.len());
                for x in args {
                    a.push(self.eval(x)?);
                }
                if *stat {
                    crate::ops::static_call(self, &o, &n, a)
                } else {
                    crate::ops::method(self, &o, &n, a)
                }
            }
            Expr::Index { obj, idx } => {
                let o = self.eval(obj)?;
                let i = self.eval(idx)?;
                crate::ops::index(&o, &i)
            }
            Expr::Cast { ty, expr } => {
                let v = self.eval(expr)?;
                crate::ops::cast(self, ty, v)
            }
            Expr::Type(t) => Ok(Value::Type(t.clone())),
            Expr::Unary { op, expr } => {
                let v = self.eval(expr)?;
                crate::ops::unary(self, op, v)
            }
            Expr::Binary { op, l, r } => {
                let left = self.eval(l)?;
                match op.as_str() {
                    "and" => return Ok(Value::Bool(left.truthy() && self.eval(r)?.truthy())),
                    "or" => return Ok(Value::Bool(left.truthy() || self.eval(r)?.truthy())),
                    _ => {}
                }
                let right = self.eval(r)?;
                crate::ops::binary(self, op, left, right)
            }
        }
    }
}

/// The common parameters every cmdlet and advanced function takes; accepted and ignored.
pub(crate) fn is_common(lower: &str) -> bool {
    matches!(
        lower,
        "verbose"
            | "debug"
            | "erroraction"
            | "warningaction"
            | "informationaction"
            | "errorvariable"
            | "outvariable"
            | "whatif"
            | "confirm"
            | "ea"
            | "wa"
    )
}

/// `.\dir\file.ps1` and `./dir/file.ps1` name the same file in the store.
/// `Cmk\..\Common\x.ps1` names `Common/x.ps1` (a `..` above the start stays).
/// The home folder: the store's root.
pub(crate) const HOME: &str = "/home/user";

/// A store path (relative to the home folder) as a full path.
pub(crate) fn full_path(store: &str) -> String {
    match store.trim_matches('/') {
        "" | "." => HOME.to_string(),
        p => format!("{HOME}/{p}"),
    }
}

impl Engine<'_> {
    /// A path as typed (relative to the location, `~`, or full) as a path of the store.
    pub(crate) fn resolve(&self, path: &str) -> String {
        let p = path.replace('\\', "/");
        let home_rel = p
            .strip_prefix(HOME)
            .filter(|r| r.is_empty() || r.starts_with('/'))
            .or_else(|| p.strip_prefix('~').filter(|r| r.is_empty() || r.starts_with('/')));
        match home_rel {
            Some(r) => normalize(r.trim_start_matches('/')),
            None if p.starts_with('/') || self.location.is_empty() => normalize(&p),
            None => normalize(&format!("{}/{p}", self.location)),
        }
    }
}

pub(crate) fn normalize(path: &str) -> String {
    let p = path.replace('\\', "/");
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if p.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}
