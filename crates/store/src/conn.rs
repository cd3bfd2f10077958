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

/// `$1, $2, …, $n`: placeholders for an `IN (…)` list of `antall` values.
pub(crate) fn plassholdere(antall: usize) -> String {
    (1..=antall).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// `($1, $2, $3), ($4, $5, $6), …`: placeholders for `rader` rows of `kolonner` values each,
/// numbered from `$1`, for a multi-row `VALUES` list.
pub(crate) fn verdilister(rader: usize, kolonner: usize) -> String {
    (0..rader)
        .map(|r| {
            let plasser: Vec<String> = (1..=kolonner).map(|k| format!("${}", r * kolonner + k)).collect();
            format!("({})", plasser.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn value_lists_number_their_placeholders_in_order() {
        assert_eq!(super::verdilister(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::verdilister(1, 1), "($1)");
    }

    #[test]
    fn in_lists_number_their_placeholders_in_order() {
        assert_eq!(super::plassholdere(3), "$1, $2, $3");
        assert_eq!(super::plassholdere(1), "$1");
    }
}
