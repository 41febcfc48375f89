# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_edgecoder_global_optspecs
    string join \n h/help V/version
end

function __fish_edgecoder_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_edgecoder_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_edgecoder_using_subcommand
    set -l cmd (__fish_edgecoder_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c edgecoder -n "__fish_edgecoder_needs_command" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "serve" -d 'Run the coordinator (and, by default, a local worker) until SIGINT/SIGTERM'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "agent" -d 'Run this machine as a worker node in the foreground (what the service runs)'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "enroll" -d 'Enroll this machine with a coordinator using an enrollment token'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "status" -d 'Show this node: enrolled, coordinator reachable, approved, where its files are'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "env" -d 'Read and edit the env file (comments, order and unknown keys are kept)'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "logs" -d 'Read the log files of `serve` and `agent` on this machine'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "db" -d 'The coordinator\'s database: which one, its schema version, migrations'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "config" -d 'Inspect the resolved configuration'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "server" -d 'Drive a running coordinator: status, nodes, tasks, queue, tokens, events'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "login" -d 'Check an API token against a coordinator and store it for later commands'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "logout" -d 'Forget the stored token of a coordinator'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "service" -d 'Install, remove or inspect the systemd unit (Linux) or launchd plist (macOS)'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "__update-guard" -d 'Watches a coordinator\'s self-update and rolls it back if needed (started by the coordinator itself)'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "ledger" -d 'Check a ledger export offline (`ledger verify --file export.jsonl`)'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "dash" -d 'A live terminal dashboard of a coordinator: queue, nodes, credits, events'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "task" -d 'Run commands on this machine with no coordinator, and read their records'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "code" -d 'Write code with this machine\'s own model, checked in the sandbox, with no coordinator (recorded as a local run; `--handoff` gives it to the swarm when it gives up)'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "gc" -d 'Delete old finished local runs (`edgecoder task`) and say what that freed'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "completions" -d 'Print a shell completion script (or write every shell\'s with --dir)'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "man" -d 'Print the man page (or write one page per command with --dir)'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "auth" -d 'Who you are to a coordinator and where your token comes from (`auth status`)'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "ide" -d 'Serve this machine\'s model (or the swarm\'s) to editors on a local OpenAI- and Ollama-compatible endpoint (`ide token` prints the key to give them)'
complete -c edgecoder -n "__fish_edgecoder_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand serve" -l host -d 'Address to listen on' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand serve" -l port -d 'Port to listen on; given explicitly it is tried once, else up to 100 ports from 4301 (4302 in inference mode)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand serve" -l data-dir -d 'Where the database, server.json and task working dirs live' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand serve" -l database -d 'Where the queue and ledger live: `sqlite` (default: edgecoder.db in the data dir), `sqlite:PATH`, or `postgres://user@host/db`, which several coordinators can share (EDGECODER_DATABASE_URL; the password may come from EDGECODER_DATABASE_PASSWORD_FILE)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand serve" -l mode -d 'What this process runs (EDGE_RUNTIME_MODE; default all-in-one)' -r -f -a "all-in-one\t'Coordinator plus a local worker in the same process'
coordinator\t'Coordinator only'
worker\t'Worker only (same as `edgecoder agent`)'
control-plane\t'The operator routes of a group of coordinators on one PostgreSQL database (approvals, tokens, blacklist, mode, audit, credits), scheduling nothing (port 4303)'
inference\t'The inference service the coordinator decomposes and escalates jobs with (port 4302)'
ide-provider\t'The IDE provider only (same as `edgecoder ide`; port 4304)'"
complete -c edgecoder -n "__fish_edgecoder_using_subcommand serve" -l retention-days -d 'Delete finished tasks, their logs and events this many days after they end; 0 keeps them forever (EDGECODER_RETENTION_DAYS, default 30)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand serve" -l log-level -d 'Log filter: error, warn, info, debug, trace (or a tracing directive)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand serve" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand serve" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand serve" -l no-local-worker -d 'Do not start the local worker in all-in-one mode'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand serve" -l free -d 'Turn pricing off: nothing is held, charged or granted (EDGECODER_PRICING=false)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand serve" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -l coordinator -d 'Coordinator URL (default: COORDINATOR_URL from the env file)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -l max-concurrent -d 'Tasks to run at once (default: MAX_CONCURRENT_TASKS, else the number of CPUs)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -l data-dir -d 'Where task working directories are made' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -l log-level -d 'Log filter: error, warn, info, debug, trace (or a tracing directive)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -l detect -d 'Print this machine\'s capabilities and exit'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -l json -d 'With --detect: machine-readable output'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -l keep-workdirs -d 'Keep each task\'s working directory after it ends (for debugging)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -l ephemeral -d 'Run one task, then exit (a clean one-job worker, as GitHub\'s `--ephemeral`): the node shows offline afterwards; the exit code is 0 whatever the task\'s outcome'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -f -a "pause" -d 'Stop this machine\'s agent taking new work, now and across its restarts, until `resume` or `--for` runs out (running tasks follow the host policy)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -f -a "resume" -d 'Lift the owner\'s pause'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and not __fish_seen_subcommand_from pause resume help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and __fish_seen_subcommand_from pause" -l for -d 'Resume by itself after this long, e.g. 2h (default: until `edgecoder agent resume`)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and __fish_seen_subcommand_from pause" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and __fish_seen_subcommand_from pause" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and __fish_seen_subcommand_from pause" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and __fish_seen_subcommand_from resume" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and __fish_seen_subcommand_from resume" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and __fish_seen_subcommand_from resume" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "pause" -d 'Stop this machine\'s agent taking new work, now and across its restarts, until `resume` or `--for` runs out (running tasks follow the host policy)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Lift the owner\'s pause'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand enroll" -l token -d 'The enrollment token; `-` reads it from stdin (keeps it out of the process list)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand enroll" -l token-file -d 'Read the enrollment token from a file' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand enroll" -l coordinator -d 'Coordinator URL (default: COORDINATOR_URL from the env file)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand enroll" -l name -d 'Name shown for this node (default: the hostname)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand enroll" -l label -d 'A label for scheduling, KEY=VALUE; repeatable' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand enroll" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand enroll" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand enroll" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand enroll" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand enroll" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand status" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand status" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand status" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand status" -l json -d 'Machine-readable output (see docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand status" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and not __fish_seen_subcommand_from list get set unset path edit help" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and not __fish_seen_subcommand_from list get set unset path edit help" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and not __fish_seen_subcommand_from list get set unset path edit help" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and not __fish_seen_subcommand_from list get set unset path edit help" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and not __fish_seen_subcommand_from list get set unset path edit help" -f -a "list" -d 'Print every KEY=value (secrets masked)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and not __fish_seen_subcommand_from list get set unset path edit help" -f -a "get" -d 'Print one value (exit 4 when unset)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and not __fish_seen_subcommand_from list get set unset path edit help" -f -a "set" -d 'Set a value (known keys are validated; unknown keys are kept with a warning)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and not __fish_seen_subcommand_from list get set unset path edit help" -f -a "unset" -d 'Remove a key'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and not __fish_seen_subcommand_from list get set unset path edit help" -f -a "path" -d 'Print the env file\'s path'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and not __fish_seen_subcommand_from list get set unset path edit help" -f -a "edit" -d 'Open the env file in $EDITOR; it is checked before it replaces the original'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and not __fish_seen_subcommand_from list get set unset path edit help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from list" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from list" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from list" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from list" -l show-secrets -d 'Print secrets instead of masking them'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable output (see docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from get" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from get" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from set" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from set" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from unset" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from unset" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from unset" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from path" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from path" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from edit" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from edit" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from edit" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "list" -d 'Print every KEY=value (secrets masked)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one value (exit 4 when unset)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set a value (known keys are validated; unknown keys are kept with a warning)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Remove a key'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the env file\'s path'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Open the env file in $EDITOR; it is checked before it replaces the original'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logs" -s n -l lines -d 'Print only the last N lines (default: all; 20 with --follow)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logs" -l since -d 'Only lines newer than this, e.g. 10m or 2h' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logs" -l level -d 'Only lines at this level or above: trace, debug, info, warn, error' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logs" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logs" -l log-dir -d 'Read logs from this directory instead of the configured one' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logs" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logs" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logs" -s f -l follow -d 'Keep printing new lines as they are written'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logs" -l json -d 'Print the raw JSON lines'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logs" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logs" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and not __fish_seen_subcommand_from status migrate copy help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and not __fish_seen_subcommand_from status migrate copy help" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and not __fish_seen_subcommand_from status migrate copy help" -f -a "status" -d 'Which database the coordinator uses, its schema version and the migrations pending'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and not __fish_seen_subcommand_from status migrate copy help" -f -a "migrate" -d 'Bring the schema up to date now (`serve` also does this when it starts; coordinators sharing a PostgreSQL database migrate it once between them)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and not __fish_seen_subcommand_from status migrate copy help" -f -a "copy" -d 'Copy every row of a coordinator\'s database into another, empty one (a SQLite coordinator onto PostgreSQL, say), in one transaction; stop the coordinator first'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and not __fish_seen_subcommand_from status migrate copy help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from status" -l database -d '`sqlite` (edgecoder.db in the data dir), `sqlite:PATH` or `postgres://user@host/db` (default: EDGECODER_DATABASE_URL, else sqlite)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from status" -l data-dir -d 'The coordinator\'s data dir (where a SQLite database lives)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from status" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from status" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from status" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from status" -l json -d 'Machine-readable output (see docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from migrate" -l database -d '`sqlite` (edgecoder.db in the data dir), `sqlite:PATH` or `postgres://user@host/db` (default: EDGECODER_DATABASE_URL, else sqlite)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from migrate" -l data-dir -d 'The coordinator\'s data dir (where a SQLite database lives)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from migrate" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from migrate" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from migrate" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from copy" -l from -d 'The database to read: `sqlite:PATH`, or `postgres://…`' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from copy" -l to -d 'The database to fill: `postgres://…` or `sqlite:PATH`; made and migrated if need be, and it must hold no data yet' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from copy" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from copy" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from copy" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from copy" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "status" -d 'Which database the coordinator uses, its schema version and the migrations pending'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'Bring the schema up to date now (`serve` also does this when it starts; coordinators sharing a PostgreSQL database migrate it once between them)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "copy" -d 'Copy every row of a coordinator\'s database into another, empty one (a SQLite coordinator onto PostgreSQL, say), in one transaction; stop the coordinator first'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand config; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand config; and not __fish_seen_subcommand_from show help" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Print every setting, its value, and where the value came from'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand config; and __fish_seen_subcommand_from show" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand config; and __fish_seen_subcommand_from show" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand config; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable output (see docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand config; and __fish_seen_subcommand_from show" -l show-secrets -d 'Print secrets instead of masking them'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print every setting, its value, and where the value came from'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -l json -d 'Machine-readable output (shapes in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "status" -d 'Coordinator version, uptime, mode, queue counts, nodes online/pending'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "nodes" -d 'List and manage worker nodes'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "tasks" -d 'Submit, list, follow and cancel tasks'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "queue" -d 'Queue counts by state and the backlog by requirements'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "tokens" -d 'Create, list and revoke API and enrollment tokens'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "events" -d 'Print the coordinator\'s live event stream (until Ctrl-C)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "blacklist" -d 'Refuse nodes by id or address: add, remove, list'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "audit" -d 'The record of admin and owner actions, newest first'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "mode" -d 'Show or set the network mode (enterprise_overlay or public_mesh)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "credits" -d 'Balances, history, grants, transfers and price quotes'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "ledger" -d 'Verify and export the hash-chained ledger'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "update" -d 'Replace the coordinator\'s binary, draining its local worker first (admin)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "code" -d 'Submit a coding task: a worker\'s model writes code until the check passes'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "jobs" -d 'Coding requests split into subtasks across the swarm: submit, list, show, wait, cancel'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and not __fish_seen_subcommand_from status nodes tasks queue tokens events blacklist audit mode credits ledger update code jobs help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from status" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from status" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from status" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from status" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from status" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from status" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from status" -l json -d 'Machine-readable output (shapes in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -l json -d 'Machine-readable output (shapes in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -f -a "list" -d 'Every node with its state, resources and running tasks'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -f -a "show" -d 'One node in full (id, a unique prefix, or its name)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -f -a "approve" -d 'Let a pending node run tasks'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -f -a "reject" -d 'Refuse a pending or approved node'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -f -a "drain" -d 'Stop giving the node new tasks; its running tasks finish (or are handed back at `--deadline`)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -f -a "undrain" -d 'Give a drained node new tasks again'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -f -a "remove" -d 'Forget the node; it must enroll again'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from nodes" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -l json -d 'Machine-readable output (shapes in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -f -a "submit" -d 'Submit a task (`-- CMD ARGS…`, `--script FILE`, or many from `--file tasks.jsonl`)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -f -a "list" -d 'Tasks, newest first'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -f -a "show" -d 'One task with its attempts'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -f -a "cancel" -d 'Cancel a queued or running task'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -f -a "logs" -d 'Print a task\'s output; `-f` follows it until the task ends'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -f -a "wait" -d 'Wait until every task given has ended; exits with the task\'s code (non-zero if any failed)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -f -a "artifacts" -d 'Download the files a task kept (`submit --artifact`), verified; `--json` lists them'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tasks" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from queue" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from queue" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from queue" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from queue" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from queue" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from queue" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from queue" -l json -d 'Machine-readable output (shapes in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from queue" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from queue" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tokens" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tokens" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tokens" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tokens" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tokens" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tokens" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tokens" -l json -d 'Machine-readable output (shapes in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tokens" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tokens" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tokens" -f -a "create" -d 'Make a token; its secret is printed once'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tokens" -f -a "list"
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tokens" -f -a "revoke" -d 'Revoke a token by id'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from tokens" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from events" -l after -d 'Start after this event id instead of the recent backlog' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from events" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from events" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from events" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from events" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from events" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from events" -l include-logs -d 'Include every task\'s log lines'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from events" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from events" -l json -d 'Machine-readable output (shapes in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from events" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from events" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from blacklist" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from blacklist" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from blacklist" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from blacklist" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from blacklist" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from blacklist" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from blacklist" -l json -d 'Machine-readable output (shapes in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from blacklist" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from blacklist" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from blacklist" -f -a "add" -d 'Refuse a node from now on, by id or by address; its tasks go back to the queue (admin)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from blacklist" -f -a "remove" -d 'Remove an entry: its id, or the node id or address it names (admin)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from blacklist" -f -a "list" -d 'Every entry with its reason and the nodes it refuses (owner)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from blacklist" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from audit" -l limit -d 'At most this many entries, newest first (1 to 1000)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from audit" -l target -d 'Only entries about this target (a node, token or blacklist entry id, or network_mode)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from audit" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from audit" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from audit" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from audit" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from audit" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from audit" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from audit" -l json -d 'Machine-readable output (shapes in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from audit" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from audit" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from mode" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from mode" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from mode" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from mode" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from mode" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from mode" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from mode" -l json -d 'Machine-readable output (shapes in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from mode" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from mode" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from mode" -f -a "show" -d 'The network mode in force and who set it (the default)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from mode" -f -a "set" -d 'Change the network mode now: enterprise_overlay or public_mesh (admin)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from mode" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -l json -d 'Machine-readable output (shapes in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -f -a "balance" -d 'An account\'s balance (default: yours); `--all` lists every account you may see'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -f -a "history" -d 'An account\'s ledger entries, oldest first (default: yours)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -f -a "grant" -d 'Give an account credits from the treasury (admin), e.g. `grant user:tok12 25.5`'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -f -a "transfer" -d 'Move credits from your account (or `--from` a node you enrolled) to another account'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -f -a "quote" -d 'What submitting a task would hold now: `quote [--requires gpu] [--timeout 10m] -- CMD`'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from credits" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from ledger" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from ledger" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from ledger" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from ledger" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from ledger" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from ledger" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from ledger" -l json -d 'Machine-readable output (shapes in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from ledger" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from ledger" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from ledger" -f -a "verify" -d 'Walk the hash chain and the signed checkpoints; exit 1 naming the first bad entry'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from ledger" -f -a "export" -d 'Print the ledger: JSON lines with the signed checkpoints (checked offline by `edgecoder ledger verify`), or CSV for a spreadsheet, optionally for a time window'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from ledger" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from update" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from update" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from update" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from update" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from update" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from update" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from update" -l json -d 'Machine-readable output (shapes in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from update" -f -a "status" -d 'The running version, the update in progress and recent updates'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from update" -f -a "start" -d 'Check a new binary, drain the local worker, swap and restart on the same port'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from update" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l lang -d 'The language of the code (python, javascript, typescript, rust, go, c, cpp, java, ruby, shell)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l file -d 'A file the model starts from (repeatable); sent with its path relative to the current dir' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l dir -d 'A directory the model starts from, packed up (its .gitignore and .edgecoderignore respected)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l check -d 'A command that must exit 0 for the code to count as done (`pytest -q`, `cargo test`); without one, the program must run and exit 0' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l model -d 'The model to use (default: the node\'s configured model)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l max-iterations -d 'How many model calls, each followed by the check, at most' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l check-timeout -d 'Seconds one run of the check may take' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l out -d 'Write the final files into this directory; without it they are listed, not written' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l timeout -d 'The task\'s wall-clock limit, e.g. 10m (default: the coordinator\'s)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l model-family -d 'Run only on a node with some model of this family (`qwen2`, `llama`)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l priority -d 'Higher runs first (default 0)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l force -d 'Overwrite files in --out that differ from what the task started from'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l json -d 'Print the result as JSON (the task, or the local run, with its code result)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l wait -d 'Wait for the task to end; exit 0 when the check passed (and write the files into --out)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l follow -d 'Like --wait, streaming the model\'s progress and the check\'s output while it runs'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l local-only -d 'Run only on nodes this coordinator\'s owner trusts'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l network -d 'Let the check reach the network (off by default: a model\'s code runs cut off)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from code" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -l json -d 'Machine-readable output (shapes in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -f -a "submit" -d 'Submit a coding request that the coordinator splits into subtasks across the swarm'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -f -a "list" -d 'Jobs, newest first'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -f -a "show" -d 'One job: its subtasks as a tree (state, dependencies, node, escalation), its log and its result'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -f -a "wait" -d 'Wait until a job has ended; exit 0 when it succeeded, 1 when it failed or is partial, 130 when it was cancelled'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -f -a "cancel" -d 'Cancel a job and its open subtasks'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from jobs" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "status" -d 'Coordinator version, uptime, mode, queue counts, nodes online/pending'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "nodes" -d 'List and manage worker nodes'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "tasks" -d 'Submit, list, follow and cancel tasks'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "queue" -d 'Queue counts by state and the backlog by requirements'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "tokens" -d 'Create, list and revoke API and enrollment tokens'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "events" -d 'Print the coordinator\'s live event stream (until Ctrl-C)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "blacklist" -d 'Refuse nodes by id or address: add, remove, list'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "audit" -d 'The record of admin and owner actions, newest first'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "mode" -d 'Show or set the network mode (enterprise_overlay or public_mesh)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "credits" -d 'Balances, history, grants, transfers and price quotes'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "ledger" -d 'Verify and export the hash-chained ledger'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "update" -d 'Replace the coordinator\'s binary, draining its local worker first (admin)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "code" -d 'Submit a coding task: a worker\'s model writes code until the check passes'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "jobs" -d 'Coding requests split into subtasks across the swarm: submit, list, show, wait, cancel'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand login" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand login" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand login" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand login" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand login" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand login" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logout" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logout" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logout" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logout" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logout" -l all -d 'Forget the tokens of every coordinator'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logout" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logout" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand logout" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and not __fish_seen_subcommand_from install uninstall status help" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and not __fish_seen_subcommand_from install uninstall status help" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and not __fish_seen_subcommand_from install uninstall status help" -f -a "install" -d 'Write the systemd unit (Linux) or launchd plist (macOS) for this binary'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and not __fish_seen_subcommand_from install uninstall status help" -f -a "uninstall" -d 'Stop and remove the unit or plist written by `service install`'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and not __fish_seen_subcommand_from install uninstall status help" -f -a "status" -d 'Say whether the unit or plist is installed, and where'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and not __fish_seen_subcommand_from install uninstall status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from install" -l path -d 'The unit or plist file to write or remove (default: /etc/systemd/system/edgecoder.service on Linux, /Library/LaunchDaemons/io.edgecoder.runtime.plist on macOS)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from install" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from install" -l dry-run -d 'Print the unit or plist instead of writing it'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from install" -l force -d 'Replace a unit or plist that differs from the one this binary would write'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from install" -l user -d 'The per-user service that runs `edgecoder agent` as you, with your own env file and node secret (~/.config/edgecoder): the systemd user unit edgecoder-agent.service in ~/.config/systemd/user, or the LaunchAgent io.edgecoder.agent in ~/Library/LaunchAgents. No root needed. Without it: the system service, which reads /etc/edgecoder'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from install" -l json -d 'Machine-readable output (status only)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from install" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from uninstall" -l path -d 'The unit or plist file to write or remove (default: /etc/systemd/system/edgecoder.service on Linux, /Library/LaunchDaemons/io.edgecoder.runtime.plist on macOS)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from uninstall" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from uninstall" -l dry-run -d 'Say what would be removed, change nothing'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from uninstall" -l user -d 'The per-user service that runs `edgecoder agent` as you, with your own env file and node secret (~/.config/edgecoder): the systemd user unit edgecoder-agent.service in ~/.config/systemd/user, or the LaunchAgent io.edgecoder.agent in ~/Library/LaunchAgents. No root needed. Without it: the system service, which reads /etc/edgecoder'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from uninstall" -l json -d 'Machine-readable output (status only)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from uninstall" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from uninstall" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from status" -l path -d 'The unit or plist file to write or remove (default: /etc/systemd/system/edgecoder.service on Linux, /Library/LaunchDaemons/io.edgecoder.runtime.plist on macOS)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from status" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from status" -l user -d 'The per-user service that runs `edgecoder agent` as you, with your own env file and node secret (~/.config/edgecoder): the systemd user unit edgecoder-agent.service in ~/.config/systemd/user, or the LaunchAgent io.edgecoder.agent in ~/Library/LaunchAgents. No root needed. Without it: the system service, which reads /etc/edgecoder'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from status" -l json -d 'Machine-readable output (status only)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "install" -d 'Write the systemd unit (Linux) or launchd plist (macOS) for this binary'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "uninstall" -d 'Stop and remove the unit or plist written by `service install`'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "status" -d 'Say whether the unit or plist is installed, and where'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand __update-guard" -l parent -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand __update-guard" -l health-url -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand __update-guard" -l expect-version -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand __update-guard" -l exe -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand __update-guard" -l rollback -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand __update-guard" -l listen-fd -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand __update-guard" -l timeout-secs -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand __update-guard" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand __update-guard" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ledger; and not __fish_seen_subcommand_from verify help" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ledger; and not __fish_seen_subcommand_from verify help" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ledger; and not __fish_seen_subcommand_from verify help" -f -a "verify" -d 'Check an export from `edgecoder server ledger export`: the chain and its signatures'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ledger; and not __fish_seen_subcommand_from verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ledger; and __fish_seen_subcommand_from verify" -l file -d 'The JSON-lines export' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ledger; and __fish_seen_subcommand_from verify" -l public-key -d 'The coordinator\'s ledger public key (hex) to trust instead of the one in the file' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ledger; and __fish_seen_subcommand_from verify" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ledger; and __fish_seen_subcommand_from verify" -l json -d 'Machine-readable output (see docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ledger; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ledger; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ledger; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check an export from `edgecoder server ledger export`: the chain and its signatures'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ledger; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand dash" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand dash" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand dash" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand dash" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand dash" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand dash" -l read-only -d 'Look, don\'t touch: hide every action (approve, drain, cancel)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand dash" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand dash" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and not __fish_seen_subcommand_from run list show logs stop rm help" -l runs-dir -d 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and not __fish_seen_subcommand_from run list show logs stop rm help" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and not __fish_seen_subcommand_from run list show logs stop rm help" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and not __fish_seen_subcommand_from run list show logs stop rm help" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and not __fish_seen_subcommand_from run list show logs stop rm help" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and not __fish_seen_subcommand_from run list show logs stop rm help" -f -a "run" -d 'Run a command on this machine in the sandbox and record it (`-- CMD ARGS…`); exits with the command\'s exit code (124 on timeout)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and not __fish_seen_subcommand_from run list show logs stop rm help" -f -a "list" -d 'Local runs, newest first'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and not __fish_seen_subcommand_from run list show logs stop rm help" -f -a "show" -d 'One task with its runs (id or unique prefix)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and not __fish_seen_subcommand_from run list show logs stop rm help" -f -a "logs" -d 'Print a task\'s output: stdout to stdout, stderr to stderr'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and not __fish_seen_subcommand_from run list show logs stop rm help" -f -a "stop" -d 'Stop a running task (from any terminal); it is recorded as cancelled'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and not __fish_seen_subcommand_from run list show logs stop rm help" -f -a "rm" -d 'Delete a task\'s records and output (refused while it runs)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and not __fish_seen_subcommand_from run list show logs stop rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from run" -l project -d 'Group the record under this project (default: the current directory\'s name)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from run" -l timeout -d 'Stop the task after this long, e.g. 30s, 10m, 2h (default: EDGECODER_DEFAULT_TASK_TIMEOUT)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from run" -l runs-dir -d 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from run" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from run" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from run" -l keep-workdir -d 'Keep the task\'s working directory (`<run dir>/work`) after it ends'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from list" -l project -d 'Only this project\'s tasks' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from list" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from list" -l runs-dir -d 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from list" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from list" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable output (see docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from show" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from show" -l runs-dir -d 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from show" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from show" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable output (see docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from logs" -l runs-dir -d 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from logs" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from logs" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from logs" -s f -l follow -d 'Keep printing output until the run ends'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from logs" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from stop" -l runs-dir -d 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from stop" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from stop" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from stop" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from rm" -l runs-dir -d 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from rm" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from rm" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run a command on this machine in the sandbox and record it (`-- CMD ARGS…`); exits with the command\'s exit code (124 on timeout)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "list" -d 'Local runs, newest first'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "show" -d 'One task with its runs (id or unique prefix)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Print a task\'s output: stdout to stdout, stderr to stderr'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop a running task (from any terminal); it is recorded as cancelled'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Delete a task\'s records and output (refused while it runs)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l lang -d 'The language of the code (python, javascript, typescript, rust, go, c, cpp, java, ruby, shell)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l file -d 'A file the model starts from (repeatable); sent with its path relative to the current dir' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l dir -d 'A directory the model starts from, packed up (its .gitignore and .edgecoderignore respected)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l check -d 'A command that must exit 0 for the code to count as done (`pytest -q`, `cargo test`); without one, the program must run and exit 0' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l model -d 'The model to use (default: the node\'s configured model)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l max-iterations -d 'How many model calls, each followed by the check, at most' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l check-timeout -d 'Seconds one run of the check may take' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l out -d 'Write the final files into this directory; without it they are listed, not written' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l server -d 'The coordinator --handoff submits to (default: EDGECODER_URL, the configured one, the local server.json, then http://127.0.0.1:4301). The token: EDGECODER_TOKEN or `login`' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l runs-dir -d 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l force -d 'Overwrite files in --out that differ from what the task started from'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l json -d 'Print the result as JSON (the task, or the local run, with its code result)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l handoff -d 'When the loop gives up here, submit the same task, with its history, to the coordinator. Without it nothing leaves this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -l allow-insecure -d 'Allow --handoff to send the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand code" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand gc" -l older-than -d 'Delete finished runs that ended longer ago than this, e.g. 12h, 7d' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand gc" -l project -d 'Only this project\'s runs' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand gc" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand gc" -l runs-dir -d 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand gc" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand gc" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand gc" -l dry-run -d 'Only say what would be deleted'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand gc" -l keep-failed -d 'Keep failed and timed-out runs'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand gc" -l json -d 'Machine-readable output (see docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand gc" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand gc" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand completions" -l dir -d 'Write the scripts into this directory under their installed names' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand completions" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand completions" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand man" -l dir -d 'Write one page per command into this directory' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand man" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand man" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and not __fish_seen_subcommand_from status whoami help" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and not __fish_seen_subcommand_from status whoami help" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and not __fish_seen_subcommand_from status whoami help" -f -a "status" -d 'Which coordinator, which identity and role, and where the token comes from (exit 3 when not logged in)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and not __fish_seen_subcommand_from status whoami help" -f -a "whoami" -d 'Which coordinator, which identity and role, and where the token comes from (exit 3 when not logged in)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and not __fish_seen_subcommand_from status whoami help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from status" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from status" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from status" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from status" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from status" -l json -d 'Machine-readable output (shape in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from status" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from whoami" -l server -d 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from whoami" -l token -d 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from whoami" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from whoami" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from whoami" -l json -d 'Machine-readable output (shape in docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from whoami" -l allow-insecure -d 'Allow sending the token over plain HTTP to a host that is not this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from whoami" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from whoami" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "status" -d 'Which coordinator, which identity and role, and where the token comes from (exit 3 when not logged in)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and not __fish_seen_subcommand_from token help" -l host -d 'Address to listen on (default 127.0.0.1, EDGECODER_IDE_HOST); anything but loopback needs a token made beforehand (`edgecoder ide token`)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and not __fish_seen_subcommand_from token help" -l port -d 'Port to listen on (default 4304, EDGECODER_IDE_PORT); 0 takes any free port' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and not __fish_seen_subcommand_from token help" -l route -d 'Where calls go: local-only, prefer-local or swarm (EDGECODER_IDE_ROUTE; default local-only with a model server, else swarm)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and not __fish_seen_subcommand_from token help" -l log-level -d 'Log filter: error, warn, info, debug, trace (or a tracing directive)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and not __fish_seen_subcommand_from token help" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and not __fish_seen_subcommand_from token help" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and not __fish_seen_subcommand_from token help" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and not __fish_seen_subcommand_from token help" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and not __fish_seen_subcommand_from token help" -f -a "token" -d 'Print the token editors send as their API key (made now if there is none yet)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and not __fish_seen_subcommand_from token help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and __fish_seen_subcommand_from token" -l jq -d 'Filter the JSON output with a jq expression (implies --json; strings print raw)' -r
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and __fish_seen_subcommand_from token" -l config -d 'Config file (default: ./edgecoder.toml, then the user and system config dirs)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and __fish_seen_subcommand_from token" -l env-file -d 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)' -r -F
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and __fish_seen_subcommand_from token" -l json -d 'Machine-readable output (see docs/json-output.md)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and __fish_seen_subcommand_from token" -s h -l help -d 'Print help'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and __fish_seen_subcommand_from token" -s V -l version -d 'Print version'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and __fish_seen_subcommand_from help" -f -a "token" -d 'Print the token editors send as their API key (made now if there is none yet)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand ide; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "serve" -d 'Run the coordinator (and, by default, a local worker) until SIGINT/SIGTERM'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "agent" -d 'Run this machine as a worker node in the foreground (what the service runs)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "enroll" -d 'Enroll this machine with a coordinator using an enrollment token'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "status" -d 'Show this node: enrolled, coordinator reachable, approved, where its files are'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "env" -d 'Read and edit the env file (comments, order and unknown keys are kept)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "logs" -d 'Read the log files of `serve` and `agent` on this machine'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "db" -d 'The coordinator\'s database: which one, its schema version, migrations'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "config" -d 'Inspect the resolved configuration'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "server" -d 'Drive a running coordinator: status, nodes, tasks, queue, tokens, events'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "login" -d 'Check an API token against a coordinator and store it for later commands'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "logout" -d 'Forget the stored token of a coordinator'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "service" -d 'Install, remove or inspect the systemd unit (Linux) or launchd plist (macOS)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "__update-guard" -d 'Watches a coordinator\'s self-update and rolls it back if needed (started by the coordinator itself)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "ledger" -d 'Check a ledger export offline (`ledger verify --file export.jsonl`)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "dash" -d 'A live terminal dashboard of a coordinator: queue, nodes, credits, events'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "task" -d 'Run commands on this machine with no coordinator, and read their records'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "code" -d 'Write code with this machine\'s own model, checked in the sandbox, with no coordinator (recorded as a local run; `--handoff` gives it to the swarm when it gives up)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "gc" -d 'Delete old finished local runs (`edgecoder task`) and say what that freed'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "completions" -d 'Print a shell completion script (or write every shell\'s with --dir)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "man" -d 'Print the man page (or write one page per command with --dir)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "auth" -d 'Who you are to a coordinator and where your token comes from (`auth status`)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "ide" -d 'Serve this machine\'s model (or the swarm\'s) to editors on a local OpenAI- and Ollama-compatible endpoint (`ide token` prints the key to give them)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and not __fish_seen_subcommand_from serve agent enroll status env logs db config server login logout service __update-guard ledger dash task code gc completions man auth ide help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "pause" -d 'Stop this machine\'s agent taking new work, now and across its restarts, until `resume` or `--for` runs out (running tasks follow the host policy)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "resume" -d 'Lift the owner\'s pause'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "list" -d 'Print every KEY=value (secrets masked)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "get" -d 'Print one value (exit 4 when unset)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "set" -d 'Set a value (known keys are validated; unknown keys are kept with a warning)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "unset" -d 'Remove a key'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "path" -d 'Print the env file\'s path'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "edit" -d 'Open the env file in $EDITOR; it is checked before it replaces the original'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "status" -d 'Which database the coordinator uses, its schema version and the migrations pending'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "migrate" -d 'Bring the schema up to date now (`serve` also does this when it starts; coordinators sharing a PostgreSQL database migrate it once between them)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "copy" -d 'Copy every row of a coordinator\'s database into another, empty one (a SQLite coordinator onto PostgreSQL, say), in one transaction; stop the coordinator first'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print every setting, its value, and where the value came from'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "status" -d 'Coordinator version, uptime, mode, queue counts, nodes online/pending'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "nodes" -d 'List and manage worker nodes'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "tasks" -d 'Submit, list, follow and cancel tasks'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "queue" -d 'Queue counts by state and the backlog by requirements'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "tokens" -d 'Create, list and revoke API and enrollment tokens'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "events" -d 'Print the coordinator\'s live event stream (until Ctrl-C)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "blacklist" -d 'Refuse nodes by id or address: add, remove, list'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "audit" -d 'The record of admin and owner actions, newest first'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "mode" -d 'Show or set the network mode (enterprise_overlay or public_mesh)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "credits" -d 'Balances, history, grants, transfers and price quotes'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "ledger" -d 'Verify and export the hash-chained ledger'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "update" -d 'Replace the coordinator\'s binary, draining its local worker first (admin)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "code" -d 'Submit a coding task: a worker\'s model writes code until the check passes'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "jobs" -d 'Coding requests split into subtasks across the swarm: submit, list, show, wait, cancel'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from service" -f -a "install" -d 'Write the systemd unit (Linux) or launchd plist (macOS) for this binary'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from service" -f -a "uninstall" -d 'Stop and remove the unit or plist written by `service install`'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from service" -f -a "status" -d 'Say whether the unit or plist is installed, and where'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from ledger" -f -a "verify" -d 'Check an export from `edgecoder server ledger export`: the chain and its signatures'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "run" -d 'Run a command on this machine in the sandbox and record it (`-- CMD ARGS…`); exits with the command\'s exit code (124 on timeout)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "list" -d 'Local runs, newest first'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "show" -d 'One task with its runs (id or unique prefix)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "logs" -d 'Print a task\'s output: stdout to stdout, stderr to stderr'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "stop" -d 'Stop a running task (from any terminal); it is recorded as cancelled'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "rm" -d 'Delete a task\'s records and output (refused while it runs)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "status" -d 'Which coordinator, which identity and role, and where the token comes from (exit 3 when not logged in)'
complete -c edgecoder -n "__fish_edgecoder_using_subcommand help; and __fish_seen_subcommand_from ide" -f -a "token" -d 'Print the token editors send as their API key (made now if there is none yet)'
