//! `[grenser]`: limits that protect the instance from one client. Every key
//! is optional; left out, the default holds.
//!
//! ```toml
//! [grenser]
//! produsent_per_sekund = 5000   # requests a second per producer on POST /api/graphql; 0: no limit
//! produsent_burst = 10000       # how many at once before the rate holds (default: twice the rate)
//! hode_sekunder = 30            # to send a request's headers; also how long an idle connection is kept
//! kropp_sekunder = 30           # to send a request's body, from its headers on
//! foresporsel_sekunder = 60     # for the whole request, from its headers to the answer
//! ```
//!
//! Over the rate a producer gets 429 with `Retry-After` and the code
//! `FOR_MANGE_FORESPOERSLER`; the buckets are per node. A body too slow gets
//! 408, a request too slow 503, headers too slow a closed connection.

use serde::Deserialize;
use std::time::Duration;
use varde_interfaces::http::{Frekvens, Grenser};

/// The section, checked when the file is read: the limits as the server takes them.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(try_from = "GrenserFil")]
pub struct GrenserKonfig(Grenser);

impl GrenserKonfig {
    pub fn grenser(&self) -> Grenser {
        self.0.clone()
    }
}

/// The section as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct GrenserFil {
    produsent_per_sekund: Option<f64>,
    produsent_burst: Option<u32>,
    hode_sekunder: Option<u64>,
    kropp_sekunder: Option<u64>,
    foresporsel_sekunder: Option<u64>,
}

impl TryFrom<GrenserFil> for GrenserKonfig {
    type Error = String;

    fn try_from(fil: GrenserFil) -> Result<Self, String> {
        let standard = Grenser::default();
        let produsent = match (fil.produsent_per_sekund, fil.produsent_burst) {
            (None, None) => standard.produsent,
            (Some(per_sekund), _) if !per_sekund.is_finite() || per_sekund < 0.0 => {
                return Err(format!(
                    "[grenser] produsent_per_sekund = {per_sekund}: må være 0 (ingen grense) eller mer"
                ));
            }
            (Some(0.0), burst) => {
                if burst.is_some() {
                    return Err(
                        "[grenser] produsent_burst er satt, men produsent_per_sekund = 0 slår grensen av".into()
                    );
                }
                None
            }
            (per_sekund, burst) => {
                let per_sekund = per_sekund.unwrap_or(Frekvens::STANDARD.per_sekund);
                let burst = burst.unwrap_or_else(|| ((per_sekund * 2.0).ceil().min(f64::from(u32::MAX)) as u32).max(1));
                if burst == 0 {
                    return Err("[grenser] produsent_burst = 0: må være minst 1".into());
                }
                Some(Frekvens { per_sekund, burst })
            }
        };
        let sekunder = |navn: &str, verdi: Option<u64>, standard: Duration| match verdi {
            None => Ok(standard),
            Some(0) => Err(format!("[grenser] {navn} = 0: må være minst 1")),
            Some(s) => Ok(Duration::from_secs(s)),
        };
        Ok(GrenserKonfig(Grenser {
            produsent,
            hode: sekunder("hode_sekunder", fil.hode_sekunder, standard.hode)?,
            kropp: sekunder("kropp_sekunder", fil.kropp_sekunder, standard.kropp)?,
            foresporsel: sekunder("foresporsel_sekunder", fil.foresporsel_sekunder, standard.foresporsel)?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Fil {
        #[serde(default)]
        grenser: GrenserKonfig,
    }

    fn tolk(toml: &str) -> Result<Grenser, String> {
        toml::from_str::<Fil>(toml).map(|f| f.grenser.grenser()).map_err(|e| e.to_string())
    }

    #[test]
    fn left_out_the_defaults_hold() {
        assert_eq!(tolk("").unwrap(), Grenser::default());
        assert_eq!(tolk("[grenser]").unwrap(), Grenser::default());
        let standard = Grenser::default();
        assert_eq!(standard.produsent, Some(Frekvens { per_sekund: 5000.0, burst: 10_000 }));
        assert_eq!(standard.hode, Duration::from_secs(30));
        assert_eq!(standard.kropp, Duration::from_secs(30));
        assert_eq!(standard.foresporsel, Duration::from_secs(60));
    }

    #[test]
    fn every_key_is_read() {
        let grenser = tolk(
            "[grenser]\nprodusent_per_sekund = 2\nprodusent_burst = 3\nhode_sekunder = 4\n\
             kropp_sekunder = 5\nforesporsel_sekunder = 6",
        )
        .unwrap();
        assert_eq!(
            grenser,
            Grenser {
                produsent: Some(Frekvens { per_sekund: 2.0, burst: 3 }),
                hode: Duration::from_secs(4),
                kropp: Duration::from_secs(5),
                foresporsel: Duration::from_secs(6),
            }
        );
    }

    #[test]
    fn the_burst_defaults_to_twice_the_rate_and_a_fraction_is_allowed() {
        let grenser = tolk("[grenser]\nprodusent_per_sekund = 10").unwrap();
        assert_eq!(grenser.produsent, Some(Frekvens { per_sekund: 10.0, burst: 20 }));
        let grenser = tolk("[grenser]\nprodusent_per_sekund = 0.2").unwrap();
        assert_eq!(grenser.produsent, Some(Frekvens { per_sekund: 0.2, burst: 1 }));
        let grenser = tolk("[grenser]\nprodusent_burst = 50").unwrap();
        assert_eq!(grenser.produsent, Some(Frekvens { per_sekund: 5000.0, burst: 50 }));
    }

    #[test]
    fn zero_turns_the_rate_limit_off() {
        assert_eq!(tolk("[grenser]\nprodusent_per_sekund = 0").unwrap().produsent, None);
    }

    #[test]
    fn mistakes_are_named() {
        let feil = |toml: &str| tolk(toml).unwrap_err();
        assert!(feil("[grenser]\nprodusent_per_sekund = -1").contains("produsent_per_sekund"));
        assert!(feil("[grenser]\nprodusent_per_sekund = 0\nprodusent_burst = 5").contains("slår grensen av"));
        assert!(feil("[grenser]\nprodusent_burst = 0").contains("produsent_burst"));
        assert!(feil("[grenser]\nkropp_sekunder = 0").contains("kropp_sekunder"));
        assert!(feil("[grenser]\nforesporsel_sekunder = -5").contains("foresporsel_sekunder"));
        assert!(feil("[grenser]\nproducent_per_sekund = 5").contains("producent_per_sekund"), "unknown keys refused");
    }
}
