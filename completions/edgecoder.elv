
use builtin;
use str;

set edit:completion:arg-completer[edgecoder] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'edgecoder'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'edgecoder'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Run the coordinator (and, by default, a local worker) until SIGINT/SIGTERM'
            cand agent 'Run this machine as a worker node in the foreground (what the service runs)'
            cand enroll 'Enroll this machine with a coordinator using an enrollment token'
            cand status 'Show this node: enrolled, coordinator reachable, approved, where its files are'
            cand env 'Read and edit the env file (comments, order and unknown keys are kept)'
            cand logs 'Read the log files of `serve` and `agent` on this machine'
            cand db 'The coordinator''s database: which one, its schema version, migrations'
            cand config 'Inspect the resolved configuration'
            cand server 'Drive a running coordinator: status, nodes, tasks, queue, tokens, events'
            cand login 'Check an API token against a coordinator and store it for later commands'
            cand logout 'Forget the stored token of a coordinator'
            cand service 'Install, remove or inspect the systemd unit (Linux) or launchd plist (macOS)'
            cand __update-guard 'Watches a coordinator''s self-update and rolls it back if needed (started by the coordinator itself)'
            cand ledger 'Check a ledger export offline (`ledger verify --file export.jsonl`)'
            cand dash 'A live terminal dashboard of a coordinator: queue, nodes, credits, events'
            cand task 'Run commands on this machine with no coordinator, and read their records'
            cand code 'Write code with this machine''s own model, checked in the sandbox, with no coordinator (recorded as a local run; `--handoff` gives it to the swarm when it gives up)'
            cand gc 'Delete old finished local runs (`edgecoder task`) and say what that freed'
            cand completions 'Print a shell completion script (or write every shell''s with --dir)'
            cand man 'Print the man page (or write one page per command with --dir)'
            cand auth 'Who you are to a coordinator and where your token comes from (`auth status`)'
            cand ide 'Serve this machine''s model (or the swarm''s) to editors on a local OpenAI- and Ollama-compatible endpoint (`ide token` prints the key to give them)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;serve'= {
            cand --host 'Address to listen on'
            cand --port 'Port to listen on; given explicitly it is tried once, else up to 100 ports from 4301 (4302 in inference mode)'
            cand --data-dir 'Where the database, server.json and task working dirs live'
            cand --database 'Where the queue and ledger live: `sqlite` (default: edgecoder.db in the data dir), `sqlite:PATH`, or `postgres://user@host/db`, which several coordinators can share (EDGECODER_DATABASE_URL; the password may come from EDGECODER_DATABASE_PASSWORD_FILE)'
            cand --mode 'What this process runs (EDGE_RUNTIME_MODE; default all-in-one)'
            cand --retention-days 'Delete finished tasks, their logs and events this many days after they end; 0 keeps them forever (EDGECODER_RETENTION_DAYS, default 30)'
            cand --log-level 'Log filter: error, warn, info, debug, trace (or a tracing directive)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --no-local-worker 'Do not start the local worker in all-in-one mode'
            cand --free 'Turn pricing off: nothing is held, charged or granted (EDGECODER_PRICING=false)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;agent'= {
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --coordinator 'Coordinator URL (default: COORDINATOR_URL from the env file)'
            cand --max-concurrent 'Tasks to run at once (default: MAX_CONCURRENT_TASKS, else the number of CPUs)'
            cand --data-dir 'Where task working directories are made'
            cand --log-level 'Log filter: error, warn, info, debug, trace (or a tracing directive)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --detect 'Print this machine''s capabilities and exit'
            cand --json 'With --detect: machine-readable output'
            cand --keep-workdirs 'Keep each task''s working directory after it ends (for debugging)'
            cand --ephemeral 'Run one task, then exit (a clean one-job worker, as GitHub''s `--ephemeral`): the node shows offline afterwards; the exit code is 0 whatever the task''s outcome'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand pause 'Stop this machine''s agent taking new work, now and across its restarts, until `resume` or `--for` runs out (running tasks follow the host policy)'
            cand resume 'Lift the owner''s pause'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;agent;pause'= {
            cand --for 'Resume by itself after this long, e.g. 2h (default: until `edgecoder agent resume`)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;agent;resume'= {
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;agent;help'= {
            cand pause 'Stop this machine''s agent taking new work, now and across its restarts, until `resume` or `--for` runs out (running tasks follow the host policy)'
            cand resume 'Lift the owner''s pause'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;agent;help;pause'= {
        }
        &'edgecoder;agent;help;resume'= {
        }
        &'edgecoder;agent;help;help'= {
        }
        &'edgecoder;enroll'= {
            cand --token 'The enrollment token; `-` reads it from stdin (keeps it out of the process list)'
            cand --token-file 'Read the enrollment token from a file'
            cand --coordinator 'Coordinator URL (default: COORDINATOR_URL from the env file)'
            cand --name 'Name shown for this node (default: the hostname)'
            cand --label 'A label for scheduling, KEY=VALUE; repeatable'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;status'= {
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --json 'Machine-readable output (see docs/json-output.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;env'= {
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'Print every KEY=value (secrets masked)'
            cand get 'Print one value (exit 4 when unset)'
            cand set 'Set a value (known keys are validated; unknown keys are kept with a warning)'
            cand unset 'Remove a key'
            cand path 'Print the env file''s path'
            cand edit 'Open the env file in $EDITOR; it is checked before it replaces the original'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;env;list'= {
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --show-secrets 'Print secrets instead of masking them'
            cand --json 'Machine-readable output (see docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;env;get'= {
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;env;set'= {
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;env;unset'= {
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;env;path'= {
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;env;edit'= {
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;env;help'= {
            cand list 'Print every KEY=value (secrets masked)'
            cand get 'Print one value (exit 4 when unset)'
            cand set 'Set a value (known keys are validated; unknown keys are kept with a warning)'
            cand unset 'Remove a key'
            cand path 'Print the env file''s path'
            cand edit 'Open the env file in $EDITOR; it is checked before it replaces the original'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;env;help;list'= {
        }
        &'edgecoder;env;help;get'= {
        }
        &'edgecoder;env;help;set'= {
        }
        &'edgecoder;env;help;unset'= {
        }
        &'edgecoder;env;help;path'= {
        }
        &'edgecoder;env;help;edit'= {
        }
        &'edgecoder;env;help;help'= {
        }
        &'edgecoder;logs'= {
            cand -n 'Print only the last N lines (default: all; 20 with --follow)'
            cand --lines 'Print only the last N lines (default: all; 20 with --follow)'
            cand --since 'Only lines newer than this, e.g. 10m or 2h'
            cand --level 'Only lines at this level or above: trace, debug, info, warn, error'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --log-dir 'Read logs from this directory instead of the configured one'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -f 'Keep printing new lines as they are written'
            cand --follow 'Keep printing new lines as they are written'
            cand --json 'Print the raw JSON lines'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;db'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'Which database the coordinator uses, its schema version and the migrations pending'
            cand migrate 'Bring the schema up to date now (`serve` also does this when it starts; coordinators sharing a PostgreSQL database migrate it once between them)'
            cand copy 'Copy every row of a coordinator''s database into another, empty one (a SQLite coordinator onto PostgreSQL, say), in one transaction; stop the coordinator first'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;db;status'= {
            cand --database '`sqlite` (edgecoder.db in the data dir), `sqlite:PATH` or `postgres://user@host/db` (default: EDGECODER_DATABASE_URL, else sqlite)'
            cand --data-dir 'The coordinator''s data dir (where a SQLite database lives)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --json 'Machine-readable output (see docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;db;migrate'= {
            cand --database '`sqlite` (edgecoder.db in the data dir), `sqlite:PATH` or `postgres://user@host/db` (default: EDGECODER_DATABASE_URL, else sqlite)'
            cand --data-dir 'The coordinator''s data dir (where a SQLite database lives)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;db;copy'= {
            cand --from 'The database to read: `sqlite:PATH`, or `postgres://…`'
            cand --to 'The database to fill: `postgres://…` or `sqlite:PATH`; made and migrated if need be, and it must hold no data yet'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;db;help'= {
            cand status 'Which database the coordinator uses, its schema version and the migrations pending'
            cand migrate 'Bring the schema up to date now (`serve` also does this when it starts; coordinators sharing a PostgreSQL database migrate it once between them)'
            cand copy 'Copy every row of a coordinator''s database into another, empty one (a SQLite coordinator onto PostgreSQL, say), in one transaction; stop the coordinator first'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;db;help;status'= {
        }
        &'edgecoder;db;help;migrate'= {
        }
        &'edgecoder;db;help;copy'= {
        }
        &'edgecoder;db;help;help'= {
        }
        &'edgecoder;config'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Print every setting, its value, and where the value came from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;config;show'= {
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --json 'Machine-readable output (see docs/json-output.md)'
            cand --show-secrets 'Print secrets instead of masking them'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;config;help'= {
            cand show 'Print every setting, its value, and where the value came from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;config;help;show'= {
        }
        &'edgecoder;config;help;help'= {
        }
        &'edgecoder;server'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'Coordinator version, uptime, mode, queue counts, nodes online/pending'
            cand nodes 'List and manage worker nodes'
            cand tasks 'Submit, list, follow and cancel tasks'
            cand queue 'Queue counts by state and the backlog by requirements'
            cand tokens 'Create, list and revoke API and enrollment tokens'
            cand events 'Print the coordinator''s live event stream (until Ctrl-C)'
            cand blacklist 'Refuse nodes by id or address: add, remove, list'
            cand audit 'The record of admin and owner actions, newest first'
            cand mode 'Show or set the network mode (enterprise_overlay or public_mesh)'
            cand credits 'Balances, history, grants, transfers and price quotes'
            cand ledger 'Verify and export the hash-chained ledger'
            cand update 'Replace the coordinator''s binary, draining its local worker first (admin)'
            cand code 'Submit a coding task: a worker''s model writes code until the check passes'
            cand jobs 'Coding requests split into subtasks across the swarm: submit, list, show, wait, cancel'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;status'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;nodes'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'Every node with its state, resources and running tasks'
            cand show 'One node in full (id, a unique prefix, or its name)'
            cand approve 'Let a pending node run tasks'
            cand reject 'Refuse a pending or approved node'
            cand drain 'Stop giving the node new tasks; its running tasks finish (or are handed back at `--deadline`)'
            cand undrain 'Give a drained node new tasks again'
            cand remove 'Forget the node; it must enroll again'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;nodes;list'= {
            cand --state 'Only nodes in this state: pending, approved, rejected, removed'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;nodes;show'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;nodes;approve'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;nodes;reject'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;nodes;drain'= {
            cand --deadline 'Hand the tasks the node still runs back to the queue after this long (not counted as attempts; the node is told to stop them), e.g. 10m'
            cand --timeout 'With --wait: give up after this long (exit 124); the drain goes on'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --wait 'Return only when the node runs nothing'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;nodes;undrain'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;nodes;remove'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;nodes;help'= {
            cand list 'Every node with its state, resources and running tasks'
            cand show 'One node in full (id, a unique prefix, or its name)'
            cand approve 'Let a pending node run tasks'
            cand reject 'Refuse a pending or approved node'
            cand drain 'Stop giving the node new tasks; its running tasks finish (or are handed back at `--deadline`)'
            cand undrain 'Give a drained node new tasks again'
            cand remove 'Forget the node; it must enroll again'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;nodes;help;list'= {
        }
        &'edgecoder;server;nodes;help;show'= {
        }
        &'edgecoder;server;nodes;help;approve'= {
        }
        &'edgecoder;server;nodes;help;reject'= {
        }
        &'edgecoder;server;nodes;help;drain'= {
        }
        &'edgecoder;server;nodes;help;undrain'= {
        }
        &'edgecoder;server;nodes;help;remove'= {
        }
        &'edgecoder;server;nodes;help;help'= {
        }
        &'edgecoder;server;tasks'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand submit 'Submit a task (`-- CMD ARGS…`, `--script FILE`, or many from `--file tasks.jsonl`)'
            cand list 'Tasks, newest first'
            cand show 'One task with its attempts'
            cand cancel 'Cancel a queued or running task'
            cand logs 'Print a task''s output; `-f` follows it until the task ends'
            cand wait 'Wait until every task given has ended; exits with the task''s code (non-zero if any failed)'
            cand artifacts 'Download the files a task kept (`submit --artifact`), verified; `--json` lists them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;tasks;submit'= {
            cand --name 'A short name for the task, shown in lists (a matrix entry, a CI job''s name)'
            cand --retry 'Run a task that exited non-zero again, up to N more times (default: never; its failure is the answer). Lost nodes and agent shutdowns are retried regardless'
            cand --retry-on-exit 'With --retry: retry only these exit codes, comma separated (e.g. 3,75)'
            cand --task-env-file 'Environment variables for the task from a file of KEY=VALUE lines (the env file format); --env wins over it. Not to be confused with --env-file, edgecoder''s own settings'
            cand --timeout 'The task''s wall-clock limit, e.g. 30s, 10m (default: the coordinator''s)'
            cand --requires 'Run only on a node with what is named: `gpu`, or a toolchain its tasks can run (`cargo`, `python3`, any name a node advertises); repeatable'
            cand --min-memory 'Run only on a node with at least this much memory, e.g. 512M, 4G'
            cand --label 'Run only on a node with this label, KEY=VALUE; repeatable'
            cand --priority 'Higher runs first (default 0)'
            cand --max-attempts 'Run the task at most this many times when attempts fail (default: the coordinator''s)'
            cand --idempotency-key 'Submitting again with the same key returns the first task instead of a new one'
            cand --env 'An environment variable for the task, KEY=VALUE; repeatable'
            cand --secret 'A secret env var for the task, KEY=VALUE, or KEY alone to take the value from this environment (keeps it out of argv); repeatable. Stored encrypted, never shown, masked in the task''s output'
            cand --secret-file 'Secrets from a file of KEY=VALUE lines (the env file format)'
            cand --git 'Run in a checkout of this git repository (https://, ssh:// or file:// URL); the worker clones it shallow into its cache. Needs --ref'
            cand --ref 'With --git: the branch, tag or commit to check out'
            cand --git-secret 'With --git: the task secret (a --secret name) holding the credentials for a private repository: a token, or USER:TOKEN. Never put in argv or logs'
            cand --script 'Run this shell script instead of a command'
            cand --file 'Submit every line of this JSON-lines file (each a submit request; see docs/json-output.md)'
            cand --dir 'Run in a copy of this directory: packed (its .gitignore and .edgecoderignore respected), uploaded once by content hash (an unchanged tree uploads nothing), unpacked on the worker'
            cand --artifact 'Keep the files matching this glob (relative to the working dir; `**/*.xml` crosses directories) as artifacts when the task ends; repeatable. `tasks artifacts ID` fetches them'
            cand --cache 'Keep this directory of the working dir on the node between your tasks naming the same cache, NAME=PATH (e.g. cargo=target); repeatable. Restored before, saved after success'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --wait 'Wait for the task to end, print its output, and exit with its exit code (124 when it timed out; SIGTERM with no terminal cancels the task and exits 143)'
            cand --follow 'With --wait: stream the task''s output while it runs (implies --wait)'
            cand -q 'With --wait: do not print the task''s output when it ends (the summary line stays)'
            cand --quiet 'With --wait: do not print the task''s output when it ends (the summary line stays)'
            cand --local-only 'Run only on nodes this coordinator''s owner trusts'
            cand --no-network 'Cut the task off the network where the node can'
            cand --git-files 'With --dir: pack exactly the files `git ls-files` lists'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;tasks;list'= {
            cand --state 'Only tasks in this state: queued, leased, running, succeeded, failed, cancelled, timed_out'
            cand --node 'Only tasks that ran on this node'
            cand --limit 'At most this many (default 50)'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;tasks;show'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;tasks;cancel'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;tasks;logs'= {
            cand --tail 'Only the last N lines'
            cand --attempt 'The output of this attempt (from 1; default: the latest)'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand -f 'Keep printing new output until the task ends (rides out coordinator restarts)'
            cand --follow 'Keep printing new output until the task ends (rides out coordinator restarts)'
            cand --stdout 'Only what the task wrote to its standard output'
            cand --stderr 'Only what the task wrote to its standard error'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;tasks;wait'= {
            cand --timeout 'Give up after this long (exit 124), e.g. 10m'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand -q 'Do not print the tasks'' output when they end (the summary lines stay)'
            cand --quiet 'Do not print the tasks'' output when they end (the summary lines stay)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;tasks;artifacts'= {
            cand --out 'Where to write them, keeping their paths (default: the current directory)'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;tasks;help'= {
            cand submit 'Submit a task (`-- CMD ARGS…`, `--script FILE`, or many from `--file tasks.jsonl`)'
            cand list 'Tasks, newest first'
            cand show 'One task with its attempts'
            cand cancel 'Cancel a queued or running task'
            cand logs 'Print a task''s output; `-f` follows it until the task ends'
            cand wait 'Wait until every task given has ended; exits with the task''s code (non-zero if any failed)'
            cand artifacts 'Download the files a task kept (`submit --artifact`), verified; `--json` lists them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;tasks;help;submit'= {
        }
        &'edgecoder;server;tasks;help;list'= {
        }
        &'edgecoder;server;tasks;help;show'= {
        }
        &'edgecoder;server;tasks;help;cancel'= {
        }
        &'edgecoder;server;tasks;help;logs'= {
        }
        &'edgecoder;server;tasks;help;wait'= {
        }
        &'edgecoder;server;tasks;help;artifacts'= {
        }
        &'edgecoder;server;tasks;help;help'= {
        }
        &'edgecoder;server;queue'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;tokens'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Make a token; its secret is printed once'
            cand list 'list'
            cand revoke 'Revoke a token by id'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;tokens;create'= {
            cand --kind 'api (for people and scripts) or enroll (for nodes)'
            cand --role 'For api tokens: user, owner or admin'
            cand --name 'A note saying what the token is for'
            cand --expires-in 'Expire after this long, e.g. 1h, 7d'
            cand --uses 'For enroll tokens: how many nodes may use it'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --auto-approve 'For enroll tokens: nodes that enroll with it are approved at once'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;tokens;list'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;tokens;revoke'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;tokens;help'= {
            cand create 'Make a token; its secret is printed once'
            cand list 'list'
            cand revoke 'Revoke a token by id'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;tokens;help;create'= {
        }
        &'edgecoder;server;tokens;help;list'= {
        }
        &'edgecoder;server;tokens;help;revoke'= {
        }
        &'edgecoder;server;tokens;help;help'= {
        }
        &'edgecoder;server;events'= {
            cand --after 'Start after this event id instead of the recent backlog'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --include-logs 'Include every task''s log lines'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;blacklist'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Refuse a node from now on, by id or by address; its tasks go back to the queue (admin)'
            cand remove 'Remove an entry: its id, or the node id or address it names (admin)'
            cand list 'Every entry with its reason and the nodes it refuses (owner)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;blacklist;add'= {
            cand --node 'The node: its id, a unique prefix, or its name'
            cand --address 'An IP address: every node connecting from it is refused, and none may enroll from it'
            cand --reason 'Why, for the record (shown in `blacklist list` and the audit log)'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;blacklist;remove'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;blacklist;list'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;blacklist;help'= {
            cand add 'Refuse a node from now on, by id or by address; its tasks go back to the queue (admin)'
            cand remove 'Remove an entry: its id, or the node id or address it names (admin)'
            cand list 'Every entry with its reason and the nodes it refuses (owner)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;blacklist;help;add'= {
        }
        &'edgecoder;server;blacklist;help;remove'= {
        }
        &'edgecoder;server;blacklist;help;list'= {
        }
        &'edgecoder;server;blacklist;help;help'= {
        }
        &'edgecoder;server;audit'= {
            cand --limit 'At most this many entries, newest first (1 to 1000)'
            cand --target 'Only entries about this target (a node, token or blacklist entry id, or network_mode)'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;mode'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'The network mode in force and who set it (the default)'
            cand set 'Change the network mode now: enterprise_overlay or public_mesh (admin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;mode;show'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;mode;set'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;mode;help'= {
            cand show 'The network mode in force and who set it (the default)'
            cand set 'Change the network mode now: enterprise_overlay or public_mesh (admin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;mode;help;show'= {
        }
        &'edgecoder;server;mode;help;set'= {
        }
        &'edgecoder;server;mode;help;help'= {
        }
        &'edgecoder;server;credits'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand balance 'An account''s balance (default: yours); `--all` lists every account you may see'
            cand history 'An account''s ledger entries, oldest first (default: yours)'
            cand grant 'Give an account credits from the treasury (admin), e.g. `grant user:tok12 25.5`'
            cand transfer 'Move credits from your account (or `--from` a node you enrolled) to another account'
            cand quote 'What submitting a task would hold now: `quote [--requires gpu] [--timeout 10m] -- CMD`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;credits;balance'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --all 'Every account you may see (all of them for an admin)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;credits;history'= {
            cand --after 'Only entries after this sequence number'
            cand --limit 'At most this many entries'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;credits;grant'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;credits;transfer'= {
            cand --from 'Pay from this account instead of yours: a node you enrolled (node:<node id>)'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;credits;quote'= {
            cand --timeout 'The task''s wall-clock limit, e.g. 30s, 10m (default: the coordinator''s)'
            cand --requires 'What the task needs: `gpu`'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;credits;help'= {
            cand balance 'An account''s balance (default: yours); `--all` lists every account you may see'
            cand history 'An account''s ledger entries, oldest first (default: yours)'
            cand grant 'Give an account credits from the treasury (admin), e.g. `grant user:tok12 25.5`'
            cand transfer 'Move credits from your account (or `--from` a node you enrolled) to another account'
            cand quote 'What submitting a task would hold now: `quote [--requires gpu] [--timeout 10m] -- CMD`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;credits;help;balance'= {
        }
        &'edgecoder;server;credits;help;history'= {
        }
        &'edgecoder;server;credits;help;grant'= {
        }
        &'edgecoder;server;credits;help;transfer'= {
        }
        &'edgecoder;server;credits;help;quote'= {
        }
        &'edgecoder;server;credits;help;help'= {
        }
        &'edgecoder;server;ledger'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand verify 'Walk the hash chain and the signed checkpoints; exit 1 naming the first bad entry'
            cand export 'Print the ledger: JSON lines with the signed checkpoints (checked offline by `edgecoder ledger verify`), or CSV for a spreadsheet, optionally for a time window'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;ledger;verify'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;ledger;export'= {
            cand --since 'Entries from this time on: RFC 3339 (2026-11-24T09:30:00Z, or with an offset like +01:00) or a date (2026-11-24, from its start, UTC); a plain number N means the entries after sequence number N'
            cand --until 'Entries before this time: RFC 3339, or a date (up to its end, so the day is included, UTC)'
            cand --format 'jsonl: the verifiable export (header, entries, checkpoints); csv: one row per entry with the names of accounts'' tokens and nodes, amounts in credits'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;ledger;help'= {
            cand verify 'Walk the hash chain and the signed checkpoints; exit 1 naming the first bad entry'
            cand export 'Print the ledger: JSON lines with the signed checkpoints (checked offline by `edgecoder ledger verify`), or CSV for a spreadsheet, optionally for a time window'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;ledger;help;verify'= {
        }
        &'edgecoder;server;ledger;help;export'= {
        }
        &'edgecoder;server;ledger;help;help'= {
        }
        &'edgecoder;server;update'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'The running version, the update in progress and recent updates'
            cand start 'Check a new binary, drain the local worker, swap and restart on the same port'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;update;status'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;update;start'= {
            cand --binary 'The new binary, as a path on the coordinator''s machine'
            cand --sha256 'Its expected SHA-256 (hex, as `sha256sum` prints it); refused when it differs'
            cand --drain-timeout 'Give up when the local worker''s running tasks take longer than this (default 10m)'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --wait 'Wait until the update has ended; exit 0 only when the new version runs'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;update;help'= {
            cand status 'The running version, the update in progress and recent updates'
            cand start 'Check a new binary, drain the local worker, swap and restart on the same port'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;update;help;status'= {
        }
        &'edgecoder;server;update;help;start'= {
        }
        &'edgecoder;server;update;help;help'= {
        }
        &'edgecoder;server;code'= {
            cand --lang 'The language of the code (python, javascript, typescript, rust, go, c, cpp, java, ruby, shell)'
            cand --file 'A file the model starts from (repeatable); sent with its path relative to the current dir'
            cand --dir 'A directory the model starts from, packed up (its .gitignore and .edgecoderignore respected)'
            cand --check 'A command that must exit 0 for the code to count as done (`pytest -q`, `cargo test`); without one, the program must run and exit 0'
            cand --model 'The model to use (default: the node''s configured model)'
            cand --max-iterations 'How many model calls, each followed by the check, at most'
            cand --check-timeout 'Seconds one run of the check may take'
            cand --out 'Write the final files into this directory; without it they are listed, not written'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --timeout 'The task''s wall-clock limit, e.g. 10m (default: the coordinator''s)'
            cand --model-family 'Run only on a node with some model of this family (`qwen2`, `llama`)'
            cand --priority 'Higher runs first (default 0)'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --force 'Overwrite files in --out that differ from what the task started from'
            cand --json 'Print the result as JSON (the task, or the local run, with its code result)'
            cand --wait 'Wait for the task to end; exit 0 when the check passed (and write the files into --out)'
            cand --follow 'Like --wait, streaming the model''s progress and the check''s output while it runs'
            cand --local-only 'Run only on nodes this coordinator''s owner trusts'
            cand --network 'Let the check reach the network (off by default: a model''s code runs cut off)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;jobs'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand submit 'Submit a coding request that the coordinator splits into subtasks across the swarm'
            cand list 'Jobs, newest first'
            cand show 'One job: its subtasks as a tree (state, dependencies, node, escalation), its log and its result'
            cand wait 'Wait until a job has ended; exit 0 when it succeeded, 1 when it failed or is partial, 130 when it was cancelled'
            cand cancel 'Cancel a job and its open subtasks'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;jobs;submit'= {
            cand --lang 'The language of the code (python, javascript, typescript, rust, go, c, cpp, java, ruby, shell)'
            cand --dir 'A directory every subtask starts from: packed (its .gitignore and .edgecoderignore respected) and uploaded once by content hash'
            cand --file 'A file every subtask starts from (repeatable); sent with its path relative to the current dir'
            cand --check 'A command run on the merged files once every subtask has ended; the job succeeds only when it exits 0 (`pytest -q`, `cargo test`)'
            cand --part-check 'The command each subtask must pass when the decomposition gives it no check of its own (default: a syntax check of its language''s files, so a module need not run alone)'
            cand --model 'The model every subtask asks for (default: each node''s configured model)'
            cand --max-subtasks 'Split into at most this many subtasks (default: the coordinator''s, 8)'
            cand --max-iterations 'Model calls (each followed by the subtask''s check) each subtask gets at most (default: the coordinator''s, 3)'
            cand --timeout 'With --wait or --follow: stop waiting after this long (exit 124), e.g. 30m; the job goes on'
            cand --out 'With --wait or --follow: write the merged files into this directory when the job succeeded or is partial'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --no-decompose 'Do not split: run the request as one subtask'
            cand --wait 'Wait for the job to end; exit 0 when it succeeded (and write the files into --out)'
            cand --follow 'Like --wait, printing a line per job event (decomposed, subtask claimed, iteration failed, …) while it runs'
            cand --force 'Overwrite files in --out that differ from what the job started from'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;jobs;list'= {
            cand --state 'Only jobs in this state: decomposing, running, aggregating, succeeded, partial, failed, cancelled'
            cand --limit 'At most this many (default 50)'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;jobs;show'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;jobs;wait'= {
            cand --timeout 'Give up after this long (exit 124), e.g. 30m; the job goes on'
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --follow 'Print a line per job event while waiting'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;jobs;cancel'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --json 'Machine-readable output (shapes in docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;server;jobs;help'= {
            cand submit 'Submit a coding request that the coordinator splits into subtasks across the swarm'
            cand list 'Jobs, newest first'
            cand show 'One job: its subtasks as a tree (state, dependencies, node, escalation), its log and its result'
            cand wait 'Wait until a job has ended; exit 0 when it succeeded, 1 when it failed or is partial, 130 when it was cancelled'
            cand cancel 'Cancel a job and its open subtasks'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;jobs;help;submit'= {
        }
        &'edgecoder;server;jobs;help;list'= {
        }
        &'edgecoder;server;jobs;help;show'= {
        }
        &'edgecoder;server;jobs;help;wait'= {
        }
        &'edgecoder;server;jobs;help;cancel'= {
        }
        &'edgecoder;server;jobs;help;help'= {
        }
        &'edgecoder;server;help'= {
            cand status 'Coordinator version, uptime, mode, queue counts, nodes online/pending'
            cand nodes 'List and manage worker nodes'
            cand tasks 'Submit, list, follow and cancel tasks'
            cand queue 'Queue counts by state and the backlog by requirements'
            cand tokens 'Create, list and revoke API and enrollment tokens'
            cand events 'Print the coordinator''s live event stream (until Ctrl-C)'
            cand blacklist 'Refuse nodes by id or address: add, remove, list'
            cand audit 'The record of admin and owner actions, newest first'
            cand mode 'Show or set the network mode (enterprise_overlay or public_mesh)'
            cand credits 'Balances, history, grants, transfers and price quotes'
            cand ledger 'Verify and export the hash-chained ledger'
            cand update 'Replace the coordinator''s binary, draining its local worker first (admin)'
            cand code 'Submit a coding task: a worker''s model writes code until the check passes'
            cand jobs 'Coding requests split into subtasks across the swarm: submit, list, show, wait, cancel'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;server;help;status'= {
        }
        &'edgecoder;server;help;nodes'= {
            cand list 'Every node with its state, resources and running tasks'
            cand show 'One node in full (id, a unique prefix, or its name)'
            cand approve 'Let a pending node run tasks'
            cand reject 'Refuse a pending or approved node'
            cand drain 'Stop giving the node new tasks; its running tasks finish (or are handed back at `--deadline`)'
            cand undrain 'Give a drained node new tasks again'
            cand remove 'Forget the node; it must enroll again'
        }
        &'edgecoder;server;help;nodes;list'= {
        }
        &'edgecoder;server;help;nodes;show'= {
        }
        &'edgecoder;server;help;nodes;approve'= {
        }
        &'edgecoder;server;help;nodes;reject'= {
        }
        &'edgecoder;server;help;nodes;drain'= {
        }
        &'edgecoder;server;help;nodes;undrain'= {
        }
        &'edgecoder;server;help;nodes;remove'= {
        }
        &'edgecoder;server;help;tasks'= {
            cand submit 'Submit a task (`-- CMD ARGS…`, `--script FILE`, or many from `--file tasks.jsonl`)'
            cand list 'Tasks, newest first'
            cand show 'One task with its attempts'
            cand cancel 'Cancel a queued or running task'
            cand logs 'Print a task''s output; `-f` follows it until the task ends'
            cand wait 'Wait until every task given has ended; exits with the task''s code (non-zero if any failed)'
            cand artifacts 'Download the files a task kept (`submit --artifact`), verified; `--json` lists them'
        }
        &'edgecoder;server;help;tasks;submit'= {
        }
        &'edgecoder;server;help;tasks;list'= {
        }
        &'edgecoder;server;help;tasks;show'= {
        }
        &'edgecoder;server;help;tasks;cancel'= {
        }
        &'edgecoder;server;help;tasks;logs'= {
        }
        &'edgecoder;server;help;tasks;wait'= {
        }
        &'edgecoder;server;help;tasks;artifacts'= {
        }
        &'edgecoder;server;help;queue'= {
        }
        &'edgecoder;server;help;tokens'= {
            cand create 'Make a token; its secret is printed once'
            cand list 'list'
            cand revoke 'Revoke a token by id'
        }
        &'edgecoder;server;help;tokens;create'= {
        }
        &'edgecoder;server;help;tokens;list'= {
        }
        &'edgecoder;server;help;tokens;revoke'= {
        }
        &'edgecoder;server;help;events'= {
        }
        &'edgecoder;server;help;blacklist'= {
            cand add 'Refuse a node from now on, by id or by address; its tasks go back to the queue (admin)'
            cand remove 'Remove an entry: its id, or the node id or address it names (admin)'
            cand list 'Every entry with its reason and the nodes it refuses (owner)'
        }
        &'edgecoder;server;help;blacklist;add'= {
        }
        &'edgecoder;server;help;blacklist;remove'= {
        }
        &'edgecoder;server;help;blacklist;list'= {
        }
        &'edgecoder;server;help;audit'= {
        }
        &'edgecoder;server;help;mode'= {
            cand show 'The network mode in force and who set it (the default)'
            cand set 'Change the network mode now: enterprise_overlay or public_mesh (admin)'
        }
        &'edgecoder;server;help;mode;show'= {
        }
        &'edgecoder;server;help;mode;set'= {
        }
        &'edgecoder;server;help;credits'= {
            cand balance 'An account''s balance (default: yours); `--all` lists every account you may see'
            cand history 'An account''s ledger entries, oldest first (default: yours)'
            cand grant 'Give an account credits from the treasury (admin), e.g. `grant user:tok12 25.5`'
            cand transfer 'Move credits from your account (or `--from` a node you enrolled) to another account'
            cand quote 'What submitting a task would hold now: `quote [--requires gpu] [--timeout 10m] -- CMD`'
        }
        &'edgecoder;server;help;credits;balance'= {
        }
        &'edgecoder;server;help;credits;history'= {
        }
        &'edgecoder;server;help;credits;grant'= {
        }
        &'edgecoder;server;help;credits;transfer'= {
        }
        &'edgecoder;server;help;credits;quote'= {
        }
        &'edgecoder;server;help;ledger'= {
            cand verify 'Walk the hash chain and the signed checkpoints; exit 1 naming the first bad entry'
            cand export 'Print the ledger: JSON lines with the signed checkpoints (checked offline by `edgecoder ledger verify`), or CSV for a spreadsheet, optionally for a time window'
        }
        &'edgecoder;server;help;ledger;verify'= {
        }
        &'edgecoder;server;help;ledger;export'= {
        }
        &'edgecoder;server;help;update'= {
            cand status 'The running version, the update in progress and recent updates'
            cand start 'Check a new binary, drain the local worker, swap and restart on the same port'
        }
        &'edgecoder;server;help;update;status'= {
        }
        &'edgecoder;server;help;update;start'= {
        }
        &'edgecoder;server;help;code'= {
        }
        &'edgecoder;server;help;jobs'= {
            cand submit 'Submit a coding request that the coordinator splits into subtasks across the swarm'
            cand list 'Jobs, newest first'
            cand show 'One job: its subtasks as a tree (state, dependencies, node, escalation), its log and its result'
            cand wait 'Wait until a job has ended; exit 0 when it succeeded, 1 when it failed or is partial, 130 when it was cancelled'
            cand cancel 'Cancel a job and its open subtasks'
        }
        &'edgecoder;server;help;jobs;submit'= {
        }
        &'edgecoder;server;help;jobs;list'= {
        }
        &'edgecoder;server;help;jobs;show'= {
        }
        &'edgecoder;server;help;jobs;wait'= {
        }
        &'edgecoder;server;help;jobs;cancel'= {
        }
        &'edgecoder;server;help;help'= {
        }
        &'edgecoder;login'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;logout'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --all 'Forget the tokens of every coordinator'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;service'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand install 'Write the systemd unit (Linux) or launchd plist (macOS) for this binary'
            cand uninstall 'Stop and remove the unit or plist written by `service install`'
            cand status 'Say whether the unit or plist is installed, and where'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;service;install'= {
            cand --path 'The unit or plist file to write or remove (default: /etc/systemd/system/edgecoder.service on Linux, /Library/LaunchDaemons/io.edgecoder.runtime.plist on macOS)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --dry-run 'Print the unit or plist instead of writing it'
            cand --force 'Replace a unit or plist that differs from the one this binary would write'
            cand --user 'The per-user service that runs `edgecoder agent` as you, with your own env file and node secret (~/.config/edgecoder): the systemd user unit edgecoder-agent.service in ~/.config/systemd/user, or the LaunchAgent io.edgecoder.agent in ~/Library/LaunchAgents. No root needed. Without it: the system service, which reads /etc/edgecoder'
            cand --json 'Machine-readable output (status only)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;service;uninstall'= {
            cand --path 'The unit or plist file to write or remove (default: /etc/systemd/system/edgecoder.service on Linux, /Library/LaunchDaemons/io.edgecoder.runtime.plist on macOS)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --dry-run 'Say what would be removed, change nothing'
            cand --user 'The per-user service that runs `edgecoder agent` as you, with your own env file and node secret (~/.config/edgecoder): the systemd user unit edgecoder-agent.service in ~/.config/systemd/user, or the LaunchAgent io.edgecoder.agent in ~/Library/LaunchAgents. No root needed. Without it: the system service, which reads /etc/edgecoder'
            cand --json 'Machine-readable output (status only)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;service;status'= {
            cand --path 'The unit or plist file to write or remove (default: /etc/systemd/system/edgecoder.service on Linux, /Library/LaunchDaemons/io.edgecoder.runtime.plist on macOS)'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --user 'The per-user service that runs `edgecoder agent` as you, with your own env file and node secret (~/.config/edgecoder): the systemd user unit edgecoder-agent.service in ~/.config/systemd/user, or the LaunchAgent io.edgecoder.agent in ~/Library/LaunchAgents. No root needed. Without it: the system service, which reads /etc/edgecoder'
            cand --json 'Machine-readable output (status only)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;service;help'= {
            cand install 'Write the systemd unit (Linux) or launchd plist (macOS) for this binary'
            cand uninstall 'Stop and remove the unit or plist written by `service install`'
            cand status 'Say whether the unit or plist is installed, and where'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;service;help;install'= {
        }
        &'edgecoder;service;help;uninstall'= {
        }
        &'edgecoder;service;help;status'= {
        }
        &'edgecoder;service;help;help'= {
        }
        &'edgecoder;__update-guard'= {
            cand --parent 'parent'
            cand --health-url 'health-url'
            cand --expect-version 'expect-version'
            cand --exe 'exe'
            cand --rollback 'rollback'
            cand --listen-fd 'listen-fd'
            cand --timeout-secs 'timeout-secs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;ledger'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand verify 'Check an export from `edgecoder server ledger export`: the chain and its signatures'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;ledger;verify'= {
            cand --file 'The JSON-lines export'
            cand --public-key 'The coordinator''s ledger public key (hex) to trust instead of the one in the file'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --json 'Machine-readable output (see docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;ledger;help'= {
            cand verify 'Check an export from `edgecoder server ledger export`: the chain and its signatures'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;ledger;help;verify'= {
        }
        &'edgecoder;ledger;help;help'= {
        }
        &'edgecoder;dash'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand --read-only 'Look, don''t touch: hide every action (approve, drain, cancel)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;task'= {
            cand --runs-dir 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand run 'Run a command on this machine in the sandbox and record it (`-- CMD ARGS…`); exits with the command''s exit code (124 on timeout)'
            cand list 'Local runs, newest first'
            cand show 'One task with its runs (id or unique prefix)'
            cand logs 'Print a task''s output: stdout to stdout, stderr to stderr'
            cand stop 'Stop a running task (from any terminal); it is recorded as cancelled'
            cand rm 'Delete a task''s records and output (refused while it runs)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;task;run'= {
            cand --project 'Group the record under this project (default: the current directory''s name)'
            cand --timeout 'Stop the task after this long, e.g. 30s, 10m, 2h (default: EDGECODER_DEFAULT_TASK_TIMEOUT)'
            cand --runs-dir 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --keep-workdir 'Keep the task''s working directory (`<run dir>/work`) after it ends'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;task;list'= {
            cand --project 'Only this project''s tasks'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --runs-dir 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --json 'Machine-readable output (see docs/json-output.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;task;show'= {
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --runs-dir 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --json 'Machine-readable output (see docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;task;logs'= {
            cand --runs-dir 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -f 'Keep printing output until the run ends'
            cand --follow 'Keep printing output until the run ends'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;task;stop'= {
            cand --runs-dir 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;task;rm'= {
            cand --runs-dir 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;task;help'= {
            cand run 'Run a command on this machine in the sandbox and record it (`-- CMD ARGS…`); exits with the command''s exit code (124 on timeout)'
            cand list 'Local runs, newest first'
            cand show 'One task with its runs (id or unique prefix)'
            cand logs 'Print a task''s output: stdout to stdout, stderr to stderr'
            cand stop 'Stop a running task (from any terminal); it is recorded as cancelled'
            cand rm 'Delete a task''s records and output (refused while it runs)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;task;help;run'= {
        }
        &'edgecoder;task;help;list'= {
        }
        &'edgecoder;task;help;show'= {
        }
        &'edgecoder;task;help;logs'= {
        }
        &'edgecoder;task;help;stop'= {
        }
        &'edgecoder;task;help;rm'= {
        }
        &'edgecoder;task;help;help'= {
        }
        &'edgecoder;code'= {
            cand --lang 'The language of the code (python, javascript, typescript, rust, go, c, cpp, java, ruby, shell)'
            cand --file 'A file the model starts from (repeatable); sent with its path relative to the current dir'
            cand --dir 'A directory the model starts from, packed up (its .gitignore and .edgecoderignore respected)'
            cand --check 'A command that must exit 0 for the code to count as done (`pytest -q`, `cargo test`); without one, the program must run and exit 0'
            cand --model 'The model to use (default: the node''s configured model)'
            cand --max-iterations 'How many model calls, each followed by the check, at most'
            cand --check-timeout 'Seconds one run of the check may take'
            cand --out 'Write the final files into this directory; without it they are listed, not written'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --server 'The coordinator --handoff submits to (default: EDGECODER_URL, the configured one, the local server.json, then http://127.0.0.1:4301). The token: EDGECODER_TOKEN or `login`'
            cand --runs-dir 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --force 'Overwrite files in --out that differ from what the task started from'
            cand --json 'Print the result as JSON (the task, or the local run, with its code result)'
            cand --handoff 'When the loop gives up here, submit the same task, with its history, to the coordinator. Without it nothing leaves this machine'
            cand --allow-insecure 'Allow --handoff to send the token over plain HTTP to a host that is not this machine'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;gc'= {
            cand --older-than 'Delete finished runs that ended longer ago than this, e.g. 12h, 7d'
            cand --project 'Only this project''s runs'
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --runs-dir 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --dry-run 'Only say what would be deleted'
            cand --keep-failed 'Keep failed and timed-out runs'
            cand --json 'Machine-readable output (see docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;completions'= {
            cand --dir 'Write the scripts into this directory under their installed names'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;man'= {
            cand --dir 'Write one page per command into this directory'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;auth'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'Which coordinator, which identity and role, and where the token comes from (exit 3 when not logged in)'
            cand whoami 'Which coordinator, which identity and role, and where the token comes from (exit 3 when not logged in)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;auth;status'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --json 'Machine-readable output (shape in docs/json-output.md)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;auth;whoami'= {
            cand --server 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)'
            cand --token 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --json 'Machine-readable output (shape in docs/json-output.md)'
            cand --allow-insecure 'Allow sending the token over plain HTTP to a host that is not this machine'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;auth;help'= {
            cand status 'Which coordinator, which identity and role, and where the token comes from (exit 3 when not logged in)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;auth;help;status'= {
        }
        &'edgecoder;auth;help;help'= {
        }
        &'edgecoder;ide'= {
            cand --host 'Address to listen on (default 127.0.0.1, EDGECODER_IDE_HOST); anything but loopback needs a token made beforehand (`edgecoder ide token`)'
            cand --port 'Port to listen on (default 4304, EDGECODER_IDE_PORT); 0 takes any free port'
            cand --route 'Where calls go: local-only, prefer-local or swarm (EDGECODER_IDE_ROUTE; default local-only with a model server, else swarm)'
            cand --log-level 'Log filter: error, warn, info, debug, trace (or a tracing directive)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand token 'Print the token editors send as their API key (made now if there is none yet)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;ide;token'= {
            cand --jq 'Filter the JSON output with a jq expression (implies --json; strings print raw)'
            cand --config 'Config file (default: ./edgecoder.toml, then the user and system config dirs)'
            cand --env-file 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)'
            cand --json 'Machine-readable output (see docs/json-output.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'edgecoder;ide;help'= {
            cand token 'Print the token editors send as their API key (made now if there is none yet)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;ide;help;token'= {
        }
        &'edgecoder;ide;help;help'= {
        }
        &'edgecoder;help'= {
            cand serve 'Run the coordinator (and, by default, a local worker) until SIGINT/SIGTERM'
            cand agent 'Run this machine as a worker node in the foreground (what the service runs)'
            cand enroll 'Enroll this machine with a coordinator using an enrollment token'
            cand status 'Show this node: enrolled, coordinator reachable, approved, where its files are'
            cand env 'Read and edit the env file (comments, order and unknown keys are kept)'
            cand logs 'Read the log files of `serve` and `agent` on this machine'
            cand db 'The coordinator''s database: which one, its schema version, migrations'
            cand config 'Inspect the resolved configuration'
            cand server 'Drive a running coordinator: status, nodes, tasks, queue, tokens, events'
            cand login 'Check an API token against a coordinator and store it for later commands'
            cand logout 'Forget the stored token of a coordinator'
            cand service 'Install, remove or inspect the systemd unit (Linux) or launchd plist (macOS)'
            cand __update-guard 'Watches a coordinator''s self-update and rolls it back if needed (started by the coordinator itself)'
            cand ledger 'Check a ledger export offline (`ledger verify --file export.jsonl`)'
            cand dash 'A live terminal dashboard of a coordinator: queue, nodes, credits, events'
            cand task 'Run commands on this machine with no coordinator, and read their records'
            cand code 'Write code with this machine''s own model, checked in the sandbox, with no coordinator (recorded as a local run; `--handoff` gives it to the swarm when it gives up)'
            cand gc 'Delete old finished local runs (`edgecoder task`) and say what that freed'
            cand completions 'Print a shell completion script (or write every shell''s with --dir)'
            cand man 'Print the man page (or write one page per command with --dir)'
            cand auth 'Who you are to a coordinator and where your token comes from (`auth status`)'
            cand ide 'Serve this machine''s model (or the swarm''s) to editors on a local OpenAI- and Ollama-compatible endpoint (`ide token` prints the key to give them)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'edgecoder;help;serve'= {
        }
        &'edgecoder;help;agent'= {
            cand pause 'Stop this machine''s agent taking new work, now and across its restarts, until `resume` or `--for` runs out (running tasks follow the host policy)'
            cand resume 'Lift the owner''s pause'
        }
        &'edgecoder;help;agent;pause'= {
        }
        &'edgecoder;help;agent;resume'= {
        }
        &'edgecoder;help;enroll'= {
        }
        &'edgecoder;help;status'= {
        }
        &'edgecoder;help;env'= {
            cand list 'Print every KEY=value (secrets masked)'
            cand get 'Print one value (exit 4 when unset)'
            cand set 'Set a value (known keys are validated; unknown keys are kept with a warning)'
            cand unset 'Remove a key'
            cand path 'Print the env file''s path'
            cand edit 'Open the env file in $EDITOR; it is checked before it replaces the original'
        }
        &'edgecoder;help;env;list'= {
        }
        &'edgecoder;help;env;get'= {
        }
        &'edgecoder;help;env;set'= {
        }
        &'edgecoder;help;env;unset'= {
        }
        &'edgecoder;help;env;path'= {
        }
        &'edgecoder;help;env;edit'= {
        }
        &'edgecoder;help;logs'= {
        }
        &'edgecoder;help;db'= {
            cand status 'Which database the coordinator uses, its schema version and the migrations pending'
            cand migrate 'Bring the schema up to date now (`serve` also does this when it starts; coordinators sharing a PostgreSQL database migrate it once between them)'
            cand copy 'Copy every row of a coordinator''s database into another, empty one (a SQLite coordinator onto PostgreSQL, say), in one transaction; stop the coordinator first'
        }
        &'edgecoder;help;db;status'= {
        }
        &'edgecoder;help;db;migrate'= {
        }
        &'edgecoder;help;db;copy'= {
        }
        &'edgecoder;help;config'= {
            cand show 'Print every setting, its value, and where the value came from'
        }
        &'edgecoder;help;config;show'= {
        }
        &'edgecoder;help;server'= {
            cand status 'Coordinator version, uptime, mode, queue counts, nodes online/pending'
            cand nodes 'List and manage worker nodes'
            cand tasks 'Submit, list, follow and cancel tasks'
            cand queue 'Queue counts by state and the backlog by requirements'
            cand tokens 'Create, list and revoke API and enrollment tokens'
            cand events 'Print the coordinator''s live event stream (until Ctrl-C)'
            cand blacklist 'Refuse nodes by id or address: add, remove, list'
            cand audit 'The record of admin and owner actions, newest first'
            cand mode 'Show or set the network mode (enterprise_overlay or public_mesh)'
            cand credits 'Balances, history, grants, transfers and price quotes'
            cand ledger 'Verify and export the hash-chained ledger'
            cand update 'Replace the coordinator''s binary, draining its local worker first (admin)'
            cand code 'Submit a coding task: a worker''s model writes code until the check passes'
            cand jobs 'Coding requests split into subtasks across the swarm: submit, list, show, wait, cancel'
        }
        &'edgecoder;help;server;status'= {
        }
        &'edgecoder;help;server;nodes'= {
            cand list 'Every node with its state, resources and running tasks'
            cand show 'One node in full (id, a unique prefix, or its name)'
            cand approve 'Let a pending node run tasks'
            cand reject 'Refuse a pending or approved node'
            cand drain 'Stop giving the node new tasks; its running tasks finish (or are handed back at `--deadline`)'
            cand undrain 'Give a drained node new tasks again'
            cand remove 'Forget the node; it must enroll again'
        }
        &'edgecoder;help;server;nodes;list'= {
        }
        &'edgecoder;help;server;nodes;show'= {
        }
        &'edgecoder;help;server;nodes;approve'= {
        }
        &'edgecoder;help;server;nodes;reject'= {
        }
        &'edgecoder;help;server;nodes;drain'= {
        }
        &'edgecoder;help;server;nodes;undrain'= {
        }
        &'edgecoder;help;server;nodes;remove'= {
        }
        &'edgecoder;help;server;tasks'= {
            cand submit 'Submit a task (`-- CMD ARGS…`, `--script FILE`, or many from `--file tasks.jsonl`)'
            cand list 'Tasks, newest first'
            cand show 'One task with its attempts'
            cand cancel 'Cancel a queued or running task'
            cand logs 'Print a task''s output; `-f` follows it until the task ends'
            cand wait 'Wait until every task given has ended; exits with the task''s code (non-zero if any failed)'
            cand artifacts 'Download the files a task kept (`submit --artifact`), verified; `--json` lists them'
        }
        &'edgecoder;help;server;tasks;submit'= {
        }
        &'edgecoder;help;server;tasks;list'= {
        }
        &'edgecoder;help;server;tasks;show'= {
        }
        &'edgecoder;help;server;tasks;cancel'= {
        }
        &'edgecoder;help;server;tasks;logs'= {
        }
        &'edgecoder;help;server;tasks;wait'= {
        }
        &'edgecoder;help;server;tasks;artifacts'= {
        }
        &'edgecoder;help;server;queue'= {
        }
        &'edgecoder;help;server;tokens'= {
            cand create 'Make a token; its secret is printed once'
            cand list 'list'
            cand revoke 'Revoke a token by id'
        }
        &'edgecoder;help;server;tokens;create'= {
        }
        &'edgecoder;help;server;tokens;list'= {
        }
        &'edgecoder;help;server;tokens;revoke'= {
        }
        &'edgecoder;help;server;events'= {
        }
        &'edgecoder;help;server;blacklist'= {
            cand add 'Refuse a node from now on, by id or by address; its tasks go back to the queue (admin)'
            cand remove 'Remove an entry: its id, or the node id or address it names (admin)'
            cand list 'Every entry with its reason and the nodes it refuses (owner)'
        }
        &'edgecoder;help;server;blacklist;add'= {
        }
        &'edgecoder;help;server;blacklist;remove'= {
        }
        &'edgecoder;help;server;blacklist;list'= {
        }
        &'edgecoder;help;server;audit'= {
        }
        &'edgecoder;help;server;mode'= {
            cand show 'The network mode in force and who set it (the default)'
            cand set 'Change the network mode now: enterprise_overlay or public_mesh (admin)'
        }
        &'edgecoder;help;server;mode;show'= {
        }
        &'edgecoder;help;server;mode;set'= {
        }
        &'edgecoder;help;server;credits'= {
            cand balance 'An account''s balance (default: yours); `--all` lists every account you may see'
            cand history 'An account''s ledger entries, oldest first (default: yours)'
            cand grant 'Give an account credits from the treasury (admin), e.g. `grant user:tok12 25.5`'
            cand transfer 'Move credits from your account (or `--from` a node you enrolled) to another account'
            cand quote 'What submitting a task would hold now: `quote [--requires gpu] [--timeout 10m] -- CMD`'
        }
        &'edgecoder;help;server;credits;balance'= {
        }
        &'edgecoder;help;server;credits;history'= {
        }
        &'edgecoder;help;server;credits;grant'= {
        }
        &'edgecoder;help;server;credits;transfer'= {
        }
        &'edgecoder;help;server;credits;quote'= {
        }
        &'edgecoder;help;server;ledger'= {
            cand verify 'Walk the hash chain and the signed checkpoints; exit 1 naming the first bad entry'
            cand export 'Print the ledger: JSON lines with the signed checkpoints (checked offline by `edgecoder ledger verify`), or CSV for a spreadsheet, optionally for a time window'
        }
        &'edgecoder;help;server;ledger;verify'= {
        }
        &'edgecoder;help;server;ledger;export'= {
        }
        &'edgecoder;help;server;update'= {
            cand status 'The running version, the update in progress and recent updates'
            cand start 'Check a new binary, drain the local worker, swap and restart on the same port'
        }
        &'edgecoder;help;server;update;status'= {
        }
        &'edgecoder;help;server;update;start'= {
        }
        &'edgecoder;help;server;code'= {
        }
        &'edgecoder;help;server;jobs'= {
            cand submit 'Submit a coding request that the coordinator splits into subtasks across the swarm'
            cand list 'Jobs, newest first'
            cand show 'One job: its subtasks as a tree (state, dependencies, node, escalation), its log and its result'
            cand wait 'Wait until a job has ended; exit 0 when it succeeded, 1 when it failed or is partial, 130 when it was cancelled'
            cand cancel 'Cancel a job and its open subtasks'
        }
        &'edgecoder;help;server;jobs;submit'= {
        }
        &'edgecoder;help;server;jobs;list'= {
        }
        &'edgecoder;help;server;jobs;show'= {
        }
        &'edgecoder;help;server;jobs;wait'= {
        }
        &'edgecoder;help;server;jobs;cancel'= {
        }
        &'edgecoder;help;login'= {
        }
        &'edgecoder;help;logout'= {
        }
        &'edgecoder;help;service'= {
            cand install 'Write the systemd unit (Linux) or launchd plist (macOS) for this binary'
            cand uninstall 'Stop and remove the unit or plist written by `service install`'
            cand status 'Say whether the unit or plist is installed, and where'
        }
        &'edgecoder;help;service;install'= {
        }
        &'edgecoder;help;service;uninstall'= {
        }
        &'edgecoder;help;service;status'= {
        }
        &'edgecoder;help;__update-guard'= {
        }
        &'edgecoder;help;ledger'= {
            cand verify 'Check an export from `edgecoder server ledger export`: the chain and its signatures'
        }
        &'edgecoder;help;ledger;verify'= {
        }
        &'edgecoder;help;dash'= {
        }
        &'edgecoder;help;task'= {
            cand run 'Run a command on this machine in the sandbox and record it (`-- CMD ARGS…`); exits with the command''s exit code (124 on timeout)'
            cand list 'Local runs, newest first'
            cand show 'One task with its runs (id or unique prefix)'
            cand logs 'Print a task''s output: stdout to stdout, stderr to stderr'
            cand stop 'Stop a running task (from any terminal); it is recorded as cancelled'
            cand rm 'Delete a task''s records and output (refused while it runs)'
        }
        &'edgecoder;help;task;run'= {
        }
        &'edgecoder;help;task;list'= {
        }
        &'edgecoder;help;task;show'= {
        }
        &'edgecoder;help;task;logs'= {
        }
        &'edgecoder;help;task;stop'= {
        }
        &'edgecoder;help;task;rm'= {
        }
        &'edgecoder;help;code'= {
        }
        &'edgecoder;help;gc'= {
        }
        &'edgecoder;help;completions'= {
        }
        &'edgecoder;help;man'= {
        }
        &'edgecoder;help;auth'= {
            cand status 'Which coordinator, which identity and role, and where the token comes from (exit 3 when not logged in)'
        }
        &'edgecoder;help;auth;status'= {
        }
        &'edgecoder;help;ide'= {
            cand token 'Print the token editors send as their API key (made now if there is none yet)'
        }
        &'edgecoder;help;ide;token'= {
        }
        &'edgecoder;help;help'= {
        }
    ]
    $completions[$command]
}
