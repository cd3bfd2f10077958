//! What the pages show, worked out in Rust so the templates only lay it out:
//! Norwegian dates and times (Oslo), the state tags of tasks and
//! appointments, and cards for notifications and saker.

use varde_application::App;
use varde_application::bruker::Innsyn;
use varde_application::bruker::notifikasjoner::BrukerNotifikasjon;
use varde_application::bruker::saker::SakMedTidslinje;
use varde_domain::kalenderavtale::{Kalenderavtale, KalenderavtaleTilstand};
use varde_domain::notifikasjon::{Notifikasjon, OppgaveTilstand, Slag};
use varde_domain::sak::SaksStatus;
use varde_domain::tid::{Dato, Tidspunkt};

const MAANEDER: [&str; 12] =
    ["jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des."];
const UKEDAGER: [&str; 7] = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"];

/// "24. nov. 2026"
pub fn dato(d: jiff::civil::Date) -> String {
    format!("{}. {} {}", d.day(), MAANEDER[(d.month() - 1) as usize], d.year())
}

pub fn frist(d: Dato) -> String {
    dato(d.civil())
}

/// "24. nov. 2026 kl. 13.05", Oslo time.
pub fn tidspunkt(t: Tidspunkt) -> String {
    let z = t.i_oslo();
    format!("{} kl. {:02}.{:02}", dato(z.date()), z.hour(), z.minute())
}

/// "tirsdag 24. nov. 2026 kl. 10.00–11.00", Oslo time.
pub fn avtaletid(avtale: &Kalenderavtale) -> String {
    let start = avtale.start.i_oslo();
    let ukedag = UKEDAGER[start.weekday().to_monday_zero_offset() as usize];
    let mut tekst = format!("{ukedag} {}", tidspunkt(avtale.start));
    if let Some(slutt) = avtale.slutt {
        let slutt = slutt.i_oslo();
        if slutt.date() == start.date() {
            tekst.push_str(&format!("–{:02}.{:02}", slutt.hour(), slutt.minute()));
        } else {
            tekst.push_str(&format!(" – {}", tidspunkt(avtale.slutt.unwrap_or(avtale.start))));
        }
    }
    tekst
}

/// How a tag looks: its colour and what it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Advarsel,
    Suksess,
    Info,
    Noeytral,
    Feil,
}

