//! Splitting scripts into logical lines and lines into words, shell style: `#` comments,
//! trailing `\` continuations, single and double quotes, `$NAME`, `${NAME}` and `$(command)`.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// A logical line: its text and the number of its first physical line (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub number: usize,
    pub text: String,
}

/// Joins `\`-continued lines and drops blank lines and whole-line comments.
pub fn logical_lines(script: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (i, raw) in script.lines().enumerate() {
        let raw = raw.trim_end_matches('\r');
        let raw = if current.is_empty() {
            start = i + 1;
            raw
        } else {
            raw.trim_start()
        };
        match raw.strip_suffix('\\') {
            Some(head) if !head.ends_with('\\') => {
                current.push_str(head.trim_end());
                current.push(' ');
            }
            _ => {
                current.push_str(raw);
                let text = strip_comment(&current).trim().to_string();
                if !text.is_empty() {
                    out.push(Line { number: start, text });
                }
                current.clear();
            }
        }
    }
    let text = strip_comment(&current).trim().to_string();
    if !text.is_empty() {
        out.push(Line { number: start, text });
    }
    out
}

/// Removes a `#` comment that starts a word outside quotes.
fn strip_comment(line: &str) -> &str {
    let (mut single, mut double, mut prev_space) = (false, false, true);
    for (i, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double && prev_space => return &line[..i],
            _ => {}
        }
        prev_space = c.is_whitespace();
    }
    line
}

/// One piece of a word before expansion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Var(String),
    Command(String),
}

/// A word: pieces to expand and concatenate. `quoted` words never vanish when empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub pieces: Vec<Piece>,
    pub quoted: bool,
}

/// Splits a line into words. Errors name what is unbalanced.
pub fn words(line: &str) -> Result<Vec<Word>, String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let mut word = Word { pieces: Vec::new(), quoted: false };
        let mut text = String::new();
        while i < chars.len() && !chars[i].is_whitespace() {
            match chars[i] {
                '\'' => {
                    word.quoted = true;
                    let end =
                        chars[i + 1..].iter().position(|c| *c == '\'').ok_or("a single quote (') is not closed")?;
                    text.extend(&chars[i + 1..i + 1 + end]);
                    i += end + 2;
                }
                '"' => {
                    word.quoted = true;
                    i += 1;
                    loop {
                        let Some(&c) = chars.get(i) else { return Err("a double quote (\") is not closed".into()) };
                        match c {
                            '"' => {
                                i += 1;
                                break;
                            }
                            '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                                text.push(chars[i + 1]);
                                i += 2;
                            }
                            '$' => i = dollar(&chars, i, &mut text, &mut word)?,
                            _ => {
                                text.push(c);
                                i += 1;
                            }
                        }
                    }
                }
                '\\' if i + 1 < chars.len() => {
                    text.push(chars[i + 1]);
                    i += 2;
                }
                '$' => i = dollar(&chars, i, &mut text, &mut word)?,
                c => {
                    text.push(c);
                    i += 1;
                }
            }
        }
        if !text.is_empty() {
            word.pieces.push(Piece::Text(text));
        }
        out.push(word);
    }
    Ok(out)
}

/// Reads `$NAME`, `${NAME}` or `$(…)` at `i`; returns the index after it.
fn dollar(chars: &[char], i: usize, text: &mut String, word: &mut Word) -> Result<usize, String> {
    let flush = |text: &mut String, word: &mut Word| {
        if !text.is_empty() {
            word.pieces.push(Piece::Text(core::mem::take(text)));
        }
    };
    match chars.get(i + 1) {
        Some('(') => {
            let (mut depth, mut j, mut single, mut double) = (1usize, i + 2, false, false);
            while j < chars.len() {
                match chars[j] {
                    '\'' if !double => single = !single,
                    '"' if !single => double = !double,
                    '(' if !single && !double => depth += 1,
                    ')' if !single && !double => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            if depth != 0 {
                return Err("a command substitution $( … ) is not closed".into());
            }
            flush(text, word);
            word.pieces.push(Piece::Command(chars[i + 2..j].iter().collect()));
            Ok(j + 1)
        }
        Some('{') => {
            let end = chars[i + 2..].iter().position(|c| *c == '}').ok_or("a ${ … } is not closed")?;
            let name: String = chars[i + 2..i + 2 + end].iter().collect();
            if !valid_name(&name) {
                return Err(format!("'${{{name}}}' is not a variable name"));
            }
            flush(text, word);
            word.pieces.push(Piece::Var(name));
            Ok(i + 3 + end)
        }
        Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            flush(text, word);
            word.pieces.push(Piece::Var(chars[i + 1..j].iter().collect()));
            Ok(j)
        }
        _ => {
            text.push('$');
            Ok(i + 1)
        }
    }
}

pub fn valid_name(name: &str) -> bool {
    let mut c = name.chars();
    c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_') && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn texts(line: &str) -> Vec<Vec<Piece>> {
        words(line).expect("words").into_iter().map(|w| w.pieces).collect()
    }

    #[test]
    fn continuations_comments_and_blank_lines() {
        let lines = logical_lines("# header\n\naz group create \\\n  --name rg   # trailing\necho '#not a comment'\n");
        assert_eq!(
            lines,
            vec![
                Line { number: 3, text: "az group create --name rg".into() },
                Line { number: 5, text: "echo '#not a comment'".into() },
            ]
        );
    }

    #[test]
    fn quotes_variables_and_substitutions() {
        assert_eq!(
            texts("a 'b c' \"d e\""),
            vec![vec![Piece::Text("a".into())], vec![Piece::Text("b c".into())], vec![Piece::Text("d e".into())]]
        );
        assert_eq!(
            texts("--x $KV/keys"),
            vec![vec![Piece::Text("--x".into())], vec![Piece::Var("KV".into()), Piece::Text("/keys".into())]]
        );
        assert_eq!(
            texts("\"${A}-$B\""),
            vec![vec![Piece::Var("A".into()), Piece::Text("-".into()), Piece::Var("B".into())]]
        );
        assert_eq!(
            texts("P=$(az x --q 'a)b')"),
            vec![vec![Piece::Text("P=".into()), Piece::Command("az x --q 'a)b'".into())]]
        );
        assert_eq!(
            texts("'$NOT' cost=5$"),
            vec![vec![Piece::Text("$NOT".into())], vec![Piece::Text("cost=5$".into())]]
        );
        for bad in ["'open", "\"open", "$(az", "${X"] {
            assert!(words(bad).is_err(), "{bad}");
        }
    }
}
