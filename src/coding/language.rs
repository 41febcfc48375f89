//! What the loop needs to know about each language a coding task may name: where an unnamed
//! block of code goes, how the program is run when the task brings no check, and which fence
//! tags mean it. One table, so adding a language is one line.

/// One language of [`crate::api::LANGUAGES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    pub name: &'static str,
    /// Where a single unnamed block of code is written.
    pub entry: &'static str,
    /// The shell command that runs the program (in the working dir) when the task has no check.
    pub run: &'static str,
    /// Fence info tags that mean this language (lower case).
    pub fences: &'static [&'static str],
    /// A shell command that checks every file of the language in the working dir without
    /// running anything, exiting non-zero on a syntax error: the check of a job's part that
    /// brings none of its own, since a part (a module) need not be a program that runs alone.
    /// None where no such check comes with the language's usual tools.
    pub syntax: Option<&'static str>,
}

const TABLE: &[Language] = &[
    Language {
        name: "python",
        entry: "main.py",
        run: "python3 main.py",
        fences: &["python", "py", "python3"],
        syntax: Some("find . -name '*.py' -not -path '*/.*' -exec python3 -m py_compile {} +"),
    },
    Language {
        name: "javascript",
        entry: "main.js",
        run: "node main.js",
        fences: &["javascript", "js", "node", "nodejs", "mjs"],
        syntax: Some(
            "find . -name '*.js' -not -path '*/.*' -exec sh -c 'for f; do node --check \"$f\" || exit 1; done' sh {} +",
        ),
    },
    Language {
        name: "typescript",
        entry: "main.ts",
        // Node 22.6+ runs TypeScript itself; no compiler to install, no network needed.
        run: "node --experimental-strip-types main.ts",
        fences: &["typescript", "ts"],
        syntax: None,
    },
    Language {
        name: "rust",
        entry: "main.rs",
        run: "rustc -o main main.rs && ./main",
        fences: &["rust", "rs"],
        syntax: None,
    },
    Language {
        name: "go",
        entry: "main.go",
        run: "go run main.go",
        fences: &["go", "golang"],
        syntax: Some("gofmt -e -l . > /dev/null"),
    },
    Language {
        name: "c",
        entry: "main.c",
        run: "cc -o main main.c && ./main",
        fences: &["c", "h"],
        syntax: Some("find . -name '*.c' -not -path '*/.*' -exec cc -fsyntax-only {} +"),
    },
    Language {
        name: "cpp",
        entry: "main.cpp",
        run: "c++ -o main main.cpp && ./main",
        fences: &["cpp", "c++", "cxx", "cc", "hpp"],
        syntax: Some(
            "find . \\( -name '*.cpp' -o -name '*.cc' -o -name '*.cxx' \\) -not -path '*/.*' -exec c++ -fsyntax-only {} +",
        ),
    },
    Language {
        name: "java",
        entry: "Main.java",
        run: "java Main.java",
        fences: &["java"],
        syntax: None,
    },
    Language {
        name: "ruby",
        entry: "main.rb",
        run: "ruby main.rb",
        fences: &["ruby", "rb"],
        syntax: Some(
            "find . -name '*.rb' -not -path '*/.*' -exec sh -c 'for f; do ruby -c \"$f\" > /dev/null || exit 1; done' sh {} +",
        ),
    },
    Language {
        name: "shell",
        entry: "main.sh",
        run: "sh main.sh",
        fences: &["shell", "sh", "bash", "zsh"],
        syntax: Some(
            "find . -name '*.sh' -not -path '*/.*' -exec sh -c 'for f; do sh -n \"$f\" || exit 1; done' sh {} +",
        ),
    },
];

/// The language called `name` (one of [`crate::api::LANGUAGES`]).
pub fn lookup(name: &str) -> Option<&'static Language> {
    TABLE.iter().find(|l| l.name == name)
}

/// An error for a language we do not know, listing those we do.
pub fn unknown(name: &str) -> String {
    format!(
        "unknown language {name:?}; use one of: {}",
        crate::api::LANGUAGES.join(", ")
    )
}

impl Language {
    /// Whether a fence tag (` ```py `) means this language.
    pub fn answers_to(&self, tag: &str) -> bool {
        let tag = tag.to_ascii_lowercase();
        self.fences.contains(&tag.as_str())
    }
}

/// Whether a fence tag names any known language (so it is not taken for a file name).
pub fn is_any_tag(tag: &str) -> bool {
    let tag = tag.to_ascii_lowercase();
    TABLE.iter().any(|l| l.fences.contains(&tag.as_str()))
        || [
            "text", "txt", "console", "output", "json", "toml", "yaml", "diff",
        ]
        .contains(&tag.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_of_the_wire_has_an_entry() {
        for name in crate::api::LANGUAGES {
            let lang = lookup(name).unwrap_or_else(|| panic!("{name} missing"));
            assert!(lang.run.contains(lang.entry), "{name}");
            assert!(lang.answers_to(name), "{name}");
        }
        assert!(lookup("python").unwrap().answers_to("PY"));
        assert!(unknown("cobol").contains("python"));
    }

    /// Runs `lang`'s syntax check in `dir`: whether it passed.
    fn syntax_passes(lang: &str, dir: &std::path::Path) -> bool {
        let command = lookup(lang).and_then(|l| l.syntax).expect("a syntax check");
        std::process::Command::new("sh")
            .arg("-c")
            .arg(command)
            .current_dir(dir)
            .status()
            .expect("sh runs")
            .success()
    }

    #[test]
    fn a_syntax_check_fails_on_a_broken_file_anywhere_but_in_hidden_dirs() {
        for (lang, good, bad, name) in [
            (
                "python",
                "def f(x):\n    return x\n",
                "def f(x)\n    return x\n",
                "m.py",
            ),
            ("shell", "echo hi\n", "if then fi\n", "m.sh"),
            (
                "javascript",
                "function f() { return 1 }\n",
                "function f( {\n",
                "m.js",
            ),
            (
                "c",
                "int f(void) { return 1; }\n",
                "int f(void) { return 1 }\n",
                "m.c",
            ),
        ] {
            let dir = tempfile::tempdir().expect("tempdir");
            let root = dir.path();
            std::fs::create_dir_all(root.join("pkg")).expect("mkdir");
            std::fs::create_dir_all(root.join(".tmp")).expect("mkdir");
            std::fs::write(root.join("pkg").join(name), good).expect("write");
            // The sandbox's own dirs are hidden; what is there is not the task's code.
            std::fs::write(root.join(".tmp").join(name), bad).expect("write");
            assert!(syntax_passes(lang, root), "{lang}: a good tree failed");
            std::fs::write(root.join(name), bad).expect("write");
            assert!(!syntax_passes(lang, root), "{lang}: a broken file passed");
        }
    }
}
