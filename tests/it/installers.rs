//! The installers: the systemd unit's keys, the launchd plist, the Dockerfile (linted as text: no
//! docker here), the env file template, the .deb metadata, install.sh into a temp prefix, and
//! `edgecoder service install|uninstall|status` against a temp path.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The agent's default drain timeout (agent_cmd::drain_timeout): the unit must outwait it.
const AGENT_DRAIN_SECS: u64 = 300;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A unit file as section → key → values (keys may repeat).
fn parse_unit(text: &str) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut out: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut section = String::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("line {}: not KEY=value: {line}", n + 1));
        assert!(!section.is_empty(), "line {}: key outside a section", n + 1);
        out.entry(section.clone())
            .or_default()
            .entry(key.trim().to_string())
            .or_default()
            .push(value.trim().to_string());
    }
    out
}

fn seconds(span: &str) -> u64 {
    humantime::parse_duration(span)
        .unwrap_or_else(|e| panic!("{span:?} is not a time span: {e}"))
        .as_secs()
}

#[test]
fn the_unit_is_hardened_notifies_and_gives_the_drain_time() {
    let unit = parse_unit(&read("installers/systemd/edgecoder.service"));
    let service = &unit["Service"];
    let one = |key: &str| -> &str {
        let values = service
            .get(key)
            .unwrap_or_else(|| panic!("[Service] has no {key}"));
        assert_eq!(values.len(), 1, "{key} is set {} times", values.len());
        &values[0]
    };
    assert_eq!(one("Type"), "notify");
    assert_eq!(one("ExecStart"), "/usr/bin/edgecoder serve");
    assert_eq!(one("User"), "edgecoder");
    assert_eq!(one("Restart"), "on-failure");
    for (key, value) in [
        ("NoNewPrivileges", "yes"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("StateDirectory", "edgecoder"),
        ("LogsDirectory", "edgecoder"),
    ] {
        assert_eq!(one(key), value, "{key}");
    }
    // The drain: SIGTERM to the agent only, and time for it before systemd kills anything.
    assert_eq!(one("KillMode"), "mixed");
    assert!(
        seconds(one("TimeoutStopSec")) >= AGENT_DRAIN_SECS + 30,
        "TimeoutStopSec must outlast the agent's {AGENT_DRAIN_SECS}s drain"
    );
    // The watchdog outlasts several missed heartbeats (5 s apart) and backoffs.
    let watchdog = seconds(one("WatchdogSec"));
    assert!((60..=600).contains(&watchdog), "WatchdogSec {watchdog}s");
    let env = &service["Environment"];
    for needed in [
        "EDGECODER_ENV_FILE=/etc/edgecoder/edgecoder.env",
        "EDGECODER_DATA_DIR=/var/lib/edgecoder",
        "EDGECODER_LOG_DIR=/var/log/edgecoder",
    ] {
        assert!(env.iter().any(|e| e == needed), "no Environment={needed}");
    }
    // Secrets stay in the env file edgecoder reads, out of the process environment.
    assert!(!service.contains_key("EnvironmentFile"));
    assert_eq!(unit["Install"]["WantedBy"], vec!["multi-user.target"]);
}

#[test]
fn the_launchd_plist_has_the_keys_launchd_needs() {
    let value = plist::Value::from_file(repo("installers/macos/io.edgecoder.runtime.plist"))
        .expect("the plist parses");
    let dict = value.as_dictionary().expect("a dictionary at the top");
    let string = |key: &str| {
        dict.get(key)
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| panic!("no string {key}"))
    };
    assert_eq!(string("Label"), "io.edgecoder.runtime");
    let args: Vec<&str> = dict["ProgramArguments"]
        .as_array()
        .expect("ProgramArguments is an array")
        .iter()
        .map(|v| v.as_string().expect("string argument"))
        .collect();
    assert_eq!(args, ["/usr/local/bin/edgecoder", "serve"]);
    assert!(string("StandardOutPath").starts_with("/var/log/edgecoder/"));
    assert!(string("StandardErrorPath").starts_with("/var/log/edgecoder/"));
    assert_eq!(string("UserName"), "_edgecoder");
    assert_eq!(dict["RunAtLoad"].as_boolean(), Some(true));
    assert!(dict.contains_key("KeepAlive"));
    let exit_timeout = dict["ExitTimeOut"]
        .as_signed_integer()
        .expect("ExitTimeOut");
    assert!(exit_timeout as u64 >= AGENT_DRAIN_SECS + 30);
    let env = dict["EnvironmentVariables"].as_dictionary().expect("env");
    assert_eq!(
        env["EDGECODER_ENV_FILE"].as_string(),
        Some("/etc/edgecoder/edgecoder.env")
    );
}

