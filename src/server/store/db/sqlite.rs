//! Values to and from rusqlite, borrowed both ways.

use super::{Error, Params, Result, Value};
use rusqlite::types::{ToSqlOutput, ValueRef};

struct Bind<'a>(Value<'a>);

impl rusqlite::ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self.0 {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(i),
            Value::Real(f) => ValueRef::Real(f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

pub(super) fn bind<P: Params>(params: &P) -> impl rusqlite::Params + '_ {
    rusqlite::params_from_iter((0..params.count()).map(|i| Bind(params.value(i))))
}

pub(super) fn value_at<'r>(row: &'r rusqlite::Row<'_>, index: usize) -> Result<Value<'r>> {
    Ok(match row.get_ref(index)? {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(bytes) => Value::Text(
            std::str::from_utf8(bytes)
                .map_err(|_| Error::column(index, "the text is not valid UTF-8"))?,
        ),
        ValueRef::Blob(b) => Value::Blob(b),
    })
}
