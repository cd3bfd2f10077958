//! What can go wrong in the store.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A concurrent write got there first (a unique constraint or a version
    /// check). The whole command is safe to run again.
    #[error("en samtidig skriving kom først")]
    Konflikt,
    #[error("ugyldig database-URL «{0}»: bruk sqlite://FIL eller postgres://…")]
    UgyldigUrl(String),
    #[error("databasen svarer ikke som ventet: {0}")]
    Database(sqlx::Error),
    #[error("lagrede data kan ikke leses: {0}")]
    Korrupt(String),
    #[error("migrering {versjon} ({navn}) feilet: {kilde}")]
    Migrering { versjon: i64, navn: &'static str, kilde: sqlx::Error },
}

impl From<sqlx::Error> for StoreError {
    fn from(feil: sqlx::Error) -> Self {
        if er_konflikt(&feil) { StoreError::Konflikt } else { StoreError::Database(feil) }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(feil: serde_json::Error) -> Self {
        StoreError::Korrupt(feil.to_string())
    }
}

impl From<varde_domain::hendelse::ApplyFeil> for StoreError {
    fn from(feil: varde_domain::hendelse::ApplyFeil) -> Self {
        StoreError::Korrupt(feil.to_string())
    }
}

/// Errors that mean "someone else wrote first; try again": unique violations,
/// PostgreSQL serialization failures and deadlocks, SQLite busy.
fn er_konflikt(feil: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = feil else {
        return false;
    };
    if db.is_unique_violation() {
        return true;
    }
    matches!(db.code().as_deref(), Some("40001") | Some("40P01") | Some("5") | Some("517"))
}
