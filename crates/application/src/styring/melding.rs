//! Sending a message to a contact point (a styringsmelding): the job of kind
//! `styringsmelding`, one per message, written with the message by
//! `Skriving::legg_til_styringsmeldinger` in the transaction of the command the
//! message is about.
//!
//! The message goes out through the installation's e-mail or SMS channel
//! (`[varsling]`; the outbox in `dev`), with the message id as the channel's
//! idempotency key, outside any transaction. Once a channel has taken it, it is
//! marked sent and only its masked address is kept. A temporary failure leaves
//! it to the job's backoff; a node that dies between sending and marking
//! leaves the job to run again, and the same key keeps the outbox and Altinn
//! from sending twice (SMTP has no such key). A channel that orders rather than
//! delivers (Altinn) counts as sent when it accepts the order: the delivery
//! outcome of these messages is not followed up.

use crate::App;
use crate::feil::KommandoFeil;
use crate::varsling::{Gjelder, Innhold, Kanalfeil, Utsending};
use uuid::Uuid;
use varde_domain::ids::VarselId;
use varde_domain::kontaktpunkt::Varslingsadresse;
use varde_domain::tekst::{SMS_MAKS_LENGDE, sms_lengde};
use varde_domain::tid::Tidspunkt;
use varde_domain::varsel::Kanaltype;

impl App {
    /// Sends message `id` if it is not sent already; true when it went out now. The job runs
    /// this; running it again does nothing.
    pub async fn send_styringsmelding(&self, id: Uuid) -> Result<bool, KommandoFeil> {
        let Some(melding) = self.store().styringsmelding(id).await? else { return Ok(false) };
        let (None, Some(adresse)) = (melding.sendt, &melding.mottaker) else { return Ok(false) };
        let (kanaltype, innhold) = match adresse {
            Varslingsadresse::Epost(mottaker) => (
                Kanaltype::Epost,
                Innhold::Epost { mottaker: mottaker.clone(), tittel: melding.emne.clone(), html: html(&melding.tekst) },
            ),
            Varslingsadresse::Sms(mottaker) => {
                (Kanaltype::Sms, Innhold::Sms { mottaker: mottaker.clone(), tekst: sms(&melding.emne, &melding.tekst) })
            }
        };
        let kanal = self.kanaler().for_type(kanaltype);
        let utsending = Utsending {
            varsel_id: VarselId::fra_uuid(id),
            gjelder: Gjelder::Styringsmelding(id),
            virksomhetsnummer: melding.virksomhetsnummer.clone(),
            innhold,
        };
        let svar = kanal.send(&utsending).await;
        let utfall = match &svar {
            Ok(_) => "ok",
            Err(Kanalfeil::Avvist { .. }) => "avvist",
            Err(Kanalfeil::Midlertidig(_)) => "midlertidig",
        };
        metrics::counter!("varde_styringsmeldinger_totalt", "kanal" => kanal.navn(), "utfall" => utfall).increment(1);
        // A refusal is kept on the job (with backoff, then dead, visible with its reason): the
        // address was valid when saved, so a refusal is rare and worth a look.
        svar?;
        self.store().merk_styringsmelding_sendt(id, Tidspunkt::naa(), &adresse.maskert()).await?;
        Ok(true)
    }
}

/// Plain text as a small HTML body: paragraphs at blank lines, line breaks kept, all escaped.
fn html(tekst: &str) -> String {
    tekst
        .split("\n\n")
        .map(str::trim)
        .filter(|avsnitt| !avsnitt.is_empty())
        .map(|avsnitt| format!("<p>{}</p>", escape(avsnitt).replace('\n', "<br>")))
        .collect()
}

fn escape(tekst: &str) -> String {
    let mut ut = String::with_capacity(tekst.len());
    for c in tekst.chars() {
        match c {
            '&' => ut.push_str("&amp;"),
            '<' => ut.push_str("&lt;"),
            '>' => ut.push_str("&gt;"),
            '"' => ut.push_str("&quot;"),
            '\'' => ut.push_str("&#39;"),
            c => ut.push(c),
        }
    }
    ut
}

/// The SMS: subject and text, cut short with "…" if the provider would not send it whole.
fn sms(emne: &str, tekst: &str) -> String {
    let hele = format!("{emne}: {}", tekst.split_whitespace().collect::<Vec<_>>().join(" "));
    if sms_lengde(&hele) <= SMS_MAKS_LENGDE {
        return hele;
    }
    let plass = SMS_MAKS_LENGDE - sms_lengde("…");
    let mut lengde = 0;
    let mut kort = String::new();
    for c in hele.chars() {
        lengde += sms_lengde(c.encode_utf8(&mut [0; 4]));
        if lengde > plass {
            break;
        }
        kort.push(c);
    }
    kort.push('…');
    kort
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_e_mail_body_is_escaped_paragraphs() {
        assert_eq!(
            html("Hei <alle> & co.\nLinje to\n\nAvsnitt to\n\n"),
            "<p>Hei &lt;alle&gt; &amp; co.<br>Linje to</p><p>Avsnitt to</p>"
        );
    }

    #[test]
    fn an_sms_fits_what_the_provider_sends() {
        assert_eq!(sms("Emne", "Kort\n\ntekst"), "Emne: Kort tekst");
        let lang = sms("Emne", &"æøå ".repeat(500));
        assert!(sms_lengde(&lang) <= SMS_MAKS_LENGDE, "{}", sms_lengde(&lang));
        assert!(lang.ends_with('…') && lang.starts_with("Emne: æøå"));
    }
}
