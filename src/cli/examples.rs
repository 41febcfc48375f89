//! The examples at the end of `--help` of the commands people type most (as gh and cargo show
//! them): kept apart from the clap definitions so the argument files stay about arguments.
//! `help_check` fails if one of those commands loses its examples.

pub const SERVE: &str = "\
Examples:
  # A coordinator with a local worker, on 127.0.0.1:4301 (the admin token is printed once)
  edgecoder serve

  # A private coordinator with no credits, on every interface, port 8080
  edgecoder serve --free --host 0.0.0.0 --port 8080

  # The coordinator only, its data in a directory of your choice
  edgecoder serve --mode coordinator --data-dir /srv/edgecoder";

pub const AGENT: &str = "\
Examples:
  # Run this machine as a worker (after `edgecoder enroll`)
  edgecoder agent

  # What this machine offers: CPUs, memory, GPUs, toolchains, models
  edgecoder agent --detect

  # At most two tasks at once, against a given coordinator
  edgecoder agent --max-concurrent 2 --coordinator https://coord.example.com";

pub const ENROLL: &str = "\
Examples:
  # Enroll with a token from `edgecoder server tokens create --kind enroll`
  edgecoder enroll --coordinator https://coord.example.com --token-file token.txt

  # The token on stdin keeps it out of the process list
  printf '%s' \"$TOKEN\" | edgecoder enroll --coordinator https://coord.example.com --token -

  # A name and a label the scheduler can match
  edgecoder enroll --token-file token.txt --name gpu-box --label zone=lab";

pub const LOGIN: &str = "\
Examples:
  # Paste the token when asked
  edgecoder login --server https://coord.example.com

  # From a script: the token on stdin
  printf '%s' \"$TOKEN\" | edgecoder login --server https://coord.example.com";

pub const STATUS: &str = "\
Examples:
  edgecoder status
  edgecoder status --json
  edgecoder status --jq .online";

pub const TASKS_SUBMIT: &str = "\
Examples:
  # Run a command on the swarm and wait for its exit code
  edgecoder server tasks submit --wait -- python3 -c 'print(6*7)'

  # Stream its output while it runs, on a node with a GPU, at most 10 minutes
  edgecoder server tasks submit --follow --requires gpu --timeout 10m -- ./train.sh

  # A shell script, with a secret taken from this environment
  edgecoder server tasks submit --script build.sh --secret API_KEY

  # Many tasks, one JSON request per line
  edgecoder server tasks submit --file tasks.jsonl

  # A CI step: named, retried only when it exits 75, env vars from a file
  edgecoder server tasks submit --wait --name 'unit tests' --retry 2 --retry-on-exit 75 \\
    --task-env-file ci.env -- make test";

pub const TASKS_LIST: &str = "\
Examples:
  edgecoder server tasks list
  edgecoder server tasks list --state failed --limit 10
  edgecoder server tasks list --jq '.tasks[] | select(.state == \"running\") | .id'";

pub const TASKS_SHOW: &str = "\
Examples:
  edgecoder server tasks show 3f2a
  edgecoder server tasks show 3f2a --jq .state";

pub const TASKS_LOGS: &str = "\
Examples:
  edgecoder server tasks logs 3f2a
  edgecoder server tasks logs --follow 3f2a
  edgecoder server tasks logs 3f2a --stderr --tail 50 --attempt 1";

pub const TASKS_WAIT: &str = "\
Examples:
  edgecoder server tasks wait 3f2a 9c01
  edgecoder server tasks wait 3f2a --timeout 10m";

pub const SERVER_CODE: &str = "\
Examples:
  # A worker's model writes it; wait and write the files into ./out
  edgecoder server code --wait --out out 'a CLI that converts CSV to JSON'

  # Start from this directory, pass when the tests pass, watch it work
  edgecoder server code --follow --dir . --check 'pytest -q' 'make the failing test pass'";

pub const CODE: &str = "\
Examples:
  # This machine's own model, nothing leaves it
  edgecoder code --out out 'a function that parses ISO dates, with tests'

  # Rust, checked by cargo test; give it to the swarm if it gives up here
  edgecoder code --lang rust --dir . --check 'cargo test' --handoff 'fix the failing test'";

pub const NODES_LIST: &str = "\
Examples:
  edgecoder server nodes list
  edgecoder server nodes list --state pending
  edgecoder server nodes list --jq '.nodes[] | select(.online) | .name'";

pub const NODES_APPROVE: &str = "\
Examples:
  # Approve by name, id or a unique id prefix
  edgecoder server nodes approve gpu-box
  edgecoder server nodes approve 7c1e";

pub const DASH: &str = "\
Examples:
  # The local coordinator, with the token `edgecoder login` stored
  edgecoder dash

  # Another coordinator, looking only
  edgecoder dash --server https://coord.example.com --read-only

Keys: ? help, q quit, Tab next panel, Enter details, / search the log in the details.";

pub const DB: &str = "\
Examples:
  # Where this coordinator keeps its queue and ledger, and its schema version
  edgecoder db status

  # A PostgreSQL database, the password read from a file
  EDGECODER_DATABASE_PASSWORD_FILE=/etc/edgecoder/db-password \\
    edgecoder db migrate --database postgres://edgecoder@db.internal/edgecoder

  # Move a stopped SQLite coordinator onto it, then start it there (same data dir: its keys)
  edgecoder db copy --from sqlite:/var/lib/edgecoder/edgecoder.db \\
    --to postgres://edgecoder@db.internal/edgecoder
  edgecoder serve --database postgres://edgecoder@db.internal/edgecoder";

pub const ENV_SET: &str = "\
Examples:
  edgecoder env set COORDINATOR_URL https://coord.example.com
  edgecoder env set MAX_CONCURRENT_TASKS 2
  edgecoder env set OLLAMA_MODEL qwen2.5-coder:7b";

pub const TASK_LIST: &str = "\
Examples:
  edgecoder task list
  edgecoder task list --project web
  edgecoder task list --jq '.runs[].task_id'";

pub const JOBS_SUBMIT: &str = "\
Examples:
  # Split it across the swarm, check the merged files, write them into ./out
  edgecoder server jobs submit --wait --check 'pytest -q' --out out 'a CSV parser and a CLI that uses it'

  # Watch it: one line per event (decomposed, subtask claimed by a node, iteration failed, …)
  edgecoder server jobs submit --follow --dir . --max-subtasks 4 'add tests for every module'

  # The id alone, to wait on later
  id=$(edgecoder server jobs submit 'a todo app in Go' --lang go) && edgecoder server jobs wait \"$id\"";

pub const JOBS_LIST: &str = "\
Examples:
  edgecoder server jobs list
  edgecoder server jobs list --state partial
  edgecoder server jobs list --jq '.jobs[] | select(.state == \"running\") | .id'";
