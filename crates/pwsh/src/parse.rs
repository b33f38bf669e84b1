//! PowerShell's grammar, for the subset runbooks use: a recursive descent over characters,
//! because PowerShell reads the same characters differently in command mode (`Write-Host a-b`)
//! and in expression mode (`$a -eq $b`). Anything outside the subset is a parse error that
//! names it and its line; the whole script is refused before a line of it runs, as PowerShell
//! refuses a script that does not parse.

use std::rc::Rc;

use crate::ast::*;

/// Deeper nesting than this is refused (no input may exhaust the stack).
const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

type R<T> = Result<T, ParseError>;

/// Words that start a statement of their own.
const KEYWORDS: &[&str] = &[
    "if", "elseif", "else", "while", "do", "for", "foreach", "switch", "function", "filter", "try", "catch", "finally",
    "throw", "return", "exit", "break", "continue", "param", "until",
];

/// Keywords PowerShell has that this subset does not: refused by name.
const UNSUPPORTED: &[&str] = &["trap", "class", "enum", "using", "workflow", "data", "parallel", "configuration"];

/// Binary operators after a dash, by precedence level (1 binds loosest).
fn dash_op_level(word: &str) -> Option<u8> {
    let base = word.strip_prefix(['c', 'i']).filter(|b| is_comparison(b)).unwrap_or(word);
    match base {
        "and" | "or" | "xor" => Some(1),
        _ if is_comparison(base) => Some(2),
        "band" | "bor" | "bxor" | "is" | "isnot" | "as" | "join" => Some(2),
        "f" => Some(5),
        _ => None,
    }
}

pub(crate) fn is_comparison(w: &str) -> bool {
    matches!(
        w,
        "eq" | "ne"
            | "gt"
            | "ge"
            | "lt"
            | "le"
            | "like"
            | "notlike"
            | "match"
            | "notmatch"
            | "contains"
            | "notcontains"
            | "in"
            | "notin"
            | "replace"
            | "split"
    )
}

pub fn parse(source: &str) -> R<Block> {
    // Scripts saved by Windows editors start with a byte-order mark.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut p = Parser { src: source.chars().collect(), pos: 0, depth: 0, no_comma: false };
    let block = p.block_body(None)?;
    p.skip_all();
    if p.pos < p.src.len() {
        return Err(p.error(format!("Unexpected token '{}' in expression or statement.", p.rest_word())));
    }
    Ok(block)
}

struct Parser {
    src: Vec<char>,
    pos: usize,
    depth: usize,
    /// Inside method arguments and attribute arguments a comma separates, it does not build arrays.
    no_comma: bool,
}

fn ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Characters that end a bareword in command mode.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, ';' | '|' | ')' | '}' | '{' | '(' | ',' | '\n')
}

fn is_dq(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}')
}

