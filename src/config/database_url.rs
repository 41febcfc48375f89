//! The coordinator's database setting: `sqlite` (the default, a file in the data dir) or a
//! PostgreSQL connection (`postgres://user:pass@host/db`, or libpq's `host=… user=…` pairs).

/// Which database a `--database` value names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseSetting {
    /// `edgecoder.db` in the data dir, or the file given as `sqlite:PATH`.
    Sqlite(Option<std::path::PathBuf>),
    Postgres(String),
}

impl DatabaseSetting {
    /// Reads a `--database` / `EDGECODER_DATABASE_URL` value; the error says what is accepted.
    pub fn parse(value: &str) -> Result<DatabaseSetting, String> {
        let value = value.trim();
        if value.is_empty() || value == "sqlite" {
            return Ok(DatabaseSetting::Sqlite(None));
        }
        if let Some(path) = value.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(
                    "`sqlite:` needs a file path: `sqlite:/var/lib/edgecoder/edgecoder.db`".into(),
                );
            }
            return Ok(DatabaseSetting::Sqlite(Some(path.into())));
        }
        if value.starts_with("postgres://")
            || value.starts_with("postgresql://")
            || value.contains('=')
        {
            return value
                .parse::<postgres::Config>()
                .map(|_| DatabaseSetting::Postgres(value.to_string()))
                .map_err(|e| format!("{}: {e}", mask_database_url(value)));
        }
        Err(format!(
            "{}: not a database; give `sqlite`, `sqlite:PATH`, `postgres://user@host/db` or \
             `host=… dbname=…`",
            mask_database_url(value)
        ))
    }
}

/// The value with any password replaced by `****`, safe to print and log.
pub fn mask_database_url(value: &str) -> String {
    if let Some((scheme, rest)) = value.split_once("://") {
        // scheme://[user[:password]@]host…  — the last `@` before the path ends the user info.
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let masked_userinfo = match rest[..authority_end].rfind('@') {
            Some(at) => {
                let userinfo = &rest[..at];
                let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
                let password = if userinfo.contains(':') { ":****" } else { "" };
                format!("{user}{password}@{}", &rest[at + 1..])
            }
            None => rest.to_string(),
        };
        return format!("{scheme}://{}", mask_password_pairs(&masked_userinfo, '&'));
    }
    mask_password_pairs(value, ' ')
}

/// `password=…` in a query string (`&`-separated) or in libpq pairs (space-separated).
fn mask_password_pairs(text: &str, separator: char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("password=") {
        let starts_pair = at == 0 || rest[..at].ends_with([separator, '?']);
        out.push_str(&rest[..at + "password=".len()]);
        rest = &rest[at + "password=".len()..];
        if !starts_pair {
            continue;
        }
        let end = if let Some(quoted) = rest.strip_prefix('\'') {
            quoted.find('\'').map_or(rest.len(), |q| q + 2)
        } else {
            rest.find(separator).unwrap_or(rest.len())
        };
        out.push_str("****");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_survive_masking() {
        for (given, shown) in [
            (
                "postgres://edge:s3cret@db:5432/edgecoder",
                "postgres://edge:****@db:5432/edgecoder",
            ),
            (
                "postgresql://edge@db/edgecoder",
                "postgresql://edge@db/edgecoder",
            ),
            (
                "postgres://db/edgecoder?user=edge&password=s3cret&sslmode=disable",
                "postgres://db/edgecoder?user=edge&password=****&sslmode=disable",
            ),
            ("postgres://u:p@ss@db/x", "postgres://u:****@db/x"),
            (
                "host=/tmp user=edge password=s3cret dbname=x",
                "host=/tmp user=edge password=**** dbname=x",
            ),
            (
                "host=db password='a b c' dbname=x",
                "host=db password=**** dbname=x",
            ),
        ] {
            assert_eq!(mask_database_url(given), shown);
            assert!(!mask_database_url(given).contains("s3cret"));
        }
    }

    #[test]
    fn settings_name_sqlite_or_postgres_or_say_what_is_wrong() {
        assert_eq!(
            DatabaseSetting::parse("sqlite"),
            Ok(DatabaseSetting::Sqlite(None))
        );
        assert_eq!(
            DatabaseSetting::parse("sqlite:/srv/e.db"),
            Ok(DatabaseSetting::Sqlite(Some("/srv/e.db".into())))
        );
        assert!(matches!(
            DatabaseSetting::parse("postgres://edge:pw@db/edgecoder"),
            Ok(DatabaseSetting::Postgres(_))
        ));
        assert!(matches!(
            DatabaseSetting::parse("host=/run/postgresql dbname=edgecoder"),
            Ok(DatabaseSetting::Postgres(_))
        ));
        let err = DatabaseSetting::parse("mysql://root:hunter2@db/x").expect_err("not ours");
        assert!(
            err.contains("postgres://") && !err.contains("hunter2"),
            "{err}"
        );
        let err =
            DatabaseSetting::parse("postgres://u:hunter2@db:notaport/x").expect_err("bad port");
        assert!(!err.contains("hunter2"), "{err}");
    }
}
