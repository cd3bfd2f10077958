//! `varde serve --demo`: fills an EMPTY database with a realistic Norwegian
//! sample, so a newcomer sees the recipient pages alive.
//!
//! Everything goes through the application's commands as the producer `demo`
//! ([`Kaller::produsent`]), the same path the producer GraphQL API takes, and
//! the due background jobs are then run once ([`App::kjoer_forfalte_jobber`]):
//! that expires the oppgave whose frist has passed, fires the reminder that is
//! due, and marks the past appointment as held. The sample is fixed; only its
//! times move, relative to now, so it always looks fresh.

use anyhow::{Context, bail};
use varde_application::kommando::avslutt_oppgave::Avslutning;
use varde_application::kommando::{NotifikasjonRef, SakRef};
use varde_application::{App, Kaller};
use varde_domain::identifikator::{EksternId, Grupperingsid, Merkelapp, RessursId};
use varde_domain::ids::NotifikasjonId;
use varde_domain::kalenderavtale::{KalenderavtaleEndring, KalenderavtaleTilstand, Lokasjon};
use varde_domain::mottaker::Mottaker;
use varde_domain::notifikasjon::{NyNotifikasjon, NyttSlag};
use varde_domain::paaminnelse::{PaaminnelseBestilling, PaaminnelseTidspunkt};
use varde_domain::sak::{NySak, NyStatus, SaksStatus};
use varde_domain::tekst::{FriTekst, NotifikasjonTekst, SakTittel, Tilleggsinformasjon};
use varde_domain::tid::{Dato, LokalTid, Tidspunkt, Varighet};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_interfaces::Miljoe;

use SaksStatus::{Ferdig, Mottatt, UnderBehandling};

/// The producer the sample is sent as (the built-in demo configuration's).
pub const PRODUSENT: &str = "demo";
/// The Altinn resource every recipient of the sample holds.
pub const RESSURS: &str = "demo-ressurs";
/// The merkelapper the sample uses; the demo producer must own them all.
pub const MERKELAPPER: [&str; 5] = ["Demo", "Sykepenger", "Refusjon", "Tiltak", "Permittering"];

const FJORDBRIS: &str = "910825496";
const NORDLYS: &str = "972674818";
const HAVBLIKK: &str = "889640782";

/// What a seeding created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Demorapport {
    pub saker: usize,
    pub notifikasjoner: usize,
}

/// At start-up with `--demo`: refuses anything but dev, seeds an empty
/// database and prints what it did, or logs that it skipped.
pub async fn ved_oppstart(app: &App, miljoe: Miljoe) -> anyhow::Result<()> {
    if miljoe != Miljoe::Dev {
        bail!("--demo er bare tillatt med --env dev");
    }
    match fyll_demodata(app).await? {
        Some(rapport) => {
            tracing::info!(saker = rapport.saker, notifikasjoner = rapport.notifikasjoner, "demodata lagt inn");
            println!("demo: la inn {} saker og {} notifikasjoner", rapport.saker, rapport.notifikasjoner);
        }
        None => tracing::info!("demo: databasen har allerede saker eller notifikasjoner; legger ikke inn demodata"),
    }
    Ok(())
}

/// Fills the database with the sample when it holds no notification and no
/// sak at all; None (and nothing written) otherwise.
pub async fn fyll_demodata(app: &App) -> anyhow::Result<Option<Demorapport>> {
    let bilde = app.store().projeksjonsbilde().await.context("demo: kan ikke lese databasen")?;
    if !bilde.is_empty() {
        return Ok(None);
    }
    sjekk_produsent(app)?;
    let mut demo =
        Demo { app, kaller: Kaller::produsent(PRODUSENT), naa: Tidspunkt::naa(), saker: 0, notifikasjoner: 0 };
    for sak in &SAKER {
        demo.sak(sak).await?;
    }
    demo.notifikasjoner().await?;
    // What is already due (the passed frist, the reminder, the past appointment) happens now.
    for _ in 0..10 {
        let kjoert = app.kjoer_forfalte_jobber(100).await.context("demo: kunne ikke kjøre forfalte jobber")?;
        if kjoert == 0 {
            break;
        }
    }
    Ok(Some(Demorapport { saker: demo.saker, notifikasjoner: demo.notifikasjoner }))
}

