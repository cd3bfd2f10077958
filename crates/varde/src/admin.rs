//! `varde admin …`: every operator action of the console and the operator API, from the
//! command line, on the same database. The commands call the same application functions
//! the API does, so the rules, the audit records and the messages to contact points are
//! the same; a running service sees a change within its gate's refresh time.

use crate::konfig::Konfig;
use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use uuid::Uuid;
use varde_application::styring::kontaktpunkt::NyttKontaktpunkt;
use varde_application::{App, Operatoer};
use varde_domain::identifikator::{Merkelapp, ProdusentId};
use varde_domain::kontaktinfo::{Epostadresse, Mobilnummer};
use varde_domain::kontaktpunkt::{Kontaktmaate, Kontaktnavn, Rolle as Kontaktrolle};
use varde_domain::sanksjon::Frakoblingsmaal;
use varde_domain::tid::Tidspunkt;
use varde_domain::vilkaar::{Dokument, Fritekst, MAKS_KORT, MAKS_TEKST, NyttVilkaar, Rolle, Versjon};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

#[derive(Args, Debug)]
pub struct AdminArgs {
    /// sqlite://FILE or postgres://…, the service's database.
    #[arg(long = "database", env = "VARDE_DATABASE_URL", default_value = "sqlite://varde.db", global = true)]
    database: String,
    /// The service's configuration file (producers and merkelapper). Without one, `dev` uses
    /// the built-in demo configuration.
    #[arg(long, env = "VARDE_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// `prod` turns the production gate's rules on for what the commands check.
    #[arg(long, env = "VARDE_ENV", value_enum, default_value = "dev", global = true)]
    env: Miljoe,
    /// Who acts, as the audit trail names the operator.
    #[arg(long, env = "VARDE_OPERATOER", global = true)]
    operatoer: Option<String>,
    #[command(subcommand)]
    kommando: AdminKommando,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Miljoe {
    Dev,
    Prod,
}

#[derive(Subcommand, Debug)]
pub enum AdminKommando {
    /// Terms of use: list, publish, accept, and who has not accepted.
    Vilkaar {
        #[command(subcommand)]
        kommando: VilkaarKommando,
    },
    /// Delegations: a customer lets a supplier act for it.
    Delegering {
        #[command(subcommand)]
        kommando: DelegeringKommando,
    },
    /// Disconnect a producer, a supplier, a merkelapp or an organisation at once.
    Frakoble {
        #[command(flatten)]
        maal: Maal,
        /// Why; the refused callers see it.
        #[arg(long)]
        grunn: String,
        /// When access returns by itself (ISO 8601 date-time; Oslo time without an offset).
        #[arg(long)]
        til: Option<String>,
    },
    /// Reconnect with the remedy that was taken: a producer's active disconnections, or one by id.
    Tilkoble {
        #[arg(long, conflicts_with = "id", required_unless_present = "id")]
        produsent: Option<String>,
        /// The disconnection's id (see `frakoblinger`).
        #[arg(long)]
        id: Option<Uuid>,
        /// The remedy, recorded with the reconnection.
        #[arg(long)]
        tiltak: String,
    },
    /// The disconnections: active ones, or all with --alle.
    Frakoblinger {
        #[arg(long)]
        alle: bool,
    },
    /// Notices of termination: access ends three months after one is given.
    Oppsigelse {
        #[command(subcommand)]
        kommando: OppsigelseKommando,
    },
    /// Announce maintenance (at least 5 working days ahead; without times, the first
    /// possible night to Tuesday), or list or cancel windows.
    #[command(args_conflicts_with_subcommands = true)]
    Vedlikehold {
        #[command(subcommand)]
        kommando: Option<VedlikeholdKommando>,
        /// Start (ISO 8601 date-time; Oslo time without an offset).
        #[arg(long, requires = "til")]
        fra: Option<String>,
        /// End.
        #[arg(long, requires = "fra")]
        til: Option<String>,
        /// What the recipients and contact points are told.
        #[arg(long)]
        tekst: Option<String>,
    },
    /// Contact points of an organisation.
    Kontaktpunkt {
        #[command(subcommand)]
        kommando: KontaktpunktKommando,
    },
    /// The emergency brake on external alerts.
    Varslingsbrems {
        #[arg(value_enum)]
        tilstand: Brems,
    },
}

#[derive(Args, Debug)]
#[group(required = true, multiple = false)]
pub struct Maal {
    #[arg(long)]
    produsent: Option<String>,
    #[arg(long)]
    leverandoer: Option<String>,
    #[arg(long)]
    merkelapp: Option<String>,
    #[arg(long)]
    virksomhet: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum VilkaarKommando {
    /// Every published version and where it stands.
    Liste,
    /// Publish a version; a new version takes effect no sooner than one month after.
    Publiser {
        /// `plattform`, `leverandoer` or `saervilkaar:<komponent>`.
        #[arg(long)]
        dokument: String,
        #[arg(long)]
        versjon: String,
        #[arg(long)]
        tittel: String,
        /// A file with the text.
        #[arg(long)]
        tekst_fil: PathBuf,
        /// When it takes effect (default: the earliest allowed).
        #[arg(long)]
        gjelder_fra: Option<String>,
    },
    /// Record that an organisation accepted the terms in force and those announced.
    Godta {
        #[arg(long)]
        virksomhetsnummer: String,
        /// The authorised person who accepted.
        #[arg(long)]
        person: String,
        #[arg(long, value_enum, default_value = "kunde")]
        rolle: RolleValg,
    },
    /// The organisations that have not accepted a version in force or announced.
    Mangler,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RolleValg {
    Kunde,
    Leverandoer,
}

#[derive(Subcommand, Debug)]
pub enum DelegeringKommando {
    Liste,
    Registrer {
        #[arg(long)]
        kunde: String,
        #[arg(long)]
        leverandoer: String,
    },
    Fjern {
        #[arg(long)]
        kunde: String,
        #[arg(long)]
        leverandoer: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum OppsigelseKommando {
    Liste,
    /// Give notice: the organisation's access ends three months from now.
    Gi {
        #[arg(long)]
        virksomhetsnummer: String,
    },
    /// Withdraw a notice before it takes effect.
    Trekk {
        #[arg(long)]
        virksomhetsnummer: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum VedlikeholdKommando {
    Liste,
    Avlys {
        #[arg(long)]
        id: Uuid,
    },
}

#[derive(Subcommand, Debug)]
pub enum KontaktpunktKommando {
    Liste {
        #[arg(long)]
        virksomhetsnummer: String,
    },
    /// Add a contact point, or change one with --id.
    Lagre {
        #[arg(long)]
        id: Option<Uuid>,
        #[arg(long)]
        virksomhetsnummer: String,
        /// E.g. teknisk, sikkerhet, drift.
        #[arg(long)]
        rolle: String,
        #[arg(long)]
        navn: String,
        #[arg(long)]
        epost: Option<String>,
        #[arg(long)]
        telefon: Option<String>,
    },
    Slett {
        #[arg(long)]
        id: Uuid,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Brems {
    Paa,
    Av,
}

/// Runs one admin command.
pub async fn kjoer(args: AdminArgs) -> anyhow::Result<()> {
    let operatoer = Operatoer { navn: operatoernavn(args.operatoer)?, token_id: None };
    let konfig = match (&args.config, args.env) {
        (Some(fil), _) => Konfig::les(fil)?,
        (None, Miljoe::Dev) => Konfig::tolk(crate::konfig::DEMO)?,
        (None, Miljoe::Prod) => bail!("prod krever en konfigurasjonsfil: --config FIL eller VARDE_CONFIG"),
    };
    let store = crate::server::aapne_database(&args.database, None).await?;
    let app = App::new(store.clone(), konfig.produsentregister()?).med_styring(args.env == Miljoe::Prod);
    app.klargjoer_styring().await?;
    let utfall = utfoer(&app, &operatoer, args.kommando).await;
    store.lukk().await;
    utfall
}

/// The operator named by --operatoer, else the login name.
fn operatoernavn(oppgitt: Option<String>) -> anyhow::Result<String> {
    let navn = oppgitt.or_else(|| std::env::var("USER").ok()).unwrap_or_default();
    if navn.trim().is_empty() {
        bail!("oppgi hvem som handler: --operatoer NAVN (eller VARDE_OPERATOER)");
    }
    Ok(navn.trim().to_owned())
}

async fn utfoer(app: &App, operatoer: &Operatoer, kommando: AdminKommando) -> anyhow::Result<()> {
    match kommando {
        AdminKommando::Vilkaar { kommando } => vilkaar(app, operatoer, kommando).await,
        AdminKommando::Delegering { kommando } => delegering(app, operatoer, kommando).await,
        AdminKommando::Frakoble { maal, grunn, til } => {
            let til = til.as_deref().map(tidspunkt).transpose()?;
            let frakobling = app.frakoble(operatoer, frakoblingsmaal(maal)?, &grunn, til).await?;
            println!("frakoblet: {} (id {})", beskriv_maal(&frakobling.maal), frakobling.id);
            Ok(())
        }
        AdminKommando::Tilkoble { produsent, id, tiltak } => {
            let tilkoblet = match (produsent, id) {
                (Some(produsent), _) => app.tilkoble_produsent(operatoer, produsent.as_str(), &tiltak).await?,
                (None, Some(id)) => app.tilkoble(operatoer, id, &tiltak).await?.into_iter().collect(),
                (None, None) => bail!("oppgi --produsent eller --id"),
            };
            if tilkoblet.is_empty() {
                bail!("ingen aktiv frakobling å tilkoble");
            }
            for f in tilkoblet {
                println!("tilkoblet: {} (id {})", beskriv_maal(&f.maal), f.id);
            }
            Ok(())
        }
        AdminKommando::Frakoblinger { alle } => {
            for f in app.frakoblinger(!alle).await? {
                let til = f.til.map(|t| format!(" til {t}")).unwrap_or_default();
                let tilkoblet = f.tilkobling.as_ref().map(|_| " (tilkoblet)").unwrap_or_default();
                println!("{}  {}  fra {}{til}{tilkoblet}  grunn: {}", f.id, beskriv_maal(&f.maal), f.fra, f.grunn);
            }
            Ok(())
        }
        AdminKommando::Oppsigelse { kommando } => oppsigelse(app, operatoer, kommando).await,
        AdminKommando::Vedlikehold { kommando, fra, til, tekst } => {
            vedlikehold(app, operatoer, kommando, fra, til, tekst).await
        }
        AdminKommando::Kontaktpunkt { kommando } => kontaktpunkt(app, operatoer, kommando).await,
        AdminKommando::Varslingsbrems { tilstand } => {
            app.sett_varslingsbrems(operatoer, matches!(tilstand, Brems::Paa)).await?;
            println!("varslingsbremsen er {}", if app.varslingsbrems_paa().await? { "på" } else { "av" });
            Ok(())
        }
    }
}

async fn vilkaar(app: &App, operatoer: &Operatoer, kommando: VilkaarKommando) -> anyhow::Result<()> {
    match kommando {
        VilkaarKommando::Liste => {
            for v in app.vilkaar().await? {
                let u = &v.vilkaar.utgave;
                println!(
                    "{} {}  {:?}  gjelder fra {}  «{}»",
                    u.dokument, u.versjon, v.tilstand, u.gjelder_fra, v.vilkaar.tittel
                );
            }
        }
        VilkaarKommando::Publiser { dokument, versjon, tittel, tekst_fil, gjelder_fra } => {
            let tekst = std::fs::read_to_string(&tekst_fil)
                .with_context(|| format!("kan ikke lese {}", tekst_fil.display()))?;
            let ny = NyttVilkaar {
                dokument: Dokument::parse(&dokument)?,
                versjon: Versjon::parse(&versjon)?,
                tittel: Fritekst::parse("tittel", &tittel, MAKS_KORT)?,
                tekst: Fritekst::parse("tekst", &tekst, MAKS_TEKST)?,
                gjelder_fra: gjelder_fra.as_deref().map(tidspunkt).transpose()?,
            };
            let v = app.publiser_vilkaar(operatoer, ny).await?;
            println!("publisert: {} {}, gjelder fra {}", v.utgave.dokument, v.utgave.versjon, v.utgave.gjelder_fra);
        }
        VilkaarKommando::Godta { virksomhetsnummer, person, rolle } => {
            let virksomhet = Virksomhetsnummer::parse(&virksomhetsnummer)?;
            let rolle = match rolle {
                RolleValg::Kunde => Rolle::Kunde,
                RolleValg::Leverandoer => Rolle::Leverandoer,
            };
            let godkjent = app.godta_vilkaar(operatoer, &virksomhet, &person, rolle).await?;
            if godkjent.is_empty() {
                println!("{virksomhet} hadde allerede godtatt vilkårene som gjelder og er varslet");
            }
            for g in godkjent {
                println!("godtatt: {} {} for {} av {}", g.dokument, g.versjon, g.virksomhetsnummer, g.person);
            }
        }
        VilkaarKommando::Mangler => {
            for m in app.vilkaar_mangler().await? {
                println!(
                    "{}  {:?}  mangler {} {} ({:?}, gjelder fra {})",
                    m.virksomhetsnummer,
                    m.rolle,
                    m.versjon.dokument,
                    m.versjon.versjon,
                    m.tilstand,
                    m.versjon.gjelder_fra
                );
            }
        }
    }
    Ok(())
}

async fn delegering(app: &App, operatoer: &Operatoer, kommando: DelegeringKommando) -> anyhow::Result<()> {
    match kommando {
        DelegeringKommando::Liste => {
            for d in app.delegeringer().await? {
                println!(
                    "{} → {}  registrert {} av {}",
                    d.par.kunde(),
                    d.par.leverandoer(),
                    d.registrert,
                    d.registrert_av
                );
            }
        }
        DelegeringKommando::Registrer { kunde, leverandoer } => {
            let (kunde, leverandoer) = (Virksomhetsnummer::parse(&kunde)?, Virksomhetsnummer::parse(&leverandoer)?);
            let ny = app.registrer_delegering(operatoer, &kunde, &leverandoer).await?;
            println!("{kunde} → {leverandoer}: {}", if ny { "registrert" } else { "fantes fra før" });
        }
        DelegeringKommando::Fjern { kunde, leverandoer } => {
            let (kunde, leverandoer) = (Virksomhetsnummer::parse(&kunde)?, Virksomhetsnummer::parse(&leverandoer)?);
            if !app.fjern_delegering(operatoer, &kunde, &leverandoer).await? {
                bail!("ingen delegering {kunde} → {leverandoer}");
            }
            println!("{kunde} → {leverandoer}: fjernet");
        }
    }
    Ok(())
}

async fn oppsigelse(app: &App, operatoer: &Operatoer, kommando: OppsigelseKommando) -> anyhow::Result<()> {
    match kommando {
        OppsigelseKommando::Liste => {
            for o in app.oppsigelser().await? {
                println!("{}  gitt {}  slutt {}  av {}", o.virksomhetsnummer, o.gitt, o.slutt, o.gitt_av);
            }
        }
        OppsigelseKommando::Gi { virksomhetsnummer } => {
            let o = app.si_opp(operatoer, &Virksomhetsnummer::parse(&virksomhetsnummer)?).await?;
            println!("oppsagt: {} mister tilgangen {}", o.virksomhetsnummer, o.slutt);
        }
        OppsigelseKommando::Trekk { virksomhetsnummer } => {
            let virksomhet = Virksomhetsnummer::parse(&virksomhetsnummer)?;
            if !app.trekk_oppsigelse(operatoer, &virksomhet).await? {
                bail!("ingen oppsigelse for {virksomhet}");
            }
            println!("oppsigelsen for {virksomhet} er trukket");
        }
    }
    Ok(())
}

async fn vedlikehold(
    app: &App,
    operatoer: &Operatoer,
    kommando: Option<VedlikeholdKommando>,
    fra: Option<String>,
    til: Option<String>,
    tekst: Option<String>,
) -> anyhow::Result<()> {
    match kommando {
        Some(VedlikeholdKommando::Liste) => {
            for v in app.vedlikehold().await? {
                let avlyst = v.avlyst.map(|t| format!(" (avlyst {t})")).unwrap_or_default();
                println!("{}  {} – {}{avlyst}  «{}»", v.id, v.tidsrom.fra(), v.tidsrom.til(), v.tekst.as_str());
            }
        }
        Some(VedlikeholdKommando::Avlys { id }) => match app.avlys_vedlikehold(operatoer, id).await? {
            Some(v) => println!("avlyst: {}", v.id),
            None => bail!("ingen vedlikehold med id {id}"),
        },
        None => {
            let Some(tekst) = tekst else {
                bail!("oppgi --tekst (og --fra/--til, eller ingen av dem for natt til tirsdag)")
            };
            let fra = fra.as_deref().map(tidspunkt).transpose()?;
            let til = til.as_deref().map(tidspunkt).transpose()?;
            let v = app.kunngjoer_vedlikehold(operatoer, fra, til, &tekst).await?;
            println!("kunngjort: {} – {} (id {})", v.tidsrom.fra(), v.tidsrom.til(), v.id);
        }
    }
    Ok(())
}

async fn kontaktpunkt(app: &App, operatoer: &Operatoer, kommando: KontaktpunktKommando) -> anyhow::Result<()> {
    match kommando {
        KontaktpunktKommando::Liste { virksomhetsnummer } => {
            for k in app.kontaktpunkter(&Virksomhetsnummer::parse(&virksomhetsnummer)?).await? {
                println!("{}  {}  {}", k.id, k.rolle.as_str(), k.navn.as_str());
            }
        }
        KontaktpunktKommando::Lagre { id, virksomhetsnummer, rolle, navn, epost, telefon } => {
            let ny = NyttKontaktpunkt {
                virksomhetsnummer: Virksomhetsnummer::parse(&virksomhetsnummer)?,
                rolle: Kontaktrolle::parse(&rolle)?,
                navn: Kontaktnavn::parse(&navn)?,
                kontakt: Kontaktmaate::ny(
                    epost.as_deref().map(Epostadresse::parse).transpose()?,
                    telefon.as_deref().map(Mobilnummer::parse).transpose()?,
                )?,
            };
            match app.lagre_kontaktpunkt(operatoer, id, ny).await? {
                Some(k) => println!("lagret: {} ({})", k.id, k.navn.as_str()),
                None => bail!("ingen kontaktpunkt med id {}", id.map(|i| i.to_string()).unwrap_or_default()),
            }
        }
        KontaktpunktKommando::Slett { id } => {
            if !app.slett_kontaktpunkt(operatoer, id).await? {
                bail!("ingen kontaktpunkt med id {id}");
            }
            println!("slettet: {id}");
        }
    }
    Ok(())
}

fn frakoblingsmaal(maal: Maal) -> anyhow::Result<Frakoblingsmaal> {
    Ok(match maal {
        Maal { produsent: Some(p), .. } => Frakoblingsmaal::Produsent(ProdusentId::parse(&p)?),
        Maal { leverandoer: Some(l), .. } => Frakoblingsmaal::Leverandoer(Virksomhetsnummer::parse(&l)?),
        Maal { merkelapp: Some(m), .. } => Frakoblingsmaal::Merkelapp(Merkelapp::parse(&m)?),
        Maal { virksomhet: Some(v), .. } => Frakoblingsmaal::Virksomhet(Virksomhetsnummer::parse(&v)?),
        _ => bail!("oppgi én av --produsent, --leverandoer, --merkelapp og --virksomhet"),
    })
}

fn beskriv_maal(maal: &Frakoblingsmaal) -> String {
    match maal {
        Frakoblingsmaal::Produsent(p) => format!("produsent {p}"),
        Frakoblingsmaal::Leverandoer(l) => format!("leverandør {l}"),
        Frakoblingsmaal::Merkelapp(m) => format!("merkelapp {m}"),
        Frakoblingsmaal::Virksomhet(v) => format!("virksomhet {v}"),
    }
}

fn tidspunkt(tekst: &str) -> anyhow::Result<Tidspunkt> {
    Ok(Tidspunkt::parse(tekst)?)
}
