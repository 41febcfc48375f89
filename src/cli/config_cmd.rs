//! `edgecoder config show`.

use super::args::ConfigCommand;
use super::common_args::discovery;
use super::exit::{CliError, OK};
use crate::config::envfile::{is_secret, shown};
use crate::config::{self, Resolved};
use serde_json::json;
use std::collections::BTreeMap;

pub fn run(cmd: ConfigCommand) -> Result<u8, CliError> {
    match cmd {
        ConfigCommand::Show {
            json,
            show_secrets,
            config,
            ..
        } => {
            let resolved = config::resolve(&BTreeMap::new(), &discovery(&config))?;
            if json {
                super::output::print_json(&render_json(&resolved, show_secrets))?;
            } else {
                print!("{}", render_table(&resolved, show_secrets));
            }
            Ok(OK)
        }
    }
}

fn render_json(resolved: &Resolved, show_secrets: bool) -> serde_json::Value {
    let settings: Vec<_> = resolved
        .all()
        .map(|(def, found)| {
            json!({
                "key": def.key,
                "env": def.env,
                "value": found.map(|(v, _)| shown(def.env, v, show_secrets)),
                "source": found.map(|(_, s)| s.to_string()),
                "secret": is_secret(def.env),
            })
        })
        .collect();
    let doc = json!({
        "config_file": resolved.config_file,
        "env_file": resolved.env_file,
        "env_file_exists": resolved.env_file_exists,
        "settings": settings,
    });
    doc
}

fn render_table(resolved: &Resolved, show_secrets: bool) -> String {
    let mut rows = vec![("KEY".to_string(), "VALUE".to_string(), "SOURCE".to_string())];
    for (def, found) in resolved.all() {
        let (value, source) = match found {
            Some((v, s)) => (shown(def.env, v, show_secrets), s.to_string()),
            None => ("-".to_string(), "unset".to_string()),
        };
        rows.push((format!("{} ({})", def.key, def.env), value, source));
    }
    let w0 = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let w1 = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    out.push_str(&format!(
        "config file: {}\nenv file:    {}{}\n\n",
        resolved
            .config_file
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "none found".into()),
        resolved.env_file.display(),
        if resolved.env_file_exists {
            ""
        } else {
            " (does not exist)"
        }
    ));
    for (k, v, s) in rows {
        let pad = w1.saturating_sub(v.chars().count());
        out.push_str(&format!("{k:<w0$}  {v}{}  {s}\n", " ".repeat(pad)));
    }
    out
}
