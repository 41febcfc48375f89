//! `edgecoder auth status` (`whoami`): who this machine is to a coordinator, and where the token
//! it would send comes from (a flag, the environment, the OS keyring or the login file), so a
//! person can tell which credential a command will use before it is refused.

use super::auth_args::{AuthArgs, AuthCommand, AuthStatusArgs};
use super::exit::{CliError, OK, UNAUTHORISED};
use super::output::print_json;
use super::remote::{self, TokenSource, logins};
use serde::Serialize;

pub fn run(args: AuthArgs) -> Result<u8, CliError> {
    match args.command {
        AuthCommand::Status(a) => status(a),
    }
}

/// The `--json` shape (docs/json-output.md).
#[derive(Debug, Serialize)]
struct AuthStatus {
    coordinator: String,
    logged_in: bool,
    token_id: Option<String>,
    name: Option<String>,
    role: Option<String>,
    /// flag, env, keyring, file or none.
    token_source: &'static str,
    /// The login file, when the token is kept there.
    token_file: Option<String>,
}

fn status(args: AuthStatusArgs) -> Result<u8, CliError> {
    let remote = remote::connect(&args.remote)?;
    let mut report = AuthStatus {
        coordinator: remote.url.clone(),
        logged_in: false,
        token_id: None,
        name: None,
        role: None,
        token_source: remote.token_source.as_str(),
        token_file: (remote.token_source == TokenSource::File)
            .then(|| logins::path().display().to_string()),
    };
    if remote.token_source == TokenSource::None {
        if args.json {
            print_json(&report)?;
        }
        let message = match &remote.stored_token_problem {
            Some(problem) => format!("not logged in to {}: {problem}", remote.url),
            None => format!(
                "not logged in to {}: run `edgecoder login --server {}` (or set \
                 EDGECODER_TOKEN)",
                remote.url, remote.url
            ),
        };
        return Err(CliError::new(UNAUTHORISED, message));
    }
    let rt = super::runtime()?;
    let who = rt
        .block_on(remote.client.whoami())
        .map_err(|e| remote.error(e))?;
    report.logged_in = true;
    report.token_id = Some(who.token_id.clone());
    report.name = Some(who.name.clone());
    report.role = Some(who.role.as_str().to_string());
    if args.json {
        print_json(&report)?;
        return Ok(OK);
    }
    println!("coordinator: {}", report.coordinator);
    println!(
        "identity:    {:?} (token {}), role {}",
        who.name,
        who.token_id,
        who.role.as_str()
    );
    println!("token from:  {}", source_words(remote.token_source));
    Ok(OK)
}

fn source_words(source: TokenSource) -> String {
    match source {
        TokenSource::Flag => "the --token flag".into(),
        TokenSource::Env => "the EDGECODER_TOKEN variable".into(),
        TokenSource::Keyring => format!(
            "the OS keyring ({}), stored by `edgecoder login`",
            crate::secret_store::backend_name()
        ),
        TokenSource::File => format!(
            "the login file {}, stored by `edgecoder login`",
            logins::path().display()
        ),
        TokenSource::None => "nowhere".into(),
    }
}
