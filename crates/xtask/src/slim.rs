//! The page's own JavaScript (wasm-bindgen's glue, an ES module) without what only people
//! read: trunk minifies the workers' glue, CSS and HTML, but its minifier stops at the page's
//! `export default`, so that file kept its comments and indentation (a kilobyte gzipped on every
//! first visit). Dropped here: lines that are only a comment (`//`, or a `/* … */` block
//! begun at the line's start), leading indentation and blank lines — nothing inside a statement
//! changes. A file with a multi-line template string is left whole (its lines' spaces are text).
//! The `integrity` trunk wrote for the file is then written anew for the bytes served.

use std::path::Path;

/// `js` without comment-only lines, indentation and blank lines; `None` when that could change
/// what it means (a template string across lines).
pub fn slim(js: &str) -> Option<String> {
    // A template string or a string continued with `\` across lines: its line's spaces are text.
    if js.lines().any(|l| l.matches('`').count() % 2 == 1 || l.trim_end().ends_with('\\')) {
        return None;
    }
    let mut out = String::with_capacity(js.len());
    let mut in_block = false;
    for line in js.lines() {
        let t = line.trim();
        if in_block {
            match t.find("*/") {
                // Code after a comment's end, on its last line: not a shape this expects.
                Some(i) if i + 2 != t.len() => return None,
                Some(_) => in_block = false,
                None => {}
            }
            continue;
        }
        if t.starts_with("/*") {
            match t.find("*/") {
                Some(i) if i + 2 == t.len() => continue,
                // `/* … */ code`: the line stays as it is.
                Some(_) => {}
                None => {
                    in_block = true;
                    continue;
                }
            }
        }
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        out.push_str(t);
        out.push('\n');
    }
    Some(out)
}

/// Slims dist/'s `cmk-web-*.js` (and `offline.js`) and writes the new SHA-384 where index.html
/// names the old one.
pub fn page_script(dist: &Path) -> Result<(), String> {
    let index = dist.join("index.html");
    let mut html = std::fs::read_to_string(&index).map_err(|e| format!("dist/index.html: {e}"))?;
    let entries = std::fs::read_dir(dist).map_err(|e| format!("dist/: {e}"))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        // The page's glue, and the page's own small script that registers the service worker.
        if !((name.starts_with("cmk-web-") && name.ends_with(".js")) || name == "offline.js") {
            continue;
        }
        let path = entry.path();
        let text = std::fs::read_to_string(&path).map_err(|e| format!("dist/{name}: {e}"))?;
        let Some(slimmed) = slim(&text) else { continue };
        let sri = |bytes: &[u8]| format!("sha384-{}", crate::csp::base64(&crate::csp::sha384(bytes)));
        let (old, new) = (sri(text.as_bytes()), sri(slimmed.as_bytes()));
        if html.contains(&old) {
            html = html.replace(&old, &new);
        }
        std::fs::write(&path, slimmed).map_err(|e| format!("dist/{name}: {e}"))?;
    }
    std::fs::write(&index, html).map_err(|e| format!("dist/index.html: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_indentation_and_blank_lines_go_and_statements_stay() {
        let js = "/**\n * @param {string} a\n */\nexport function f(a) {\n    // why\n    const s = 'x // not a comment';\n\n    return a + s; /* kept */\n}\n/* one line */\nexport default f;\n";
        assert_eq!(
            slim(js).as_deref(),
            Some("export function f(a) {\nconst s = 'x // not a comment';\nreturn a + s; /* kept */\n}\nexport default f;\n")
        );
        // A template string across lines: its spaces are text, the file stays as it is.
        assert_eq!(slim("const t = `a\n    b`;\n"), None);
        assert_eq!(slim("/* a */ f();\n"), Some("/* a */ f();\n".into()));
        assert_eq!(slim("/*\n x */ f();\n"), None);
    }
}