fn is_sq(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos).copied()
    }
    fn at(&self, k: usize) -> Option<char> {
        self.src.get(self.pos + k).copied()
    }
    fn line(&self) -> usize {
        self.src[..self.pos.min(self.src.len())].iter().filter(|&&c| c == '\n').count() + 1
    }
    fn error(&self, message: String) -> ParseError {
        ParseError { line: self.line(), message }
    }
    fn rest_word(&self) -> String {
        self.src[self.pos..].iter().take_while(|c| !c.is_whitespace()).take(30).collect()
    }
    fn starts_with(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(k, c)| self.at(k) == Some(c))
    }
    /// A word at the cursor, any case, ending at a non-identifier character.
    fn at_word(&self, w: &str) -> bool {
        let n = w.chars().count();
        let here: String = self.src[self.pos..].iter().take(n).collect();
        here.eq_ignore_ascii_case(w) && !self.at(n).is_some_and(|c| ident_char(c) || c == '-')
    }
    fn word_here(&self) -> String {
        self.src[self.pos..].iter().take_while(|&&c| ident_char(c)).collect()
    }
    fn expect(&mut self, c: char, what: &str) -> R<()> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            let found = self.peek().map_or("the end of the script".to_string(), |c| format!("'{c}'"));
            Err(self.error(format!("Missing '{c}' {what}; found {found}.")))
        }
    }
    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("The script nests deeper than {MAX_DEPTH} levels.")));
        }
        Ok(())
    }

    /// Spaces, comments and line continuations; not newlines.
    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if c == '\n' {
                break;
            } else if c.is_whitespace() {
                self.pos += 1;
            } else if c == '`' && matches!(self.at(1), Some('\n' | '\r')) {
                self.pos += 1;
                if self.peek() == Some('\r') {
                    self.pos += 1;
                }
                if self.peek() == Some('\n') {
                    self.pos += 1;
                }
            } else if c == '<' && self.at(1) == Some('#') {
                self.pos += 2;
                while self.pos < self.src.len() && !self.starts_with("#>") {
                    self.pos += 1;
                }
                self.pos = (self.pos + 2).min(self.src.len());
            } else if c == '#' {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }
    /// Spaces and newlines.
    fn skip_nl(&mut self) {
        loop {
            self.skip_space();
            if self.peek() == Some('\n') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }
    /// Spaces, newlines and semicolons.
    fn skip_all(&mut self) {
        loop {
            self.skip_nl();
            if self.peek() == Some(';') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    // ----- statements -----

    /// Statements up to `close` (or the end): an optional `param()` first.
    fn block_body(&mut self, close: Option<char>) -> R<Block> {
        self.enter()?;
        let mut block = Block::default();
        self.skip_all();
        // [CmdletBinding()] and other attributes before param( are accepted and ignored.
        let save = self.pos;
        let mut binding = false;
        while self.peek() == Some('[') {
            match self.attribute()? {
                None => {
                    self.pos = save;
                    break;
                }
                Some(Attr::Type(n) | Attr::Call(n, _)) => binding |= n.eq_ignore_ascii_case("cmdletbinding"),
            }
            self.skip_all();
        }
        if self.at_word("param") {
            self.pos += 5;
            self.skip_nl();
            block.params = self.param_list()?;
            block.advanced = binding || block.params.iter().any(|p| p.advanced);
        } else {
            self.pos = save;
        }
        loop {
            self.skip_all();
            match (self.peek(), close) {
                (None, None) => break,
                (None, Some(c)) => return Err(self.error(format!("Missing closing '{c}' in statement block."))),
                (Some(c), Some(e)) if c == e => break,
                (Some(c @ (')' | '}')), _) => return Err(self.error(format!("Unexpected token '{c}'."))),
                _ => {}
            }
            let stmt = self.statement()?;
            block.stmts.push(stmt);
            self.skip_space();
            match self.peek() {
                None | Some('\n' | ';') => {}
                Some(c) if Some(c) == close => {}
                Some(_) => {
                    return Err(
                        self.error(format!("Unexpected token '{}' in expression or statement.", self.rest_word()))
                    )
                }
            }
        }
        self.depth -= 1;
        Ok(block)
    }

    /// `( [attrs] [type] $name [= default], … )`.
    fn param_list(&mut self) -> R<Vec<Param>> {
        self.expect('(', "after param")?;
        let mut params = Vec::new();
        loop {
            self.skip_all();
            if self.peek() == Some(')') {
                self.pos += 1;
                return Ok(params);
            }
            let mut param = Param::default();
            while self.peek() == Some('[') {
                match self.attribute()? {
                    Some(Attr::Type(t)) => param.ty = Some(t.to_ascii_lowercase()),
                    Some(Attr::Call(name, args)) => apply_attribute(&mut param, &name, args),
                    None => return Err(self.error("Missing ']' in a parameter's attribute.".into())),
                }
                self.skip_nl();
            }
            if self.peek() != Some('$') {
                return Err(self.error("Missing a parameter's variable name ($Name) in the param() block.".into()));
            }
            self.pos += 1;
            param.name = self.word_here();
            self.pos += param.name.chars().count();
            self.skip_nl();
            if self.peek() == Some('=') {
                self.pos += 1;
                self.skip_nl();
                param.default = Some(self.expr_no_comma()?);
            }
            params.push(param);
            self.skip_nl();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(')') => {}
                _ => return Err(self.error("Missing ',' or ')' in the param() block.".into())),
            }
        }
    }

    /// `[Type]`, `[Type[]]` or `[Name(args)]`; `None` (cursor unchanged) if it is neither.
    fn attribute(&mut self) -> R<Option<Attr>> {
        let save = self.pos;
        self.pos += 1;
        self.skip_space();
        let name: String = self.src[self.pos..].iter().take_while(|&&c| ident_char(c) || c == '.').collect();
        if name.is_empty() {
            self.pos = save;
            return Ok(None);
        }
        self.pos += name.chars().count();
        if self.starts_with("[]") {
            self.pos += 2;
            return if self.peek() == Some(']') {
                self.pos += 1;
                Ok(Some(Attr::Type(format!("{name}[]"))))
            } else {
                self.pos = save;
                Ok(None)
            };
        }
        if self.peek() == Some(']') {
            self.pos += 1;
            return Ok(Some(Attr::Type(name)));
        }
        if self.peek() != Some('(') {
            self.pos = save;
            return Ok(None);
        }
        self.pos += 1;
        let mut args = Vec::new();
        loop {
            self.skip_nl();
            if self.peek() == Some(')') {
                self.pos += 1;
                break;
            }
            let key = self.word_here();
            let after = self.pos + key.chars().count();
            let is_named = !key.is_empty() && {
                let mut k = after;
                while self.src.get(k).is_some_and(|c| *c == ' ') {
                    k += 1;
                }
                matches!(self.src.get(k), Some('=' | ',' | ')'))
            };
            if is_named {
                self.pos = after;
                self.skip_space();
                let value = if self.peek() == Some('=') {
                    self.pos += 1;
                    self.skip_space();
                    Some(self.expr_no_comma()?)
                } else {
                    None
                };
                args.push((Some(key), value));
            } else {
                args.push((None, Some(self.expr_no_comma()?)));
            }
            self.skip_nl();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(')') => {}
                _ => return Err(self.error(format!("Missing ')' in the attribute [{name}(…)]."))),
            }
        }
        self.skip_space();
        self.expect(']', "to close the attribute")?;
        Ok(Some(Attr::Call(name, args)))
    }

    fn statement(&mut self) -> R<Stmt> {
        let line = self.line();
        let kind = self.statement_kind()?;
        Ok(Stmt { line, kind })
    }

    fn statement_kind(&mut self) -> R<StmtKind> {
        let word = self.word_here().to_ascii_lowercase();
        if UNSUPPORTED.contains(&word.as_str()) && self.at_word(&word) {
            return Err(self.error(format!("'{word}' is not supported by the playground's PowerShell.")));
        }
        if matches!(word.as_str(), "begin" | "process" | "end") && {
            let mut k = self.pos + word.len();
            while self.src.get(k).is_some_and(|c| c.is_whitespace()) {
                k += 1;
            }
            self.src.get(k) == Some(&'{')
        } {
            return Err(self.error(format!(
                "'{word}' blocks are not supported by the playground's PowerShell; write the function's body without begin/process/end."
            )));
        }
        if !KEYWORDS.contains(&word.as_str()) || !self.at_word(&word) {
            return self.simple_statement();
        }
        self.pos += word.len();
        self.skip_space();
        match word.as_str() {
            "if" => {
                let mut clauses = vec![(self.condition()?, self.braced()?)];
                let mut otherwise = None;
                loop {
                    let save = self.pos;
                    self.skip_nl();
                    if self.at_word("elseif") {
                        self.pos += 6;
                        self.skip_space();
                        clauses.push((self.condition()?, self.braced()?));
                    } else if self.at_word("else") {
                        self.pos += 4;
                        self.skip_nl();
                        otherwise = Some(self.braced()?);
                        break;
                    } else {
                        self.pos = save;
                        break;
                    }
                }
                Ok(StmtKind::If { clauses, otherwise })
            }
            "while" => Ok(StmtKind::While { cond: self.condition()?, body: self.braced()? }),
            "do" => {
                let body = self.braced()?;
                self.skip_nl();
                let until = if self.at_word("while") {
                    false
                } else if self.at_word("until") {
                    true
                } else {
                    return Err(self.error("Missing 'while' or 'until' after do { }.".into()));
                };
                self.pos += 5; // while / until
                self.skip_space();
                Ok(StmtKind::Do { body, cond: self.condition()?, until })
            }
            "for" => {
                self.expect('(', "after for")?;
                self.skip_nl();
                let init = if self.peek() == Some(';') { None } else { Some(Box::new(self.statement()?)) };
                self.skip_nl();
                self.expect(';', "after the for loop's initializer")?;
                self.skip_nl();
                let cond = if self.peek() == Some(';') { None } else { Some(self.pipeline()?) };
                self.skip_nl();
                self.expect(';', "after the for loop's condition")?;
                self.skip_nl();
                let step = if self.peek() == Some(')') { None } else { Some(Box::new(self.statement()?)) };
                self.skip_nl();
                self.expect(')', "to close the for loop's header")?;
                Ok(StmtKind::For { init, cond, step, body: self.braced()? })
            }
            "foreach" => {
                self.expect('(', "after foreach")?;
                self.skip_nl();
                self.expect('$', "for the loop variable in foreach ($item in $items)")?;
                let var = self.variable_name()?;
                self.skip_nl();
                if !self.at_word("in") {
                    return Err(self.error("Missing 'in' in foreach ($item in $items).".into()));
                }
                self.pos += 2;
                self.skip_nl();
                let items = self.pipeline()?;
                self.skip_nl();
                self.expect(')', "to close foreach (…)")?;
                Ok(StmtKind::Foreach { var, items, body: self.braced()? })
            }
            "switch" => self.switch(),
            "function" | "filter" => {
                let name: String = self.src[self.pos..]
                    .iter()
                    .take_while(|&&c| ident_char(c) || matches!(c, '-' | '.' | ':'))
                    .collect();
                if name.is_empty() {
                    return Err(self.error("Missing a function name after 'function'.".into()));
                }
                self.pos += name.chars().count();
                self.skip_nl();
                let params = if self.peek() == Some('(') { Some(self.param_list()?) } else { None };
                self.skip_nl();
                let mut body = self.braced()?;
                if let Some(params) = params {
                    body.advanced = body.advanced || params.iter().any(|p| p.advanced);
                    body.params = params;
                }
                Ok(StmtKind::Function { name, body: Rc::new(body) })
            }
            "try" => {
                let body = self.braced()?;
                let mut catches = Vec::new();
                let mut finally = None;
                loop {
                    let save = self.pos;
                    self.skip_nl();
                    if self.at_word("catch") {
                        self.pos += 5;
                        self.skip_space();
                        // catch [Type] { }: every error is caught by any catch here.
                        while self.peek() == Some('[') {
                            self.attribute()?;
                            self.skip_space();
                            if self.peek() == Some(',') {
                                self.pos += 1;
                                self.skip_nl();
                            }
                        }
                        catches.push(self.braced()?);
                    } else if self.at_word("finally") {
                        self.pos += 7;
                        self.skip_nl();
                        finally = Some(self.braced()?);
                        break;
                    } else {
                        self.pos = save;
                        break;
                    }
                }
                if catches.is_empty() && finally.is_none() {
                    return Err(self.error("The try statement is missing its catch or finally block.".into()));
                }
                Ok(StmtKind::Try { body, catches, finally })
            }
            "throw" => Ok(StmtKind::Throw(self.optional_pipeline()?)),
            "return" => Ok(StmtKind::Return(self.optional_pipeline()?)),
            "exit" => Ok(StmtKind::Exit(self.optional_pipeline()?)),
            "break" => Ok(StmtKind::Break),
            "continue" => Ok(StmtKind::Continue),
            // PowerShell reads a late param(…) as a call of a command named param, which fails
            // when it runs; so does this.
            "param" => {
                self.skip_nl();
                self.param_list()?;
                let call = Cmd { name: CmdName::Word("param".into()), args: Vec::new(), dot: false };
                Ok(StmtKind::Pipeline(Pipeline { elems: vec![Elem::Cmd(call)] }))
            }
            other => Err(self.error(format!("Unexpected keyword '{other}'."))),
        }
    }

    fn optional_pipeline(&mut self) -> R<Option<Pipeline>> {
        self.skip_space();
        match self.peek() {
            None | Some('\n' | ';' | '}' | ')') => Ok(None),
            _ => Ok(Some(self.pipeline()?)),
        }
    }

    fn condition(&mut self) -> R<Pipeline> {
        self.skip_space();
        self.expect('(', "before the condition")?;
        self.skip_nl();
        let p = self.pipeline()?;
        self.skip_nl();
        self.expect(')', "after the condition")?;
        Ok(p)
    }

    fn braced(&mut self) -> R<Block> {
        self.skip_nl();
        self.expect('{', "to open the statement block")?;
        let b = self.block_body(Some('}'))?;
        self.expect('}', "to close the statement block")?;
        Ok(b)
    }

    fn switch(&mut self) -> R<StmtKind> {
        let (mut wildcard, mut regex) = (false, false);
        while self.peek() == Some('-') {
            self.pos += 1;
            let w = self.word_here().to_ascii_lowercase();
            self.pos += w.len();
            match w.as_str() {
                "wildcard" => wildcard = true,
                "regex" => regex = true,
                "exact" | "casesensitive" => {}
                _ => return Err(self.error(format!("switch -{w} is not supported by the playground's PowerShell."))),
            }
            self.skip_space();
        }
        let value = self.condition()?;
        self.skip_nl();
        self.expect('{', "to open the switch body")?;
        let (mut cases, mut default) = (Vec::new(), None);
        loop {
            self.skip_all();
            if self.peek() == Some('}') {
                self.pos += 1;
                break;
            }
            if self.peek().is_none() {
                return Err(self.error("Missing '}' to close the switch body.".into()));
            }
            if self.at_word("default") {
                self.pos += 7;
                default = Some(self.braced()?);
                continue;
            }
            let label = if self.peek() == Some('{') {
                self.pos += 1;
                let b = self.block_body(Some('}'))?;
                self.expect('}', "to close the switch condition")?;
                Expr::Block(Rc::new(b))
            } else {
                self.arg_value()?
            };
            cases.push((label, self.braced()?));
        }
        Ok(StmtKind::Switch { value, cases, default, wildcard, regex })
    }

    /// A pipeline, or an assignment to what the first expression names.
    fn simple_statement(&mut self) -> R<StmtKind> {
        let pipeline = self.pipeline()?;
        self.skip_space();
        let single = matches!(pipeline.elems.as_slice(), [Elem::Expr(_)]);
        let assign = [("=", '='), ("+=", '+'), ("-=", '-'), ("*=", '*'), ("/=", '/'), ("%=", '%')]
            .into_iter()
            .find(|(s, _)| self.starts_with(s) && !(s == &"=" && self.at(1) == Some('=')));
        if let (true, Some((text, op))) = (single, assign) {
            let Some(Elem::Expr(target)) = pipeline.elems.into_iter().next() else { unreachable_target()? };
            check_target(&target).map_err(|m| self.error(m))?;
            self.pos += text.len();
            self.skip_nl();
            let value = Box::new(self.statement()?);
            return Ok(StmtKind::Assign { target, op, value });
        }
        if single && (self.starts_with("++") || self.starts_with("--")) {
            let by = if self.starts_with("++") { 1 } else { -1 };
            self.pos += 2;
            let Some(Elem::Expr(target)) = pipeline.elems.into_iter().next() else { unreachable_target()? };
            check_target(&target).map_err(|m| self.error(m))?;
            return Ok(StmtKind::Step { target, by });
        }
        Ok(StmtKind::Pipeline(pipeline))
    }

    fn pipeline(&mut self) -> R<Pipeline> {
        self.enter()?;
        let mut elems = vec![self.element()?];
        loop {
            self.skip_space();
            if self.peek() == Some('|') && self.at(1) != Some('|') {
                self.pos += 1;
                self.skip_nl();
                elems.push(self.element()?);
            } else {
                break;
            }
        }
        self.skip_space();
        if matches!(self.peek(), Some('>')) || self.starts_with("2>") || self.starts_with("*>") {
            return Err(self.error(
                "Redirection ('>') is not supported by the playground's PowerShell; use | Out-File or | Out-Null."
                    .into(),
            ));
        }
        if self.starts_with("&&") || self.starts_with("||") {
            return Err(self.error("'&&' and '||' are not supported by the playground's PowerShell; use if.".into()));
        }
        self.depth -= 1;
        Ok(Pipeline { elems })
    }

    fn element(&mut self) -> R<Elem> {
        self.skip_space();
        let c = self.peek().ok_or_else(|| self.error("An empty pipe element is not allowed.".into()))?;
        if c == '&' {
            self.pos += 1;
            self.skip_space();
            let name = self.command_name()?;
            return Ok(Elem::Cmd(Cmd { name, args: self.command_args()?, dot: false }));
        }
        if c == '.' && self.at(1).is_some_and(|c| c == ' ' || c == '\t') {
            self.pos += 1;
            self.skip_space();
            let name = self.command_name()?;
            return Ok(Elem::Cmd(Cmd { name, args: self.command_args()?, dot: true }));
        }
        let path_start = c == '.' && matches!(self.at(1), Some('/' | '\\'));
        if c.is_alphabetic() || c == '_' || path_start {
            let name = self.command_name()?;
            return Ok(Elem::Cmd(Cmd { name, args: self.command_args()?, dot: false }));
        }
        Ok(Elem::Expr(self.expr()?))
    }

    fn command_name(&mut self) -> R<CmdName> {
        match self.peek() {
            Some(c) if c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '\\') => {
                let w: String = self.src[self.pos..].iter().take_while(|&&c| !ends_word(c)).collect();
                self.pos += w.chars().count();
                Ok(CmdName::Word(w))
            }
            _ => Ok(CmdName::Expr(self.postfix_primary()?)),
        }
    }

    fn command_args(&mut self) -> R<Vec<Arg>> {
        let mut args = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None | Some('\n' | ';' | '|' | ')' | '}') => return Ok(args),
                Some('>') => return Ok(args),
                Some('2' | '*') if self.at(1) == Some('>') => return Ok(args),
                Some('&') if self.at(1) == Some('&') => return Ok(args),
                _ => {}
            }
            let c = self.peek().unwrap_or(' ');
            if (c == '-' || c == '\u{2013}') && self.at(1).is_some_and(|n| n.is_alphabetic() || n == '_') {
                self.pos += 1;
                let name: String = self.src[self.pos..].iter().take_while(|&&c| ident_char(c) || c == '-').collect();
                self.pos += name.chars().count();
                if self.peek() == Some(':') {
                    self.pos += 1;
                    let value = self.arg_value()?;
                    args.push(Arg::Named(name, Some(value)));
                } else {
                    args.push(Arg::Named(name, None));
                }
                continue;
            }
            if c == '@' && self.at(1).is_some_and(|n| n.is_alphabetic() || n == '_') {
                self.pos += 1;
                let name = self.word_here();
                self.pos += name.chars().count();
                args.push(Arg::Splat(name));
                continue;
            }
            args.push(Arg::Pos(self.arg_list()?));
        }
    }

    /// An argument in command mode, with `a, b` building an array.
    fn arg_list(&mut self) -> R<Expr> {
        let first = self.arg_value()?;
        let mut items = vec![first];
        loop {
            let save = self.pos;
            self.skip_space();
            if self.peek() == Some(',') {
                self.pos += 1;
                self.skip_nl();
                items.push(self.arg_value()?);
            } else {
                self.pos = save;
                break;
            }
        }
        Ok(if items.len() == 1 { items.pop().unwrap_or(Expr::Str(String::new())) } else { Expr::Array(items) })
    }

    /// One argument value in command mode: an expression that starts like one, else a bareword.
    fn arg_value(&mut self) -> R<Expr> {
        let c = self.peek().unwrap_or(' ');
        let expression_like = matches!(c, '$' | '(' | '"' | '\'' | '{' | '@' | '[')
            || is_dq(c)
            || is_sq(c)
            || (c.is_ascii_digit() && self.numeric_word());
        if expression_like {
            let e = self.postfix_primary()?;
            // `$PSScriptRoot\file.ps1`: the rest of the bareword expands after the variable.
            if matches!(e, Expr::Var(_) | Expr::Member { .. }) && self.peek().is_some_and(|c| !ends_word(c) && c != '>')
            {
                let mut parts = vec![Part::Sub(Block {
                    advanced: false,
                    params: Vec::new(),
                    stmts: vec![Stmt {
                        line: self.line(),
                        kind: StmtKind::Pipeline(Pipeline { elems: vec![Elem::Expr(e)] }),
                    }],
                })];
                parts.extend(self.bareword_parts()?);
                return Ok(Expr::Expand(parts));
            }
            return Ok(e);
        }
        let parts = self.bareword_parts()?;
        if let [Part::Text(t)] = parts.as_slice() {
            return Ok(Expr::Str(t.clone()));
        }
        Ok(Expr::Expand(parts))
    }

    fn numeric_word(&self) -> bool {
        let w: String = self.src[self.pos..].iter().take_while(|&&c| !ends_word(c)).collect();
        number_value(&w).is_some()
    }

    fn bareword_parts(&mut self) -> R<Vec<Part>> {
        let mut parts = Vec::new();
        let mut text = String::new();
        while let Some(c) = self.peek() {
            if ends_word(c) {
                break;
            }
            if self.escape_or_dollar(c, &mut text, &mut parts)? {
                continue;
            }
            text.push(c);
            self.pos += 1;
        }
        if !text.is_empty() || parts.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(parts)
    }

    // ----- expressions -----

    fn expr_no_comma(&mut self) -> R<Expr> {
        let saved = std::mem::replace(&mut self.no_comma, true);
        let e = self.expr();
        self.no_comma = saved;
        e
    }

    fn expr(&mut self) -> R<Expr> {
        self.enter()?;
        let e = self.binary(1);
        self.depth -= 1;
        e
    }

    /// The binary operator at the cursor (after spaces) and its level, without moving.
    fn peek_binary(&mut self) -> Option<(String, u8, usize)> {
        let save = self.pos;
        self.skip_space();
        let start = self.pos;
        let c = self.peek()?;
        let found = match c {
            '-' | '\u{2013}' if self.at(1).is_some_and(char::is_alphabetic) => {
                let w: String = self.src[self.pos + 1..].iter().take_while(|c| c.is_alphabetic()).collect();
                let lower = w.to_ascii_lowercase();
                dash_op_level(&lower).map(|l| (lower, l, 1 + w.chars().count()))
            }
            '+' if self.at(1) != Some('=') && self.at(1) != Some('+') => Some(("+".into(), 3, 1)),
            '-' if self.at(1) != Some('=') && self.at(1) != Some('-') => Some(("-".into(), 3, 1)),
            '*' if self.at(1) != Some('=') => Some(("*".into(), 4, 1)),
            '/' if self.at(1) != Some('=') => Some(("/".into(), 4, 1)),
            '%' if self.at(1) != Some('=') => Some(("%".into(), 4, 1)),
            '.' if self.at(1) == Some('.') => Some(("..".into(), 6, 2)),
            _ => None,
        };
        self.pos = save;
        found.map(|(op, level, len)| (op, level, start - save + len))
    }

    fn binary(&mut self, level: u8) -> R<Expr> {
        if level > 6 {
            return self.comma();
        }
        let mut left = self.binary(level + 1)?;
        while let Some((op, l, len)) = self.peek_binary() {
            if l != level {
                break;
            }
            self.pos += len;
            self.skip_nl();
            let right = self.binary(level + 1)?;
            left = Expr::Binary { op, l: Box::new(left), r: Box::new(right) };
        }
        Ok(left)
    }

    fn comma(&mut self) -> R<Expr> {
        let first = self.unary()?;
        if self.no_comma {
            return Ok(first);
        }
        let mut items = vec![first];
        loop {
            let save = self.pos;
            self.skip_space();
            if self.peek() == Some(',') {
                self.pos += 1;
                self.skip_nl();
                items.push(self.unary()?);
            } else {
                self.pos = save;
                break;
            }
        }
        Ok(if items.len() == 1 { items.pop().unwrap_or(Expr::Str(String::new())) } else { Expr::Array(items) })
    }

    fn unary(&mut self) -> R<Expr> {
        self.enter()?;
        self.skip_space();
        let e = self.unary_inner();
        self.depth -= 1;
        e
    }

    fn unary_inner(&mut self) -> R<Expr> {
        let c = self.peek().ok_or_else(|| self.error("An expression was expected here.".into()))?;
        if c == '!' {
            self.pos += 1;
            return Ok(Expr::Unary { op: "not".into(), expr: Box::new(self.unary()?) });
        }
        // `,$x`: an array of one (`return ,$list` keeps a list whole).
        if c == ',' {
            self.pos += 1;
            self.skip_nl();
            return Ok(Expr::Array(vec![self.unary()?]));
        }
        if c == '-' || c == '\u{2013}' {
            let w: String = self.src[self.pos + 1..].iter().take_while(|c| c.is_alphabetic()).collect();
            let lower = w.to_ascii_lowercase();
            if matches!(lower.as_str(), "not" | "join" | "split" | "bnot") {
                self.pos += 1 + w.len();
                return Ok(Expr::Unary { op: lower, expr: Box::new(self.unary()?) });
            }
            if w.is_empty() && self.at(1) != Some('-') {
                self.pos += 1;
                return Ok(Expr::Unary { op: "-".into(), expr: Box::new(self.unary()?) });
            }
        }
        if c == '+' && self.at(1) != Some('+') {
            self.pos += 1;
            return Ok(Expr::Unary { op: "+".into(), expr: Box::new(self.unary()?) });
        }
        if c == '[' {
            let save = self.pos;
            let attr = self.attribute()?;
            // An attribute on a variable ([SuppressMessage(…)], [ValidateNotNull()]) changes
            // nothing here: skipped.
            if let Some(Attr::Call(..)) = attr {
                self.skip_nl();
                return self.unary();
            }
            if let Some(Attr::Type(ty)) = attr {
                self.skip_space();
                // [Type]::Member is a static access, [Type] alone a type; else a cast.
                if self.starts_with("::") {
                    self.pos = save;
                    return self.postfix_primary();
                }
                let starts_operand = self.peek().is_some_and(|c| {
                    matches!(c, '$' | '(' | '"' | '\'' | '@' | '[' | '{' | '-')
                        || c.is_alphanumeric()
                        || is_dq(c)
                        || is_sq(c)
                });
                if starts_operand && !(self.peek() == Some('-') && self.peek_binary().is_some()) {
                    let expr = self.unary()?;
                    return Ok(Expr::Cast { ty: ty.to_ascii_lowercase(), expr: Box::new(expr) });
                }
                self.pos = save;
            } else {
                self.pos = save;
            }
        }
        self.postfix_primary()
    }

    fn postfix_primary(&mut self) -> R<Expr> {
        let mut e = self.primary()?;
        loop {
            let stat = self.starts_with("::");
            if stat || (self.peek() == Some('.') && self.at(1) != Some('.')) {
                self.pos += if stat { 2 } else { 1 };
                let name = match self.peek() {
                    Some(c) if ident_char(c) => {
                        let w = self.word_here();
                        self.pos += w.chars().count();
                        Expr::Str(w)
                    }
                    Some(c) if c == '"' || c == '\'' || is_dq(c) || is_sq(c) => self.primary()?,
                    Some('$') => self.primary()?,
                    Some('(') => self.primary()?,
                    _ => return Err(self.error("Missing a property name after '.'.".into())),
                };
                if self.peek() == Some('(') {
                    self.pos += 1;
                    let args = self.call_args()?;
                    e = Expr::Call { obj: Box::new(e), name: Box::new(name), args, stat };
                } else {
                    e = Expr::Member { obj: Box::new(e), name: Box::new(name), stat };
                }
            } else if self.peek() == Some('[') {
                self.pos += 1;
                self.skip_nl();
                let saved = std::mem::replace(&mut self.no_comma, false);
                let idx = self.expr();
                self.no_comma = saved;
                let idx = idx?;
                self.skip_nl();
                self.expect(']', "to close the index")?;
                e = Expr::Index { obj: Box::new(e), idx: Box::new(idx) };
            } else {
                return Ok(e);
            }
        }
    }

    fn call_args(&mut self) -> R<Vec<Expr>> {
        let mut args = Vec::new();
        loop {
            self.skip_nl();
            if self.peek() == Some(')') {
                self.pos += 1;
                return Ok(args);
            }
            args.push(self.expr_no_comma()?);
            self.skip_nl();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(')') => {}
                _ => return Err(self.error("Missing ')' in the method call.".into())),
            }
        }
    }

    fn variable_name(&mut self) -> R<String> {
        if self.peek() == Some('{') {
            self.pos += 1;
            let name: String = self.src[self.pos..].iter().take_while(|&&c| c != '}').collect();
            self.pos += name.chars().count();
            self.expect('}', "to close ${…}")?;
            return Ok(name);
        }
        if matches!(self.peek(), Some('?' | '^' | '$')) {
            let c = self.peek().unwrap_or('?');
            self.pos += 1;
            return Ok(c.to_string());
        }
        let mut name = self.word_here();
        self.pos += name.chars().count();
        // A scope or drive prefix: $global:x, $env:HOME.
        if self.peek() == Some(':') && self.at(1).is_some_and(ident_char) {
            let lower = name.to_ascii_lowercase();
            if matches!(lower.as_str(), "global" | "script" | "local" | "private" | "env" | "using") {
                self.pos += 1;
                let rest = self.word_here();
                self.pos += rest.chars().count();
                name = format!("{lower}:{rest}");
            }
        }
        if name.is_empty() {
            return Err(self.error("Missing a variable name after '$'.".into()));
        }
        Ok(name)
    }

    fn primary(&mut self) -> R<Expr> {
        let c = self.peek().ok_or_else(|| self.error("An expression was expected at the end of the script.".into()))?;
        match c {
            '$' if self.at(1) == Some('(') => {
                self.pos += 2;
                let b = self.block_body(Some(')'))?;
                self.expect(')', "to close $(…)")?;
                Ok(Expr::Sub(b))
            }
            '$' => {
                self.pos += 1;
                Ok(Expr::Var(self.variable_name()?))
            }
            '@' if self.at(1) == Some('(') => {
                self.pos += 2;
                let b = self.block_body(Some(')'))?;
                self.expect(')', "to close @(…)")?;
                Ok(Expr::SubArray(b))
            }
            '@' if self.at(1) == Some('{') => {
                self.pos += 2;
                self.hash()
            }
            '@' if self.at(1).is_some_and(|c| is_dq(c) || is_sq(c)) => self.here_string(),
            '(' => {
                self.pos += 1;
                self.skip_nl();
                let saved = std::mem::replace(&mut self.no_comma, false);
                let stmt = self.statement();
                self.no_comma = saved;
                let stmt = stmt?;
                self.skip_nl();
                self.expect(')', "to close (…)")?;
                match stmt.kind {
                    StmtKind::Pipeline(p) => Ok(Expr::Paren(Box::new(p))),
                    _ => Ok(Expr::Sub(Block { params: Vec::new(), advanced: false, stmts: vec![stmt] })),
                }
            }
            '{' => {
                self.pos += 1;
                let b = self.block_body(Some('}'))?;
                self.expect('}', "to close the script block")?;
                Ok(Expr::Block(Rc::new(b)))
            }
            '[' => match self.attribute()? {
                Some(Attr::Type(t)) => {
                    self.skip_space();
                    if t.eq_ignore_ascii_case("ordered") && self.starts_with("@{") {
                        self.pos += 2;
                        return self.hash();
                    }
                    Ok(Expr::Type(t.to_ascii_lowercase()))
                }
                _ => Err(self.error("Missing a type name in [ ].".into())),
            },
            c if is_dq(c) => {
                self.pos += 1;
                let parts = self.expandable(false)?;
                Ok(simplify(parts))
            }
            c if is_sq(c) => {
                self.pos += 1;
                let mut s = String::new();
                loop {
                    match self.peek() {
                        None => return Err(self.error("The string is missing its terminator: '.".into())),
                        Some(c) if is_sq(c) => {
                            self.pos += 1;
                            if self.peek().is_some_and(is_sq) {
                                s.push('\'');
                                self.pos += 1;
                            } else {
                                return Ok(Expr::Str(s));
                            }
                        }
                        Some(c) => {
                            s.push(c);
                            self.pos += 1;
                        }
                    }
                }
            }
            c if c.is_ascii_digit() || (c == '.' && self.at(1).is_some_and(|c| c.is_ascii_digit())) => {
                let w: String = self.src[self.pos..].iter().take_while(|&&c| c.is_alphanumeric() || c == '.').collect();
                // `1..5`: the number stops before the range operator.
                let w = match w.find("..") {
                    Some(i) => w[..i].to_string(),
                    None => w,
                };
                let e = number_value(&w).ok_or_else(|| self.error(format!("'{w}' is not a number.")))?;
                self.pos += w.chars().count();
                Ok(e)
            }
            _ => Err(self.error(format!("Unexpected token '{}' in expression or statement.", self.rest_word()))),
        }
    }

    fn hash(&mut self) -> R<Expr> {
        let mut entries = Vec::new();
        loop {
            self.skip_all();
            match self.peek() {
                Some('}') => {
                    self.pos += 1;
                    return Ok(Expr::Hash(entries));
                }
                None => return Err(self.error("Missing '}' to close the hash literal @{ }.".into())),
                _ => {}
            }
            let c = self.peek().unwrap_or(' ');
            let key = if ident_char(c) || c == '-' {
                let w: String =
                    self.src[self.pos..].iter().take_while(|&&c| ident_char(c) || c == '-' || c == '.').collect();
                self.pos += w.chars().count();
                Expr::Str(w)
            } else {
                self.expr_no_comma()?
            };
            self.skip_space();
            self.expect('=', "after the key in the hash literal")?;
            self.skip_nl();
            let value = self.statement()?;
            entries.push((key, value));
            self.skip_space();
            match self.peek() {
                Some('\n' | ';' | '}') => {}
                _ => return Err(self.error("Missing a newline or ';' between entries of the hash literal.".into())),
            }
        }
    }

    fn here_string(&mut self) -> R<Expr> {
        let expandable = self.at(1).is_some_and(is_dq);
        self.pos += 2;
        while self.peek().is_some_and(|c| c == ' ' || c == '\t' || c == '\r') {
            self.pos += 1;
        }
        if self.peek() != Some('\n') {
            return Err(self.error("A here-string's opening @\" or @' must end its line.".into()));
        }
        self.pos += 1;
        if expandable {
            let parts = self.expandable(true)?;
            return Ok(simplify(parts));
        }
        let mut s = String::new();
        loop {
            if self.peek().is_none() {
                return Err(self.error("The here-string is missing its terminator '@ at the start of a line.".into()));
            }
            if self.peek() == Some('\n') && self.at(1).is_some_and(is_sq) && self.at(2) == Some('@') {
                self.pos += 3;
                return Ok(Expr::Str(s.trim_end_matches('\r').to_string()));
            }
            if s.is_empty() && self.peek().is_some_and(is_sq) && self.at(1) == Some('@') {
                self.pos += 2;
                return Ok(Expr::Str(s));
            }
            s.push(self.peek().unwrap_or(' '));
            self.pos += 1;
        }
    }

    /// The inside of "…" (or of @"…"@ when `here`), after the opening quote.
    fn expandable(&mut self, here: bool) -> R<Vec<Part>> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error("The string is missing its terminator: \".".into()));
            };
            if here {
                let at_end = (c == '\n' || first) && {
                    let k = if c == '\n' { 1 } else { 0 };
                    self.at(k).is_some_and(is_dq) && self.at(k + 1) == Some('@')
                };
                if at_end {
                    self.pos += if c == '\n' { 3 } else { 2 };
                    if text.ends_with('\r') {
                        text.pop();
                    }
                    break;
                }
                first = false;
            } else if is_dq(c) {
                self.pos += 1;
                if self.peek().is_some_and(is_dq) {
                    text.push('"');
                    self.pos += 1;
                    continue;
                }
                break;
            }
            if self.escape_or_dollar(c, &mut text, &mut parts)? {
                continue;
            }
            text.push(c);
            self.pos += 1;
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(parts)
    }

    /// A backtick escape or a `$…` at the cursor, inside a bareword or a "…" string: read into
    /// `text` or `parts`; `false` for any other character.
    fn escape_or_dollar(&mut self, c: char, text: &mut String, parts: &mut Vec<Part>) -> R<bool> {
        if c == '`' {
            self.pos += 1;
            if let Some(n) = self.peek() {
                text.push(escape(n));
                self.pos += 1;
            }
            return Ok(true);
        }
        if c == '$' && self.at(1).is_some_and(|n| ident_char(n) || n == '{' || n == '(') {
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(text)));
            }
            parts.push(self.dollar_part()?);
            return Ok(true);
        }
        Ok(false)
    }

    /// `$name`, `${name}` or `$( … )` inside a string or bareword.
    fn dollar_part(&mut self) -> R<Part> {
        self.pos += 1;
        if self.peek() == Some('(') {
            self.pos += 1;
            let b = self.block_body(Some(')'))?;
            self.expect(')', "to close $(…) in the string")?;
            return Ok(Part::Sub(b));
        }
        Ok(Part::Var(self.variable_name()?))
    }
}

