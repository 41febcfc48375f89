//! `server tokens …`.

use super::Ctx;
use crate::api::{Role, TokenCreateRequest, TokenInfo, TokenKind};
use crate::cli::exit::{CliError, OK};
use crate::cli::output::{Table, Tone, age, print_json};
use crate::cli::parse;
use crate::cli::server_args::{TokenCreateArgs, TokensCommand};

pub fn run(ctx: &Ctx, cmd: TokensCommand) -> Result<u8, CliError> {
    let client = &ctx.remote.client;
    match cmd {
        TokensCommand::Create(args) => {
            let req = request(&args)?;
            let created = ctx.call(client.create_token(&req))?;
            if ctx.json {
                print_json(&created)?;
            } else {
                println!("{}", created.token);
                eprintln!(
                    "token {} ({}) created: the secret above is shown once and not stored",
                    created.info.id,
                    describe(&created.info)
                );
            }
        }
        TokensCommand::List => {
            let tokens = ctx.get(|| client.tokens())?;
            if ctx.json {
                print_json(&tokens)?;
            } else {
                print!("{}", table(&tokens, ctx.colour));
            }
        }
        TokensCommand::Revoke { id } => {
            let info = ctx.call(client.revoke_token(&id))?;
            if ctx.json {
                print_json(&info)?;
            } else {
                println!("token {} revoked", info.id);
            }
        }
    }
    Ok(OK)
}

fn request(args: &TokenCreateArgs) -> Result<TokenCreateRequest, CliError> {
    let kind = match args.kind.as_str() {
        "api" => TokenKind::Api,
        "enroll" => TokenKind::Enroll,
        other => {
            return Err(CliError::usage(format!(
                "--kind {other:?} is not a token kind: use api or enroll"
            )));
        }
    };
    let role = args
        .role
        .as_deref()
        .map(|r| {
            Role::parse(r).ok_or_else(|| {
                CliError::usage(format!(
                    "--role {r:?} is not a role: use user, owner or admin"
                ))
            })
        })
        .transpose()?;
    let expires_in_secs = args
        .expires_in
        .as_deref()
        .map(|d| parse::duration("--expires-in", d).map(|d| d.as_secs().max(1)))
        .transpose()?;
    Ok(TokenCreateRequest {
        kind: Some(kind),
        role,
        name: args.name.clone(),
        expires_in_secs,
        uses: args.uses,
        auto_approve: args.auto_approve,
    })
}

fn describe(t: &TokenInfo) -> String {
    match t.kind {
        TokenKind::Api => format!("api, {}", t.role.map(Role::as_str).unwrap_or("user")),
        TokenKind::Enroll => format!(
            "enroll, {} use(s) left{}",
            t.uses_left
                .map(|u| u.to_string())
                .unwrap_or_else(|| "unlimited".into()),
            if t.auto_approve { ", auto-approve" } else { "" }
        ),
    }
}

fn table(tokens: &[TokenInfo], colour: bool) -> String {
    let now = crate::api::now_ms();
    let mut t = Table::new(&["ID", "NAME", "KIND", "CREATED", "EXPIRES", "STATUS"]);
    for tok in tokens {
        let (status, tone) = if tok.revoked_at.is_some() {
            ("revoked", Tone::Dim)
        } else if tok.expires_at.is_some_and(|e| e <= now) {
            ("expired", Tone::Dim)
        } else {
            ("active", Tone::Good)
        };
        t.row(vec![
            (tok.id.clone(), Tone::Plain),
            (tok.name.clone(), Tone::Plain),
            (describe(tok), Tone::Plain),
            (format!("{} ago", age(tok.created_at, now)), Tone::Plain),
            (
                tok.expires_at
                    .map(|e| {
                        if e > now {
                            format!("in {}", age(now, e))
                        } else {
                            format!("{} ago", age(e, now))
                        }
                    })
                    .unwrap_or_else(|| "never".into()),
                Tone::Plain,
            ),
            (status.to_string(), tone),
        ]);
    }
    t.render(colour)
}
