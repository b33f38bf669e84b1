//! A script of the Cloud Shell language as a PowerShell script (Export script › PowerShell):
//! PowerShell runs `az`, `pp` and `sim` as they are, so each line stays the same command;
//! `NAME=$(…)` becomes `$NAME = …`, `$NAME` stays, and every word PowerShell would read
//! differently (`@file`, a comma, brackets, braces) is quoted. `cmk-cli run FILE.ps1` replays the
//! result to the same world as the original script.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::lexer::{logical_lines, words, Piece, Word};

/// A word PowerShell reads as the same text when written bare (`1d` would be the number 1,
/// `2kb` 2048: a word that starts with a digit is bare only if it is all digits).
fn bare(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('@')
        && (!text.starts_with(|c: char| c.is_ascii_digit()) || text.chars().all(|c| c.is_ascii_digit()))
        && text.chars().all(|c| c.is_ascii_alphanumeric() || "_./:=%+-".contains(c))
}

fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Text inside a double-quoted PowerShell string.
fn in_double(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if matches!(c, '`' | '"' | '$') {
            out.push('`');
        }
        out.push(c);
    }
    out
}

fn word(w: &Word) -> Result<String, String> {
    match w.pieces.as_slice() {
        [] => Ok(String::from("''")),
        [Piece::Text(t)] if bare(t) => Ok(t.clone()),
        [Piece::Text(t)] => Ok(single_quoted(t)),
        [Piece::Var(v)] => Ok(format!("${v}")),
        [Piece::Command(inner)] => Ok(format!("$({})", line(inner)?)),
        pieces => {
            let mut out = String::from("\"");
            for p in pieces {
                match p {
                    Piece::Text(t) => out.push_str(&in_double(t)),
                    Piece::Var(v) => out.push_str(&format!("${{{v}}}")),
                    Piece::Command(inner) => out.push_str(&format!("$({})", line(inner)?)),
                }
            }
            out.push('"');
            Ok(out)
        }
    }
}

/// One logical line as a PowerShell statement.
fn line(text: &str) -> Result<String, String> {
    let ws = words(text)?;
    // NAME=value: a variable.
    if let Some(Piece::Text(t)) = ws.first().and_then(|w| w.pieces.first()) {
        if let Some((name, rest)) = t.split_once('=') {
            if super::lexer::valid_name(name) && ws.len() == 1 {
                let mut pieces = Vec::new();
                if !rest.is_empty() {
                    pieces.push(Piece::Text(rest.into()));
                }
                pieces.extend(ws[0].pieces[1..].iter().cloned());
                let value = match pieces.as_slice() {
                    [Piece::Command(inner)] => line(inner)?,
                    _ => word(&Word { pieces, quoted: true })?,
                };
                return Ok(format!("${name} = {value}"));
            }
        }
    }
    let parts: Result<Vec<String>, String> = ws.iter().map(word).collect();
    Ok(parts?.join(" "))
}

/// The script in PowerShell; a line the shell language cannot read stays, commented out.
pub fn to_powershell(script: &str) -> String {
    // Each comment where it stood, each command as one logical line.
    let mut result = String::new();
    let lines = logical_lines(script);
    let mut next = lines.iter().peekable();
    for (i, raw) in script.lines().enumerate() {
        let number = i + 1;
        if let Some(comment) = raw.trim_start().strip_prefix('#') {
            result.push_str(&format!("#{comment}\n"));
            continue;
        }
        if let Some(l) = next.peek().filter(|l| l.number == number) {
            match line(&l.text) {
                Ok(ps) => result.push_str(&ps),
                Err(e) => result.push_str(&format!("# (not converted: {e}) {}", l.text)),
            }
            result.push('\n');
            next.next();
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_powershell_that_means_the_same() {
        let script = "# set up\nsim seed 1\nKV=$(az keyvault show --name kv --query id -o tsv)\naz role assignment create --assignee $ME --role \"Key Vault Crypto Officer\" --scope $KV\naz keyvault key rotation-policy update --vault-name kv --name cmk --value @policy.json\naz group list --query [].name -o tsv\nsim clock advance 1d\naz deployment group create \\\n    --resource-group rg --template-file t.json\necho \"id: $KV.\"\nNAME=plain";
        assert_eq!(
            to_powershell(script),
            "# set up\nsim seed 1\n$KV = az keyvault show --name kv --query id -o tsv\naz role assignment create --assignee $ME --role 'Key Vault Crypto Officer' --scope $KV\naz keyvault key rotation-policy update --vault-name kv --name cmk --value '@policy.json'\naz group list --query '[].name' -o tsv\nsim clock advance '1d'\naz deployment group create --resource-group rg --template-file t.json\necho \"id: ${KV}.\"\n$NAME = plain\n"
        );
    }
}