/// The demo producer must exist and own the sample's merkelapper and resource.
fn sjekk_produsent(app: &App) -> anyhow::Result<()> {
    let hint = "--demo krever produsenten «demo» med merkelappene Demo, Sykepenger, Refusjon, Tiltak og Permittering \
                og ressursen demo-ressurs (den innebygde demo-konfigurasjonen har dem; kjør uten --config)";
    let produsent = app.register().finn(PRODUSENT).with_context(|| format!("{hint}: fant ingen produsent «demo»"))?;
    for m in MERKELAPPER {
        if !produsent.merkelapper.contains(&Merkelapp::parse(m)?) {
            bail!("{hint}: merkelappen {m} mangler");
        }
    }
    if !produsent.ressurser.contains(&RessursId::parse(RESSURS)?) {
        bail!("{hint}: ressursen {RESSURS} mangler");
    }
    Ok(())
}

// ---------------------------------------------------------------- the saker

/// A sak of the sample. Times are ISO durations back from now ("P6D").
struct DemoSak {
    virksomhet: &'static str,
    merkelapp: &'static str,
    grupperingsid: &'static str,
    tittel: &'static str,
    lenke: Option<&'static str>,
    tilleggsinformasjon: Option<&'static str>,
    neste_steg: Option<&'static str>,
    /// The initial status first, then the updates: (status, shown text, how long ago).
    statuser: &'static [(SaksStatus, Option<&'static str>, &'static str)],
}

const SAKER: [DemoSak; 13] = [
    DemoSak {
        virksomhet: FJORDBRIS,
        merkelapp: "Sykepenger",
        grupperingsid: "demo-sykepenger-kari-nordmann",
        tittel: "Sykepenger for Kari Nordmann",
        lenke: Some("https://example.org/sykepenger/kari-nordmann"),
        tilleggsinformasjon: Some("Sykmeldt fra og med forrige uke"),
        neste_steg: Some("Send inntektsmelding, så Kari får utbetalt sykepenger i tide."),
        statuser: &[(Mottatt, None, "P6D")],
    },
    DemoSak {
        virksomhet: FJORDBRIS,
        merkelapp: "Refusjon",
        grupperingsid: "demo-refusjon-lise-dahl",
        tittel: "Refusjon av sykepenger for Lise Dahl",
        lenke: Some("https://example.org/refusjon/lise-dahl"),
        tilleggsinformasjon: None,
        neste_steg: None,
        statuser: &[
            (Mottatt, None, "P20D"),
            (UnderBehandling, None, "P14D"),
            (Ferdig, Some("Refusjonen er utbetalt"), "P3D"),
        ],
    },
    DemoSak {
        virksomhet: FJORDBRIS,
        merkelapp: "Tiltak",
        grupperingsid: "demo-lonnstilskudd-assistent",
        tittel: "Lønnstilskudd for ny barnehageassistent",
        lenke: Some("https://example.org/tiltak/lonnstilskudd"),
        tilleggsinformasjon: Some("Tiltaksperiode: 12 måneder, 40 prosent tilskudd"),
        neste_steg: Some("Signer avtalen om lønnstilskudd innen fristen."),
        statuser: &[(Mottatt, None, "P9D"), (UnderBehandling, Some("Venter på signert avtale"), "P2D")],
    },
    DemoSak {
        virksomhet: FJORDBRIS,
        merkelapp: "Sykepenger",
        grupperingsid: "demo-oppfolging-jonas-berg",
        tittel: "Sykefraværsoppfølging for Jonas Berg",
        lenke: Some("https://example.org/sykefravaer/jonas-berg"),
        tilleggsinformasjon: Some("Gradert sykmeldt, 50 prosent"),
        neste_steg: Some("Dialogmøte 2 er avtalt neste uke."),
        statuser: &[(Mottatt, None, "P30D"), (UnderBehandling, Some("Oppfølging pågår"), "P10D")],
    },
    DemoSak {
        virksomhet: NORDLYS,
        merkelapp: "Permittering",
        grupperingsid: "demo-permittering-tomrere",
        tittel: "Permittering av fire tømrere",
        lenke: Some("https://example.org/permittering/tomrere"),
        tilleggsinformasjon: Some("Permittering 100 prosent på grunn av ordrestopp"),
        neste_steg: None,
        statuser: &[(Mottatt, None, "P12D"), (UnderBehandling, None, "P8D")],
    },
    DemoSak {
        virksomhet: NORDLYS,
        merkelapp: "Sykepenger",
        grupperingsid: "demo-sykepenger-ola-hansen",
        tittel: "Sykepenger for Ola Hansen",
        lenke: Some("https://example.org/sykepenger/ola-hansen"),
        tilleggsinformasjon: None,
        neste_steg: None,
        statuser: &[
            (Mottatt, None, "P25D"),
            (UnderBehandling, None, "P18D"),
            (Ferdig, Some("Inntektsmelding mottatt og behandlet"), "P15D"),
        ],
    },
    DemoSak {
        virksomhet: NORDLYS,
        merkelapp: "Tiltak",
        grupperingsid: "demo-arbeidstrening-laerling",
        tittel: "Arbeidstrening for ny lærling i tømrerfaget",
        lenke: None,
        tilleggsinformasjon: None,
        neste_steg: Some("Tiltaksarrangøren kontakter dere innen to uker."),
        statuser: &[(Mottatt, None, "P4D")],
    },
    DemoSak {
        virksomhet: NORDLYS,
        merkelapp: "Refusjon",
        grupperingsid: "demo-refusjon-per-olsen",
        tittel: "Refusjon av sykepenger for Per Olsen",
        lenke: Some("https://example.org/refusjon/per-olsen"),
        tilleggsinformasjon: Some("Gjelder sykefravær ut over arbeidsgiverperioden"),
        neste_steg: None,
        statuser: &[(Mottatt, None, "P16D"), (UnderBehandling, Some("Til kontroll hos saksbehandler"), "P5D")],
    },
    DemoSak {
        virksomhet: NORDLYS,
        merkelapp: "Permittering",
        grupperingsid: "demo-permittering-betong",
        tittel: "Forlengelse av permittering i betongavdelingen",
        lenke: Some("https://example.org/permittering/betong"),
        tilleggsinformasjon: None,
        neste_steg: None,
        statuser: &[
            (Mottatt, None, "P40D"),
            (UnderBehandling, None, "P30D"),
            (Ferdig, Some("Avsluttet – permitteringen er opphevet"), "P1D"),
        ],
    },
    DemoSak {
        virksomhet: HAVBLIKK,
        merkelapp: "Sykepenger",
        grupperingsid: "demo-sykepenger-aisha-khan",
        tittel: "Sykepenger for Aisha Khan",
        lenke: Some("https://example.org/sykepenger/aisha-khan"),
        tilleggsinformasjon: None,
        neste_steg: Some("Send inntektsmelding innen fristen."),
        statuser: &[(Mottatt, None, "P2D")],
    },
    DemoSak {
        virksomhet: HAVBLIKK,
        merkelapp: "Tiltak",
        grupperingsid: "demo-mentortilskudd-helsefagarbeider",
        tittel: "Mentortilskudd for ny helsefagarbeider",
        lenke: Some("https://example.org/tiltak/mentortilskudd"),
        tilleggsinformasjon: Some("Mentor: avdelingsleder på skjermet enhet"),
        neste_steg: None,
        statuser: &[(Mottatt, None, "P15D"), (UnderBehandling, None, "P7D")],
    },
    DemoSak {
        virksomhet: HAVBLIKK,
        merkelapp: "Refusjon",
        grupperingsid: "demo-refusjon-ingrid-solberg",
        tittel: "Refusjon av sykepenger for nattevakt Ingrid Solberg",
        lenke: Some("https://example.org/refusjon/ingrid-solberg"),
        tilleggsinformasjon: None,
        neste_steg: None,
        statuser: &[
            (Mottatt, None, "P35D"),
            (UnderBehandling, None, "P21D"),
            (Ferdig, Some("Vedtak fattet – refusjon innvilget"), "P6D"),
        ],
    },
    DemoSak {
        virksomhet: HAVBLIKK,
        merkelapp: "Permittering",
        grupperingsid: "demo-permittering-vaskeri",
        tittel: "Varsel om permittering i vaskeriet",
        lenke: Some("https://example.org/permittering/vaskeri"),
        tilleggsinformasjon: Some("Gjelder tre ansatte"),
        neste_steg: None,
        statuser: &[(Mottatt, Some("Varsel mottatt"), "P1D")],
    },
];

