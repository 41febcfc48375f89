//! The values that cross the store's one query interface, whichever database is behind it.
//!
//! Both backends are read into and written from [`Value`], SQLite's own five storage classes:
//! the store's schema keeps to them on PostgreSQL too (`BIGINT` for integers and flags,
//! `TEXT`, `BYTEA`, `DOUBLE PRECISION`), so one set of row mappers serves both.

use super::Error;

/// One value borrowed from a parameter or a row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl<'a> Value<'a> {
    pub fn as_str(&self) -> Option<&'a str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// Text or NULL; `None` for any other kind.
    pub fn as_str_or_null(&self) -> Option<Option<&'a str>> {
        match self {
            Value::Null => Some(None),
            Value::Text(s) => Some(Some(s)),
            _ => None,
        }
    }

    pub fn as_blob(&self) -> Option<&'a [u8]> {
        match self {
            Value::Blob(b) => Some(b),
            _ => None,
        }
    }

    /// The storage class's name, for errors.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Int(_) => "an integer",
            Value::Real(_) => "a real number",
            Value::Text(_) => "text",
            Value::Blob(_) => "a blob",
        }
    }
}

/// A Rust value the store can send as a query parameter.
pub trait ToValue {
    fn to_value(&self) -> Value<'_>;
}

impl ToValue for Value<'_> {
    fn to_value(&self) -> Value<'_> {
        *self
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value<'_> {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value<'_> {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl<const N: usize> ToValue for [u8; N] {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

macro_rules! int_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value<'_> {
                Value::Int(i64::from(*self))
            }
        }
    )*};
}
int_to_value!(i64, i32, i16, u32, u16, u8);

macro_rules! wide_int_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            /// Counts and sizes past `i64::MAX` do not occur; they are stored as `i64::MAX`
            /// rather than wrapping to a negative number.
            fn to_value(&self) -> Value<'_> {
                Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
wide_int_to_value!(u64, usize);

/// A Rust value the store can read from a column.
pub trait FromValue: Sized {
    fn from_value(value: Value<'_>) -> Result<Self, String>;
}

fn wrong(value: Value<'_>, wanted: &str) -> String {
    format!("expected {wanted}, found {}", value.kind())
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value<'_>) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

impl FromValue for i64 {
    fn from_value(value: Value<'_>) -> Result<Self, String> {
        match value {
            Value::Int(i) => Ok(i),
            v => Err(wrong(v, "an integer")),
        }
    }
}

macro_rules! narrow_int_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(value: Value<'_>) -> Result<Self, String> {
                let wide = i64::from_value(value)?;
                <$t>::try_from(wide)
                    .map_err(|_| format!("{wide} is out of range for {}", stringify!($t)))
            }
        }
    )*};
}
narrow_int_from_value!(i32, u32, u64, usize, u16, u8);

impl FromValue for bool {
    fn from_value(value: Value<'_>) -> Result<Self, String> {
        Ok(i64::from_value(value)? != 0)
    }
}

impl FromValue for f64 {
    fn from_value(value: Value<'_>) -> Result<Self, String> {
        match value {
            Value::Real(f) => Ok(f),
            Value::Int(i) => Ok(i as f64),
            v => Err(wrong(v, "a real number")),
        }
    }
}

impl FromValue for String {
    fn from_value(value: Value<'_>) -> Result<Self, String> {
        match value {
            Value::Text(s) => Ok(s.to_string()),
            v => Err(wrong(v, "text")),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: Value<'_>) -> Result<Self, String> {
        match value {
            Value::Blob(b) => Ok(b.to_vec()),
            v => Err(wrong(v, "a blob")),
        }
    }
}

impl<const N: usize> FromValue for [u8; N] {
    fn from_value(value: Value<'_>) -> Result<Self, String> {
        match value {
            Value::Blob(b) => b
                .try_into()
                .map_err(|_| format!("expected a blob of {N} bytes, found {}", b.len())),
            v => Err(wrong(v, "a blob")),
        }
    }
}

/// A list of query parameters: `params![a, b]`, an array of one type, or `[]`.
pub trait Params {
    fn count(&self) -> usize;
    fn value(&self, index: usize) -> Value<'_>;
}

impl Params for &[&dyn ToValue] {
    fn count(&self) -> usize {
        self.len()
    }
    fn value(&self, index: usize) -> Value<'_> {
        self[index].to_value()
    }
}

impl Params for [&dyn ToValue; 0] {
    fn count(&self) -> usize {
        0
    }
    fn value(&self, _: usize) -> Value<'_> {
        Value::Null
    }
}

macro_rules! array_params {
    ($($n:literal),*) => {$(
        impl<T: ToValue> Params for [T; $n] {
            fn count(&self) -> usize {
                $n
            }
            fn value(&self, index: usize) -> Value<'_> {
                self[index].to_value()
            }
        }
    )*};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8);

/// The parameters of one query, for either backend: `params![id, now, name]`.
#[macro_export]
#[doc(hidden)]
macro_rules! __store_params {
    () => {
        &[] as &[&dyn $crate::server::store::db::ToValue]
    };
    ($($param:expr),+ $(,)?) => {
        &[$(&$param as &dyn $crate::server::store::db::ToValue),+]
            as &[&dyn $crate::server::store::db::ToValue]
    };
}

impl From<String> for Error {
    fn from(why: String) -> Self {
        Error::Conversion(why)
    }
}
