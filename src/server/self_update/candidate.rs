//! Checking a candidate binary before anything is touched: it exists, is an executable file,
//! matches the checksum when one is given, and answers `--version` with a version in time.

use crate::server::error::ApiError;
use axum::http::StatusCode;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long the candidate's `--version` may take.
pub const VERSION_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    pub version: String,
    pub sha256: String,
}

fn refused(code: &'static str, message: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

/// Parses a hex SHA-256 as given by a person (any case, surrounding blanks).
pub fn parse_sha256(given: &str) -> Result<String, ApiError> {
    let hex = given.trim().to_ascii_lowercase();
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ApiError::bad_request(format!(
            "sha256 must be 64 hex digits (as printed by `sha256sum`), got {} characters",
            hex.len()
        )));
    }
    Ok(hex)
}

pub async fn validate(binary: &str, expected_sha256: Option<&str>) -> Result<Candidate, ApiError> {
    let expected = expected_sha256.map(parse_sha256).transpose()?;
    let path = PathBuf::from(binary);
    if !path.is_absolute() {
        return Err(ApiError::bad_request(format!(
            "the binary path must be absolute (it is read on the coordinator's machine): {binary:?}"
        )));
    }
    let meta = std::fs::metadata(&path).map_err(|e| {
        refused(
            "candidate_not_found",
            format!("cannot read the candidate {binary}: {e}"),
        )
    })?;
    if !meta.is_file() {
        return Err(refused(
            "candidate_not_found",
            format!("the candidate {binary} is not a regular file"),
        ));
    }
    if !is_executable(&meta) {
        return Err(refused(
            "candidate_not_executable",
            format!("the candidate {binary} is not executable: `chmod +x` it first"),
        ));
    }
    let sha256 = file_sha256(&path).await?;
    if let Some(expected) = expected
        && expected != sha256
    {
        return Err(refused(
            "checksum_mismatch",
            format!(
                "the candidate's SHA-256 is {sha256}, not the {expected} given: nothing was changed"
            ),
        ));
    }
    let version = ask_version(&path).await?;
    Ok(Candidate {
        path,
        version,
        sha256,
    })
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_meta: &std::fs::Metadata) -> bool {
    true
}

pub async fn file_sha256(path: &Path) -> Result<String, ApiError> {
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        use std::io::Read as _;
        let mut file = std::fs::File::open(&path)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        Ok::<_, std::io::Error>(hex::encode(hasher.finalize()))
    })
    .await
    .map_err(|e| ApiError::internal(format!("checksum task: {e}")))?
    .map_err(|e| {
        refused(
            "candidate_not_found",
            format!("cannot read the candidate: {e}"),
        )
    })
}

/// Runs `<candidate> --version` with an empty environment apart from PATH (and the test-only
/// version switch, see crate::version), killing it when it takes too long.
async fn ask_version(path: &Path) -> Result<String, ApiError> {
    let mut cmd = tokio::process::Command::new(path);
    cmd.arg("--version")
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    if let Ok(v) = std::env::var(crate::version::TRAILER_ENV) {
        cmd.env(crate::version::TRAILER_ENV, v);
    }
    let failed = |why: String| {
        refused(
            "candidate_version_failed",
            format!("`{} --version` {why}: nothing was changed", path.display()),
        )
    };
    let child = cmd
        .spawn()
        .map_err(|e| failed(format!("could not run ({e})")))?;
    let output = tokio::time::timeout(VERSION_TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| {
            failed(format!(
                "did not answer within {}s",
                VERSION_TIMEOUT.as_secs()
            ))
        })?
        .map_err(|e| failed(format!("failed ({e})")))?;
    if !output.status.success() {
        return Err(failed(format!("exited with {}", output.status)));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    parse_version(&stdout).ok_or_else(|| {
        failed(format!(
            "printed no version (expected `edgecoder X.Y.Z`, got {:?})",
            stdout.chars().take(80).collect::<String>()
        ))
    })
}

/// `edgecoder 1.2.3` → `1.2.3`.
pub fn parse_version(output: &str) -> Option<String> {
    let line = output.lines().next()?.trim();
    let version = line.strip_prefix("edgecoder ")?.trim();
    let sane =
        version.starts_with(|c: char| c.is_ascii_digit()) && crate::version::is_plausible(version);
    sane.then(|| version.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_from_the_first_line() {
        assert_eq!(parse_version("edgecoder 0.1.0\n").as_deref(), Some("0.1.0"));
        assert_eq!(
            parse_version("edgecoder 1.2.3-rc.1+abc\nmore").as_deref(),
            Some("1.2.3-rc.1+abc")
        );
        assert_eq!(parse_version("something 0.1.0"), None);
        assert_eq!(parse_version("edgecoder \n"), None);
        assert_eq!(parse_version("edgecoder latest"), None);
        assert_eq!(parse_version(""), None);
    }

    #[test]
    fn checksums_must_be_hex_of_the_right_length() {
        let good = "AB".repeat(32);
        assert_eq!(parse_sha256(&good).unwrap(), "ab".repeat(32));
        assert!(parse_sha256("abc").is_err());
        assert!(parse_sha256(&"zz".repeat(32)).is_err());
    }
}