#[test]
fn the_dockerfile_is_multi_stage_and_runs_as_non_root() {
    let text = read("installers/docker/Dockerfile");
    // Join continuation lines, drop comments: one instruction per entry.
    let mut instructions: Vec<String> = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if pending.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(part) => pending.push_str(part),
            None => {
                pending.push_str(trimmed);
                instructions.push(std::mem::take(&mut pending));
            }
        }
    }
    assert!(pending.is_empty(), "the file ends inside a continued line");
    let keyword = |i: &String| i.split_whitespace().next().unwrap_or("").to_string();
    let known = [
        "FROM",
        "RUN",
        "COPY",
        "ENV",
        "USER",
        "WORKDIR",
        "VOLUME",
        "EXPOSE",
        "STOPSIGNAL",
        "ENTRYPOINT",
        "CMD",
        "ARG",
        "LABEL",
        "HEALTHCHECK",
    ];
    for i in &instructions {
        assert!(
            known.contains(&keyword(i).as_str()),
            "unknown instruction: {i}"
        );
    }
    let froms: Vec<&String> = instructions
        .iter()
        .filter(|i| keyword(i) == "FROM")
        .collect();
    assert!(froms.len() >= 2, "not multi-stage: {froms:?}");
    assert!(
        froms[0].contains(" AS build"),
        "first stage is not named: {}",
        froms[0]
    );
    assert_eq!(keyword(&instructions[0]), "FROM");
    let last_from = instructions
        .iter()
        .rposition(|i| keyword(i) == "FROM")
        .unwrap();
    let runtime = &instructions[last_from..];
    assert!(
        runtime.iter().any(|i| i.starts_with("COPY --from=build ")),
        "the runtime stage does not take the built binary"
    );
    let user = runtime
        .iter()
        .rev()
        .find(|i| keyword(i) == "USER")
        .expect("the runtime stage sets USER");
    let who = user.split_whitespace().nth(1).unwrap();
    assert!(
        !who.starts_with("root") && !who.starts_with("0"),
        "runs as {who}"
    );
    assert!(
        runtime
            .iter()
            .any(|i| keyword(i) == "ENV" && i.contains("EDGE_RUNTIME_MODE="))
    );
    for i in &instructions {
        if i.contains("apt-get install") {
            assert!(i.contains("--no-install-recommends"), "{i}");
            assert!(i.contains("rm -rf /var/lib/apt/lists"), "{i}");
        }
        assert!(!i.contains(":latest"), "unpinned image: {i}");
    }
    for form in ["ENTRYPOINT", "CMD"] {
        let i = runtime.iter().find(|i| keyword(i) == form).expect(form);
        let args = i[form.len()..].trim();
        let parsed: Vec<String> = serde_json::from_str(args)
            .unwrap_or_else(|e| panic!("{form} is not exec form (a JSON array): {args} ({e})"));
        assert!(!parsed.is_empty());
    }
    assert!(runtime.iter().any(|i| i == "EXPOSE 4301"));
}

#[test]
fn the_env_template_names_only_known_settings() {
    let text = read("installers/debian/edgecoder.env");
    let known: Vec<&str> = edgecoder::config::SETTINGS.iter().map(|s| s.env).collect();
    let mut active = Vec::new();
    for line in text.lines() {
        let body = line.trim();
        if body.is_empty() || body.starts_with("# ") || body == "#" {
            continue;
        }
        let assignment = body.strip_prefix('#').unwrap_or(body);
        let Some((key, _)) = assignment.split_once('=') else {
            panic!("neither a comment nor KEY=value: {line}");
        };
        assert!(
            known.contains(&key),
            "{key} is not a setting edgecoder reads"
        );
        if !body.starts_with('#') {
            active.push(key.to_string());
        }
    }
    assert_eq!(
        active,
        ["EDGE_RUNTIME_MODE"],
        "only the role is set by default"
    );
    assert!(text.contains("EDGE_RUNTIME_MODE=worker"));
}

