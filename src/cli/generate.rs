//! `edgecoder completions` and `edgecoder man`: generated from the clap definitions, so they
//! cannot drift from the commands. The copies checked in under completions/ and man/ are made
//! with `--dir`, and a test fails when they differ from what the binary generates.

use super::args::{Cli, CompletionsArgs, ManArgs};
use super::exit::{CliError, OK};
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;
use std::path::Path;

const BIN: &str = "edgecoder";

/// Every shell, with the file name its completion script is installed under.
const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "edgecoder.bash"),
    (Shell::Zsh, "_edgecoder"),
    (Shell::Fish, "edgecoder.fish"),
    (Shell::PowerShell, "_edgecoder.ps1"),
    (Shell::Elvish, "edgecoder.elv"),
];

pub fn completions(args: CompletionsArgs) -> Result<u8, CliError> {
    match (args.shell, &args.dir) {
        (Some(shell), None) => {
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), BIN, &mut out);
            out.flush()?;
        }
        (shell, Some(dir)) => {
            create_dir(dir)?;
            for (s, file) in SHELLS {
                if shell.is_none_or(|wanted| wanted == s) {
                    let mut buf = Vec::new();
                    clap_complete::generate(s, &mut Cli::command(), BIN, &mut buf);
                    write(&dir.join(file), &buf)?;
                }
            }
        }
        (None, None) => {
            return Err(CliError::usage(
                "name a shell (bash, zsh, fish, powershell, elvish), e.g. \
                 `edgecoder completions bash > /etc/bash_completion.d/edgecoder`, or give --dir",
            ));
        }
    }
    Ok(OK)
}

pub fn man(args: ManArgs) -> Result<u8, CliError> {
    let cmd = Cli::command();
    match &args.dir {
        None => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut buf)?;
            std::io::stdout().lock().write_all(&buf)?;
        }
        Some(dir) => {
            create_dir(dir)?;
            write_pages(cmd, BIN, dir)?;
        }
    }
    Ok(OK)
}

/// One page per command: `edgecoder.1`, `edgecoder-server.1`, `edgecoder-server-tasks.1`, …
fn write_pages(cmd: clap::Command, name: &str, dir: &Path) -> Result<(), CliError> {
    let cmd = cmd.name(name.to_string()).bin_name(name.replace('-', " "));
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    write(&dir.join(format!("{name}.1")), &buf)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub.clone(), &format!("{name}-{}", sub.get_name()), dir)?;
    }
    Ok(())
}

fn create_dir(dir: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::error(format!("cannot create {}: {e}", dir.display())))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes)
        .map_err(|e| CliError::error(format!("cannot write {}: {e}", path.display())))
}