enum Attr {
    Type(String),
    Call(String, Vec<(Option<String>, Option<Expr>)>),
}

fn apply_attribute(param: &mut Param, name: &str, args: Vec<(Option<String>, Option<Expr>)>) {
    match name.to_ascii_lowercase().as_str() {
        "parameter" => {
            param.advanced = true;
            for (key, value) in args {
                match key.as_deref().map(str::to_ascii_lowercase).as_deref() {
                    Some("mandatory") => {
                        param.mandatory = !matches!(&value, Some(Expr::Var(v)) if v.eq_ignore_ascii_case("false"))
                    }
                    Some("helpmessage") => {
                        if let Some(Expr::Str(s)) = value {
                            param.help = Some(s);
                        }
                    }
                    Some("position") => {
                        if let Some(Expr::Int(n)) = value {
                            param.position = usize::try_from(n).ok();
                        }
                    }
                    _ => {}
                }
            }
        }
        "validateset" => {
            param.validate_set = args
                .into_iter()
                .filter_map(|(_, v)| match v {
                    Some(Expr::Str(s)) => Some(s),
                    _ => None,
                })
                .collect();
        }
        "validatenotnullorempty" | "validatenotnull" => param.not_empty = true,
        _ => {}
    }
}

fn check_target(e: &Expr) -> Result<(), String> {
    match e {
        Expr::Var(_) | Expr::Member { .. } | Expr::Index { .. } => Ok(()),
        Expr::Cast { expr, .. } if matches!(**expr, Expr::Var(_)) => Ok(()),
        _ => Err("The left side of an assignment must be a variable, a property or an index.".into()),
    }
}

