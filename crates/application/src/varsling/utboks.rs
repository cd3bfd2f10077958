//! The outbox: a channel that keeps what would have been sent, for the
//! operator to look at. The default in `dev`, so a developer's alerts never
//! reach a real phone.

use super::kanal::{Innhold, Kanal, KanalFremtid, Kanalfeil, Levert, Utsending};
use serde_json::json;
use varde_domain::tid::Tidspunkt;
use varde_domain::varsel::Utfall;
use varde_store::{Store, Utboksmelding};

#[derive(Clone, Debug)]
pub struct Utboks {
    store: Store,
}

impl Utboks {
    pub fn new(store: Store) -> Self {
        Utboks { store }
    }
}

/// The message as the outbox keeps it: the receiver masked (it is shown to operators), the
/// texts whole.
fn melding(utsending: &Utsending) -> Utboksmelding {
    let (kanal, mottaker, innhold) = match &utsending.innhold {
        Innhold::Sms { mottaker, tekst } => ("sms", mottaker.maskert(), json!({ "smsTekst": tekst })),
        Innhold::Epost { mottaker, tittel, html } => {
            ("epost", mottaker.maskert(), json!({ "epostTittel": tittel, "epostHtmlBody": html }))
        }
        Innhold::Altinnressurs { ressurs_id, epost_tittel, epost_html, sms_tekst } => (
            "altinnressurs",
            format!("{} / {}", utsending.virksomhetsnummer.as_str(), ressurs_id.as_str()),
            json!({ "epostTittel": epost_tittel, "epostHtmlBody": epost_html, "smsTekst": sms_tekst }),
        ),
    };
    Utboksmelding {
        varsel_id: utsending.varsel_id.uuid(),
        // A message to a contact point is filed under its own id.
        notifikasjon_id: utsending.gjelder.uuid(),
        kanal: kanal.to_owned(),
        mottaker,
        innhold: innhold.to_string(),
        lagret: Tidspunkt::naa(),
    }
}

impl crate::App {
    /// The newest `antall` messages the outbox kept, newest first.
    pub async fn utboks(&self, antall: i64) -> Result<Vec<Utboksmelding>, crate::KommandoFeil> {
        Ok(self.store().utboks(antall).await?)
    }
}

impl Kanal for Utboks {
    fn navn(&self) -> &'static str {
        "outbox"
    }

    fn send<'a>(&'a self, utsending: &'a Utsending) -> KanalFremtid<'a, Levert> {
        Box::pin(async move {
            // Keyed by the varsel id: a second delivery of the same alert keeps the first.
            self.store.legg_i_utboks(&melding(utsending)).await.map_err(|e| Kanalfeil::Midlertidig(e.to_string()))?;
            Ok(Levert::Kvittert(Utfall::Ok))
        })
    }

    fn status<'a>(&'a self, _referanse: &'a str) -> KanalFremtid<'a, Option<Utfall>> {
        Box::pin(async { Ok(Some(Utfall::Ok)) })
    }
}