// ---------------------------------------------------------------- building blocks

/// Where a notification goes: in one of [`SAKER`] (by grupperingsid), or on
/// its own in an organisation under a merkelapp.
#[derive(Clone, Copy)]
enum Hvor {
    Sak(&'static str),
    Alene { virksomhet: &'static str, merkelapp: &'static str },
}

/// What every notification of the sample has.
struct Ny {
    hvor: Hvor,
    ekstern_id: &'static str,
    tekst: &'static str,
    lenke: &'static str,
    /// How long ago it was created (ISO duration).
    siden: &'static str,
}

/// An appointment: which day from today, from and to (Oslo wall clock).
struct Avtale {
    om_dager: i64,
    fra: &'static str,
    til: &'static str,
    sted: Option<(&'static str, &'static str, &'static str)>,
    digitalt: bool,
    tilstand: KalenderavtaleTilstand,
    /// A reminder this long before the start (ISO duration).
    paaminnelse_foer_start: Option<&'static str>,
}

struct Demo<'a> {
    app: &'a App,
    kaller: Kaller,
    naa: Tidspunkt,
    saker: usize,
    notifikasjoner: usize,
}

fn mottaker(virksomhet: &str) -> anyhow::Result<Mottaker> {
    Ok(Mottaker::AltinnRessurs {
        virksomhetsnummer: Virksomhetsnummer::parse(virksomhet)?,
        ressurs_id: RessursId::parse(RESSURS)?,
    })
}

fn fri_tekst(tekst: &str) -> anyhow::Result<FriTekst> {
    FriTekst::parse(tekst.to_owned()).with_context(|| format!("demo: ugyldig tekst «{tekst}»"))
}

fn varighet(iso: &str) -> anyhow::Result<Varighet> {
    Varighet::parse(iso).with_context(|| format!("demo: ugyldig varighet {iso}"))
}

impl Demo<'_> {
    /// `siden` (an ISO duration) before now.
    fn siden(&self, siden: &str) -> anyhow::Result<Tidspunkt> {
        Ok(varighet(siden)?.trekk_fra(self.naa))
    }

