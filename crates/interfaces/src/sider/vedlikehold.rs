//! The maintenance banner every recipient page shows while a window is under
//! way or starts within two weeks (`Vedlikeholdsvindu::vises_paa_sidene`),
//! with its times in Oslo time. Read through the node's few-second cache of
//! current windows, so a page costs no extra query; a failed read shows no
//! banner rather than no page.

use crate::http::Tilstand;
use varde_domain::tid::Tidspunkt;
use varde_domain::vedlikehold::{Vedlikeholdsstatus, Vedlikeholdsvindu, oslo_tekst};

/// One window as the banner shows it.
pub struct Vedlikeholdsbanner {
    /// For the heading's element id.
    pub id: String,
    /// When, in a sentence.
    pub tidsrom: String,
    /// The operator's text.
    pub tekst: String,
}

impl Vedlikeholdsbanner {
    fn av(vindu: &Vedlikeholdsvindu, naa: Tidspunkt) -> Self {
        let tidsrom = match vindu.status(naa) {
            Vedlikeholdsstatus::Paagaar => format!(
                "Vedlikeholdet pågår nå, til {}. Varde kan være utilgjengelig.",
                oslo_tekst(vindu.tidsrom.til())
            ),
            _ => format!("Varde kan være utilgjengelig fra {}.", vindu.tidsrom),
        };
        Vedlikeholdsbanner { id: vindu.id.to_string(), tidsrom, tekst: vindu.tekst.as_str().to_owned() }
    }
}

/// The banners to show now.
pub async fn bannere(tilstand: &Tilstand) -> Vec<Vedlikeholdsbanner> {
    let vinduer = match tilstand.app.aktuelt_vedlikehold().await {
        Ok(vinduer) => vinduer,
        Err(feil) => {
            tracing::warn!(%feil, "vedlikeholdsvinduer kunne ikke leses; siden vises uten");
            return Vec::new();
        }
    };
    let naa = Tidspunkt::naa();
    vinduer.iter().filter(|v| v.vises_paa_sidene(naa)).map(|v| Vedlikeholdsbanner::av(v, naa)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use varde_domain::vedlikehold::{Tidsrom, Vedlikeholdstekst};

    #[test]
    fn the_banner_names_the_times_in_oslo_and_says_when_it_runs() {
        let vindu = Vedlikeholdsvindu {
            id: uuid::Uuid::nil(),
            tidsrom: Tidsrom::natt_til_tirsdag(jiff::civil::date(2026, 6, 8)),
            tekst: Vedlikeholdstekst::parse("Ny versjon av databasen.").unwrap(),
            kunngjort: Tidspunkt::fra_mikros(0),
            kunngjort_av: "operatør:kari".to_owned(),
            avlyst: None,
        };
        let foer = Vedlikeholdsbanner::av(&vindu, vindu.kunngjort);
        assert_eq!(
            foer.tidsrom,
            "Varde kan være utilgjengelig fra mandag 8. juni 2026 kl. 23.00 til tirsdag 9. juni 2026 kl. 05.00."
        );
        let under = Vedlikeholdsbanner::av(&vindu, vindu.tidsrom.fra());
        assert_eq!(
            under.tidsrom,
            "Vedlikeholdet pågår nå, til tirsdag 9. juni 2026 kl. 05.00. Varde kan være utilgjengelig."
        );
    }
}
