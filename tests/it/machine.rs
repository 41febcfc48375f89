//! What the machine running the tests offers, and how a test that cannot run here says so.

/// Says why a test cannot run on this machine before the caller returns from it; under CI
/// (`CI=true`), where every test must run, it fails instead, so nothing is skipped silently.
pub fn skip_unless_ci(why: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI must be able to run this test, but {why}"
    );
    eprintln!("skipped: {why}");
}

pub fn is_root() -> bool {
    // SAFETY: geteuid takes no arguments and cannot fail.
    unsafe { libc::geteuid() == 0 }
}
