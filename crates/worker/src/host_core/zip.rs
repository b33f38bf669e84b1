//! Reading a .zip archive uploaded to the Cloud Shell's file store: its files, with their
//! folders, as text. What the real Cloud Shell's upload of a .zip followed by `unzip` gives.
//! Stored and deflated entries are read (what every zip tool writes by default); anything else
//! — encryption, ZIP64, a binary file, a path that climbs out of the home folder — refuses the
//! whole archive with the reason, so nothing is half-unpacked.

/// The files of the archive: normalized relative path and text, in the archive's order.
pub fn read(bytes: &[u8], max_file: usize) -> Result<Vec<(String, String)>, String> {
    let end = end_of_directory(bytes).ok_or("it is not a .zip archive (no end of central directory)")?;
    let count = u16_at(bytes, end + 10)? as usize;
    let mut at = u32_at(bytes, end + 16)? as usize;
    if count == 0xffff || at == 0xffff_ffff {
        return Err("it is a ZIP64 archive, which the playground does not read".into());
    }
    let mut files = Vec::new();
    for _ in 0..count {
        if u32_at(bytes, at)? != 0x0201_4b50 {
            return Err("its central directory is damaged".into());
        }
        let flags = u16_at(bytes, at + 8)?;
        let crc = u32_at(bytes, at + 16)?;
        let method = u16_at(bytes, at + 10)?;
        let packed = u32_at(bytes, at + 20)? as usize;
        let size = u32_at(bytes, at + 24)? as usize;
        let name_len = u16_at(bytes, at + 28)? as usize;
        let extra_len = u16_at(bytes, at + 30)? as usize;
        let comment_len = u16_at(bytes, at + 32)? as usize;
        let local = u32_at(bytes, at + 42)? as usize;
        let raw_name = slice(bytes, at + 46, name_len)?;
        at += 46 + name_len + extra_len + comment_len;
        let name = String::from_utf8_lossy(raw_name).replace('\\', "/");
        if name.ends_with('/') {
            continue; // a folder: its files carry it
        }
        let path = normalize(&name).ok_or_else(|| format!("'{name}' is not a path inside the home folder"))?;
        if flags & 1 != 0 {
            return Err(format!("'{name}' is encrypted"));
        }
        if size > max_file {
            return Err(format!("'{name}' has {size} bytes; a file may have at most {max_file}"));
        }
        if u32_at(bytes, local)? != 0x0403_4b50 {
            return Err(format!("the entry of '{name}' is damaged"));
        }
        let start = local + 30 + u16_at(bytes, local + 26)? as usize + u16_at(bytes, local + 28)? as usize;
        let data = slice(bytes, start, packed)?;
        let plain = match method {
            0 => data.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, max_file)
                .map_err(|_| format!("'{name}' could not be inflated (damaged, or larger than it says)"))?,
            m => return Err(format!("'{name}' uses compression method {m}; only stored and deflated files are read")),
        };
        if crc32(&plain) != crc {
            return Err(format!("'{name}' is damaged (its checksum does not match)"));
        }
        let text =
            String::from_utf8(plain).map_err(|_| format!("'{name}' is not text (the store keeps text files)"))?;
        files.push((path, text));
    }
    Ok(files)
}

/// A store path: relative, `/`-separated, no empty, `.` or `..` part (`./a/b` → `a/b`).
pub fn normalize(path: &str) -> Option<String> {
    let path = path.trim().trim_start_matches("~/");
    if path.starts_with('/') {
        return None;
    }
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    if parts.is_empty() || parts.contains(&"..") {
        return None;
    }
    Some(parts.join("/"))
}

