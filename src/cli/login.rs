//! `edgecoder login` and `logout`: keep an API token per coordinator for later commands.

use super::exit::{CliError, OK};
use super::remote::{self, TokenSource, logins};
use super::server_args::{LoginArgs, LogoutArgs};
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
    debug_assert_eq!(remote.token_source, TokenSource::Flag);
    let rt = super::runtime()?;
    let who = rt
        .block_on(remote.client.whoami())
        .map_err(|e| remote.error(e))?;
    let token = remote_args.token.unwrap_or_default();
    let path = logins::store(&remote.url, token.trim())?;
    println!(
        "logged in to {} as {:?} ({}); token stored in {} (a 0600 file: no OS keyring is used)",
        remote.url,
        who.name,
        who.role.as_str(),
        path.display()
    );
    Ok(OK)
}

pub fn logout(args: LogoutArgs) -> Result<u8, CliError> {
    if args.all {
        let had = logins::remove(None)?;
        println!(
            "{}",
            if had {
                "forgot every stored token"
            } else {
                "no tokens were stored"
            }
        );
        return Ok(OK);
    }
    let url = remote::resolve_url(&args.remote)?;
    if logins::remove(Some(&url))? {
        println!("forgot the token for {url}");
    } else {
        println!("no token was stored for {url}");
    }
    Ok(OK)
}

fn read_token_from_stdin() -> Result<String, CliError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("API token: ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::error(format!("cannot read the token from stdin: {e}")))?;
    let token = line.trim().to_string();
    if token.is_empty() {
        return Err(CliError::usage(
            "no token given: pass it on stdin (`edgecoder login < token-file`), with --token, \
             or in EDGECODER_TOKEN",
        ));
    }
    Ok(token)
}
