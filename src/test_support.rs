//! What the library's unit tests share (compiled for tests only).

/// Says why a test cannot run on this machine before the caller returns from it; under CI
/// (`CI=true`), where every test must run, it fails instead, so nothing is skipped silently.
/// The integration tests have the same helper in `tests/it/common.rs`.
pub fn skip_unless_ci(why: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI must be able to run this test, but {why}"
    );
    eprintln!("skipped: {why}");
}
