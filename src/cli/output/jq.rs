//! `--jq EXPR`: a jq filter over a command's `--json` output, so scripts need no `jq` installed.
//!
//! The filter language is jaq's (`jaq-core` + `jaq-std` + `jaq-json`), a maintained Rust
//! implementation of jq; nothing here interprets jq itself. The expression is checked once when the
//! command starts (a bad one is a usage error with jaq's message, before any request is made) and
//! kept for the whole process, so every `print_json` of the command goes through it.
//!
//! Output follows `gh --jq`: each result on its own line, strings raw (no quotes), everything else
//! as JSON (pretty, as `jq` prints it). `tojson` gives a quoted string where one is wanted.

use crate::cli::exit::CliError;
use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data};
use jaq_json::Val;
use std::sync::OnceLock;

type Filter = jaq_core::Filter<data::JustLut<Val>>;

/// The process's `--jq` expression, set once by `cli::main` after it was checked.
static EXPRESSION: OnceLock<String> = OnceLock::new();

/// Checks `expr` and keeps it for every later `print_json`; a bad expression is a usage error
/// carrying jaq's message.
pub fn set(expr: &str) -> Result<(), CliError> {
    compile(expr)?;
    // Set once per process (by `cli::main`); a second call keeps the first expression.
    let _ = EXPRESSION.set(expr.to_string());
    Ok(())
}

/// The `--jq` expression on the command line, wherever in the subcommand chain it was defined.
pub fn given(matches: &clap::ArgMatches) -> Option<String> {
    let mut found = None;
    let mut level = Some(matches);
    while let Some(m) = level {
        if let Ok(Some(expr)) = m.try_get_one::<String>("jq") {
            found = Some(expr.clone());
        }
        level = m.subcommand().map(|(_, sub)| sub);
    }
    found
}

/// The expression given with `--jq`, if any.
pub fn active() -> Option<&'static str> {
    EXPRESSION.get().map(String::as_str)
}

/// Runs `expr` on `input` and returns what to print: one line per result.
pub fn apply(expr: &str, input: &serde_json::Value) -> Result<String, CliError> {
    let filter = compile(expr)?;
    let text = serde_json::to_vec(input)
        .map_err(|e| CliError::error(format!("cannot encode the output as JSON: {e}")))?;
    let value = jaq_json::read::parse_single(&text)
        .map_err(|e| CliError::error(format!("cannot read the output back for --jq: {e}")))?;
    let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
    let mut out = String::new();
    for result in filter.id.run((ctx, value)).map(jaq_core::unwrap_valr) {
        let value = result.map_err(|e| CliError::error(format!("--jq: {e}")))?;
        out.push_str(&render(&value)?);
        out.push('\n');
    }
    Ok(out)
}

/// One result as `gh --jq` prints it: a string raw, anything else as pretty JSON.
fn render(value: &Val) -> Result<String, CliError> {
    if let Val::TStr(bytes) = value {
        return Ok(String::from_utf8_lossy(bytes).into_owned());
    }
    let pp = jaq_json::write::Pp {
        indent: Some("  ".to_string()),
        sep_space: true,
        ..Default::default()
    };
    let mut buf = Vec::new();
    jaq_json::write::write(&mut buf, &pp, 0, value)
        .map_err(|e| CliError::error(format!("cannot print a --jq result: {e}")))?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

fn compile(expr: &str) -> Result<Filter, CliError> {
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let arena = Arena::default();
    let modules = Loader::new(defs)
        .load(
            &arena,
            File {
                code: expr,
                path: (),
            },
        )
        .map_err(|errors| {
            let reasons: Vec<String> = errors
                .iter()
                .flat_map(|(_, e)| load_reasons(expr, e))
                .collect();
            bad_expression(expr, &reasons)
        })?;
    Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errors| {
            let reasons: Vec<String> = errors
                .iter()
                .flat_map(|(_, errs)| errs.iter())
                .map(|(name, undefined)| format!("undefined {} `{name}`", undefined.as_str()))
                .collect();
            bad_expression(expr, &reasons)
        })
}

/// The lexer's and parser's complaints, each with the column where it was found.
fn load_reasons(expr: &str, error: &jaq_core::load::Error<&str>) -> Vec<String> {
    use jaq_core::load::Error;
    let at = |found: &str| {
        let column = jaq_core::load::span(expr, found).start + 1;
        if found.is_empty() {
            "at the end".to_string()
        } else {
            format!("at column {column}")
        }
    };
    match error {
        Error::Io(errs) => errs
            .iter()
            .map(|(path, e)| format!("{path}: {e}"))
            .collect(),
        Error::Lex(errs) => errs
            .iter()
            .map(|(expect, found)| format!("expected {} {}", lex_expect(expect), at(found)))
            .collect(),
        Error::Parse(errs) => errs
            .iter()
            .map(|(expect, found)| format!("expected {} {}", expect.as_str(), at(found)))
            .collect(),
    }
}

/// What the lexer wanted, without calling `as_str` (it panics on an unknown delimiter).
fn lex_expect(expect: &jaq_core::load::lex::Expect<&str>) -> String {
    use jaq_core::load::lex::Expect;
    match expect {
        Expect::Delim(d) => format!("a match for `{d}`"),
        Expect::Digit => "a digit".into(),
        Expect::Ident => "an identifier".into(),
        Expect::Escape => "a string escape sequence".into(),
        Expect::Unicode => "a 4-digit hexadecimal code point".into(),
        _ => "a token".into(),
    }
}

fn bad_expression(expr: &str, reasons: &[String]) -> CliError {
    let reasons = if reasons.is_empty() {
        "it does not parse".to_string()
    } else {
        reasons.join("; ")
    };
    CliError::usage(format!(
        "--jq: `{expr}` is not a valid jq expression: {reasons}. Check the expression \
         (e.g. `--jq '.tasks | length'`); the manual of jq's language is at https://jqlang.org/manual/"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_are_raw_and_the_rest_is_json() {
        let input = json!({"tasks": [{"id": "a", "n": 1}, {"id": "b", "n": 2}]});
        assert_eq!(apply(".tasks | length", &input).unwrap(), "2\n");
        assert_eq!(apply(".tasks[].id", &input).unwrap(), "a\nb\n");
        assert_eq!(apply(".tasks[0].id | tojson", &input).unwrap(), "\"a\"\n");
        assert_eq!(apply("[.tasks[].n]", &input).unwrap(), "[\n  1,\n  2\n]\n");
        assert_eq!(apply("map(.x)?, empty", &input).unwrap(), "");
    }

    #[test]
    fn bad_expressions_are_usage_errors_that_say_why() {
        for bad in [".tasks |", ".[", "nosuchfilter", "\"abc"] {
            let err = compile(bad).err().expect(bad);
            assert_eq!(err.code, crate::cli::exit::USAGE, "{bad}");
            assert!(
                err.message.contains("not a valid jq expression"),
                "{}",
                err.message
            );
        }
        let err = compile("nosuchfilter").err().unwrap();
        assert!(
            err.message.contains("undefined filter `nosuchfilter`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_runtime_error_is_an_error_not_a_panic() {
        let err = apply(".a + 1", &json!({"a": "x"})).unwrap_err();
        assert_eq!(err.code, crate::cli::exit::ERROR);
        assert!(err.message.starts_with("--jq:"), "{}", err.message);
    }
}