impl Tone {
    pub fn klasse(self) -> &'static str {
        match self {
            Tone::Advarsel => "merke merke-advarsel",
            Tone::Suksess => "merke merke-suksess",
            Tone::Info => "merke merke-info",
            Tone::Noeytral => "merke merke-noeytral",
            Tone::Feil => "merke merke-feil",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merke {
    pub tekst: String,
    pub tone: Tone,
}

impl Merke {
    fn ny(tekst: impl Into<String>, tone: Tone) -> Option<Merke> {
        Some(Merke { tekst: tekst.into(), tone })
    }
}

/// The state tag of a task or an appointment, as the reference's widget
/// words it; a beskjed has none.
pub fn tilstandsmerke(n: &Notifikasjon, naa: Tidspunkt) -> Option<Merke> {
    match &n.slag {
        Slag::Beskjed => None,
        Slag::Oppgave(o) => match o.tilstand {
            OppgaveTilstand::Ny => match (n.paaminnet.is_some(), o.frist) {
                (true, Some(f)) => Merke::ny(format!("Påminnelse – frist {}", frist(f)), Tone::Advarsel),
                (true, None) => Merke::ny("Påminnelse", Tone::Advarsel),
                (false, Some(f)) => Merke::ny(format!("Frist {}", frist(f)), Tone::Advarsel),
                (false, None) => Merke::ny("Ikke utført", Tone::Advarsel),
            },
            OppgaveTilstand::Utfoert => {
                Merke::ny(format!("Utført {}", o.utfoert_tidspunkt.map(tidspunkt).unwrap_or_default()), Tone::Suksess)
            }
            OppgaveTilstand::Utgaatt => match o.frist {
                Some(f) => Merke::ny(format!("Fristen gikk ut {}", frist(f)), Tone::Noeytral),
                None => Merke::ny(
                    format!("Utgått {}", o.utgaatt_tidspunkt.map(tidspunkt).unwrap_or_default()),
                    Tone::Noeytral,
                ),
            },
        },
        Slag::Kalenderavtale(k) => match k.tilstand {
            KalenderavtaleTilstand::VenterSvarFraArbeidsgiver if k.start > naa => {
                Merke::ny("Svar på invitasjonen", Tone::Advarsel)
            }
            KalenderavtaleTilstand::VenterSvarFraArbeidsgiver => None,
            KalenderavtaleTilstand::ArbeidsgiverHarGodtatt => Merke::ny("Du har takket ja", Tone::Suksess),
            KalenderavtaleTilstand::ArbeidsgiverVilEndreTidEllerSted => {
                Merke::ny("Du ønsker å endre tid eller sted", Tone::Info)
            }
            KalenderavtaleTilstand::ArbeidsgiverVilAvlyse => Merke::ny("Du ønsker å avlyse", Tone::Info),
            KalenderavtaleTilstand::Avlyst => Merke::ny("Avlyst", Tone::Feil),
            KalenderavtaleTilstand::Avholdt => Merke::ny("Avholdt", Tone::Suksess),
        },
    }
}

/// Whether it asks something of the employer now: an open task, or an
/// appointment ahead awaiting an answer.
pub fn er_gjoeremaal(n: &Notifikasjon, naa: Tidspunkt) -> bool {
    match &n.slag {
        Slag::Beskjed => false,
        Slag::Oppgave(o) => o.tilstand == OppgaveTilstand::Ny,
        Slag::Kalenderavtale(k) => k.tilstand == KalenderavtaleTilstand::VenterSvarFraArbeidsgiver && k.start > naa,
    }
}

fn slagnavn(n: &Notifikasjon) -> &'static str {
    match n.slag {
        Slag::Beskjed => "Beskjed",
        Slag::Oppgave(_) => "Oppgave",
        Slag::Kalenderavtale(_) => "Kalenderavtale",
    }
}

/// Where an appointment is: the address, or that it is digital.
fn sted(avtale: &Kalenderavtale) -> Option<String> {
    match (&avtale.lokasjon, avtale.digitalt) {
        (Some(l), _) => Some(format!("{}, {} {}", l.adresse.as_str(), l.postnummer.as_str(), l.poststed.as_str())),
        (None, true) => Some("Digitalt møte".to_owned()),
        (None, false) => None,
    }
}

/// A notification as a card in a list or a timeline.
#[derive(Clone, Debug)]
pub struct Varselkort {
    pub id: String,
    /// "beskjed", "oppgave" or "kalenderavtale": a CSS class.
    pub slag: &'static str,
    pub slagnavn: &'static str,
    pub tekst: String,
    pub virksomhet: String,
    pub merkelapp: String,
    pub sak_tittel: Option<String>,
    pub mottatt: String,
    pub avtaletid: Option<String>,
    pub sted: Option<String>,
    pub merke: Option<Merke>,
    pub ulest: bool,
    pub gjoeremaal: bool,
    /// Where following it leads: through our click record, or straight on.
    pub lenke: String,
}

impl Varselkort {
    pub fn av(app: &App, innsyn: &Innsyn, b: &BrukerNotifikasjon, ulest: bool, naa: Tidspunkt) -> Self {
        let mut kort = Self::av_notifikasjon(app, innsyn, &b.notifikasjon, naa);
        kort.sak_tittel = b.sak.as_ref().map(|s| s.tittel.as_str().to_owned());
        kort.ulest = ulest;
        kort.lenke = format!("/varsler/{}/aapne", b.notifikasjon.id);
        kort
    }

