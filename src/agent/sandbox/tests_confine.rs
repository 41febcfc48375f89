//! Landlock confinement of a task: what it may still do, and what it may not.

use super::tests::{run_collect, script};
use std::fs;

fn landlock_or_skip() -> bool {
    if super::confine::abi().is_some() {
        return true;
    }
    crate::test_support::skip_unless_ci("this kernel offers no Landlock");
    false
}

#[test]
fn a_confined_task_works_in_its_dir_and_reaches_nothing_else() {
    if !landlock_or_skip() {
        return;
    }
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret"), "s3cret").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let workdir = dir.path().join("w");
    fs::create_dir(&workdir).unwrap();
    let secret = outside.path().join("secret");
    let text = format!(
        "echo hi > own && cat own && echo t > \"$TMPDIR/t\" && cat \"$TMPDIR/t\" \n\
         ls /usr/bin >/dev/null && echo system-read-ok\n\
         cat {s} && echo LEAK-read\n\
         echo x >> {s} && echo LEAK-write\n\
         kill -0 $PPID && echo LEAK-signal\n\
         # Landlock forbids ptrace of (hence reading the memory of) processes outside.\n\
         dd if=/proc/$PPID/mem of=/dev/null bs=1 count=1 skip=4096 2>/dev/null && echo LEAK-mem\n\
         true",
        s = secret.display()
    );
    let mut spec = script(&workdir, &text);
    spec.confine = true;
    let (outcome, out, err) = run_collect(&spec);
    let out = String::from_utf8_lossy(&out);
    assert!(
        outcome.succeeded(),
        "{out}\n{}",
        String::from_utf8_lossy(&err)
    );
    assert!(out.starts_with("hi\nt\nsystem-read-ok\n"), "{out}");
    assert!(!out.contains("LEAK"), "{out}");
    assert_eq!(fs::read_to_string(&secret).unwrap(), "s3cret");
}
