//! `edgecoder logs`: reads the JSON log files of `serve` and `agent` directly (no server needed).

use super::args::LogsArgs;
use super::common_args::discovery;
use super::exit::{CliError, NOT_FOUND, OK};
use crate::config;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

struct Line {
    at: SystemTime,
    level: u8,
    raw: String,
    value: Value,
}

fn level_rank(level: &str) -> u8 {
    match level.to_ascii_uppercase().as_str() {
        "TRACE" => 0,
        "DEBUG" => 1,
        "INFO" => 2,
        "WARN" | "WARNING" => 3,
        "ERROR" => 4,
        _ => 2,
    }
}

pub fn run(args: LogsArgs) -> Result<u8, CliError> {
    let mut flags = BTreeMap::new();
    if let Some(d) = &args.log_dir {
        flags.insert("log_dir", d.display().to_string());
    }
    let resolved = config::resolve(&flags, &discovery(&args.config))?;
    let dir = resolved
        .get("log_dir")
        .map(PathBuf::from)
        .unwrap_or_else(config::paths::default_log_dir);
    let since = match &args.since {
        Some(s) => Some(
            SystemTime::now()
                - humantime::parse_duration(s).map_err(|e| {
                    CliError::usage(format!(
                        "--since {s:?}: not a duration like 10m or 2h ({e})"
                    ))
                })?,
        ),
        None => None,
    };
    let min_level = args.level.as_deref().map(level_rank).unwrap_or(0);
    let files = log_files(&dir);
    if files.is_empty() && !args.follow {
        return Err(CliError::new(
            NOT_FOUND,
            format!(
                "no log files in {} yet: `edgecoder serve` and `edgecoder agent` write them there",
                dir.display()
            ),
        ));
    }
    let keep = |l: &Line| since.is_none_or(|s| l.at >= s) && l.level >= min_level;
    let mut lines: Vec<Line> = Vec::new();
    let mut skipped = 0usize;
    let mut offsets: BTreeMap<PathBuf, u64> = BTreeMap::new();
    for path in &files {
        let text = std::fs::read(path).unwrap_or_default();
        if !is_rotated(path) {
            offsets.insert(path.clone(), text.len() as u64);
        }
        for raw in String::from_utf8_lossy(&text).lines() {
            match parse(raw) {
                Some(line) if keep(&line) => lines.push(line),
                Some(_) => {}
                None if !raw.trim().is_empty() => skipped += 1,
                None => {}
            }
        }
    }
    lines.sort_by_key(|l| l.at);
    let n = args
        .lines
        .unwrap_or(if args.follow { 20 } else { usize::MAX });
    let start = lines.len().saturating_sub(n);
    for line in &lines[start..] {
        print_line(line, args.json);
    }
    if skipped > 0 {
        eprintln!("note: {skipped} line(s) that are not edgecoder JSON logs were skipped");
    }
    if !args.follow {
        return Ok(OK);
    }
    loop {
        std::thread::sleep(Duration::from_millis(250));
        for path in log_files(&dir).into_iter().filter(|p| !is_rotated(p)) {
            let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            let from = offsets.get(&path).copied().unwrap_or(0);
            // A shorter file was rotated: start it from the beginning.
            let from = if len < from { 0 } else { from };
            if len == from {
                continue;
            }
            if let Ok(bytes) = read_from(&path, from) {
                let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                for raw in String::from_utf8_lossy(&bytes[..complete]).lines() {
                    if let Some(line) = parse(raw).filter(keep) {
                        print_line(&line, args.json);
                    }
                }
                offsets.insert(path, from + complete as u64);
            }
        }
    }
}

fn read_from(path: &Path, offset: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    f.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::new();
    f.take(16 << 20).read_to_end(&mut buf)?;
    Ok(buf)
}

fn is_rotated(path: &Path) -> bool {
    path.extension().is_some_and(|e| e != "log")
}

/// `*.log` and rotated `*.log.N` files of the log dir.
fn log_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".log")
                || name
                    .rsplit_once(".log.")
                    .is_some_and(|(_, n)| n.chars().all(|c| c.is_ascii_digit()))
        })
        .collect();
    files.sort();
    files
}

fn parse(raw: &str) -> Option<Line> {
    let value: Value = serde_json::from_str(raw).ok()?;
    let at = humantime::parse_rfc3339_weak(value["timestamp"].as_str()?).ok()?;
    let level = level_rank(value["level"].as_str().unwrap_or("INFO"));
    Some(Line {
        at,
        level,
        raw: raw.to_string(),
        value,
    })
}

fn print_line(line: &Line, json: bool) {
    if json {
        if super::output::jq::active().is_none() {
            println!("{}", line.raw);
        } else if let Err(e) = super::output::print_json_line(&line.value) {
            eprintln!("error: {}", e.message);
        }
        return;
    }
    let v = &line.value;
    let mut text = format!(
        "{} {:>5} {}",
        v["timestamp"].as_str().unwrap_or(""),
        v["level"].as_str().unwrap_or(""),
        v["fields"]["message"].as_str().unwrap_or("")
    );
    if let Some(fields) = v["fields"].as_object() {
        for (k, val) in fields.iter().filter(|(k, _)| *k != "message") {
            match val {
                Value::String(s) => text.push_str(&format!(" {k}={s}")),
                other => text.push_str(&format!(" {k}={other}")),
            }
        }
    }
    println!("{text}");
}