    /// The Oslo date `dager` days from today (negative: back).
    fn dato(&self, dager: i64) -> anyhow::Result<Dato> {
        let dagen = varighet(&format!("P{dager}D"))?.legg_til(self.naa);
        Ok(Dato::fra_civil(dagen.i_oslo().date()))
    }

    /// `klokke` ("HH:MM", Oslo) on the day `dager` days from today.
    fn klokka(&self, dager: i64, klokke: &str) -> anyhow::Result<Tidspunkt> {
        let tekst = format!("{}T{klokke}:00", self.dato(dager)?);
        Ok(LokalTid::parse(&tekst).with_context(|| format!("demo: ugyldig tid {tekst}"))?.i_oslo())
    }

    async fn sak(&mut self, sak: &DemoSak) -> anyhow::Result<()> {
        let Some(((status, tekst, siden), oppdateringer)) = sak.statuser.split_first() else {
            bail!("demo: saken {} mangler status", sak.grupperingsid);
        };
        let merkelapp = Merkelapp::parse(sak.merkelapp)?;
        let grupperingsid = Grupperingsid::parse(sak.grupperingsid)?;
        let ny = NySak {
            grupperingsid: grupperingsid.clone(),
            merkelapp: merkelapp.clone(),
            virksomhetsnummer: Virksomhetsnummer::parse(sak.virksomhet)?,
            mottakere: vec![mottaker(sak.virksomhet)?],
            tittel: SakTittel::parse(sak.tittel.to_owned())?,
            tilleggsinformasjon: sak
                .tilleggsinformasjon
                .map(|t| Tilleggsinformasjon::parse(t.to_owned()))
                .transpose()?,
            lenke: sak.lenke.map(str::to_owned),
            initiell_status: *status,
            neste_steg: sak.neste_steg.map(fri_tekst).transpose()?,
            tidspunkt: Some(self.siden(siden)?),
            overstyr_statustekst_med: tekst.map(fri_tekst).transpose()?,
            hard_delete: None,
        };
        self.app
            .ny_sak(&self.kaller, ny)
            .await
            .with_context(|| format!("demo: kunne ikke opprette saken {}", sak.grupperingsid))?;
        self.saker += 1;
        for (status, tekst, siden) in oppdateringer {
            let hvilken = SakRef::Grupperingsid { merkelapp: merkelapp.clone(), grupperingsid: grupperingsid.clone() };
            let ny = NyStatus {
                status: *status,
                overstyr_statustekst_med: tekst.map(fri_tekst).transpose()?,
                oppgitt_tidspunkt: Some(self.siden(siden)?),
                idempotency_key: None,
                hard_delete: None,
                ny_lenke_til_sak: None,
            };
            self.app
                .ny_status_sak(&self.kaller, hvilken, ny)
                .await
                .with_context(|| format!("demo: kunne ikke oppdatere status på saken {}", sak.grupperingsid))?;
        }
        Ok(())
    }