    /// A card in a sak's timeline: the link goes straight to the producer's page.
    pub fn av_notifikasjon(app: &App, innsyn: &Innsyn, n: &Notifikasjon, naa: Tidspunkt) -> Self {
        let avtale = n.kalenderavtale();
        Varselkort {
            id: n.id.to_string(),
            slag: n.slag_navn(),
            slagnavn: slagnavn(n),
            tekst: n.tekst.as_str().to_owned(),
            virksomhet: virksomhetsnavn(app, innsyn, &n.virksomhetsnummer),
            merkelapp: n.merkelapp.to_string(),
            sak_tittel: None,
            mottatt: tidspunkt(n.opprettet),
            avtaletid: avtale.map(avtaletid),
            sted: avtale.and_then(sted),
            merke: tilstandsmerke(n, naa),
            ulest: false,
            gjoeremaal: er_gjoeremaal(n, naa),
            lenke: n.lenke.clone(),
        }
    }
}

/// The organisation's name, or its number when we know no name.
pub fn virksomhetsnavn(
    app: &App,
    innsyn: &Innsyn,
    nummer: &varde_domain::virksomhetsnummer::Virksomhetsnummer,
) -> String {
    let navn = app.virksomhetsnavn(innsyn, nummer);
    if navn.is_empty() { format!("Virksomhet {nummer}") } else { navn }
}

/// One status in a sak's history.
#[derive(Clone, Debug)]
pub struct Statuslinje {
    pub tekst: String,
    pub tidspunkt: String,
}

/// A sak as a card in the overview, or in full on its own page.
#[derive(Clone, Debug)]
pub struct Sakskort {
    pub id: String,
    pub tittel: String,
    pub virksomhet: String,
    pub merkelapp: String,
    pub status: String,
    pub status_tidspunkt: String,
    pub ferdig: bool,
    pub neste_steg: Option<String>,
    pub tilleggsinformasjon: Option<String>,
    /// The frister of open tasks, as text.
    pub frister: Vec<String>,
    pub aapne_oppgaver: usize,
    pub ekstern_lenke: Option<String>,
    pub statuser: Vec<Statuslinje>,
    pub tidslinje: Vec<Varselkort>,
}

impl Sakskort {
    pub fn av(app: &App, innsyn: &Innsyn, s: &SakMedTidslinje, naa: Tidspunkt) -> Self {
        let sak = &s.sak;
        let statuser: Vec<Statuslinje> = sak
            .statuser_nyeste_foerst()
            .into_iter()
            .map(|st| Statuslinje { tekst: st.tekst().to_owned(), tidspunkt: tidspunkt(st.tidspunkt()) })
            .collect();
        let siste = sak.siste_status();
        let aapne: Vec<&Notifikasjon> = s.tidslinje.iter().filter(|n| er_gjoeremaal(n, naa)).collect();
        Sakskort {
            id: sak.id.to_string(),
            tittel: sak.tittel.as_str().to_owned(),
            virksomhet: virksomhetsnavn(app, innsyn, &sak.virksomhetsnummer),
            merkelapp: sak.merkelapp.to_string(),
            status: siste.map_or(SaksStatus::Mottatt.standardtekst(), |st| st.tekst()).to_owned(),
            status_tidspunkt: tidspunkt(siste.map_or(sak.opprettet, |st| st.tidspunkt())),
            ferdig: siste.is_some_and(|st| st.status == SaksStatus::Ferdig),
            neste_steg: sak.neste_steg.as_ref().map(|t| t.as_str().to_owned()),
            tilleggsinformasjon: sak.tilleggsinformasjon.as_ref().map(|t| t.as_str().to_owned()),
            frister: s
                .oppgaver()
                .into_iter()
                .filter_map(|n| n.oppgave())
                .filter(|o| o.tilstand == OppgaveTilstand::Ny)
                .filter_map(|o| o.frist.map(frist))
                .collect(),
            aapne_oppgaver: aapne.len(),
            ekstern_lenke: sak.lenke.clone(),
            statuser,
            tidslinje: s.tidslinje.iter().map(|n| Varselkort::av_notifikasjon(app, innsyn, n, naa)).collect(),
        }
    }
}

/// The bell's count: the number, or "9+" above nine.
pub fn bjelletall(uleste: usize) -> String {
    if uleste > 9 { "9+".to_owned() } else { uleste.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_norwegian_and_in_oslo_time() {
        let t = Tidspunkt::parse("2026-11-24T09:05:00Z").unwrap();
        assert_eq!(tidspunkt(t), "24. nov. 2026 kl. 10.05");
        let sommer = Tidspunkt::parse("2026-06-30T22:30:00Z").unwrap();
        assert_eq!(tidspunkt(sommer), "1. juli 2026 kl. 00.30", "summer time moves the date");
    }

    #[test]
    fn an_appointment_shows_weekday_and_span() {
        let avtale = Kalenderavtale {
            tilstand: KalenderavtaleTilstand::VenterSvarFraArbeidsgiver,
            start: Tidspunkt::parse("2026-11-24T09:00:00Z").unwrap(),
            slutt: Some(Tidspunkt::parse("2026-11-24T10:00:00Z").unwrap()),
            lokasjon: None,
            digitalt: true,
            paaminnelse: None,
        };
        assert_eq!(avtaletid(&avtale), "tirsdag 24. nov. 2026 kl. 10.00–11.00");
        assert_eq!(sted(&avtale).as_deref(), Some("Digitalt møte"));
    }

    #[test]
    fn the_bell_shows_nine_plus_above_nine() {
        assert_eq!(bjelletall(0), "0");
        assert_eq!(bjelletall(9), "9");
        assert_eq!(bjelletall(10), "9+");
    }
}
