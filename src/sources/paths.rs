//! The path rules both sides apply: an archive entry names a place inside the tree (relative, no
//! `..`), and a link points inside the tree (checked lexically from where the link sits).

use std::path::{Component, Path, PathBuf};

/// `path` as a relative path that cannot leave its root, or None (absolute, `..`, empty).
pub fn inside(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// Whether a link at `link` (relative to the root) pointing at `target` stays inside the root.
/// `..` may only lead the target: after a name it would step back out of whatever that name is
/// (`x/..` where `x` links to `.` is the root's parent), which a lexical check cannot see.
pub fn link_stays_inside(link: &Path, target: &Path) -> bool {
    let mut named = false;
    let mut at: Vec<&std::ffi::OsStr> = match link.parent() {
        Some(parent) => match inside(parent) {
            Some(_) => parent
                .components()
                .filter_map(|c| match c {
                    Component::Normal(p) => Some(p),
                    _ => None,
                })
                .collect(),
            None if parent.as_os_str().is_empty() => Vec::new(),
            None => return false,
        },
        None => Vec::new(),
    };
    for part in target.components() {
        match part {
            Component::Normal(p) => {
                named = true;
                at.push(p)
            }
            Component::CurDir => {}
            Component::ParentDir => {
                if named || at.pop().is_none() {
                    return false;
                }
            }
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_stay_inside() {
        assert_eq!(inside(Path::new("a/./b")), Some(PathBuf::from("a/b")));
        for bad in ["/etc/passwd", "../x", "a/../../x", "", "."] {
            assert_eq!(inside(Path::new(bad)), None, "{bad}");
        }
    }

    #[test]
    fn links_stay_inside() {
        assert!(link_stays_inside(Path::new("a/l"), Path::new("../b")));
        assert!(link_stays_inside(Path::new("l"), Path::new("a/b")));
        assert!(!link_stays_inside(Path::new("l"), Path::new("../x")));
        assert!(!link_stays_inside(Path::new("a/l"), Path::new("../../x")));
        assert!(!link_stays_inside(Path::new("l"), Path::new("/etc")));
        assert!(!link_stays_inside(Path::new("l"), Path::new("x/..")));
    }
}
