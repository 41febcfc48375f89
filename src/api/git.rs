//! What a git source may name. Checked by the CLI (a clear error before anything is sent) and
//! again by the worker before git sees it: a URL or ref starting with `-` would be read by git
//! as an option, the `ext::` transport runs commands, and a password in the URL would land in
//! logs and process listings (credentials go in a task secret instead).

/// A repository URL git may fetch: `https://`, `http://`, `ssh://`, `git://`, `file://` or
/// scp-like `user@host:path`, without credentials in it.
pub fn check_url(url: &str) -> Result<(), String> {
    if url.is_empty() || url.len() > 2048 {
        return Err("the git URL is empty or longer than 2048 bytes".into());
    }
    if url.starts_with('-') || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "{url:?} is not a git URL (no leading `-`, spaces or control characters)"
        ));
    }
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("https" | "http" | "ssh" | "git" | "file") => {}
        Some(other) => {
            return Err(format!(
                "git URL scheme {other}:// is not allowed: use https://, ssh://, git:// or file://"
            ));
        }
        None if url.contains("::") => {
            return Err(
                "git transports such as ext:: are not allowed: use https:// or ssh://".into(),
            );
        }
        None if url.contains(':') && url.contains('@') => {} // user@host:path
        None => {
            return Err(format!(
                "{url:?} is not a git URL: use https://host/repo.git, ssh://host/repo.git, \
                 git@host:repo.git or file:///path/repo.git"
            ));
        }
    }
    if let Some((_, rest)) = url.split_once("://") {
        let authority = rest.split('/').next().unwrap_or_default();
        if authority.contains('@') && authority.split('@').next().is_some_and(|u| u.contains(':')) {
            return Err(
                "the git URL holds a password: put the credentials in a task secret \
                 and name it with --git-secret"
                    .into(),
            );
        }
    }
    Ok(())
}

/// A branch, tag or commit: what `git fetch origin REV` accepts, never an option.
pub fn check_rev(rev: &str) -> Result<(), String> {
    let bad = rev.is_empty()
        || rev.len() > 256
        || rev.starts_with('-')
        || rev.contains("..")
        || rev.contains("@{")
        || rev.chars().any(|c| {
            c.is_control()
                || c.is_whitespace()
                || matches!(c, '~' | '^' | ':' | '?' | '*' | '[' | '\\')
        });
    if bad {
        return Err(format!(
            "{rev:?} is not a git ref: give a branch, tag or commit (no spaces, `..`, `~`, `^`, \
             `:` or leading `-`)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(check_url("https://github.com/a/b.git").is_ok());
        assert!(check_url("file:///tmp/x.git").is_ok());
        assert!(check_url("git@github.com:a/b.git").is_ok());
        assert!(check_url("ext::sh -c touch% /tmp/x").is_err());
        assert!(check_url("--upload-pack=x").is_err());
        assert!(check_url("https://me:pw@host/r.git").is_err());
        assert!(check_url("/tmp/x.git").is_err());
    }

    #[test]
    fn revs() {
        assert!(check_rev("main").is_ok());
        assert!(check_rev("v1.2.3").is_ok());
        assert!(check_rev("0123abcd").is_ok());
        assert!(check_rev("--output=x").is_err());
        assert!(check_rev("a..b").is_err());
        assert!(check_rev("").is_err());
    }
}
