//! The start-up integrity check: a database with a corrupt page must not start serving.

use rusqlite::Connection;

/// Runs SQLite's `quick_check` (every page and index entry, without the slower cross-checks of
/// `integrity_check`); the error says what the owner can do.
pub(super) fn check(conn: &Connection) -> Result<(), String> {
    let mut found = Vec::new();
    let ran = conn.prepare("PRAGMA quick_check(20)").and_then(|mut stmt| {
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            found.push(row?);
        }
        Ok(())
    });
    let problems = match ran {
        Ok(()) if found.len() == 1 && found[0] == "ok" => return Ok(()),
        Ok(()) => found.join("; "),
        Err(e) => e.to_string(),
    };
    Err(format!(
        "the database is corrupt (quick_check: {problems}). The coordinator will not start on it. \
         Stop it, keep a copy of the file, then restore your latest backup, or salvage what is \
         left with `sqlite3 edgecoder.db .recover | sqlite3 recovered.db` and move recovered.db \
         into its place"
    ))
}
