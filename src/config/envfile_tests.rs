//! Tests of the env file format, including a read-back through a real `sh`.

use super::*;
use std::process::Command;

const SAMPLE: &str = "\
# edgecoder settings
# managed by `edgecoder config`; hand edits are kept

EDGE_RUNTIME_MODE=worker
  # indented comment
export AGENT_ID=node-1.local
ADMIN_API_TOKEN='s3cr3t value'
OLLAMA_HOST=\"http://127.0.0.1:11434\"
GREETING=\"say \\\"hi\\\" for \\$5 \\\\ \\`x\\`\"
\tMY_TOOL_FLAG=on   
EMPTY=
AGENT_ID=node-2
";

fn tmp_dir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("envfile-{tag}-{}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// `KEY=value` per line, for compact test tables.
fn pairs(table: &str) -> impl Iterator<Item = (&str, &str)> {
    table.lines().map(|l| l.split_once('=').unwrap())
}

#[test]
fn round_trips_byte_for_byte() {
    for text in [SAMPLE, SAMPLE.trim_end(), "", "\n", "\n\n# c", "A=1"] {
        assert_eq!(EnvFile::parse(text).unwrap().render(), text);
    }
}

#[test]
fn reads_values_and_duplicates() {
    let f = EnvFile::parse(SAMPLE).unwrap();
    assert_eq!(f.get("ADMIN_API_TOKEN"), Some("s3cr3t value"));
    assert_eq!(f.get("GREETING"), Some("say \"hi\" for $5 \\ `x`"));
    assert_eq!(f.get("MY_TOOL_FLAG"), Some("on"));
    assert_eq!(f.get("EMPTY"), Some(""));
    assert_eq!(f.get("AGENT_ID"), Some("node-2"));
    assert_eq!(f.get("MISSING"), None);
    let keys: Vec<String> = f.entries().into_iter().map(|(k, _)| k).collect();
    let expected =
        "EDGE_RUNTIME_MODE ADMIN_API_TOKEN OLLAMA_HOST GREETING MY_TOOL_FLAG EMPTY AGENT_ID";
    assert_eq!(keys.join(" "), expected);
    assert!(f.entries().contains(&("AGENT_ID".into(), "node-2".into())));
}

#[test]
fn set_and_unset_touch_only_their_lines() {
    let mut f = EnvFile::parse(SAMPLE).unwrap();
    f.set("EDGE_RUNTIME_MODE", "coordinator").unwrap();
    f.set("OLLAMA_HOST", "http://127.0.0.1:11434").unwrap(); // same value: quoting kept
    f.set("AGENT_ID", "node 3").unwrap(); // duplicate: last occurrence rewritten
    f.set("NEW_KEY", "x").unwrap();
    let expected = SAMPLE
        .replace("=worker", "=coordinator")
        .replace("AGENT_ID=node-2\n", "AGENT_ID='node 3'\nNEW_KEY=x\n");
    assert_eq!(f.render(), expected);
    assert!(f.unset("AGENT_ID"));
    assert!(!f.unset("AGENT_ID"));
    let expected = expected.replace("export AGENT_ID=node-1.local\n", "");
    assert_eq!(f.render(), expected.replace("AGENT_ID='node 3'\n", ""));

    let mut f = EnvFile::parse("# top\n  export TOKEN=a\n# tail").unwrap();
    f.set("TOKEN", "b c").unwrap();
    f.set("OTHER", "1").unwrap();
    assert_eq!(f.render(), "# top\n  export TOKEN='b c'\n# tail\nOTHER=1\n");
    let mut f = EnvFile::new();
    f.set("A", "1").unwrap();
    assert_eq!(f.set("1A", "x"), Err(ValueError::InvalidKey("1A".into())));
    assert!(f.set("B", "a\nb").is_err());
    assert_eq!(f.render(), "A=1\n");
}

#[test]
fn quotes_only_when_needed() {
    let cases = [
        ("plain-1.2_x/y:z@h%+,=", "plain-1.2_x/y:z@h%+,="),
        ("", ""),
        ("two words", "'two words'"),
        ("a#b", "'a#b'"),
        ("$HOME", "'$HOME'"),
        ("~/x", "'~/x'"),
        ("say \"hi\"", "'say \"hi\"'"),
        ("it's $5 `x` \\", "\"it's \\$5 \\`x\\` \\\\\""),
        ("tab\there", "'tab\there'"),
        ("ünï", "'ünï'"),
    ];
    for (value, quoted) in cases {
        assert_eq!(quote_value(value).unwrap(), quoted, "{value:?}");
        let back = EnvFile::parse(&format!("K={quoted}\n")).unwrap();
        assert_eq!(back.get("K"), Some(value));
    }
    for bad in ["a\nb", "nul\0", "esc\x1b", "cr\r", "del\x7f"] {
        let err = quote_value(bad).unwrap_err();
        assert!(matches!(err, ValueError::Unrepresentable(_)), "{bad:?}");
    }
    let msg = quote_value("a\nb").unwrap_err().to_string();
    let expected =
        "values with newlines cannot be stored in an env file read by both systemd and sh";
    assert!(msg.starts_with(expected), "{msg}");
}

#[test]
fn parse_errors_name_the_line() {
    let cases = [
        ("foo bar", 1, "expected KEY=value, found \"foo bar\""),
        ("# ok\n\nA=1\nfoo bar\n", 4, "expected KEY=value"),
        ("A=1\r\n", 1, "carriage return"),
        ("A=1\nB=a\0b", 2, "NUL"),
        ("# c\n1KEY=x", 2, "invalid key \"1KEY\""),
        ("KEY-X=1", 1, "invalid key"),
        ("A=1\nKEY =x", 2, "before '='"),
        ("KEY= x", 1, "after '='"),
        ("A=1\nB=2\nKEY=two words", 3, "' ' unquoted"),
        ("KEY=x # note", 1, "unquoted"),
        ("KEY=$HOME", 1, "expand"),
        ("KEY=a\\b", 1, "backslash"),
        ("KEY=a;b", 1, "shell syntax"),
        ("KEY=~/x", 1, "home directory"),
        ("KEY=a:~/x", 1, "home directory"),
        ("KEY=a\"b\"", 1, "quotes"),
        ("KEY='abc", 1, "no closing '"),
        ("\n\nKEY=\"abc", 3, "no closing \""),
        ("KEY=\"abc\\", 1, "no closing \""),
        ("KEY='a' # c", 1, "after the closing quote"),
        ("KEY='a'b", 1, "after the closing quote"),
        ("KEY=\"a\\nb\"", 1, "escape \"\\n\""),
        ("KEY=\"$HOME\"", 1, "unescaped '$'"),
        ("KEY=\"`id`\"", 1, "unescaped '`'"),
        ("KEY='a\x01'", 1, "control"),
        ("export", 1, "expected KEY=value"),
        ("export KEY", 1, "expected KEY=value"),
        ("=1", 1, "expected KEY=value"),
        ("; comment", 1, "expected KEY=value"),
        ("# note \\\nKEY=1", 1, "backslash"),
    ];
    for (text, line, reason) in cases {
        let err = EnvFile::parse(text).unwrap_err();
        assert_eq!(err.line, line, "{text:?}: {err}");
        assert!(err.reason.contains(reason), "{text:?}: {err}");
        assert_eq!(err.to_string(), format!("line {line}: {}", err.reason));
    }
    let long = EnvFile::parse(&"x".repeat(500)).unwrap_err();
    assert!(long.reason.len() < 120, "{long}");
    for ok in [
        "exportX=1",
        "export\tX=1",
        "X=a=b",
        "X=http://h/~u",
        "X=  ",
        "X='' ",
        "X=\"\"",
    ] {
        assert!(EnvFile::parse(ok).is_ok(), "{ok:?}");
    }
}

fn sh_value(shell: &str, path: &Path, key: &str) -> String {
    let script = format!(". \"$1\"; printf %s \"${key}\"");
    let out = Command::new(shell)
        .args(["-c", &script, "sh"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Both readers must agree. A real shell checks the sh side here; the systemd side was
/// checked against a port of its parser (src/basic/env-file.c), which cannot run here.
#[test]
fn shells_read_what_we_parse_and_write() {
    let shells = ["/bin/sh", "/bin/bash", "/bin/dash"].map(Path::new);
    let shells: Vec<&Path> = shells.into_iter().filter(|s| s.exists()).collect();
    if shells.is_empty() {
        crate::test_support::skip_unless_ci("there is no /bin/sh");
        return;
    }
    let values = "plain\n\ntwo  words\na#b\nit's\nsay \"hi\"\n$HOME\n${X:-y}\n`id`\n$(id)\n\
        back\\slash\n~/x\na:~/b\na;b|c&d\n<>()\n*\n?[a]\n!bang\n{a,b}\nünïcödé\ntab\there\n\
        mix 'single' and \"double\" $x `y` \\z\ntrailing space \n'\n\"\n\\";
    let dir = tmp_dir("sh");
    let path = dir.join("env");
    let mut f = EnvFile::parse("# header\nexport V0=old\n").unwrap();
    for (i, v) in values.split('\n').enumerate() {
        f.set(&format!("V{i}"), v).unwrap();
    }
    write_atomic(&path, &f).unwrap();
    let written = load(&path).unwrap().unwrap();
    fs::write(dir.join("sample"), SAMPLE).unwrap();
    for (file, path) in [
        (written, path),
        (EnvFile::parse(SAMPLE).unwrap(), dir.join("sample")),
    ] {
        for shell in &shells {
            for (key, value) in file.entries() {
                let shell = shell.to_str().unwrap();
                assert_eq!(sh_value(shell, &path, &key), value, "{shell} {key}");
            }
        }
    }
    fs::remove_dir_all(dir).unwrap();
}

#[cfg(unix)]
#[test]
fn write_atomic_keeps_mode_and_cleans_up() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    let dir = tmp_dir("write");
    let path = dir.join("edgecoder.env");
    fs::write(&path, "A=1\n").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let mut f = load(&path).unwrap().unwrap();
    f.set("B", "2").unwrap();
    write_atomic(&path, &f).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "A=1\nB=2\n");
    assert_eq!(mode(&path), 0o640);
    let names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["edgecoder.env"]);

    let fresh = dir.join("new/sub/env");
    write_atomic(&fresh, &f).unwrap();
    assert_eq!(mode(&fresh), 0o600);

    let link = dir.join("link.env");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    write_atomic(&link, &EnvFile::new()).unwrap();
    assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(fs::read_to_string(&path).unwrap(), "");

    assert!(write_atomic(&dir.join("edgecoder.env/child"), &f).is_err());
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn load_reports_missing_bad_and_unreadable() {
    let dir = tmp_dir("load");
    assert!(load(&dir.join("missing.env")).unwrap().is_none());
    let bad = dir.join("bad.env");
    fs::write(&bad, "A=1\nB=two words\n").unwrap();
    let err = load(&bad).unwrap_err().to_string();
    let expected = format!(
        "{}: line 2: value of B contains ' ' unquoted",
        bad.display()
    );
    assert!(err.starts_with(&expected), "{err}");
    fs::write(&bad, b"A=1\n# \xff\n").unwrap();
    let err = load(&bad).unwrap_err();
    assert!(
        matches!(&err, LoadError::Parse { error, .. } if error.line == 2),
        "{err}"
    );
    let err = load(&dir).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("cannot read {}: ", dir.display())),
        "{err}"
    );
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn random_input_never_panics() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    let alphabet = b"AZ_z09 =\t\n\r'\"\\$`#~:;export\x00\x01\xc3\xa9\xff";
    for round in 0..20_000 {
        let bytes: Vec<u8> = (0..next() % 40)
            .map(|_| match round % 4 {
                0 => next() as u8,
                _ => alphabet[next() % alphabet.len()],
            })
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(f) = EnvFile::parse(&text) {
            assert_eq!(f.render(), text);
            for (k, v) in f.entries() {
                let mut g = f.clone();
                g.set(&k, &format!("{v}!")).unwrap();
                let reparsed = EnvFile::parse(&g.render()).unwrap();
                assert_eq!(reparsed.get(&k), Some(format!("{v}!").as_str()));
            }
        }
        if let Ok(q) = quote_value(&text) {
            let reparsed = EnvFile::parse(&format!("K={q}")).unwrap();
            assert_eq!(reparsed.get("K"), Some(&*text), "{q:?}");
        }
        let _ = (validate_known("COORDINATOR_URL", &text), mask(&text));
    }
}