fn unreachable_target<T>() -> R<T> {
    Err(ParseError { line: 0, message: "The left side of an assignment must be a variable.".into() })
}

/// A string with nothing to expand is a plain string.
fn simplify(parts: Vec<Part>) -> Expr {
    match parts.as_slice() {
        [] => Expr::Str(String::new()),
        [Part::Text(t)] => Expr::Str(t.clone()),
        _ => Expr::Expand(parts),
    }
}

fn escape(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        'e' => '\u{1b}',
        'f' => '\u{c}',
        'v' => '\u{b}',
        other => other,
    }
}

/// `42`, `1.5`, `0x1F`, `10KB`, `3l`, `2d`: PowerShell's number literals.
pub fn number_value(w: &str) -> Option<Expr> {
    let lower = w.to_ascii_lowercase();
    let (body, mult) = [("kb", 1i64 << 10), ("mb", 1 << 20), ("gb", 1 << 30), ("tb", 1 << 40)]
        .into_iter()
        .find_map(|(s, m)| lower.strip_suffix(s).map(|b| (b.to_string(), m)))
        .unwrap_or((lower.clone(), 1));
    let body = body.strip_suffix('l').map(str::to_string).unwrap_or(body);
    if let Some(hex) = body.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(|n| Expr::Int(n.saturating_mul(mult)));
    }
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    if let Ok(n) = body.parse::<i64>() {
        return Some(Expr::Int(n.saturating_mul(mult)));
    }
    let body = body.strip_suffix('d').unwrap_or(&body);
    body.parse::<f64>().ok().filter(|f| f.is_finite()).map(|f| {
        let v = f * mult as f64;
        Expr::Dbl(v)
    })
}
