//! Running a command's transaction, again when a concurrent write won.
//!
//! Idempotency rests on unique constraints and version checks in the store:
//! the loser of a race gets `Konflikt`, rolls back, and runs once more, now
//! seeing the winner's row. Two identical creates thus give one object and
//! the same id to both callers.

use crate::feil::KommandoFeil;
use rand::Rng;
use std::time::Duration;
use varde_store::StoreError;

const MAKS_FORSOEK: u32 = 5;

pub(crate) async fn med_nye_forsoek<T, F, Fut>(handling: &'static str, mut forsoek: F) -> Result<T, KommandoFeil>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, KommandoFeil>>,
{
    let mut nummer = 1;
    loop {
        let utfall = forsoek().await;
        metrics::counter!("varde_kommandoer_totalt", "handling" => handling, "utfall" => utfall_navn(&utfall))
            .increment(1);
        match utfall {
            Err(KommandoFeil::Lagring(StoreError::Konflikt)) if nummer < MAKS_FORSOEK => {
                tracing::debug!(handling, nummer, "samtidig skriving, prøver igjen");
                // A little jitter keeps racing nodes from colliding again in lockstep.
                let ms = rand::rng().random_range(0..(5 << nummer));
                tokio::time::sleep(Duration::from_millis(ms)).await;
                nummer += 1;
            }
            utfall => return utfall,
        }
    }
}

fn utfall_navn<T>(utfall: &Result<T, KommandoFeil>) -> &'static str {
    match utfall {
        Ok(_) => "ok",
        Err(KommandoFeil::Avvist(_)) => "avvist",
        Err(KommandoFeil::Ugyldig(_)) => "ugyldig",
        Err(KommandoFeil::Lagring(StoreError::Konflikt)) => "konflikt",
        Err(KommandoFeil::Lagring(_)) => "lagringsfeil",
        Err(KommandoFeil::Kanal(_)) => "kanalfeil",
        Err(KommandoFeil::Utilgjengelig(_)) => "utilgjengelig",
        Err(KommandoFeil::Sperret(_)) => "sperret",
    }
}
