
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'edgecoder' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'edgecoder'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'edgecoder' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the coordinator (and, by default, a local worker) until SIGINT/SIGTERM')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'Run this machine as a worker node in the foreground (what the service runs)')
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Enroll this machine with a coordinator using an enrollment token')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show this node: enrolled, coordinator reachable, approved, where its files are')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Read and edit the env file (comments, order and unknown keys are kept)')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Read the log files of `serve` and `agent` on this machine')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'The coordinator''s database: which one, its schema version, migrations')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Inspect the resolved configuration')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Drive a running coordinator: status, nodes, tasks, queue, tokens, events')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Check an API token against a coordinator and store it for later commands')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget the stored token of a coordinator')
            [CompletionResult]::new('service', 'service', [CompletionResultType]::ParameterValue, 'Install, remove or inspect the systemd unit (Linux) or launchd plist (macOS)')
            [CompletionResult]::new('__update-guard', '__update-guard', [CompletionResultType]::ParameterValue, 'Watches a coordinator''s self-update and rolls it back if needed (started by the coordinator itself)')
            [CompletionResult]::new('ledger', 'ledger', [CompletionResultType]::ParameterValue, 'Check a ledger export offline (`ledger verify --file export.jsonl`)')
            [CompletionResult]::new('dash', 'dash', [CompletionResultType]::ParameterValue, 'A live terminal dashboard of a coordinator: queue, nodes, credits, events')
            [CompletionResult]::new('task', 'task', [CompletionResultType]::ParameterValue, 'Run commands on this machine with no coordinator, and read their records')
            [CompletionResult]::new('code', 'code', [CompletionResultType]::ParameterValue, 'Write code with this machine''s own model, checked in the sandbox, with no coordinator (recorded as a local run; `--handoff` gives it to the swarm when it gives up)')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Delete old finished local runs (`edgecoder task`) and say what that freed')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (or write every shell''s with --dir)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (or write one page per command with --dir)')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Who you are to a coordinator and where your token comes from (`auth status`)')
            [CompletionResult]::new('ide', 'ide', [CompletionResultType]::ParameterValue, 'Serve this machine''s model (or the swarm''s) to editors on a local OpenAI- and Ollama-compatible endpoint (`ide token` prints the key to give them)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;serve' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address to listen on')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on; given explicitly it is tried once, else up to 100 ports from 4301 (4302 in inference mode)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where the database, server.json and task working dirs live')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Where the queue and ledger live: `sqlite` (default: edgecoder.db in the data dir), `sqlite:PATH`, or `postgres://user@host/db`, which several coordinators can share (EDGECODER_DATABASE_URL; the password may come from EDGECODER_DATABASE_PASSWORD_FILE)')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'What this process runs (EDGE_RUNTIME_MODE; default all-in-one)')
            [CompletionResult]::new('--retention-days', '--retention-days', [CompletionResultType]::ParameterName, 'Delete finished tasks, their logs and events this many days after they end; 0 keeps them forever (EDGECODER_RETENTION_DAYS, default 30)')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'Log filter: error, warn, info, debug, trace (or a tracing directive)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--no-local-worker', '--no-local-worker', [CompletionResultType]::ParameterName, 'Do not start the local worker in all-in-one mode')
            [CompletionResult]::new('--free', '--free', [CompletionResultType]::ParameterName, 'Turn pricing off: nothing is held, charged or granted (EDGECODER_PRICING=false)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;agent' {
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--coordinator', '--coordinator', [CompletionResultType]::ParameterName, 'Coordinator URL (default: COORDINATOR_URL from the env file)')
            [CompletionResult]::new('--max-concurrent', '--max-concurrent', [CompletionResultType]::ParameterName, 'Tasks to run at once (default: MAX_CONCURRENT_TASKS, else the number of CPUs)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where task working directories are made')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'Log filter: error, warn, info, debug, trace (or a tracing directive)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--detect', '--detect', [CompletionResultType]::ParameterName, 'Print this machine''s capabilities and exit')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'With --detect: machine-readable output')
            [CompletionResult]::new('--keep-workdirs', '--keep-workdirs', [CompletionResultType]::ParameterName, 'Keep each task''s working directory after it ends (for debugging)')
            [CompletionResult]::new('--ephemeral', '--ephemeral', [CompletionResultType]::ParameterName, 'Run one task, then exit (a clean one-job worker, as GitHub''s `--ephemeral`): the node shows offline afterwards; the exit code is 0 whatever the task''s outcome')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Stop this machine''s agent taking new work, now and across its restarts, until `resume` or `--for` runs out (running tasks follow the host policy)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Lift the owner''s pause')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;agent;pause' {
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'Resume by itself after this long, e.g. 2h (default: until `edgecoder agent resume`)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;agent;resume' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;agent;help' {
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Stop this machine''s agent taking new work, now and across its restarts, until `resume` or `--for` runs out (running tasks follow the host policy)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Lift the owner''s pause')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;agent;help;pause' {
            break
        }
        'edgecoder;agent;help;resume' {
            break
        }
        'edgecoder;agent;help;help' {
            break
        }
        'edgecoder;enroll' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The enrollment token; `-` reads it from stdin (keeps it out of the process list)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the enrollment token from a file')
            [CompletionResult]::new('--coordinator', '--coordinator', [CompletionResultType]::ParameterName, 'Coordinator URL (default: COORDINATOR_URL from the env file)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name shown for this node (default: the hostname)')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'A label for scheduling, KEY=VALUE; repeatable')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;status' {
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (see docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;env' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print every KEY=value (secrets masked)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one value (exit 4 when unset)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a value (known keys are validated; unknown keys are kept with a warning)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a key')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the env file''s path')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Open the env file in $EDITOR; it is checked before it replaces the original')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;env;list' {
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Print secrets instead of masking them')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (see docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;env;get' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;env;set' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;env;unset' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;env;path' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;env;edit' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;env;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print every KEY=value (secrets masked)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one value (exit 4 when unset)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a value (known keys are validated; unknown keys are kept with a warning)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a key')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the env file''s path')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Open the env file in $EDITOR; it is checked before it replaces the original')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;env;help;list' {
            break
        }
        'edgecoder;env;help;get' {
            break
        }
        'edgecoder;env;help;set' {
            break
        }
        'edgecoder;env;help;unset' {
            break
        }
        'edgecoder;env;help;path' {
            break
        }
        'edgecoder;env;help;edit' {
            break
        }
        'edgecoder;env;help;help' {
            break
        }
        'edgecoder;logs' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print only the last N lines (default: all; 20 with --follow)')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'Print only the last N lines (default: all; 20 with --follow)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only lines newer than this, e.g. 10m or 2h')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Only lines at this level or above: trace, debug, info, warn, error')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--log-dir', '--log-dir', [CompletionResultType]::ParameterName, 'Read logs from this directory instead of the configured one')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing new lines as they are written')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing new lines as they are written')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the raw JSON lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;db' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Which database the coordinator uses, its schema version and the migrations pending')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Bring the schema up to date now (`serve` also does this when it starts; coordinators sharing a PostgreSQL database migrate it once between them)')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy every row of a coordinator''s database into another, empty one (a SQLite coordinator onto PostgreSQL, say), in one transaction; stop the coordinator first')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;db;status' {
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, '`sqlite` (edgecoder.db in the data dir), `sqlite:PATH` or `postgres://user@host/db` (default: EDGECODER_DATABASE_URL, else sqlite)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The coordinator''s data dir (where a SQLite database lives)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (see docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;db;migrate' {
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, '`sqlite` (edgecoder.db in the data dir), `sqlite:PATH` or `postgres://user@host/db` (default: EDGECODER_DATABASE_URL, else sqlite)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The coordinator''s data dir (where a SQLite database lives)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;db;copy' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The database to read: `sqlite:PATH`, or `postgres://…`')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The database to fill: `postgres://…` or `sqlite:PATH`; made and migrated if need be, and it must hold no data yet')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;db;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Which database the coordinator uses, its schema version and the migrations pending')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Bring the schema up to date now (`serve` also does this when it starts; coordinators sharing a PostgreSQL database migrate it once between them)')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy every row of a coordinator''s database into another, empty one (a SQLite coordinator onto PostgreSQL, say), in one transaction; stop the coordinator first')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;db;help;status' {
            break
        }
        'edgecoder;db;help;migrate' {
            break
        }
        'edgecoder;db;help;copy' {
            break
        }
        'edgecoder;db;help;help' {
            break
        }
        'edgecoder;config' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print every setting, its value, and where the value came from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;config;show' {
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (see docs/json-output.md)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Print secrets instead of masking them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print every setting, its value, and where the value came from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;config;help;show' {
            break
        }
        'edgecoder;config;help;help' {
            break
        }
        'edgecoder;server' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Coordinator version, uptime, mode, queue counts, nodes online/pending')
            [CompletionResult]::new('nodes', 'nodes', [CompletionResultType]::ParameterValue, 'List and manage worker nodes')
            [CompletionResult]::new('tasks', 'tasks', [CompletionResultType]::ParameterValue, 'Submit, list, follow and cancel tasks')
            [CompletionResult]::new('queue', 'queue', [CompletionResultType]::ParameterValue, 'Queue counts by state and the backlog by requirements')
            [CompletionResult]::new('tokens', 'tokens', [CompletionResultType]::ParameterValue, 'Create, list and revoke API and enrollment tokens')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'Print the coordinator''s live event stream (until Ctrl-C)')
            [CompletionResult]::new('blacklist', 'blacklist', [CompletionResultType]::ParameterValue, 'Refuse nodes by id or address: add, remove, list')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The record of admin and owner actions, newest first')
            [CompletionResult]::new('mode', 'mode', [CompletionResultType]::ParameterValue, 'Show or set the network mode (enterprise_overlay or public_mesh)')
            [CompletionResult]::new('credits', 'credits', [CompletionResultType]::ParameterValue, 'Balances, history, grants, transfers and price quotes')
            [CompletionResult]::new('ledger', 'ledger', [CompletionResultType]::ParameterValue, 'Verify and export the hash-chained ledger')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Replace the coordinator''s binary, draining its local worker first (admin)')
            [CompletionResult]::new('code', 'code', [CompletionResultType]::ParameterValue, 'Submit a coding task: a worker''s model writes code until the check passes')
            [CompletionResult]::new('jobs', 'jobs', [CompletionResultType]::ParameterValue, 'Coding requests split into subtasks across the swarm: submit, list, show, wait, cancel')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;status' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;nodes' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every node with its state, resources and running tasks')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One node in full (id, a unique prefix, or its name)')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Let a pending node run tasks')
            [CompletionResult]::new('reject', 'reject', [CompletionResultType]::ParameterValue, 'Refuse a pending or approved node')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Stop giving the node new tasks; its running tasks finish (or are handed back at `--deadline`)')
            [CompletionResult]::new('undrain', 'undrain', [CompletionResultType]::ParameterValue, 'Give a drained node new tasks again')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Forget the node; it must enroll again')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;nodes;list' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Only nodes in this state: pending, approved, rejected, removed')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;nodes;show' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;nodes;approve' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;nodes;reject' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;nodes;drain' {
            [CompletionResult]::new('--deadline', '--deadline', [CompletionResultType]::ParameterName, 'Hand the tasks the node still runs back to the queue after this long (not counted as attempts; the node is told to stop them), e.g. 10m')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --wait: give up after this long (exit 124); the drain goes on')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Return only when the node runs nothing')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;nodes;undrain' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;nodes;remove' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;nodes;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every node with its state, resources and running tasks')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One node in full (id, a unique prefix, or its name)')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Let a pending node run tasks')
            [CompletionResult]::new('reject', 'reject', [CompletionResultType]::ParameterValue, 'Refuse a pending or approved node')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Stop giving the node new tasks; its running tasks finish (or are handed back at `--deadline`)')
            [CompletionResult]::new('undrain', 'undrain', [CompletionResultType]::ParameterValue, 'Give a drained node new tasks again')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Forget the node; it must enroll again')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;nodes;help;list' {
            break
        }
        'edgecoder;server;nodes;help;show' {
            break
        }
        'edgecoder;server;nodes;help;approve' {
            break
        }
        'edgecoder;server;nodes;help;reject' {
            break
        }
        'edgecoder;server;nodes;help;drain' {
            break
        }
        'edgecoder;server;nodes;help;undrain' {
            break
        }
        'edgecoder;server;nodes;help;remove' {
            break
        }
        'edgecoder;server;nodes;help;help' {
            break
        }
        'edgecoder;server;tasks' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Submit a task (`-- CMD ARGS…`, `--script FILE`, or many from `--file tasks.jsonl`)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Tasks, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One task with its attempts')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a queued or running task')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a task''s output; `-f` follows it until the task ends')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until every task given has ended; exits with the task''s code (non-zero if any failed)')
            [CompletionResult]::new('artifacts', 'artifacts', [CompletionResultType]::ParameterValue, 'Download the files a task kept (`submit --artifact`), verified; `--json` lists them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;tasks;submit' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'A short name for the task, shown in lists (a matrix entry, a CI job''s name)')
            [CompletionResult]::new('--retry', '--retry', [CompletionResultType]::ParameterName, 'Run a task that exited non-zero again, up to N more times (default: never; its failure is the answer). Lost nodes and agent shutdowns are retried regardless')
            [CompletionResult]::new('--retry-on-exit', '--retry-on-exit', [CompletionResultType]::ParameterName, 'With --retry: retry only these exit codes, comma separated (e.g. 3,75)')
            [CompletionResult]::new('--task-env-file', '--task-env-file', [CompletionResultType]::ParameterName, 'Environment variables for the task from a file of KEY=VALUE lines (the env file format); --env wins over it. Not to be confused with --env-file, edgecoder''s own settings')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The task''s wall-clock limit, e.g. 30s, 10m (default: the coordinator''s)')
            [CompletionResult]::new('--requires', '--requires', [CompletionResultType]::ParameterName, 'Run only on a node with what is named: `gpu`, or a toolchain its tasks can run (`cargo`, `python3`, any name a node advertises); repeatable')
            [CompletionResult]::new('--min-memory', '--min-memory', [CompletionResultType]::ParameterName, 'Run only on a node with at least this much memory, e.g. 512M, 4G')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'Run only on a node with this label, KEY=VALUE; repeatable')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Higher runs first (default 0)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Run the task at most this many times when attempts fail (default: the coordinator''s)')
            [CompletionResult]::new('--idempotency-key', '--idempotency-key', [CompletionResultType]::ParameterName, 'Submitting again with the same key returns the first task instead of a new one')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'An environment variable for the task, KEY=VALUE; repeatable')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'A secret env var for the task, KEY=VALUE, or KEY alone to take the value from this environment (keeps it out of argv); repeatable. Stored encrypted, never shown, masked in the task''s output')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Secrets from a file of KEY=VALUE lines (the env file format)')
            [CompletionResult]::new('--git', '--git', [CompletionResultType]::ParameterName, 'Run in a checkout of this git repository (https://, ssh:// or file:// URL); the worker clones it shallow into its cache. Needs --ref')
            [CompletionResult]::new('--ref', '--ref', [CompletionResultType]::ParameterName, 'With --git: the branch, tag or commit to check out')
            [CompletionResult]::new('--git-secret', '--git-secret', [CompletionResultType]::ParameterName, 'With --git: the task secret (a --secret name) holding the credentials for a private repository: a token, or USER:TOKEN. Never put in argv or logs')
            [CompletionResult]::new('--script', '--script', [CompletionResultType]::ParameterName, 'Run this shell script instead of a command')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Submit every line of this JSON-lines file (each a submit request; see docs/json-output.md)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Run in a copy of this directory: packed (its .gitignore and .edgecoderignore respected), uploaded once by content hash (an unchanged tree uploads nothing), unpacked on the worker')
            [CompletionResult]::new('--artifact', '--artifact', [CompletionResultType]::ParameterName, 'Keep the files matching this glob (relative to the working dir; `**/*.xml` crosses directories) as artifacts when the task ends; repeatable. `tasks artifacts ID` fetches them')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Keep this directory of the working dir on the node between your tasks naming the same cache, NAME=PATH (e.g. cargo=target); repeatable. Restored before, saved after success')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the task to end, print its output, and exit with its exit code (124 when it timed out; SIGTERM with no terminal cancels the task and exits 143)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'With --wait: stream the task''s output while it runs (implies --wait)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'With --wait: do not print the task''s output when it ends (the summary line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'With --wait: do not print the task''s output when it ends (the summary line stays)')
            [CompletionResult]::new('--local-only', '--local-only', [CompletionResultType]::ParameterName, 'Run only on nodes this coordinator''s owner trusts')
            [CompletionResult]::new('--no-network', '--no-network', [CompletionResultType]::ParameterName, 'Cut the task off the network where the node can')
            [CompletionResult]::new('--git-files', '--git-files', [CompletionResultType]::ParameterName, 'With --dir: pack exactly the files `git ls-files` lists')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;tasks;list' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Only tasks in this state: queued, leased, running, succeeded, failed, cancelled, timed_out')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'Only tasks that ran on this node')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many (default 50)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;tasks;show' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;tasks;cancel' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;tasks;logs' {
            [CompletionResult]::new('--tail', '--tail', [CompletionResultType]::ParameterName, 'Only the last N lines')
            [CompletionResult]::new('--attempt', '--attempt', [CompletionResultType]::ParameterName, 'The output of this attempt (from 1; default: the latest)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing new output until the task ends (rides out coordinator restarts)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing new output until the task ends (rides out coordinator restarts)')
            [CompletionResult]::new('--stdout', '--stdout', [CompletionResultType]::ParameterName, 'Only what the task wrote to its standard output')
            [CompletionResult]::new('--stderr', '--stderr', [CompletionResultType]::ParameterName, 'Only what the task wrote to its standard error')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;tasks;wait' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (exit 124), e.g. 10m')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Do not print the tasks'' output when they end (the summary lines stay)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Do not print the tasks'' output when they end (the summary lines stay)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;tasks;artifacts' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Where to write them, keeping their paths (default: the current directory)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;tasks;help' {
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Submit a task (`-- CMD ARGS…`, `--script FILE`, or many from `--file tasks.jsonl`)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Tasks, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One task with its attempts')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a queued or running task')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a task''s output; `-f` follows it until the task ends')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until every task given has ended; exits with the task''s code (non-zero if any failed)')
            [CompletionResult]::new('artifacts', 'artifacts', [CompletionResultType]::ParameterValue, 'Download the files a task kept (`submit --artifact`), verified; `--json` lists them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;tasks;help;submit' {
            break
        }
        'edgecoder;server;tasks;help;list' {
            break
        }
        'edgecoder;server;tasks;help;show' {
            break
        }
        'edgecoder;server;tasks;help;cancel' {
            break
        }
        'edgecoder;server;tasks;help;logs' {
            break
        }
        'edgecoder;server;tasks;help;wait' {
            break
        }
        'edgecoder;server;tasks;help;artifacts' {
            break
        }
        'edgecoder;server;tasks;help;help' {
            break
        }
        'edgecoder;server;queue' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;tokens' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Make a token; its secret is printed once')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'list')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token by id')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;tokens;create' {
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'api (for people and scripts) or enroll (for nodes)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'For api tokens: user, owner or admin')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'A note saying what the token is for')
            [CompletionResult]::new('--expires-in', '--expires-in', [CompletionResultType]::ParameterName, 'Expire after this long, e.g. 1h, 7d')
            [CompletionResult]::new('--uses', '--uses', [CompletionResultType]::ParameterName, 'For enroll tokens: how many nodes may use it')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--auto-approve', '--auto-approve', [CompletionResultType]::ParameterName, 'For enroll tokens: nodes that enroll with it are approved at once')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;tokens;list' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;tokens;revoke' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;tokens;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Make a token; its secret is printed once')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'list')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token by id')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;tokens;help;create' {
            break
        }
        'edgecoder;server;tokens;help;list' {
            break
        }
        'edgecoder;server;tokens;help;revoke' {
            break
        }
        'edgecoder;server;tokens;help;help' {
            break
        }
        'edgecoder;server;events' {
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'Start after this event id instead of the recent backlog')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--include-logs', '--include-logs', [CompletionResultType]::ParameterName, 'Include every task''s log lines')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;blacklist' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Refuse a node from now on, by id or by address; its tasks go back to the queue (admin)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an entry: its id, or the node id or address it names (admin)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every entry with its reason and the nodes it refuses (owner)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;blacklist;add' {
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'The node: its id, a unique prefix, or its name')
            [CompletionResult]::new('--address', '--address', [CompletionResultType]::ParameterName, 'An IP address: every node connecting from it is refused, and none may enroll from it')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, for the record (shown in `blacklist list` and the audit log)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;blacklist;remove' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;blacklist;list' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;blacklist;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Refuse a node from now on, by id or by address; its tasks go back to the queue (admin)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an entry: its id, or the node id or address it names (admin)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every entry with its reason and the nodes it refuses (owner)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;blacklist;help;add' {
            break
        }
        'edgecoder;server;blacklist;help;remove' {
            break
        }
        'edgecoder;server;blacklist;help;list' {
            break
        }
        'edgecoder;server;blacklist;help;help' {
            break
        }
        'edgecoder;server;audit' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many entries, newest first (1 to 1000)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Only entries about this target (a node, token or blacklist entry id, or network_mode)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;mode' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The network mode in force and who set it (the default)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change the network mode now: enterprise_overlay or public_mesh (admin)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;mode;show' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;mode;set' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;mode;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The network mode in force and who set it (the default)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change the network mode now: enterprise_overlay or public_mesh (admin)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;mode;help;show' {
            break
        }
        'edgecoder;server;mode;help;set' {
            break
        }
        'edgecoder;server;mode;help;help' {
            break
        }
        'edgecoder;server;credits' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('balance', 'balance', [CompletionResultType]::ParameterValue, 'An account''s balance (default: yours); `--all` lists every account you may see')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'An account''s ledger entries, oldest first (default: yours)')
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Give an account credits from the treasury (admin), e.g. `grant user:tok12 25.5`')
            [CompletionResult]::new('transfer', 'transfer', [CompletionResultType]::ParameterValue, 'Move credits from your account (or `--from` a node you enrolled) to another account')
            [CompletionResult]::new('quote', 'quote', [CompletionResultType]::ParameterValue, 'What submitting a task would hold now: `quote [--requires gpu] [--timeout 10m] -- CMD`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;credits;balance' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every account you may see (all of them for an admin)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;credits;history' {
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'Only entries after this sequence number')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many entries')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;credits;grant' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;credits;transfer' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Pay from this account instead of yours: a node you enrolled (node:<node id>)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;credits;quote' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The task''s wall-clock limit, e.g. 30s, 10m (default: the coordinator''s)')
            [CompletionResult]::new('--requires', '--requires', [CompletionResultType]::ParameterName, 'What the task needs: `gpu`')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;credits;help' {
            [CompletionResult]::new('balance', 'balance', [CompletionResultType]::ParameterValue, 'An account''s balance (default: yours); `--all` lists every account you may see')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'An account''s ledger entries, oldest first (default: yours)')
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Give an account credits from the treasury (admin), e.g. `grant user:tok12 25.5`')
            [CompletionResult]::new('transfer', 'transfer', [CompletionResultType]::ParameterValue, 'Move credits from your account (or `--from` a node you enrolled) to another account')
            [CompletionResult]::new('quote', 'quote', [CompletionResultType]::ParameterValue, 'What submitting a task would hold now: `quote [--requires gpu] [--timeout 10m] -- CMD`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;credits;help;balance' {
            break
        }
        'edgecoder;server;credits;help;history' {
            break
        }
        'edgecoder;server;credits;help;grant' {
            break
        }
        'edgecoder;server;credits;help;transfer' {
            break
        }
        'edgecoder;server;credits;help;quote' {
            break
        }
        'edgecoder;server;credits;help;help' {
            break
        }
        'edgecoder;server;ledger' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Walk the hash chain and the signed checkpoints; exit 1 naming the first bad entry')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print the ledger: JSON lines with the signed checkpoints (checked offline by `edgecoder ledger verify`), or CSV for a spreadsheet, optionally for a time window')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;ledger;verify' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;ledger;export' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Entries from this time on: RFC 3339 (2026-11-24T09:30:00Z, or with an offset like +01:00) or a date (2026-11-24, from its start, UTC); a plain number N means the entries after sequence number N')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Entries before this time: RFC 3339, or a date (up to its end, so the day is included, UTC)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'jsonl: the verifiable export (header, entries, checkpoints); csv: one row per entry with the names of accounts'' tokens and nodes, amounts in credits')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;ledger;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Walk the hash chain and the signed checkpoints; exit 1 naming the first bad entry')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print the ledger: JSON lines with the signed checkpoints (checked offline by `edgecoder ledger verify`), or CSV for a spreadsheet, optionally for a time window')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;ledger;help;verify' {
            break
        }
        'edgecoder;server;ledger;help;export' {
            break
        }
        'edgecoder;server;ledger;help;help' {
            break
        }
        'edgecoder;server;update' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The running version, the update in progress and recent updates')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Check a new binary, drain the local worker, swap and restart on the same port')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;update;status' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;update;start' {
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'The new binary, as a path on the coordinator''s machine')
            [CompletionResult]::new('--sha256', '--sha256', [CompletionResultType]::ParameterName, 'Its expected SHA-256 (hex, as `sha256sum` prints it); refused when it differs')
            [CompletionResult]::new('--drain-timeout', '--drain-timeout', [CompletionResultType]::ParameterName, 'Give up when the local worker''s running tasks take longer than this (default 10m)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the update has ended; exit 0 only when the new version runs')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;update;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The running version, the update in progress and recent updates')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Check a new binary, drain the local worker, swap and restart on the same port')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;update;help;status' {
            break
        }
        'edgecoder;server;update;help;start' {
            break
        }
        'edgecoder;server;update;help;help' {
            break
        }
        'edgecoder;server;code' {
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'The language of the code (python, javascript, typescript, rust, go, c, cpp, java, ruby, shell)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A file the model starts from (repeatable); sent with its path relative to the current dir')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'A directory the model starts from, packed up (its .gitignore and .edgecoderignore respected)')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'A command that must exit 0 for the code to count as done (`pytest -q`, `cargo test`); without one, the program must run and exit 0')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model to use (default: the node''s configured model)')
            [CompletionResult]::new('--max-iterations', '--max-iterations', [CompletionResultType]::ParameterName, 'How many model calls, each followed by the check, at most')
            [CompletionResult]::new('--check-timeout', '--check-timeout', [CompletionResultType]::ParameterName, 'Seconds one run of the check may take')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the final files into this directory; without it they are listed, not written')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The task''s wall-clock limit, e.g. 10m (default: the coordinator''s)')
            [CompletionResult]::new('--model-family', '--model-family', [CompletionResultType]::ParameterName, 'Run only on a node with some model of this family (`qwen2`, `llama`)')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Higher runs first (default 0)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite files in --out that differ from what the task started from')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON (the task, or the local run, with its code result)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the task to end; exit 0 when the check passed (and write the files into --out)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Like --wait, streaming the model''s progress and the check''s output while it runs')
            [CompletionResult]::new('--local-only', '--local-only', [CompletionResultType]::ParameterName, 'Run only on nodes this coordinator''s owner trusts')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'Let the check reach the network (off by default: a model''s code runs cut off)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;jobs' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Submit a coding request that the coordinator splits into subtasks across the swarm')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Jobs, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One job: its subtasks as a tree (state, dependencies, node, escalation), its log and its result')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a job has ended; exit 0 when it succeeded, 1 when it failed or is partial, 130 when it was cancelled')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a job and its open subtasks')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;jobs;submit' {
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'The language of the code (python, javascript, typescript, rust, go, c, cpp, java, ruby, shell)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'A directory every subtask starts from: packed (its .gitignore and .edgecoderignore respected) and uploaded once by content hash')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A file every subtask starts from (repeatable); sent with its path relative to the current dir')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'A command run on the merged files once every subtask has ended; the job succeeds only when it exits 0 (`pytest -q`, `cargo test`)')
            [CompletionResult]::new('--part-check', '--part-check', [CompletionResultType]::ParameterName, 'The command each subtask must pass when the decomposition gives it no check of its own (default: a syntax check of its language''s files, so a module need not run alone)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model every subtask asks for (default: each node''s configured model)')
            [CompletionResult]::new('--max-subtasks', '--max-subtasks', [CompletionResultType]::ParameterName, 'Split into at most this many subtasks (default: the coordinator''s, 8)')
            [CompletionResult]::new('--max-iterations', '--max-iterations', [CompletionResultType]::ParameterName, 'Model calls (each followed by the subtask''s check) each subtask gets at most (default: the coordinator''s, 3)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --wait or --follow: stop waiting after this long (exit 124), e.g. 30m; the job goes on')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'With --wait or --follow: write the merged files into this directory when the job succeeded or is partial')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--no-decompose', '--no-decompose', [CompletionResultType]::ParameterName, 'Do not split: run the request as one subtask')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the job to end; exit 0 when it succeeded (and write the files into --out)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Like --wait, printing a line per job event (decomposed, subtask claimed, iteration failed, …) while it runs')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite files in --out that differ from what the job started from')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;jobs;list' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Only jobs in this state: decomposing, running, aggregating, succeeded, partial, failed, cancelled')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many (default 50)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;jobs;show' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;jobs;wait' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (exit 124), e.g. 30m; the job goes on')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Print a line per job event while waiting')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;jobs;cancel' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shapes in docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;server;jobs;help' {
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Submit a coding request that the coordinator splits into subtasks across the swarm')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Jobs, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One job: its subtasks as a tree (state, dependencies, node, escalation), its log and its result')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a job has ended; exit 0 when it succeeded, 1 when it failed or is partial, 130 when it was cancelled')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a job and its open subtasks')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;jobs;help;submit' {
            break
        }
        'edgecoder;server;jobs;help;list' {
            break
        }
        'edgecoder;server;jobs;help;show' {
            break
        }
        'edgecoder;server;jobs;help;wait' {
            break
        }
        'edgecoder;server;jobs;help;cancel' {
            break
        }
        'edgecoder;server;jobs;help;help' {
            break
        }
        'edgecoder;server;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Coordinator version, uptime, mode, queue counts, nodes online/pending')
            [CompletionResult]::new('nodes', 'nodes', [CompletionResultType]::ParameterValue, 'List and manage worker nodes')
            [CompletionResult]::new('tasks', 'tasks', [CompletionResultType]::ParameterValue, 'Submit, list, follow and cancel tasks')
            [CompletionResult]::new('queue', 'queue', [CompletionResultType]::ParameterValue, 'Queue counts by state and the backlog by requirements')
            [CompletionResult]::new('tokens', 'tokens', [CompletionResultType]::ParameterValue, 'Create, list and revoke API and enrollment tokens')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'Print the coordinator''s live event stream (until Ctrl-C)')
            [CompletionResult]::new('blacklist', 'blacklist', [CompletionResultType]::ParameterValue, 'Refuse nodes by id or address: add, remove, list')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The record of admin and owner actions, newest first')
            [CompletionResult]::new('mode', 'mode', [CompletionResultType]::ParameterValue, 'Show or set the network mode (enterprise_overlay or public_mesh)')
            [CompletionResult]::new('credits', 'credits', [CompletionResultType]::ParameterValue, 'Balances, history, grants, transfers and price quotes')
            [CompletionResult]::new('ledger', 'ledger', [CompletionResultType]::ParameterValue, 'Verify and export the hash-chained ledger')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Replace the coordinator''s binary, draining its local worker first (admin)')
            [CompletionResult]::new('code', 'code', [CompletionResultType]::ParameterValue, 'Submit a coding task: a worker''s model writes code until the check passes')
            [CompletionResult]::new('jobs', 'jobs', [CompletionResultType]::ParameterValue, 'Coding requests split into subtasks across the swarm: submit, list, show, wait, cancel')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;server;help;status' {
            break
        }
        'edgecoder;server;help;nodes' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every node with its state, resources and running tasks')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One node in full (id, a unique prefix, or its name)')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Let a pending node run tasks')
            [CompletionResult]::new('reject', 'reject', [CompletionResultType]::ParameterValue, 'Refuse a pending or approved node')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Stop giving the node new tasks; its running tasks finish (or are handed back at `--deadline`)')
            [CompletionResult]::new('undrain', 'undrain', [CompletionResultType]::ParameterValue, 'Give a drained node new tasks again')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Forget the node; it must enroll again')
            break
        }
        'edgecoder;server;help;nodes;list' {
            break
        }
        'edgecoder;server;help;nodes;show' {
            break
        }
        'edgecoder;server;help;nodes;approve' {
            break
        }
        'edgecoder;server;help;nodes;reject' {
            break
        }
        'edgecoder;server;help;nodes;drain' {
            break
        }
        'edgecoder;server;help;nodes;undrain' {
            break
        }
        'edgecoder;server;help;nodes;remove' {
            break
        }
        'edgecoder;server;help;tasks' {
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Submit a task (`-- CMD ARGS…`, `--script FILE`, or many from `--file tasks.jsonl`)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Tasks, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One task with its attempts')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a queued or running task')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a task''s output; `-f` follows it until the task ends')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until every task given has ended; exits with the task''s code (non-zero if any failed)')
            [CompletionResult]::new('artifacts', 'artifacts', [CompletionResultType]::ParameterValue, 'Download the files a task kept (`submit --artifact`), verified; `--json` lists them')
            break
        }
        'edgecoder;server;help;tasks;submit' {
            break
        }
        'edgecoder;server;help;tasks;list' {
            break
        }
        'edgecoder;server;help;tasks;show' {
            break
        }
        'edgecoder;server;help;tasks;cancel' {
            break
        }
        'edgecoder;server;help;tasks;logs' {
            break
        }
        'edgecoder;server;help;tasks;wait' {
            break
        }
        'edgecoder;server;help;tasks;artifacts' {
            break
        }
        'edgecoder;server;help;queue' {
            break
        }
        'edgecoder;server;help;tokens' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Make a token; its secret is printed once')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'list')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token by id')
            break
        }
        'edgecoder;server;help;tokens;create' {
            break
        }
        'edgecoder;server;help;tokens;list' {
            break
        }
        'edgecoder;server;help;tokens;revoke' {
            break
        }
        'edgecoder;server;help;events' {
            break
        }
        'edgecoder;server;help;blacklist' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Refuse a node from now on, by id or by address; its tasks go back to the queue (admin)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an entry: its id, or the node id or address it names (admin)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every entry with its reason and the nodes it refuses (owner)')
            break
        }
        'edgecoder;server;help;blacklist;add' {
            break
        }
        'edgecoder;server;help;blacklist;remove' {
            break
        }
        'edgecoder;server;help;blacklist;list' {
            break
        }
        'edgecoder;server;help;audit' {
            break
        }
        'edgecoder;server;help;mode' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The network mode in force and who set it (the default)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change the network mode now: enterprise_overlay or public_mesh (admin)')
            break
        }
        'edgecoder;server;help;mode;show' {
            break
        }
        'edgecoder;server;help;mode;set' {
            break
        }
        'edgecoder;server;help;credits' {
            [CompletionResult]::new('balance', 'balance', [CompletionResultType]::ParameterValue, 'An account''s balance (default: yours); `--all` lists every account you may see')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'An account''s ledger entries, oldest first (default: yours)')
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Give an account credits from the treasury (admin), e.g. `grant user:tok12 25.5`')
            [CompletionResult]::new('transfer', 'transfer', [CompletionResultType]::ParameterValue, 'Move credits from your account (or `--from` a node you enrolled) to another account')
            [CompletionResult]::new('quote', 'quote', [CompletionResultType]::ParameterValue, 'What submitting a task would hold now: `quote [--requires gpu] [--timeout 10m] -- CMD`')
            break
        }
        'edgecoder;server;help;credits;balance' {
            break
        }
        'edgecoder;server;help;credits;history' {
            break
        }
        'edgecoder;server;help;credits;grant' {
            break
        }
        'edgecoder;server;help;credits;transfer' {
            break
        }
        'edgecoder;server;help;credits;quote' {
            break
        }
        'edgecoder;server;help;ledger' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Walk the hash chain and the signed checkpoints; exit 1 naming the first bad entry')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print the ledger: JSON lines with the signed checkpoints (checked offline by `edgecoder ledger verify`), or CSV for a spreadsheet, optionally for a time window')
            break
        }
        'edgecoder;server;help;ledger;verify' {
            break
        }
        'edgecoder;server;help;ledger;export' {
            break
        }
        'edgecoder;server;help;update' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The running version, the update in progress and recent updates')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Check a new binary, drain the local worker, swap and restart on the same port')
            break
        }
        'edgecoder;server;help;update;status' {
            break
        }
        'edgecoder;server;help;update;start' {
            break
        }
        'edgecoder;server;help;code' {
            break
        }
        'edgecoder;server;help;jobs' {
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Submit a coding request that the coordinator splits into subtasks across the swarm')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Jobs, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One job: its subtasks as a tree (state, dependencies, node, escalation), its log and its result')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a job has ended; exit 0 when it succeeded, 1 when it failed or is partial, 130 when it was cancelled')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a job and its open subtasks')
            break
        }
        'edgecoder;server;help;jobs;submit' {
            break
        }
        'edgecoder;server;help;jobs;list' {
            break
        }
        'edgecoder;server;help;jobs;show' {
            break
        }
        'edgecoder;server;help;jobs;wait' {
            break
        }
        'edgecoder;server;help;jobs;cancel' {
            break
        }
        'edgecoder;server;help;help' {
            break
        }
        'edgecoder;login' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;logout' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Forget the tokens of every coordinator')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;service' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Write the systemd unit (Linux) or launchd plist (macOS) for this binary')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Stop and remove the unit or plist written by `service install`')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Say whether the unit or plist is installed, and where')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;service;install' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The unit or plist file to write or remove (default: /etc/systemd/system/edgecoder.service on Linux, /Library/LaunchDaemons/io.edgecoder.runtime.plist on macOS)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the unit or plist instead of writing it')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace a unit or plist that differs from the one this binary would write')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The per-user service that runs `edgecoder agent` as you, with your own env file and node secret (~/.config/edgecoder): the systemd user unit edgecoder-agent.service in ~/.config/systemd/user, or the LaunchAgent io.edgecoder.agent in ~/Library/LaunchAgents. No root needed. Without it: the system service, which reads /etc/edgecoder')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (status only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;service;uninstall' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The unit or plist file to write or remove (default: /etc/systemd/system/edgecoder.service on Linux, /Library/LaunchDaemons/io.edgecoder.runtime.plist on macOS)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be removed, change nothing')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The per-user service that runs `edgecoder agent` as you, with your own env file and node secret (~/.config/edgecoder): the systemd user unit edgecoder-agent.service in ~/.config/systemd/user, or the LaunchAgent io.edgecoder.agent in ~/Library/LaunchAgents. No root needed. Without it: the system service, which reads /etc/edgecoder')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (status only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;service;status' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The unit or plist file to write or remove (default: /etc/systemd/system/edgecoder.service on Linux, /Library/LaunchDaemons/io.edgecoder.runtime.plist on macOS)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The per-user service that runs `edgecoder agent` as you, with your own env file and node secret (~/.config/edgecoder): the systemd user unit edgecoder-agent.service in ~/.config/systemd/user, or the LaunchAgent io.edgecoder.agent in ~/Library/LaunchAgents. No root needed. Without it: the system service, which reads /etc/edgecoder')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (status only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;service;help' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Write the systemd unit (Linux) or launchd plist (macOS) for this binary')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Stop and remove the unit or plist written by `service install`')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Say whether the unit or plist is installed, and where')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;service;help;install' {
            break
        }
        'edgecoder;service;help;uninstall' {
            break
        }
        'edgecoder;service;help;status' {
            break
        }
        'edgecoder;service;help;help' {
            break
        }
        'edgecoder;__update-guard' {
            [CompletionResult]::new('--parent', '--parent', [CompletionResultType]::ParameterName, 'parent')
            [CompletionResult]::new('--health-url', '--health-url', [CompletionResultType]::ParameterName, 'health-url')
            [CompletionResult]::new('--expect-version', '--expect-version', [CompletionResultType]::ParameterName, 'expect-version')
            [CompletionResult]::new('--exe', '--exe', [CompletionResultType]::ParameterName, 'exe')
            [CompletionResult]::new('--rollback', '--rollback', [CompletionResultType]::ParameterName, 'rollback')
            [CompletionResult]::new('--listen-fd', '--listen-fd', [CompletionResultType]::ParameterName, 'listen-fd')
            [CompletionResult]::new('--timeout-secs', '--timeout-secs', [CompletionResultType]::ParameterName, 'timeout-secs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;ledger' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an export from `edgecoder server ledger export`: the chain and its signatures')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;ledger;verify' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The JSON-lines export')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'The coordinator''s ledger public key (hex) to trust instead of the one in the file')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (see docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;ledger;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an export from `edgecoder server ledger export`: the chain and its signatures')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;ledger;help;verify' {
            break
        }
        'edgecoder;ledger;help;help' {
            break
        }
        'edgecoder;dash' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Look, don''t touch: hide every action (approve, drain, cancel)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;task' {
            [CompletionResult]::new('--runs-dir', '--runs-dir', [CompletionResultType]::ParameterName, 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a command on this machine in the sandbox and record it (`-- CMD ARGS…`); exits with the command''s exit code (124 on timeout)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Local runs, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One task with its runs (id or unique prefix)')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a task''s output: stdout to stdout, stderr to stderr')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop a running task (from any terminal); it is recorded as cancelled')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a task''s records and output (refused while it runs)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;task;run' {
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Group the record under this project (default: the current directory''s name)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop the task after this long, e.g. 30s, 10m, 2h (default: EDGECODER_DEFAULT_TASK_TIMEOUT)')
            [CompletionResult]::new('--runs-dir', '--runs-dir', [CompletionResultType]::ParameterName, 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--keep-workdir', '--keep-workdir', [CompletionResultType]::ParameterName, 'Keep the task''s working directory (`<run dir>/work`) after it ends')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;task;list' {
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Only this project''s tasks')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--runs-dir', '--runs-dir', [CompletionResultType]::ParameterName, 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (see docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;task;show' {
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--runs-dir', '--runs-dir', [CompletionResultType]::ParameterName, 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (see docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;task;logs' {
            [CompletionResult]::new('--runs-dir', '--runs-dir', [CompletionResultType]::ParameterName, 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing output until the run ends')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing output until the run ends')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;task;stop' {
            [CompletionResult]::new('--runs-dir', '--runs-dir', [CompletionResultType]::ParameterName, 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;task;rm' {
            [CompletionResult]::new('--runs-dir', '--runs-dir', [CompletionResultType]::ParameterName, 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;task;help' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a command on this machine in the sandbox and record it (`-- CMD ARGS…`); exits with the command''s exit code (124 on timeout)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Local runs, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One task with its runs (id or unique prefix)')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a task''s output: stdout to stdout, stderr to stderr')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop a running task (from any terminal); it is recorded as cancelled')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a task''s records and output (refused while it runs)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;task;help;run' {
            break
        }
        'edgecoder;task;help;list' {
            break
        }
        'edgecoder;task;help;show' {
            break
        }
        'edgecoder;task;help;logs' {
            break
        }
        'edgecoder;task;help;stop' {
            break
        }
        'edgecoder;task;help;rm' {
            break
        }
        'edgecoder;task;help;help' {
            break
        }
        'edgecoder;code' {
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'The language of the code (python, javascript, typescript, rust, go, c, cpp, java, ruby, shell)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A file the model starts from (repeatable); sent with its path relative to the current dir')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'A directory the model starts from, packed up (its .gitignore and .edgecoderignore respected)')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'A command that must exit 0 for the code to count as done (`pytest -q`, `cargo test`); without one, the program must run and exit 0')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model to use (default: the node''s configured model)')
            [CompletionResult]::new('--max-iterations', '--max-iterations', [CompletionResultType]::ParameterName, 'How many model calls, each followed by the check, at most')
            [CompletionResult]::new('--check-timeout', '--check-timeout', [CompletionResultType]::ParameterName, 'Seconds one run of the check may take')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the final files into this directory; without it they are listed, not written')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The coordinator --handoff submits to (default: EDGECODER_URL, the configured one, the local server.json, then http://127.0.0.1:4301). The token: EDGECODER_TOKEN or `login`')
            [CompletionResult]::new('--runs-dir', '--runs-dir', [CompletionResultType]::ParameterName, 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite files in --out that differ from what the task started from')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON (the task, or the local run, with its code result)')
            [CompletionResult]::new('--handoff', '--handoff', [CompletionResultType]::ParameterName, 'When the loop gives up here, submit the same task, with its history, to the coordinator. Without it nothing leaves this machine')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow --handoff to send the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;gc' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Delete finished runs that ended longer ago than this, e.g. 12h, 7d')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Only this project''s runs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--runs-dir', '--runs-dir', [CompletionResultType]::ParameterName, 'Runs directory (default: EDGECODER_RUNS_DIR, else <data dir>/runs)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only say what would be deleted')
            [CompletionResult]::new('--keep-failed', '--keep-failed', [CompletionResultType]::ParameterName, 'Keep failed and timed-out runs')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (see docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;completions' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write the scripts into this directory under their installed names')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write one page per command into this directory')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;auth' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Which coordinator, which identity and role, and where the token comes from (exit 3 when not logged in)')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Which coordinator, which identity and role, and where the token comes from (exit 3 when not logged in)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;auth;status' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shape in docs/json-output.md)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;auth;whoami' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Coordinator URL (default: EDGECODER_URL, COORDINATOR_URL, the local server.json, then http://127.0.0.1:4301)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (default: the one `edgecoder login` stored for this coordinator). Prefer EDGECODER_TOKEN or `login` over this flag: argv is visible to other users')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (shape in docs/json-output.md)')
            [CompletionResult]::new('--allow-insecure', '--allow-insecure', [CompletionResultType]::ParameterName, 'Allow sending the token over plain HTTP to a host that is not this machine')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;auth;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Which coordinator, which identity and role, and where the token comes from (exit 3 when not logged in)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;auth;help;status' {
            break
        }
        'edgecoder;auth;help;help' {
            break
        }
        'edgecoder;ide' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address to listen on (default 127.0.0.1, EDGECODER_IDE_HOST); anything but loopback needs a token made beforehand (`edgecoder ide token`)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on (default 4304, EDGECODER_IDE_PORT); 0 takes any free port')
            [CompletionResult]::new('--route', '--route', [CompletionResultType]::ParameterName, 'Where calls go: local-only, prefer-local or swarm (EDGECODER_IDE_ROUTE; default local-only with a model server, else swarm)')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'Log filter: error, warn, info, debug, trace (or a tracing directive)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the token editors send as their API key (made now if there is none yet)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;ide;token' {
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (implies --json; strings print raw)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: ./edgecoder.toml, then the user and system config dirs)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Env file (default: /etc/edgecoder/edgecoder.env as root, else the user config dir)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (see docs/json-output.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'edgecoder;ide;help' {
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the token editors send as their API key (made now if there is none yet)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;ide;help;token' {
            break
        }
        'edgecoder;ide;help;help' {
            break
        }
        'edgecoder;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the coordinator (and, by default, a local worker) until SIGINT/SIGTERM')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'Run this machine as a worker node in the foreground (what the service runs)')
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Enroll this machine with a coordinator using an enrollment token')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show this node: enrolled, coordinator reachable, approved, where its files are')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Read and edit the env file (comments, order and unknown keys are kept)')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Read the log files of `serve` and `agent` on this machine')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'The coordinator''s database: which one, its schema version, migrations')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Inspect the resolved configuration')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Drive a running coordinator: status, nodes, tasks, queue, tokens, events')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Check an API token against a coordinator and store it for later commands')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget the stored token of a coordinator')
            [CompletionResult]::new('service', 'service', [CompletionResultType]::ParameterValue, 'Install, remove or inspect the systemd unit (Linux) or launchd plist (macOS)')
            [CompletionResult]::new('__update-guard', '__update-guard', [CompletionResultType]::ParameterValue, 'Watches a coordinator''s self-update and rolls it back if needed (started by the coordinator itself)')
            [CompletionResult]::new('ledger', 'ledger', [CompletionResultType]::ParameterValue, 'Check a ledger export offline (`ledger verify --file export.jsonl`)')
            [CompletionResult]::new('dash', 'dash', [CompletionResultType]::ParameterValue, 'A live terminal dashboard of a coordinator: queue, nodes, credits, events')
            [CompletionResult]::new('task', 'task', [CompletionResultType]::ParameterValue, 'Run commands on this machine with no coordinator, and read their records')
            [CompletionResult]::new('code', 'code', [CompletionResultType]::ParameterValue, 'Write code with this machine''s own model, checked in the sandbox, with no coordinator (recorded as a local run; `--handoff` gives it to the swarm when it gives up)')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Delete old finished local runs (`edgecoder task`) and say what that freed')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (or write every shell''s with --dir)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (or write one page per command with --dir)')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Who you are to a coordinator and where your token comes from (`auth status`)')
            [CompletionResult]::new('ide', 'ide', [CompletionResultType]::ParameterValue, 'Serve this machine''s model (or the swarm''s) to editors on a local OpenAI- and Ollama-compatible endpoint (`ide token` prints the key to give them)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'edgecoder;help;serve' {
            break
        }
        'edgecoder;help;agent' {
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Stop this machine''s agent taking new work, now and across its restarts, until `resume` or `--for` runs out (running tasks follow the host policy)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Lift the owner''s pause')
            break
        }
        'edgecoder;help;agent;pause' {
            break
        }
        'edgecoder;help;agent;resume' {
            break
        }
        'edgecoder;help;enroll' {
            break
        }
        'edgecoder;help;status' {
            break
        }
        'edgecoder;help;env' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print every KEY=value (secrets masked)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one value (exit 4 when unset)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a value (known keys are validated; unknown keys are kept with a warning)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a key')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the env file''s path')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Open the env file in $EDITOR; it is checked before it replaces the original')
            break
        }
        'edgecoder;help;env;list' {
            break
        }
        'edgecoder;help;env;get' {
            break
        }
        'edgecoder;help;env;set' {
            break
        }
        'edgecoder;help;env;unset' {
            break
        }
        'edgecoder;help;env;path' {
            break
        }
        'edgecoder;help;env;edit' {
            break
        }
        'edgecoder;help;logs' {
            break
        }
        'edgecoder;help;db' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Which database the coordinator uses, its schema version and the migrations pending')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Bring the schema up to date now (`serve` also does this when it starts; coordinators sharing a PostgreSQL database migrate it once between them)')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy every row of a coordinator''s database into another, empty one (a SQLite coordinator onto PostgreSQL, say), in one transaction; stop the coordinator first')
            break
        }
        'edgecoder;help;db;status' {
            break
        }
        'edgecoder;help;db;migrate' {
            break
        }
        'edgecoder;help;db;copy' {
            break
        }
        'edgecoder;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print every setting, its value, and where the value came from')
            break
        }
        'edgecoder;help;config;show' {
            break
        }
        'edgecoder;help;server' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Coordinator version, uptime, mode, queue counts, nodes online/pending')
            [CompletionResult]::new('nodes', 'nodes', [CompletionResultType]::ParameterValue, 'List and manage worker nodes')
            [CompletionResult]::new('tasks', 'tasks', [CompletionResultType]::ParameterValue, 'Submit, list, follow and cancel tasks')
            [CompletionResult]::new('queue', 'queue', [CompletionResultType]::ParameterValue, 'Queue counts by state and the backlog by requirements')
            [CompletionResult]::new('tokens', 'tokens', [CompletionResultType]::ParameterValue, 'Create, list and revoke API and enrollment tokens')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'Print the coordinator''s live event stream (until Ctrl-C)')
            [CompletionResult]::new('blacklist', 'blacklist', [CompletionResultType]::ParameterValue, 'Refuse nodes by id or address: add, remove, list')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The record of admin and owner actions, newest first')
            [CompletionResult]::new('mode', 'mode', [CompletionResultType]::ParameterValue, 'Show or set the network mode (enterprise_overlay or public_mesh)')
            [CompletionResult]::new('credits', 'credits', [CompletionResultType]::ParameterValue, 'Balances, history, grants, transfers and price quotes')
            [CompletionResult]::new('ledger', 'ledger', [CompletionResultType]::ParameterValue, 'Verify and export the hash-chained ledger')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Replace the coordinator''s binary, draining its local worker first (admin)')
            [CompletionResult]::new('code', 'code', [CompletionResultType]::ParameterValue, 'Submit a coding task: a worker''s model writes code until the check passes')
            [CompletionResult]::new('jobs', 'jobs', [CompletionResultType]::ParameterValue, 'Coding requests split into subtasks across the swarm: submit, list, show, wait, cancel')
            break
        }
        'edgecoder;help;server;status' {
            break
        }
        'edgecoder;help;server;nodes' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every node with its state, resources and running tasks')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One node in full (id, a unique prefix, or its name)')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Let a pending node run tasks')
            [CompletionResult]::new('reject', 'reject', [CompletionResultType]::ParameterValue, 'Refuse a pending or approved node')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Stop giving the node new tasks; its running tasks finish (or are handed back at `--deadline`)')
            [CompletionResult]::new('undrain', 'undrain', [CompletionResultType]::ParameterValue, 'Give a drained node new tasks again')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Forget the node; it must enroll again')
            break
        }
        'edgecoder;help;server;nodes;list' {
            break
        }
        'edgecoder;help;server;nodes;show' {
            break
        }
        'edgecoder;help;server;nodes;approve' {
            break
        }
        'edgecoder;help;server;nodes;reject' {
            break
        }
        'edgecoder;help;server;nodes;drain' {
            break
        }
        'edgecoder;help;server;nodes;undrain' {
            break
        }
        'edgecoder;help;server;nodes;remove' {
            break
        }
        'edgecoder;help;server;tasks' {
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Submit a task (`-- CMD ARGS…`, `--script FILE`, or many from `--file tasks.jsonl`)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Tasks, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One task with its attempts')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a queued or running task')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a task''s output; `-f` follows it until the task ends')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until every task given has ended; exits with the task''s code (non-zero if any failed)')
            [CompletionResult]::new('artifacts', 'artifacts', [CompletionResultType]::ParameterValue, 'Download the files a task kept (`submit --artifact`), verified; `--json` lists them')
            break
        }
        'edgecoder;help;server;tasks;submit' {
            break
        }
        'edgecoder;help;server;tasks;list' {
            break
        }
        'edgecoder;help;server;tasks;show' {
            break
        }
        'edgecoder;help;server;tasks;cancel' {
            break
        }
        'edgecoder;help;server;tasks;logs' {
            break
        }
        'edgecoder;help;server;tasks;wait' {
            break
        }
        'edgecoder;help;server;tasks;artifacts' {
            break
        }
        'edgecoder;help;server;queue' {
            break
        }
        'edgecoder;help;server;tokens' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Make a token; its secret is printed once')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'list')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token by id')
            break
        }
        'edgecoder;help;server;tokens;create' {
            break
        }
        'edgecoder;help;server;tokens;list' {
            break
        }
        'edgecoder;help;server;tokens;revoke' {
            break
        }
        'edgecoder;help;server;events' {
            break
        }
        'edgecoder;help;server;blacklist' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Refuse a node from now on, by id or by address; its tasks go back to the queue (admin)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an entry: its id, or the node id or address it names (admin)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every entry with its reason and the nodes it refuses (owner)')
            break
        }
        'edgecoder;help;server;blacklist;add' {
            break
        }
        'edgecoder;help;server;blacklist;remove' {
            break
        }
        'edgecoder;help;server;blacklist;list' {
            break
        }
        'edgecoder;help;server;audit' {
            break
        }
        'edgecoder;help;server;mode' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The network mode in force and who set it (the default)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change the network mode now: enterprise_overlay or public_mesh (admin)')
            break
        }
        'edgecoder;help;server;mode;show' {
            break
        }
        'edgecoder;help;server;mode;set' {
            break
        }
        'edgecoder;help;server;credits' {
            [CompletionResult]::new('balance', 'balance', [CompletionResultType]::ParameterValue, 'An account''s balance (default: yours); `--all` lists every account you may see')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'An account''s ledger entries, oldest first (default: yours)')
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Give an account credits from the treasury (admin), e.g. `grant user:tok12 25.5`')
            [CompletionResult]::new('transfer', 'transfer', [CompletionResultType]::ParameterValue, 'Move credits from your account (or `--from` a node you enrolled) to another account')
            [CompletionResult]::new('quote', 'quote', [CompletionResultType]::ParameterValue, 'What submitting a task would hold now: `quote [--requires gpu] [--timeout 10m] -- CMD`')
            break
        }
        'edgecoder;help;server;credits;balance' {
            break
        }
        'edgecoder;help;server;credits;history' {
            break
        }
        'edgecoder;help;server;credits;grant' {
            break
        }
        'edgecoder;help;server;credits;transfer' {
            break
        }
        'edgecoder;help;server;credits;quote' {
            break
        }
        'edgecoder;help;server;ledger' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Walk the hash chain and the signed checkpoints; exit 1 naming the first bad entry')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print the ledger: JSON lines with the signed checkpoints (checked offline by `edgecoder ledger verify`), or CSV for a spreadsheet, optionally for a time window')
            break
        }
        'edgecoder;help;server;ledger;verify' {
            break
        }
        'edgecoder;help;server;ledger;export' {
            break
        }
        'edgecoder;help;server;update' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The running version, the update in progress and recent updates')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Check a new binary, drain the local worker, swap and restart on the same port')
            break
        }
        'edgecoder;help;server;update;status' {
            break
        }
        'edgecoder;help;server;update;start' {
            break
        }
        'edgecoder;help;server;code' {
            break
        }
        'edgecoder;help;server;jobs' {
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Submit a coding request that the coordinator splits into subtasks across the swarm')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Jobs, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One job: its subtasks as a tree (state, dependencies, node, escalation), its log and its result')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a job has ended; exit 0 when it succeeded, 1 when it failed or is partial, 130 when it was cancelled')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a job and its open subtasks')
            break
        }
        'edgecoder;help;server;jobs;submit' {
            break
        }
        'edgecoder;help;server;jobs;list' {
            break
        }
        'edgecoder;help;server;jobs;show' {
            break
        }
        'edgecoder;help;server;jobs;wait' {
            break
        }
        'edgecoder;help;server;jobs;cancel' {
            break
        }
        'edgecoder;help;login' {
            break
        }
        'edgecoder;help;logout' {
            break
        }
        'edgecoder;help;service' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Write the systemd unit (Linux) or launchd plist (macOS) for this binary')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Stop and remove the unit or plist written by `service install`')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Say whether the unit or plist is installed, and where')
            break
        }
        'edgecoder;help;service;install' {
            break
        }
        'edgecoder;help;service;uninstall' {
            break
        }
        'edgecoder;help;service;status' {
            break
        }
        'edgecoder;help;__update-guard' {
            break
        }
        'edgecoder;help;ledger' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an export from `edgecoder server ledger export`: the chain and its signatures')
            break
        }
        'edgecoder;help;ledger;verify' {
            break
        }
        'edgecoder;help;dash' {
            break
        }
        'edgecoder;help;task' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a command on this machine in the sandbox and record it (`-- CMD ARGS…`); exits with the command''s exit code (124 on timeout)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Local runs, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One task with its runs (id or unique prefix)')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a task''s output: stdout to stdout, stderr to stderr')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop a running task (from any terminal); it is recorded as cancelled')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a task''s records and output (refused while it runs)')
            break
        }
        'edgecoder;help;task;run' {
            break
        }
        'edgecoder;help;task;list' {
            break
        }
        'edgecoder;help;task;show' {
            break
        }
        'edgecoder;help;task;logs' {
            break
        }
        'edgecoder;help;task;stop' {
            break
        }
        'edgecoder;help;task;rm' {
            break
        }
        'edgecoder;help;code' {
            break
        }
        'edgecoder;help;gc' {
            break
        }
        'edgecoder;help;completions' {
            break
        }
        'edgecoder;help;man' {
            break
        }
        'edgecoder;help;auth' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Which coordinator, which identity and role, and where the token comes from (exit 3 when not logged in)')
            break
        }
        'edgecoder;help;auth;status' {
            break
        }
        'edgecoder;help;ide' {
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the token editors send as their API key (made now if there is none yet)')
            break
        }
        'edgecoder;help;ide;token' {
            break
        }
        'edgecoder;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
