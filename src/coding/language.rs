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
}

const TABLE: &[Language] = &[
    Language {
        name: "python",
        entry: "main.py",
        run: "python3 main.py",
        fences: &["python", "py", "python3"],
    },
    Language {
        name: "javascript",
        entry: "main.js",
        run: "node main.js",
        fences: &["javascript", "js", "node", "nodejs", "mjs"],
    },
    Language {
        name: "typescript",
        entry: "main.ts",
        // Node 22.6+ runs TypeScript itself; no compiler to install, no network needed.
        run: "node --experimental-strip-types main.ts",
        fences: &["typescript", "ts"],
    },
    Language {
        name: "rust",
        entry: "main.rs",
        run: "rustc -o main main.rs && ./main",
        fences: &["rust", "rs"],
    },
    Language {
        name: "go",
        entry: "main.go",
        run: "go run main.go",
        fences: &["go", "golang"],
    },
    Language {
        name: "c",
        entry: "main.c",
        run: "cc -o main main.c && ./main",
        fences: &["c", "h"],
    },
    Language {
        name: "cpp",
        entry: "main.cpp",
        run: "c++ -o main main.cpp && ./main",
        fences: &["cpp", "c++", "cxx", "cc", "hpp"],
    },
    Language {
        name: "java",
        entry: "Main.java",
        run: "java Main.java",
        fences: &["java"],
    },
    Language {
        name: "ruby",
        entry: "main.rb",
        run: "ruby main.rb",
        fences: &["ruby", "rb"],
    },
    Language {
        name: "shell",
        entry: "main.sh",
        run: "sh main.sh",
        fences: &["shell", "sh", "bash", "zsh"],
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
}
