//! What makes the release page open without a network: after trunk, `dist/` gets the service
//! worker with the list of this build's files (name and SHA-256), and the web app manifest names
//! the icon trunk hashed. `web/sw.js` explains how the worker uses the list.

use std::path::Path;

use crate::csp::sha256;

/// Where the worker's template puts the list.
const SLOT: &str = "/*FILES*/[]";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The worker's source for these files (name, bytes), in name order.
pub fn worker_source(template: &str, files: &[(String, Vec<u8>)]) -> Result<String, String> {
    if !template.contains(SLOT) {
        return Err(format!("web/sw.js has no {SLOT} for the list of files"));
    }
    // The comments explain the source (web/sw.js); the served worker goes without them (and
    // without indentation).
    let template = crate::slim::slim(template).unwrap_or_else(|| template.to_string());
    let mut names: Vec<&(String, Vec<u8>)> = files.iter().filter(|(n, _)| n != "sw.js").collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    // A module fetched only when used (`dist::on_demand`) is marked: kept when first used, not
    // at install, so the first visit does not fetch it.
    let list: Vec<String> = names
        .iter()
        .map(|(name, bytes)| {
            let lazy = if crate::dist::on_demand(name) { ", true" } else { "" };
            format!("[{name:?}, {:?}{lazy}]", hex(&sha256(bytes)))
        })
        .collect();
    Ok(template.replacen(SLOT, &format!("[\n  {},\n]", list.join(",\n  ")), 1))
}

/// Writes `dist/sw.js` and names the hashed icon in `dist/manifest.webmanifest`.
pub fn write(dist: &Path) -> Result<(), String> {
    let read_dir = |d: &Path| std::fs::read_dir(d).map_err(|e| format!("{}: {e}", d.display()));
    let manifest = dist.join("manifest.webmanifest");
    let icon = read_dir(dist)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("favicon") && n.ends_with(".svg"))
        .ok_or("dist/ has no favicon")?;
    let text = std::fs::read_to_string(&manifest).map_err(|e| format!("dist/manifest.webmanifest: {e}"))?;
    std::fs::write(&manifest, text.replace("\"favicon.svg\"", &format!("{icon:?}")))
        .map_err(|e| format!("dist/manifest.webmanifest: {e}"))?;
    let mut files = Vec::new();
    for entry in read_dir(dist)?.flatten() {
        let path = entry.path();
        if path.is_file() {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            files.push((entry.file_name().to_string_lossy().into_owned(), bytes));
        }
    }
    let template_path = crate::util::root().join("web/sw.js");
    let template = std::fs::read_to_string(&template_path).map_err(|e| format!("web/sw.js: {e}"))?;
    std::fs::write(dist.join("sw.js"), worker_source(&template, &files)?).map_err(|e| format!("dist/sw.js: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_lists_every_file_but_itself_with_its_hash() {
        let files = vec![
            ("index.html".to_string(), b"abc".to_vec()),
            ("sw.js".to_string(), b"old worker".to_vec()),
            ("app.wasm".to_string(), Vec::new()),
            ("cmk_pwsh_worker.js".to_string(), Vec::new()),
        ];
        let source = worker_source("// a comment\nconst FILES = /*FILES*/[];", &files).expect("a slot");
        assert_eq!(
            source,
            "const FILES = [\n  [\"app.wasm\", \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"],\n  [\"cmk_pwsh_worker.js\", \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\", true],\n  [\"index.html\", \"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"],\n];\n"
        );
        assert!(worker_source("no slot", &files).is_err(), "a template without the slot is refused");
    }
}
