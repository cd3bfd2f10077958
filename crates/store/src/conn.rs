//! One connection type over both databases, and the macro that runs a query
//! body against whichever it is.
//!
//! Every query is written once, with `$N` placeholders that both drivers bind
//! by number; the macro type-checks the body once per backend. This keeps one
//! code base without `sqlx::Any` and its weak types.

use sqlx::{PgConnection, SqliteConnection};

pub(crate) enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

/// `on_conn!(conn, c => body)`: runs `body` with `c` bound to the concrete
/// connection.
macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::conn::Conn::Sqlite($c) => $body,
            $crate::conn::Conn::Postgres($c) => $body,
        }
    };
}
pub(crate) use on_conn;

impl Conn<'_> {
    pub(crate) fn reborrow(&mut self) -> Conn<'_> {
        match self {
            Conn::Sqlite(c) => Conn::Sqlite(c),
            Conn::Postgres(c) => Conn::Postgres(c),
        }
    }

    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self, Conn::Postgres(_))
    }
}