    async fn ny(&mut self, ny: Ny, slag: NyttSlag) -> anyhow::Result<NotifikasjonId> {
        let (virksomhet, merkelapp, grupperingsid) = match ny.hvor {
            Hvor::Alene { virksomhet, merkelapp } => (virksomhet, merkelapp, None),
            Hvor::Sak(gruppe) => {
                let sak = SAKER
                    .iter()
                    .find(|s| s.grupperingsid == gruppe)
                    .with_context(|| format!("demo: ukjent sak {gruppe}"))?;
                (sak.virksomhet, sak.merkelapp, Some(Grupperingsid::parse(gruppe)?))
            }
        };
        let notifikasjon = NyNotifikasjon {
            merkelapp: Merkelapp::parse(merkelapp)?,
            ekstern_id: EksternId::parse(ny.ekstern_id)?,
            virksomhetsnummer: Virksomhetsnummer::parse(virksomhet)?,
            mottakere: vec![mottaker(virksomhet)?],
            tekst: NotifikasjonTekst::parse(ny.tekst.to_owned())
                .with_context(|| format!("demo: ugyldig tekst i {}", ny.ekstern_id))?,
            lenke: ny.lenke.to_owned(),
            grupperingsid,
            opprettet: self.siden(ny.siden)?,
            eksterne_varsler: Vec::new(),
            hard_delete: None,
            slag,
        };
        let svar = self
            .app
            .ny_notifikasjon(&self.kaller, notifikasjon)
            .await
            .with_context(|| format!("demo: kunne ikke opprette {}", ny.ekstern_id))?;
        self.notifikasjoner += 1;
        Ok(svar.id)
    }

    async fn beskjed(&mut self, ny: Ny) -> anyhow::Result<NotifikasjonId> {
        self.ny(ny, NyttSlag::Beskjed).await
    }

    /// An oppgave with a frist `frist_om_dager` days from today (negative:
    /// already passed) and an optional reminder.
    async fn oppgave(
        &mut self,
        ny: Ny,
        frist_om_dager: Option<i64>,
        paaminnelse: Option<PaaminnelseTidspunkt>,
    ) -> anyhow::Result<NotifikasjonId> {
        let frist = frist_om_dager.map(|d| self.dato(d)).transpose()?;
        let paaminnelse =
            paaminnelse.map(|tidspunkt| PaaminnelseBestilling { tidspunkt, eksterne_varsler: Vec::new() });
        self.ny(ny, NyttSlag::Oppgave { frist, paaminnelse }).await
    }

    async fn kalenderavtale(&mut self, ny: Ny, avtale: Avtale) -> anyhow::Result<NotifikasjonId> {
        let lokasjon = avtale
            .sted
            .map(|(adresse, postnummer, poststed)| {
                Ok::<_, anyhow::Error>(Lokasjon {
                    adresse: fri_tekst(adresse)?,
                    postnummer: fri_tekst(postnummer)?,
                    poststed: fri_tekst(poststed)?,
                })
            })
            .transpose()?;
        let paaminnelse = avtale
            .paaminnelse_foer_start
            .map(|foer| {
                Ok::<_, anyhow::Error>(PaaminnelseBestilling {
                    tidspunkt: PaaminnelseTidspunkt::FoerStartTidspunkt(varighet(foer)?),
                    eksterne_varsler: Vec::new(),
                })
            })
            .transpose()?;
        let slag = NyttSlag::Kalenderavtale {
            start: self.klokka(avtale.om_dager, avtale.fra)?,
            slutt: Some(self.klokka(avtale.om_dager, avtale.til)?),
            lokasjon,
            digitalt: avtale.digitalt,
            tilstand: avtale.tilstand,
            paaminnelse,
        };
        self.ny(ny, slag).await
    }

    async fn utfoert(&self, id: NotifikasjonId, siden: &str) -> anyhow::Result<()> {
        let avslutning = Avslutning { tidspunkt: Some(self.siden(siden)?), ..Avslutning::default() };
        self.app
            .oppgave_utfoert(&self.kaller, NotifikasjonRef::Id(id.uuid()), avslutning)
            .await
            .with_context(|| format!("demo: kunne ikke markere oppgaven {id} som utført"))?;
        Ok(())
    }

    async fn utgaatt(&self, id: NotifikasjonId, siden: &str) -> anyhow::Result<()> {
        let avslutning = Avslutning { tidspunkt: Some(self.siden(siden)?), ..Avslutning::default() };
        self.app
            .oppgave_utgaatt(&self.kaller, NotifikasjonRef::Id(id.uuid()), avslutning)
            .await
            .with_context(|| format!("demo: kunne ikke markere oppgaven {id} som utgått"))?;
        Ok(())
    }

    async fn ny_tilstand(&self, id: NotifikasjonId, tilstand: KalenderavtaleTilstand) -> anyhow::Result<()> {
        let endring = KalenderavtaleEndring { tilstand: Some(tilstand), ..KalenderavtaleEndring::default() };
        self.app
            .oppdater_kalenderavtale(&self.kaller, NotifikasjonRef::Id(id.uuid()), endring)
            .await
            .with_context(|| format!("demo: kunne ikke oppdatere kalenderavtalen {id}"))?;
        Ok(())
    }

    // ------------------------------------------------------------ the notifications

