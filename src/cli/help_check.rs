//! Checks on the help the command line teaches with: every argument says what it is for, the
//! commands people type most show examples, and the options every command shares sit apart from the
//! command's own. A test here fails naming what is missing, so a new flag cannot ship silent.

/// The commands a person types often: each shows examples in its long help (`--help`).
pub const WITH_EXAMPLES: &[&str] = &[
    "serve",
    "agent",
    "enroll",
    "login",
    "status",
    "server tasks submit",
    "server tasks list",
    "server tasks show",
    "server tasks logs",
    "server tasks wait",
    "server code",
    "code",
    "server nodes list",
    "server nodes approve",
    "dash",
    "env set",
    "task list",
    "server jobs submit",
    "server jobs list",
];

/// Every visible argument without help text, as `command path --flag`.
pub fn arguments_without_help(cmd: &clap::Command, path: &str) -> Vec<String> {
    let mut missing = Vec::new();
    for arg in cmd.get_arguments() {
        let id = arg.get_id().as_str();
        if id == "help" || id == "version" || arg.is_hide_set() {
            continue;
        }
        if arg.get_help().is_none() && arg.get_long_help().is_none() {
            let name = arg
                .get_long()
                .map(|l| format!("--{l}"))
                .unwrap_or_else(|| format!("<{id}>"));
            missing.push(format!("{path} {name}"));
        }
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        missing.extend(arguments_without_help(
            sub,
            &format!("{path} {}", sub.get_name()),
        ));
    }
    missing
}

/// The command at `path` (space-separated subcommand names) below the root.
pub fn find<'a>(root: &'a clap::Command, path: &str) -> Option<&'a clap::Command> {
    path.split(' ')
        .try_fold(root, |cmd, name| cmd.find_subcommand(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::args::Cli;
    use clap::CommandFactory;

    #[test]
    fn every_argument_has_help() {
        let mut root = Cli::command();
        root.build();
        let missing = arguments_without_help(&root, "edgecoder");
        assert!(
            missing.is_empty(),
            "{} argument(s) without help text:\n{}",
            missing.len(),
            missing.join("\n")
        );
    }

    #[test]
    fn common_commands_show_examples() {
        let mut root = Cli::command();
        root.build();
        let mut missing = Vec::new();
        for path in WITH_EXAMPLES {
            match find(&root, path) {
                Some(cmd) => {
                    let text = cmd
                        .get_after_long_help()
                        .map(|h| h.to_string())
                        .unwrap_or_default();
                    if !text.contains("Examples:") || !text.contains("edgecoder ") {
                        missing.push(path.to_string());
                    }
                }
                None => missing.push(format!("{path} (no such command)")),
            }
        }
        assert!(
            missing.is_empty(),
            "no examples in the long help of: {missing:?}"
        );
    }

    #[test]
    fn shared_options_are_grouped_apart() {
        let mut root = Cli::command();
        root.build();
        for (path, flags, heading) in [
            (
                "server tasks list",
                &["server", "token", "config", "env-file"][..],
                "Global options",
            ),
            ("server tasks list", &["json", "jq"][..], "Output options"),
            ("status", &["config", "env-file"][..], "Global options"),
            ("status", &["json", "jq"][..], "Output options"),
            ("dash", &["server", "token"][..], "Global options"),
        ] {
            let cmd = find(&root, path).expect(path);
            for flag in flags {
                let arg = cmd
                    .get_arguments()
                    .find(|a| a.get_long() == Some(flag))
                    .unwrap_or_else(|| panic!("{path} has no --{flag}"));
                assert_eq!(arg.get_help_heading(), Some(heading), "{path} --{flag}");
            }
            let own = cmd
                .get_arguments()
                .filter(|a| a.get_help_heading().is_none() && !a.is_hide_set())
                .count();
            assert!(
                own > 0 || path == "status",
                "{path}: its own options lost their heading"
            );
        }
    }

    #[test]
    fn refused_modes_are_not_offered() {
        let mut root = Cli::command();
        let help = find(&root, "serve")
            .expect("serve")
            .clone()
            .render_long_help()
            .to_string();
        for shown in [
            "all-in-one",
            "coordinator",
            "worker",
            "inference",
            "ide-provider",
            "control-plane",
        ] {
            assert!(help.contains(shown), "{shown} missing from serve --help");
        }
        // Still parsed, so `serve` can refuse it with its own message.
        assert!(
            root.try_get_matches_from_mut(["edgecoder", "serve", "--mode", "ide-provider"])
                .is_ok()
        );
    }
}
