//! `edgecoder login` and `logout`: keep an API token per coordinator for later commands, in the
//! OS keyring where one answers, else in a 0600 file (`cli::logins`); both say which.

use super::exit::{CliError, OK};
use super::remote::{self, TokenSource, logins};
use super::server_args::{LoginArgs, LogoutArgs};
use crate::secret_store::Place;
use std::io::{BufRead, IsTerminal, Write};

pub fn login(args: LoginArgs) -> Result<u8, CliError> {
    let mut remote_args = args.remote.clone();
    if remote_args
        .token
        .as_deref()
        .is_none_or(|t| t.trim().is_empty())
    {
        remote_args.token = Some(read_token_from_stdin()?);
    }
    let remote = remote::connect(&remote_args)?;
    debug_assert!(matches!(
        remote.token_source,
        TokenSource::Flag | TokenSource::Env
    ));
    let rt = super::runtime()?;
    let who = rt
        .block_on(remote.client.whoami())
        .map_err(|e| remote.error(e))?;
    let token = remote_args.token.unwrap_or_default();
    let (place, why_not_keyring) = logins::store(&remote.url, token.trim())?;
    println!(
        "logged in to {} as {:?} ({}); token stored in {}",
        remote.url,
        who.name,
        who.role.as_str(),
        place.describe()
    );
    if let (Place::File(_), Some(why)) = (&place, why_not_keyring) {
        println!("  (not in the OS keyring: {why})");
    }
    Ok(OK)
}

pub fn logout(args: LogoutArgs) -> Result<u8, CliError> {
    let url = if args.all {
        None
    } else {
        Some(remote::resolve_url(&args.remote)?)
    };
    let removed = logins::remove(url.as_deref())?;
    match (&url, removed.forgotten.is_empty()) {
        (None, false) => println!("forgot every stored token"),
        (None, true) => println!("no tokens were stored"),
        (Some(url), false) => println!("forgot the token for {url}"),
        (Some(url), true) => println!("no token was stored for {url}"),
    }
    for (url, why) in &removed.left_in_keyring {
        eprintln!(
            "warning: the token for {url} may still be in the OS keyring ({why}): remove the \
             entry `login:{url}` of service `{}` with your keyring's own tool",
            crate::secret_store::SERVICE
        );
    }
    Ok(OK)
}

/// The token from a terminal (not echoed) or from piped stdin (one line, for scripts).
fn read_token_from_stdin() -> Result<String, CliError> {
    let stdin = std::io::stdin();
    let line = if stdin.is_terminal() {
        let _ = std::io::stderr().flush();
        rpassword::prompt_password("API token (not shown): ")
            .map_err(|e| CliError::error(format!("cannot read the token from the terminal: {e}")))?
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::error(format!("cannot read the token from stdin: {e}")))?;
        line
    };
    let token = line.trim().to_string();
    if token.is_empty() {
        return Err(CliError::usage(
            "no token given: pass it on stdin (`edgecoder login < token-file`), with --token, \
             or in EDGECODER_TOKEN",
        ));
    }
    Ok(token)
}
