//! `varde audit …`: the audit trail from the command line. `varde audit verify` checks the
//! hash chain from its first record to its head and names the first broken record.
//!
//! It only reads: it neither migrates nor seals. Records not yet sealed are counted and
//! left to the running service. Exit status: 0 intact, 2 broken, 1 when the check could
//! not be made (no database, an old schema).

use anyhow::Context;
use varde_application::revisjon::kontroller_kjeden;
use varde_domain::revisjonskjede::Kjedehode;
use varde_store::Store;

/// The exit status of a broken chain.
pub const BRUTT: i32 = 2;

#[derive(clap::Subcommand, Debug)]
pub enum AuditKommando {
    /// Check the audit trail's hash chain; names the first broken record.
    Verify {
        /// sqlite://FILE or postgres://…
        #[arg(long = "database", env = "VARDE_DATABASE_URL", default_value = "sqlite://varde.db")]
        database: String,
        /// A head printed by an earlier check (NR:HEX) that the chain must still hold:
        /// keep it outside the database to catch a chain rewritten from that point on.
        #[arg(long, value_parser = tolk_anker)]
        anker: Option<Kjedehode>,
    },
}

fn tolk_anker(tekst: &str) -> Result<Kjedehode, String> {
    Kjedehode::parse(tekst).ok_or_else(|| "ventet NR:HEX, f.eks. 1200:<64 heksadesimale sifre>".to_owned())
}

/// Runs the command; returns the exit status (0, or [`BRUTT`]).
pub async fn kjoer(kommando: AuditKommando) -> anyhow::Result<i32> {
    match kommando {
        AuditKommando::Verify { database, anker } => verifiser(&database, anker).await,
    }
}

async fn verifiser(url: &str, anker: Option<Kjedehode>) -> anyhow::Result<i32> {
    if let Some(fil) = sqlite_fil(url)
        && !std::path::Path::new(fil).exists()
    {
        anyhow::bail!("databasefilen {fil} finnes ikke");
    }
    let store = Store::koble_til(url).await.with_context(|| format!("kan ikke koble til databasen {url}"))?;
    let kontroll = kontroller_kjeden(&store, anker, |n| eprintln!("kontrollert {n} poster …"))
        .await
        .context("kan ikke lese revisjonskjeden (er databasen migrert av en varde med revisjonskjede?)");
    store.lukk().await;
    let kontroll = kontroll?;
    match kontroll.utfall {
        Ok(rapport) => {
            println!("revisjonskjeden er intakt: {} poster kontrollert", rapport.poster);
            println!("  hode: {}", rapport.hode);
            if let Some(anker) = anker {
                println!("  ankeret {anker} er i kjeden");
            }
            println!("  uforseglet: {}{}", kontroll.uforseglet, uforseglet_merknad(kontroll.uforseglet));
            Ok(0)
        }
        Err(brudd) => {
            println!("revisjonskjeden er BRUTT: {brudd}");
            println!("  intakte poster før bruddet: {}", kontroll.kontrollert);
            println!("  uforseglet: {}{}", kontroll.uforseglet, uforseglet_merknad(kontroll.uforseglet));
            Ok(BRUTT)
        }
    }
}

fn uforseglet_merknad(antall: i64) -> &'static str {
    if antall > 0 { " (varde serve forsegler dem innen et sekund når den kjører)" } else { "" }
}

/// The file of a `sqlite:` URL, unless it is in memory.
fn sqlite_fil(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let fil = rest.split('?').next().unwrap_or(rest);
    (!fil.is_empty() && fil != ":memory:").then_some(fil)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(sqlite_fil("sqlite://varde.db"), Some("varde.db"));
        assert_eq!(sqlite_fil("sqlite:///tmp/a.db?mode=ro"), Some("/tmp/a.db"));
        assert_eq!(sqlite_fil("sqlite::memory:"), None);
        assert_eq!(sqlite_fil("postgres://localhost/x"), None);
    }

    #[test]
    fn an_anchor_is_nr_colon_hex() {
        assert!(tolk_anker(&format!("12:{}", "ab".repeat(32))).is_ok());
        assert!(tolk_anker("12").is_err());
    }
}
