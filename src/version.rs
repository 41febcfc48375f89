//! The version this binary reports (`--version`, `/health`, `/api/v1/status`).
//!
//! It is the crate version, with one test-only exception: self-update tests need a second binary
//! that reports another version, and building one takes minutes. So when
//! `EDGECODER_TEST_VERSION_TRAILER=1` is set, a binary whose file ends with
//! `\nEDGECODER-TEST-VERSION:<version>\n` reports that version instead. Without the variable the
//! trailer is ignored, and a binary without the trailer reports its crate version either way, so
//! the variable cannot make a released binary lie about itself. See docs/decisions.md.

use std::io::{Read, Seek, SeekFrom};
use std::sync::OnceLock;

pub const TRAILER_ENV: &str = "EDGECODER_TEST_VERSION_TRAILER";
pub const TRAILER_PREFIX: &str = "\nEDGECODER-TEST-VERSION:";

pub fn current() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        if std::env::var(TRAILER_ENV).is_ok_and(|v| v == "1")
            && let Some(v) = trailer_of_own_file()
        {
            return v;
        }
        env!("CARGO_PKG_VERSION").to_string()
    })
}

/// The trailer a test appends to a copy of the binary to make it report `version`.
pub fn trailer(version: &str) -> String {
    format!("{TRAILER_PREFIX}{version}\n")
}

fn trailer_of_own_file() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let mut file = std::fs::File::open(exe).ok()?;
    let len = file.metadata().ok()?.len();
    let tail_len = len.min(128);
    file.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = Vec::with_capacity(tail_len as usize);
    file.read_to_end(&mut tail).ok()?;
    parse_trailer(&tail)
}

fn parse_trailer(tail: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(tail.get(tail.iter().rposition(|b| *b == 0)? + 1..)?).ok()?;
    let version = text.strip_prefix(TRAILER_PREFIX)?.strip_suffix('\n')?;
    is_plausible(version).then(|| version.to_string())
}

/// A version string worth believing: short, and only the characters semver uses.
pub fn is_plausible(version: &str) -> bool {
    !version.is_empty()
        && version.len() <= 40
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailer_after_binary_bytes_is_read() {
        let mut file = vec![0x7f, b'E', b'L', b'F', 0, 1, 2, 0];
        file.extend_from_slice(trailer("9.9.9-test").as_bytes());
        assert_eq!(parse_trailer(&file).as_deref(), Some("9.9.9-test"));
    }

    #[test]
    fn no_trailer_or_a_bad_one_is_ignored() {
        assert_eq!(parse_trailer(b"\x7fELF\0\0plain binary end"), None);
        let mut file = vec![0u8];
        file.extend_from_slice(trailer("1.0; rm -rf /").as_bytes());
        assert_eq!(parse_trailer(&file), None);
    }
}
