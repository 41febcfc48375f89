use super::*;

fn py() -> &'static Language {
    language::lookup("python").unwrap()
}

fn parse(text: &str) -> Result<Answer, AnswerError> {
    parse_answer(text, py(), "main.py")
}

fn names(a: &Answer) -> Vec<&str> {
    a.files.iter().map(|(p, _)| p.as_str()).collect()
}

#[test]
fn a_name_on_the_fence_line() {
    let a = parse("Here:\n```python main.py\nprint(1)\n```\n").unwrap();
    assert_eq!(a.files, [("main.py".to_string(), "print(1)\n".to_string())]);
    assert!(!a.cut_off);
    let a = parse("```python title=\"src/x.py\"\nx = 1\n```").unwrap();
    assert_eq!(names(&a), ["src/x.py"]);
    let a = parse("```util.py\nx = 1\n```").unwrap();
    assert_eq!(names(&a), ["util.py"]);
    let a = parse("```py:lib/a.py\nx = 1\n```").unwrap();
    assert_eq!(names(&a), ["lib/a.py"]);
}

#[test]
fn a_name_in_a_first_line_comment() {
    let a = parse("```python\n# file: app.py\nprint(2)\n```").unwrap();
    assert_eq!(a.files, [("app.py".to_string(), "print(2)\n".to_string())]);
    let js = language::lookup("javascript").unwrap();
    let a = parse_answer("```js\n// file: src/a.js\nx()\n```", js, "main.js").unwrap();
    assert_eq!(a.files[0].0, "src/a.js");
}

#[test]
fn a_name_on_the_line_before() {
    for before in [
        "**calc.py**",
        "calc.py:",
        "`calc.py`",
        "### calc.py",
        "File: `calc.py`",
    ] {
        let text = format!("{before}\n```python\nx = 1\n```\n");
        let a = parse(&text).unwrap();
        assert_eq!(names(&a), ["calc.py"], "{before}");
    }
    // A sentence is not a file name.
    let a = parse("Here is the code:\n```python\nx = 1\n```").unwrap();
    assert_eq!(names(&a), ["main.py"]);
}

#[test]
fn several_files_in_one_answer() {
    let text =
        "```python main.py\nimport util\n```\nand\n**util.py**\n```python\ndef f(): pass\n```\n";
    let a = parse(text).unwrap();
    assert_eq!(names(&a), ["main.py", "util.py"]);
}

#[test]
fn one_unnamed_block_is_the_entry_file_and_usage_lines_are_not_code() {
    let text =
        "```python\nprint('hi')\nprint('there')\n```\nRun it:\n```bash\npython3 main.py\n```";
    let a = parse(text).unwrap();
    assert_eq!(
        a.files,
        [("main.py".into(), "print('hi')\nprint('there')\n".into())]
    );
    let a = parse_answer("```\nx = 1\n```", py(), "solution.py").unwrap();
    assert_eq!(names(&a), ["solution.py"]);
}

#[test]
fn escaping_paths_are_refused() {
    for bad in [
        "../x.py",
        "/etc/passwd.py",
        "a/../../x.py",
        ".edgecoder-task.sh",
        ".tmp/x.py",
    ] {
        let text = format!("```python {bad}\nx\n```");
        assert!(
            matches!(parse(&text), Err(AnswerError::Escapes(_))),
            "{bad}"
        );
    }
    let text = "```python\n# file: ../../evil.py\nx\n```";
    assert!(matches!(parse(text), Err(AnswerError::Escapes(_))));
}

#[test]
fn no_code_is_an_error() {
    assert_eq!(parse("I cannot do that."), Err(AnswerError::NoCode));
    assert_eq!(parse("```python\n\n```"), Err(AnswerError::NoCode));
    assert!(
        AnswerError::NoCode
            .to_string()
            .contains("no code in the answer")
    );
}

#[test]
fn a_cut_off_last_fence_is_reported() {
    let a = parse("```python main.py\nprint(1)\nprint(").unwrap();
    assert!(a.cut_off);
    assert_eq!(a.files[0].1, "print(1)\nprint(\n");
}

#[test]
fn tilde_fences_and_longer_fences() {
    let a = parse("~~~python\nx = 1\n~~~").unwrap();
    assert_eq!(a.files[0].1, "x = 1\n");
    let a = parse("````python main.py\n```\ninner\n```\n````").unwrap();
    assert_eq!(a.files[0].1, "```\ninner\n```\n");
}