    async fn notifikasjoner(&mut self) -> anyhow::Result<()> {
        use KalenderavtaleTilstand::{
            ArbeidsgiverHarGodtatt, ArbeidsgiverVilEndreTidEllerSted, Avlyst, VenterSvarFraArbeidsgiver,
        };

        // Fjordbris Barnehage AS
        self.beskjed(Ny {
            hvor: Hvor::Alene { virksomhet: FJORDBRIS, merkelapp: "Demo" },
            ekstern_id: "demo-velkommen",
            tekst: "Velkommen til Varde! Her ser du eksempler på saker, oppgaver, beskjeder og kalenderavtaler.",
            lenke: "https://example.org/varde/demo",
            siden: "PT1H",
        })
        .await?;
        self.beskjed(Ny {
            hvor: Hvor::Sak("demo-sykepenger-kari-nordmann"),
            ekstern_id: "demo-sykmelding-kari-nordmann",
            tekst: "Vi har mottatt sykmeldingen for Kari Nordmann.",
            lenke: "https://example.org/sykepenger/kari-nordmann/sykmelding",
            siden: "P6DT1H",
        })
        .await?;
        // Created six days ago with a reminder after five: the reminder has fired.
        self.oppgave(
            Ny {
                hvor: Hvor::Sak("demo-sykepenger-kari-nordmann"),
                ekstern_id: "demo-inntektsmelding-kari-nordmann",
                tekst: "Send inntektsmelding for Kari Nordmann.",
                lenke: "https://example.org/sykepenger/kari-nordmann/inntektsmelding",
                siden: "P6D",
            },
            Some(7),
            Some(PaaminnelseTidspunkt::EtterOpprettelse(varighet("P5D")?)),
        )
        .await?;
        let kontonummer = self
            .oppgave(
                Ny {
                    hvor: Hvor::Sak("demo-refusjon-lise-dahl"),
                    ekstern_id: "demo-kontonummer-lise-dahl",
                    tekst: "Bekreft kontonummeret refusjonen skal utbetales til.",
                    lenke: "https://example.org/refusjon/lise-dahl/kontonummer",
                    siden: "P19D",
                },
                None,
                None,
            )
            .await?;
        self.utfoert(kontonummer, "P15D").await?;
        self.beskjed(Ny {
            hvor: Hvor::Sak("demo-refusjon-lise-dahl"),
            ekstern_id: "demo-refusjon-utbetalt-lise-dahl",
            tekst: "Refusjonen av sykepenger for Lise Dahl er utbetalt.",
            lenke: "https://example.org/refusjon/lise-dahl/utbetaling",
            siden: "P3D",
        })
        .await?;
        self.oppgave(
            Ny {
                hvor: Hvor::Sak("demo-lonnstilskudd-assistent"),
                ekstern_id: "demo-signer-lonnstilskudd",
                tekst: "Signer avtalen om lønnstilskudd for den nye barnehageassistenten.",
                lenke: "https://example.org/tiltak/lonnstilskudd/avtale",
                siden: "P2D",
            },
            Some(10),
            Some(PaaminnelseTidspunkt::FoerFrist(varighet("P3D")?)),
        )
        .await?;
        self.kalenderavtale(
            Ny {
                hvor: Hvor::Sak("demo-lonnstilskudd-assistent"),
                ekstern_id: "demo-mote-lonnstilskudd",
                tekst: "Oppfølgingsmøte om lønnstilskudd",
                lenke: "https://example.org/tiltak/lonnstilskudd/mote",
                siden: "P2D",
            },
            Avtale {
                om_dager: 2,
                fra: "10:00",
                til: "11:00",
                sted: None,
                digitalt: true,
                tilstand: VenterSvarFraArbeidsgiver,
                paaminnelse_foer_start: Some("P1D"),
            },
        )
        .await?;
        // Held ten days ago: the platform marks it AVHOLDT.
        self.kalenderavtale(
            Ny {
                hvor: Hvor::Sak("demo-oppfolging-jonas-berg"),
                ekstern_id: "demo-dialogmote-1-jonas-berg",
                tekst: "Dialogmøte 1 om sykefraværet til Jonas Berg",
                lenke: "https://example.org/sykefravaer/jonas-berg/dialogmote-1",
                siden: "P20D",
            },
            Avtale {
                om_dager: -10,
                fra: "09:00",
                til: "10:00",
                sted: Some(("Fjordveien 12", "5003", "Bergen")),
                digitalt: false,
                tilstand: ArbeidsgiverHarGodtatt,
                paaminnelse_foer_start: None,
            },
        )
        .await?;
        self.beskjed(Ny {
            hvor: Hvor::Sak("demo-oppfolging-jonas-berg"),
            ekstern_id: "demo-referat-dialogmote-1-jonas-berg",
            tekst: "Referatet fra dialogmøte 1 med Jonas Berg er klart.",
            lenke: "https://example.org/sykefravaer/jonas-berg/referat",
            siden: "P9D",
        })
        .await?;
        let dialogmote_2 = self
            .kalenderavtale(
                Ny {
                    hvor: Hvor::Sak("demo-oppfolging-jonas-berg"),
                    ekstern_id: "demo-dialogmote-2-jonas-berg",
                    tekst: "Dialogmøte 2 om sykefraværet til Jonas Berg",
                    lenke: "https://example.org/sykefravaer/jonas-berg/dialogmote-2",
                    siden: "P3D",
                },
                Avtale {
                    om_dager: 7,
                    fra: "13:00",
                    til: "14:00",
                    sted: Some(("Fjordveien 12", "5003", "Bergen")),
                    digitalt: false,
                    tilstand: VenterSvarFraArbeidsgiver,
                    paaminnelse_foer_start: Some("P2D"),
                },
            )
            .await?;
        self.ny_tilstand(dialogmote_2, ArbeidsgiverHarGodtatt).await?;

        // Nordlys Bygg og Anlegg AS
        self.beskjed(Ny {
            hvor: Hvor::Sak("demo-permittering-tomrere"),
            ekstern_id: "demo-permitteringsvarsel-mottatt",
            tekst: "Vi har mottatt permitteringsvarselet for fire tømrere.",
            lenke: "https://example.org/permittering/tomrere/varsel",
            siden: "P12D",
        })
        .await?;
        // The frist passed three days ago: the platform expires it.
        self.oppgave(
            Ny {
                hvor: Hvor::Sak("demo-permittering-tomrere"),
                ekstern_id: "demo-oppdatert-permitteringsvarsel",
                tekst: "Send oppdatert permitteringsvarsel med riktig varslingstid.",
                lenke: "https://example.org/permittering/tomrere/oppdater",
                siden: "P10D",
            },
            Some(-3),
            None,
        )
        .await?;
        self.app
            .neste_steg_sak(
                &self.kaller,
                SakRef::Grupperingsid {
                    merkelapp: Merkelapp::parse("Permittering")?,
                    grupperingsid: Grupperingsid::parse("demo-permittering-tomrere")?,
                },
                Some(fri_tekst("Fristen er ute. Ta kontakt med oss for å sende et nytt varsel.")?),
                None,
            )
            .await
            .context("demo: kunne ikke sette neste steg")?;
        let inntektsmelding_ola = self
            .oppgave(
                Ny {
                    hvor: Hvor::Sak("demo-sykepenger-ola-hansen"),
                    ekstern_id: "demo-inntektsmelding-ola-hansen",
                    tekst: "Send inntektsmelding for Ola Hansen.",
                    lenke: "https://example.org/sykepenger/ola-hansen/inntektsmelding",
                    siden: "P25D",
                },
                Some(-14),
                None,
            )
            .await?;
        self.utfoert(inntektsmelding_ola, "P18D").await?;
        let oppstartsmote = self
            .kalenderavtale(
                Ny {
                    hvor: Hvor::Sak("demo-arbeidstrening-laerling"),
                    ekstern_id: "demo-oppstartsmote-arbeidstrening",
                    tekst: "Oppstartsmøte for arbeidstrening",
                    lenke: "https://example.org/tiltak/arbeidstrening/mote",
                    siden: "P3D",
                },
                Avtale {
                    om_dager: 1,
                    fra: "09:00",
                    til: "09:45",
                    sted: Some(("Industriveien 7", "7080", "Heimdal")),
                    digitalt: false,
                    tilstand: VenterSvarFraArbeidsgiver,
                    paaminnelse_foer_start: None,
                },
            )
            .await?;
        self.ny_tilstand(oppstartsmote, ArbeidsgiverVilEndreTidEllerSted).await?;
        self.beskjed(Ny {
            hvor: Hvor::Sak("demo-refusjon-per-olsen"),
            ekstern_id: "demo-refusjon-kontroll-per-olsen",
            tekst: "Søknaden om refusjon for Per Olsen er sendt til kontroll.",
            lenke: "https://example.org/refusjon/per-olsen/status",
            siden: "P5D",
        })
        .await?;
        // No longer needed, the producer says: expired with oppgaveUtgaatt.
        let loennsslipper = self
            .oppgave(
                Ny {
                    hvor: Hvor::Sak("demo-refusjon-per-olsen"),
                    ekstern_id: "demo-lonnsslipper-per-olsen",
                    tekst: "Last opp lønnsslipper for Per Olsen for de siste tre månedene.",
                    lenke: "https://example.org/refusjon/per-olsen/lonnsslipper",
                    siden: "P14D",
                },
                Some(5),
                None,
            )
            .await?;
        self.utgaatt(loennsslipper, "P5D").await?;
        let informasjonsmote = self
            .kalenderavtale(
                Ny {
                    hvor: Hvor::Sak("demo-permittering-betong"),
                    ekstern_id: "demo-informasjonsmote-permittering",
                    tekst: "Informasjonsmøte om permitteringen i betongavdelingen",
                    lenke: "https://example.org/permittering/betong/mote",
                    siden: "P6D",
                },
                Avtale {
                    om_dager: 3,
                    fra: "14:00",
                    til: "15:00",
                    sted: Some(("Industriveien 7", "7080", "Heimdal")),
                    digitalt: false,
                    tilstand: VenterSvarFraArbeidsgiver,
                    paaminnelse_foer_start: Some("P1D"),
                },
            )
            .await?;
        self.ny_tilstand(informasjonsmote, Avlyst).await?;
        self.beskjed(Ny {
            hvor: Hvor::Sak("demo-permittering-betong"),
            ekstern_id: "demo-permittering-opphevet",
            tekst: "Permitteringen er opphevet. De ansatte kan gå tilbake i full stilling.",
            lenke: "https://example.org/permittering/betong/opphevet",
            siden: "P1D",
        })
        .await?;
        self.beskjed(Ny {
            hvor: Hvor::Alene { virksomhet: NORDLYS, merkelapp: "Refusjon" },
            ekstern_id: "demo-nye-regler-refusjon",
            tekst: "Nye regler for refusjon av sykepenger gjelder fra neste måned.",
            lenke: "https://example.org/refusjon/nye-regler",
            siden: "P2D",
        })
        .await?;

        // Havblikk Sykehjem
        self.oppgave(
            Ny {
                hvor: Hvor::Sak("demo-sykepenger-aisha-khan"),
                ekstern_id: "demo-inntektsmelding-aisha-khan",
                tekst: "Send inntektsmelding for Aisha Khan.",
                lenke: "https://example.org/sykepenger/aisha-khan/inntektsmelding",
                siden: "P2D",
            },
            Some(2),
            Some(PaaminnelseTidspunkt::FoerFrist(varighet("P1D")?)),
        )
        .await?;
        self.kalenderavtale(
            Ny {
                hvor: Hvor::Sak("demo-mentortilskudd-helsefagarbeider"),
                ekstern_id: "demo-samtale-mentortilskudd",
                tekst: "Samtale om mentortilskudd for ny helsefagarbeider",
                lenke: "https://example.org/tiltak/mentortilskudd/samtale",
                siden: "P7D",
            },
            Avtale {
                om_dager: 4,
                fra: "12:30",
                til: "13:30",
                sted: None,
                digitalt: true,
                tilstand: VenterSvarFraArbeidsgiver,
                paaminnelse_foer_start: Some("P1D"),
            },
        )
        .await?;
        self.beskjed(Ny {
            hvor: Hvor::Sak("demo-refusjon-ingrid-solberg"),
            ekstern_id: "demo-vedtak-refusjon-ingrid-solberg",
            tekst: "Vedtaket om refusjon for Ingrid Solberg er fattet.",
            lenke: "https://example.org/refusjon/ingrid-solberg/vedtak",
            siden: "P6D",
        })
        .await?;
        self.oppgave(
            Ny {
                hvor: Hvor::Sak("demo-permittering-vaskeri"),
                ekstern_id: "demo-bekreft-permitterte-vaskeri",
                tekst: "Bekreft hvilke ansatte i vaskeriet som blir permittert.",
                lenke: "https://example.org/permittering/vaskeri/ansatte",
                siden: "P1D",
            },
            None,
            None,
        )
        .await?;
        self.oppgave(
            Ny {
                hvor: Hvor::Alene { virksomhet: HAVBLIKK, merkelapp: "Sykepenger" },
                ekstern_id: "demo-kontaktperson-sykefravaer",
                tekst: "Bekreft hvem som er kontaktperson for sykefraværsoppfølging.",
                lenke: "https://example.org/sykepenger/kontaktperson",
                siden: "P1D",
            },
            Some(14),
            None,
        )
        .await?;
        self.beskjed(Ny {
            hvor: Hvor::Alene { virksomhet: HAVBLIKK, merkelapp: "Demo" },
            ekstern_id: "demo-kontaktinformasjon",
            tekst: "Husk å holde kontaktinformasjonen til virksomheten oppdatert.",
            lenke: "https://example.org/varde/kontaktinformasjon",
            siden: "P4D",
        })
        .await?;
        Ok(())
    }
}