/// CRC-32 (IEEE), as zip stores it for each file.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn end_of_directory(bytes: &[u8]) -> Option<usize> {
    let last = bytes.len().checked_sub(22)?;
    let first = last.saturating_sub(0xffff);
    (first..=last).rev().find(|&i| bytes[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
}

fn slice(bytes: &[u8], at: usize, len: usize) -> Result<&[u8], String> {
    at.checked_add(len).and_then(|end| bytes.get(at..end)).ok_or_else(|| "it is truncated".to_string())
}

fn u16_at(bytes: &[u8], at: usize) -> Result<u16, String> {
    slice(bytes, at, 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Result<u32, String> {
    slice(bytes, at, 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A zip written the way zip tools write one: a local header and data per file, then the
    /// central directory and its end record.
    pub fn archive(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let (mut out, mut central) = (Vec::new(), Vec::new());
        for (name, data, deflate) in entries {
            let packed = if *deflate { miniz_oxide::deflate::compress_to_vec(data, 6) } else { data.to_vec() };
            let method: u16 = if *deflate { 8 } else { 0 };
            let offset = out.len() as u32;
            let head = |sig: u32, central: bool| {
                let mut h = Vec::new();
                h.extend(sig.to_le_bytes());
                if central {
                    h.extend(20u16.to_le_bytes());
                }
                h.extend(20u16.to_le_bytes()); // version needed
                h.extend(0u16.to_le_bytes()); // flags
                h.extend(method.to_le_bytes());
                h.extend([0u8; 4]); // time, date
                h.extend(crc32(data).to_le_bytes());
                h.extend((packed.len() as u32).to_le_bytes());
                h.extend((data.len() as u32).to_le_bytes());
                h.extend((name.len() as u16).to_le_bytes());
                h.extend(0u16.to_le_bytes()); // extra
                if central {
                    h.extend([0u8; 6]); // comment, disk, internal attributes
                    h.extend(0u32.to_le_bytes()); // external attributes
                    h.extend(offset.to_le_bytes());
                }
                h.extend(name.as_bytes());
                h
            };
            out.extend(head(0x0403_4b50, false));
            out.extend(&packed);
            central.extend(head(0x0201_4b50, true));
        }
        let cd_offset = out.len() as u32;
        out.extend(&central);
        out.extend(0x0605_4b50u32.to_le_bytes());
        out.extend([0u8; 4]);
        out.extend((entries.len() as u16).to_le_bytes());
        out.extend((entries.len() as u16).to_le_bytes());
        out.extend((central.len() as u32).to_le_bytes());
        out.extend(cd_offset.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out
    }

    #[test]
    fn stored_and_deflated_files_come_out_with_their_folders() {
        let zip = archive(&[
            ("Cmk/", b"", false),
            ("Cmk/CreateCMKEnterprisePolicy.ps1", b"param($a)\nWrite-Host $a\n", true),
            ("./Common/common.ps1", b"function Get-X {}\n", false),
        ]);
        let files = read(&zip, 1000).expect("read");
        assert_eq!(
            files,
            [
                ("Cmk/CreateCMKEnterprisePolicy.ps1".to_string(), "param($a)\nWrite-Host $a\n".to_string()),
                ("Common/common.ps1".to_string(), "function Get-X {}\n".to_string()),
            ]
        );
    }

    #[test]
    fn a_bad_archive_is_refused_with_the_reason() {
        assert!(read(b"not a zip at all, just text", 1000).unwrap_err().contains("not a .zip archive"));
        let climbing = archive(&[("../etc/passwd", b"x", false)]);
        assert!(read(&climbing, 1000).unwrap_err().contains("not a path inside the home folder"));
        let binary = archive(&[("a.bin", &[0xff, 0xfe, 0x00], true)]);
        assert!(read(&binary, 1000).unwrap_err().contains("is not text"));
        let big = archive(&[("big.txt", &[b'a'; 2000], true)]);
        assert!(read(&big, 1000).unwrap_err().contains("at most 1000"));
        let zip = archive(&[("a.txt", b"hello", false)]);
        assert!(read(&zip[..zip.len() - 30], 1000).is_err(), "truncated");
        let mut flipped = zip.clone();
        flipped[30 + 5] = b'j'; // the stored text's first byte
        assert!(read(&flipped, 1000).unwrap_err().contains("checksum"));
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926, "the standard check value");
        assert_eq!(normalize("~/./a//b.json").as_deref(), Some("a/b.json"));
        assert_eq!(normalize("/etc/x"), None);
    }
}