#[test]
fn the_deb_metadata_places_everything_and_keeps_settings_on_remove() {
    let manifest: toml::Value = toml::from_str(&read("Cargo.toml")).unwrap();
    let deb = &manifest["package"]["metadata"]["deb"];
    let assets: Vec<(String, String)> = deb["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let a = a.as_array().unwrap();
            (
                a[0].as_str().unwrap().to_string(),
                a[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let dest = |src: &str| {
        assets
            .iter()
            .find(|(s, _)| s == src)
            .map(|(_, d)| d.as_str())
            .unwrap_or_else(|| panic!("{src} is not packaged"))
    };
    assert_eq!(dest("target/release/edgecoder"), "usr/bin/");
    assert_eq!(
        dest("installers/debian/edgecoder.env"),
        "etc/edgecoder/edgecoder.env"
    );
    assert_eq!(
        dest("completions/edgecoder.bash"),
        "usr/share/bash-completion/completions/edgecoder"
    );
    assert_eq!(
        dest("completions/_edgecoder"),
        "usr/share/zsh/vendor-completions/"
    );
    assert_eq!(
        dest("completions/edgecoder.fish"),
        "usr/share/fish/vendor_completions.d/"
    );
    assert_eq!(dest("man/edgecoder.1"), "usr/share/man/man1/");
    let units = deb["systemd-units"]["unit-scripts"].as_str().unwrap();
    assert!(repo(units).join("edgecoder.service").is_file());
    // Not started before the machine is enrolled.
    assert_eq!(deb["systemd-units"]["start"].as_bool(), Some(false));
    let scripts = repo(deb["maintainer-scripts"].as_str().unwrap());
    let postinst = std::fs::read_to_string(scripts.join("postinst")).unwrap();
    assert!(postinst.contains("#DEBHELPER#"));
    assert!(postinst.contains("adduser --system"));
    let postrm = std::fs::read_to_string(scripts.join("postrm")).unwrap();
    assert!(postrm.contains("#DEBHELPER#"));
    // Only purge deletes settings and data.
    let purge = postrm.split("purge)").nth(1).expect("a purge case");
    let purge = purge.split(";;").next().unwrap();
    assert!(purge.contains("/etc/edgecoder") && purge.contains("/var/lib/edgecoder"));
    let outside_purge = postrm.replace(purge, "");
    assert!(
        !outside_purge.contains("rm -rf"),
        "files are removed outside purge"
    );
}

fn run(mut cmd: Command) -> (i32, String, String) {
    cmd.stdin(std::process::Stdio::null());
    let (code, out, err) = run_to_end(cmd, Duration::from_secs(60));
    (code.unwrap_or(-1), out, err)
}

#[test]
fn install_sh_places_binary_completions_and_man_and_says_what_next() {
    let sb = Sandbox::new();
    let release = sb.path().join("edgecoder-release");
    std::fs::create_dir_all(release.join("completions")).unwrap();
    std::fs::create_dir_all(release.join("man")).unwrap();
    std::fs::copy(bin(), release.join("edgecoder")).unwrap();
    std::fs::write(
        release.join("completions/edgecoder.bash"),
        "complete -F _e edgecoder\n",
    )
    .unwrap();
    std::fs::write(
        release.join("completions/_edgecoder"),
        "#compdef edgecoder\n",
    )
    .unwrap();
    std::fs::write(release.join("man/edgecoder.1"), ".TH EDGECODER 1\n").unwrap();
    let tarball = sb.path().join("edgecoder-test.tar.gz");
    let status = Command::new("tar")
        .args([
            "-czf",
            tarball.to_str().unwrap(),
            "-C",
            sb.path().to_str().unwrap(),
            "edgecoder-release",
        ])
        .status()
        .unwrap();
    assert!(status.success());

    for (from, prefix) in [
        (&release, sb.path().join("p1")),
        (&tarball, sb.path().join("p2")),
    ] {
        let mut cmd = Command::new(repo("installers/install.sh"));
        cmd.args([
            "--prefix",
            prefix.to_str().unwrap(),
            "--from",
            from.to_str().unwrap(),
        ]);
        let (code, out, err) = run(cmd);
        assert_eq!(code, 0, "stdout: {out}\nstderr: {err}");
        let installed = prefix.join("bin/edgecoder");
        let (code, version, _) = run({
            let mut c = Command::new(&installed);
            c.arg("--version");
            c
        });
        assert_eq!(code, 0);
        assert_eq!(
            version.trim(),
            format!("edgecoder {}", env!("CARGO_PKG_VERSION"))
        );
        assert!(
            prefix
                .join("share/bash-completion/completions/edgecoder")
                .is_file()
        );
        assert!(prefix.join("share/zsh/site-functions/_edgecoder").is_file());
        assert!(prefix.join("share/man/man1/edgecoder.1").is_file());
        // No fish completion in this release: nothing is invented.
        assert!(!prefix.join("share/fish").exists());
        let next = out.split("Next steps:").nth(1).expect("next steps printed");
        assert!(
            next.contains("1. Enroll") && next.contains("edgecoder enroll --token"),
            "{out}"
        );
        assert!(
            next.contains("2. Start the service") && next.contains("service install"),
            "{out}"
        );
    }

    // A source without a binary is refused in one line.
    let mut cmd = Command::new(repo("installers/install.sh"));
    cmd.args([
        "--prefix",
        sb.path().join("p3").to_str().unwrap(),
        "--from",
        sb.path().join("p1/share").to_str().unwrap(),
    ]);
    let (code, _, err) = run(cmd);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: no edgecoder binary"), "{err}");
}

#[test]
fn service_install_status_uninstall_against_a_temp_path() {
    let sb = Sandbox::new();
    let cli = |args: &[&str]| {
        let mut cmd = sb.command();
        cmd.arg("service").args(args);
        run(cmd)
    };
    let flavour_unit = cfg!(target_os = "linux");
    let (code, printed, err) = cli(&["install", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    if flavour_unit {
        let unit = parse_unit(&printed);
        assert_eq!(
            unit["Service"]["ExecStart"],
            vec![format!("{} serve", bin())]
        );
        assert_eq!(unit["Service"]["Type"], vec!["notify"]);
    }
    let target = sb.path().join("units/edgecoder.service");
    let t = target.to_str().unwrap();
    assert!(!target.exists(), "--dry-run wrote something");

    let (code, out, err) = cli(&["status", "--path", t, "--json"]);
    assert_eq!(code, 0, "{err}");
    let status: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(status["installed"], false);

    let (code, out, err) = cli(&["install", "--path", t]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("wrote"), "{out}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), printed);
    let (_, out, _) = cli(&["status", "--path", t, "--json"]);
    let status: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (status["installed"].clone(), status["up_to_date"].clone()),
        (true.into(), true.into())
    );

    // A file someone edited is not overwritten without --force.
    std::fs::write(&target, format!("{printed}\n# edgecoder: local edit\n")).unwrap();
    let (code, _, err) = cli(&["install", "--path", t]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("--force"), "{err}");
    let (code, _, err) = cli(&["install", "--path", t, "--force"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), printed);

    let (code, out, _) = cli(&["uninstall", "--path", t, "--dry-run"]);
    assert_eq!(code, 0);
    assert!(out.contains("would remove") && target.exists());
    let (code, out, err) = cli(&["uninstall", "--path", t]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("removed") && !target.exists());
    let (code, out, _) = cli(&["uninstall", "--path", t]);
    assert_eq!(code, 0);
    assert!(out.contains("nothing to remove"), "{out}");

    // Something that is not ours is left alone.
    std::fs::write(&target, "[Unit]\nDescription=someone else\n").unwrap();
    let (code, _, err) = cli(&["uninstall", "--path", t]);
    assert_eq!(code, 5, "{err}");
    assert!(target.exists());
}