#[test]
fn known_keys_validation_and_secrets() {
    let err = validate_known("EDGE_RUNTIME_MODE", "banana").unwrap_err();
    let choices = "all-in-one, coordinator, worker, control-plane, inference, ide-provider";
    assert_eq!(
        err,
        format!("EDGE_RUNTIME_MODE must be one of: {choices}; got \"banana\"")
    );
    let good = "EDGE_RUNTIME_MODE=ide-provider\nAGENT_ID=node-1.a_b\nMESH_AUTH_TOKEN=x\n\
        COORDINATOR_URL=https://coord.example.com/api\nOLLAMA_HOST=http://[::1]:11434\n\
        OLLAMA_HOST=localhost:11434\nOLLAMA_HOST=0.0.0.0:11434\nEDGECODER_MODEL_REFRESH=30s\n\
        EDGECODER_URL=http://user:pw@h:8080?q\nMAX_CONCURRENT_TASKS=1024\nNETWORK_MODE=public_mesh\n\
        COORDINATOR_FEE_BPS=0\nEDGECODER_PORT=65535\nEDGECODER_DATA_DIR=/var/lib/x\nUNKNOWN=";
    for (k, v) in pairs(good) {
        assert_eq!(validate_known(k, v), Ok(()), "{k}={v}");
    }
    let bad = "AGENT_ID=\nAGENT_ID=a b\nADMIN_API_TOKEN= \nCOORDINATOR_URL=ftp://x\n\
        COORDINATOR_URL=http://\nCOORDINATOR_URL=http://:80\nOLLAMA_HOST=ftp://h:11434\n\
        OLLAMA_HOST=:11434\nEDGECODER_MODEL_IDLE_TIMEOUT=soon\nEDGECODER_MODEL_NUM_CTX=10\n\
        EDGECODER_URL=http://h:99999\nEDGECODER_URL=http://h:x\nMAX_CONCURRENT_TASKS=0\n\
        MAX_CONCURRENT_TASKS=+5\nNETWORK_MODE=mesh\nCOORDINATOR_FEE_BPS=10001\nEDGECODER_PORT=0\n\
        EDGECODER_PORT=99999999999999999999999\nEDGECODER_HOST=\nEDGECODER_LOG_DIR=\nOLLAMA_MODEL=";
    for (k, v) in pairs(bad) {
        let msg = validate_known(k, v).unwrap_err();
        assert!(msg.starts_with(&format!("{k} must ")), "{msg}");
    }
    let err = validate_known("ADMIN_API_TOKEN", "").unwrap_err();
    assert_eq!(err, "ADMIN_API_TOKEN must not be empty");
    assert!(is_known("OLLAMA_MODEL") && !is_known("FOO"));
    for k in "AGENT_REGISTRATION_TOKEN MESH_AUTH_TOKEN ADMIN_API_TOKEN EDGECODER_TOKEN X_SECRET DB_PASSWORD".split(' ') {
        assert!(is_secret(k), "{k}");
    }
    assert!(!is_secret("AGENT_ID") && !is_secret("TOKENS"));
    assert_eq!(mask(&"abcd".repeat(8)), "abcd…(32 chars)");
    assert_eq!(mask("short"), "****");
    assert_eq!(mask(""), "");
}
