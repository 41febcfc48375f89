//! Masks a task's secret values in its output before it leaves the node, as CI systems do: each
//! occurrence becomes `***`.
//!
//! Output arrives in chunks, and a secret may straddle two of them, so the masker holds back the
//! end of a chunk while it could still be the start of a secret (at most the longest secret's
//! length less one byte) and releases it with the next chunk or at the end.

/// What replaces a secret value.
pub const MASK: &str = "***";
/// Shorter values are not masked: masking `1` or `ab` would shred ordinary output and reveal,
/// by the holes, what the value is.
pub const MIN_MASKED_LEN: usize = 4;

/// One stream's masker (stdout and stderr each have their own carry-over).
#[derive(Debug, Clone, Default)]
pub struct Masker {
    /// Longest first, so a secret that contains another is masked whole.
    secrets: Vec<String>,
    carry: String,
}

impl Masker {
    pub fn new<'a>(values: impl IntoIterator<Item = &'a String>) -> Masker {
        let mut secrets: Vec<String> = values
            .into_iter()
            .filter(|v| v.len() >= MIN_MASKED_LEN)
            .cloned()
            .collect();
        secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        secrets.dedup();
        Masker {
            secrets,
            carry: String::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// The masked text that is safe to send now; the rest waits for the next chunk.
    pub fn push(&mut self, text: &str) -> String {
        if self.secrets.is_empty() {
            return text.to_string();
        }
        let mut buf = std::mem::take(&mut self.carry);
        buf.push_str(text);
        let (out, rest) = self.scan(&buf, false);
        self.carry = buf[rest..].to_string();
        out
    }

    /// Everything held back, masked: the stream ended.
    pub fn finish(&mut self) -> String {
        let buf = std::mem::take(&mut self.carry);
        self.scan(&buf, true).0
    }

    /// Masks a whole text at once (a result tail). A tail that was cut from longer output may
    /// begin in the middle of a secret: with `cut`, such a leading fragment is masked too.
    pub fn mask_all(&self, text: &str, cut: bool) -> String {
        let mut start = 0;
        let mut out = String::new();
        if cut
            && let Some(len) = self
                .secrets
                .iter()
                .filter_map(|s| {
                    (1..s.len())
                        .filter(|&i| s.is_char_boundary(i))
                        .map(|i| &s[i..])
                        .find(|suffix| text.starts_with(suffix))
                        .map(str::len)
                })
                .max()
        {
            out.push_str(MASK);
            start = len;
        }
        out.push_str(&self.scan(&text[start..], true).0);
        out
    }

    /// Masks `buf` from the start; returns the masked text and where the held-back part begins
    /// (the end of `buf` when `at_end`).
    fn scan(&self, buf: &str, at_end: bool) -> (String, usize) {
        let mut out = String::with_capacity(buf.len());
        let mut i = 0;
        while i < buf.len() {
            let rest = &buf[i..];
            if let Some(secret) = self.secrets.iter().find(|s| rest.starts_with(s.as_str())) {
                out.push_str(MASK);
                i += secret.len();
                continue;
            }
            if !at_end
                && self
                    .secrets
                    .iter()
                    .any(|s| s.len() > rest.len() && s.starts_with(rest))
            {
                return (out, i);
            }
            let step = rest.chars().next().map_or(1, char::len_utf8);
            out.push_str(&rest[..step]);
            i += step;
        }
        (out, buf.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masker(values: &[&str]) -> Masker {
        let owned: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        Masker::new(owned.iter())
    }

    #[test]
    fn every_occurrence_is_masked_and_short_values_are_not() {
        let mut m = masker(&["s3cr3t", "ab"]);
        let mut out = m.push("token=s3cr3t; again s3cr3ts3cr3t ab\n");
        out.push_str(&m.finish());
        assert_eq!(out, "token=***; again ****** ab\n");
    }

    #[test]
    fn a_secret_split_across_chunks_at_every_point_is_masked() {
        let text = "before hunter2-long-value after, hunter2-long-value";
        for chunk in 1..text.len() {
            let mut m = masker(&["hunter2-long-value"]);
            let mut out = String::new();
            let bytes = text.as_bytes();
            for part in bytes.chunks(chunk) {
                out.push_str(&m.push(std::str::from_utf8(part).expect("ascii")));
            }
            out.push_str(&m.finish());
            assert_eq!(out, "before *** after, ***", "chunk size {chunk}");
        }
    }

    #[test]
    fn a_held_back_prefix_that_is_not_a_secret_comes_out_whole() {
        let mut m = masker(&["password"]);
        let first = m.push("pass");
        assert_eq!(first, "");
        let second = m.push("port ok\n");
        assert_eq!(format!("{first}{second}{}", m.finish()), "passport ok\n");
        let mut m = masker(&["password"]);
        assert_eq!(
            format!("{}{}", m.push("the end: pas"), m.finish()),
            "the end: pas"
        );
    }

    #[test]
    fn the_longer_of_overlapping_secrets_wins_and_unicode_survives() {
        let mut m = masker(&["abcd", "abcdefgh", "clé-secrète"]);
        let out = format!(
            "{}{}",
            m.push("xabcdefghy abcdz é clé-secrète!"),
            m.finish()
        );
        assert_eq!(out, "x***y ***z é ***!");
    }

    #[test]
    fn a_cut_tail_that_starts_inside_a_secret_is_masked() {
        let m = masker(&["0123456789"]);
        assert_eq!(m.mask_all("6789 then 0123456789", true), "*** then ***");
        assert_eq!(m.mask_all("6789 then", false), "6789 then");
    }
}
