//! The `database` setting, read the same way by `serve` and `db`.

use super::exit::CliError;
use crate::config::{DatabaseSetting, Resolved};
use crate::server::store::{Location, PostgresTarget};
use std::path::Path;

/// Where the store is: `--database` / EDGECODER_DATABASE_URL, else `edgecoder.db` in the data
/// dir. A PostgreSQL password may come from EDGECODER_DATABASE_PASSWORD_FILE.
pub fn location(r: &Resolved, data_dir: &Path) -> Result<Location, CliError> {
    let given = r.get("database").unwrap_or("sqlite");
    let setting = DatabaseSetting::parse(given)
        .map_err(|why| CliError::usage(format!("--database / EDGECODER_DATABASE_URL: {why}")))?;
    Ok(match setting {
        DatabaseSetting::Sqlite(None) => Location::Sqlite(data_dir.join("edgecoder.db")),
        DatabaseSetting::Sqlite(Some(path)) => Location::Sqlite(path),
        DatabaseSetting::Postgres(url) => {
            let target = PostgresTarget::parse(&url).map_err(CliError::usage)?;
            match r.get("database_password_file") {
                Some(file) => {
                    let password = crate::config::secret_file::load(Path::new(file))
                        .map_err(|e| e.to_string())
                        .and_then(|found| {
                            found.ok_or_else(|| "no such file, or it is empty".into())
                        })
                        .map_err(|e: String| {
                            CliError::usage(format!("EDGECODER_DATABASE_PASSWORD_FILE {file}: {e}"))
                        })?;
                    Location::Postgres(Box::new(target.with_password(password.as_bytes())))
                }
                None => Location::Postgres(Box::new(target)),
            }
        }
    })
}
