//! Starting Varde: open and migrate the database, build the application and
//! serve HTTP until told to stop.

use crate::konfig::Konfig;
use anyhow::Context;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use varde_application::App;
use varde_application::tilgangskilde::{Flere, Tilgangskilde};
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_integrasjoner::altinn_tilganger::{AltinnTilgangerInnstillinger, AltinnTilgangerKlient};
use varde_interfaces::auth::utsteder::Utstedere;
use varde_interfaces::auth::{Autentisering, DevUtsteder};
use varde_interfaces::sider::Testperson;
use varde_interfaces::{Miljoe, Tilstand};
use varde_store::Store;

pub struct Innstillinger {
    pub database_url: String,
    pub lytt: String,
    pub miljoe: Miljoe,
    pub konfig: Konfig,
    /// Fill an empty database with the demo sample before serving (`--demo`, dev only).
    pub demo: bool,
}

/// Connects and brings the schema up to date.
pub async fn aapne_database(url: &str, skjema: Option<&str>) -> anyhow::Result<Store> {
    let store = Store::koble_til_med_skjema(url, skjema)
        .await
        .with_context(|| format!("kan ikke koble til databasen {}", uten_passord(url)))?;
    let utfoert = store.migrer().await.context("migreringen feilet")?;
    if !utfoert.is_empty() {
        tracing::info!(?utfoert, "migreringer utført");
    }
    Ok(store)
}

/// Builds the shared state of a running instance.
pub async fn tilstand(store: Store, miljoe: Miljoe, konfig: &Konfig) -> anyhow::Result<Tilstand> {
    let dev = match miljoe {
        Miljoe::Dev => {
            let hemmelighet = store
                .instanshemmelighet("dev-token-nokkel", || {
                    use rand::RngCore;
                    let mut nokkel = vec![0u8; 32];
                    rand::rng().fill_bytes(&mut nokkel);
                    nokkel
                })
                .await?;
            Some(DevUtsteder::new(&hemmelighet))
        }
        Miljoe::Prod => None,
    };
    let kanaler = konfig.varsling.kanaler(&store)?;
    tracing::info!(?kanaler, "varslingskanaler");
    let til_utboksen: Vec<&str> =
        [("sms", &kanaler.sms), ("epost", &kanaler.epost), ("altinnressurs", &kanaler.altinnressurs)]
            .into_iter()
            .filter(|(_, kanal)| kanal.navn() == "outbox")
            .map(|(slag, _)| slag)
            .collect();
    if miljoe == Miljoe::Prod && !til_utboksen.is_empty() {
        tracing::warn!(?til_utboksen, "varsler av disse slagene sendes ikke, men legges i utboksen: sett [varsling]");
    }
    let register = konfig.produsentregister()?;
    let oppbevaringsregler = konfig.oppbevaringsregler(miljoe == Miljoe::Prod)?;
    if oppbevaringsregler.er_paakrevd() {
        let uten = oppbevaringsregler.uten_standard(register.alle().flat_map(|p| p.merkelapper.iter()));
        if !uten.is_empty() {
            let uten: Vec<String> = uten.iter().map(|m| m.to_string()).collect();
            tracing::info!(
                ?uten,
                "disse merkelappene har ingen standard oppbevaringstid: saker og notifikasjoner uten hardDelete avvises"
            );
        }
    }
    if miljoe == Miljoe::Prod && !konfig.adressebeskyttelse.er_satt() {
        tracing::warn!("ingen [adressebeskyttelse]: adresser i notifikasjoner om ansatte sjekkes ikke mot kode 6/7");
    }
    let utstedere = konfig.utstedere()?;
    for u in &utstedere {
        tracing::info!(issuer = %u.issuer, jwks_url = %u.jwks_url, slag = ?u.slag, rolle = ?u.rolle, "godtar tokener fra");
    }
    let utstedere = Utstedere::new(utstedere, register.clone()).context("[[issuer]]")?;
    let app = App::new(store, register)
        .med_tilgangskilde(tilgangskilde(konfig)?)
        .med_virksomhetsnavn(konfig.virksomhetsnavn()?)
        .med_kanaler(kanaler)
        .med_varslingsregler(konfig.varsling.regler())
        .med_jobbtakt(konfig.jobber.takt())
        .med_oppbevaringsregler(oppbevaringsregler)
        .med_adressebeskyttelse(konfig.adressebeskyttelse.kilde(miljoe == Miljoe::Prod)?)
        .med_styring(miljoe == Miljoe::Prod);
    app.klargjoer_varslingsbrems(miljoe == Miljoe::Prod).await?;
    app.klargjoer_styring().await?;
    let grenser = konfig.grenser.grenser();
    tracing::info!(?grenser, "grenser");
    Ok(Tilstand::new(app, miljoe, Autentisering { dev, utstedere })
        .med_testpersoner(testpersoner(konfig)?)
        .med_grenser(grenser))
}

/// The people of the static grants, with their organisations' names, for
/// the dev login page.
fn testpersoner(konfig: &Konfig) -> anyhow::Result<Vec<Testperson>> {
    let navn = konfig.virksomhetsnavn()?;
    let mut personer: Vec<Testperson> = Vec::new();
    for t in &konfig.tilgang {
        let fnr = Fodselsnummer::parse(&t.fnr).map_err(|e| anyhow::anyhow!("[[tilgang]] fnr: {e}"))?;
        let virksomhet = Virksomhetsnummer::parse(&t.virksomhetsnummer)
            .map(|v| navn.get(&v).cloned().unwrap_or_else(|| v.to_string()))
            .map_err(|e| anyhow::anyhow!("[[tilgang]]: {e}"))?;
        match personer.iter_mut().find(|p| p.fnr == fnr) {
            Some(p) if !p.virksomheter.contains(&virksomhet) => p.virksomheter.push(virksomhet),
            Some(_) => {}
            None => personer.push(Testperson { fnr, virksomheter: vec![virksomhet] }),
        }
    }
    Ok(personer)
}

/// The static grants, and the altinn-tilganger service when one is configured.
fn tilgangskilde(konfig: &Konfig) -> anyhow::Result<Arc<dyn Tilgangskilde>> {
    let statiske: Arc<dyn Tilgangskilde> = Arc::new(konfig.statiske_tilganger()?);
    let Some(url) = &konfig.tilganger.altinn_tilganger_url else { return Ok(statiske) };
    let klient = AltinnTilgangerKlient::new(AltinnTilgangerInnstillinger::med_url(url.clone()))
        .context("[tilganger] altinn_tilganger_url")?;
    Ok(Arc::new(Flere(vec![statiske, Arc::new(klient)])))
}

/// Serves HTTP on `listener` and runs the job worker and the audit sealer until `stopp`
/// completes; then lets both finish what they are doing.
pub async fn serve(
    listener: TcpListener,
    tilstand: Tilstand,
    stopp: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (stopp_arbeider, stoppsignal) = tokio::sync::watch::channel(false);
    let mut forsegler =
        AvbrytVedSlipp(Some(varde_application::revisjon::start_forsegler(tilstand.app.clone(), stoppsignal.clone())));
    let mut arbeider =
        AvbrytVedSlipp(Some(varde_application::jobber::start_arbeider(tilstand.app.clone(), stoppsignal)));
    let hodefrist = tilstand.grenser.hode;
    let svar = varde_interfaces::http::tjen(listener, varde_interfaces::ruter(tilstand), hodefrist, stopp).await;
    let _ = stopp_arbeider.send(true);
    if let Some(arbeider) = arbeider.0.take() {
        let _ = arbeider.await;
    }
    if let Some(forsegler) = forsegler.0.take() {
        let _ = forsegler.await;
    }
    Ok(svar?)
}

/// The worker dies with the server: when `serve` is dropped without stopping (a task aborted,
/// as a crash would), its jobs are left mid-flight with their leases, as a killed process
/// leaves them.
struct AvbrytVedSlipp(Option<tokio::task::JoinHandle<()>>);

impl Drop for AvbrytVedSlipp {
    fn drop(&mut self) {
        if let Some(arbeider) = &self.0 {
            arbeider.abort();
        }
    }
}

pub async fn kjoer(innstillinger: Innstillinger) -> anyhow::Result<()> {
    let store = aapne_database(&innstillinger.database_url, None).await?;
    let tilstand = tilstand(store.clone(), innstillinger.miljoe, &innstillinger.konfig).await?;
    if innstillinger.demo {
        crate::demo::ved_oppstart(&tilstand.app, innstillinger.miljoe).await?;
    }
    let listener = TcpListener::bind(&innstillinger.lytt)
        .await
        .with_context(|| format!("kan ikke lytte på {}", innstillinger.lytt))?;
    let adresse = listener.local_addr()?;
    skriv_velkomst(adresse, &innstillinger);
    serve(listener, tilstand, stoppsignal()).await?;
    store.lukk().await;
    tracing::info!("stoppet");
    Ok(())
}

fn skriv_velkomst(adresse: SocketAddr, innstillinger: &Innstillinger) {
    let base = format!("http://{adresse}");
    tracing::info!(database = %uten_passord(&innstillinger.database_url), "Varde kjører på {base}");
    println!("Varde kjører på {base} ({:?})", innstillinger.miljoe);
    println!("  produsent-API:  POST {base}/api/graphql   (jobber kjøres i bakgrunnen)");
    println!("  mottaker-API:   POST {base}/bruker/api/graphql");
    println!("  helse:          {base}/internal/alive  {base}/internal/ready  {base}/internal/metrics");
    if innstillinger.miljoe == Miljoe::Dev {
        let produsent = innstillinger.konfig.produsent.first().map_or("demo", |p| p.id.as_str());
        println!("  token (dev):    curl {base}/dev/token/produsent/{produsent}");
        if let Some(tilgang) = innstillinger.konfig.tilgang.first() {
            println!("                  curl {base}/dev/token/bruker/{}", tilgang.fnr);
        }
    }
}

/// The URL without a password, for logs.
fn uten_passord(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(skjema), Some(at)) if at > skjema => {
            let bruker = &url[skjema + 3..at];
            let bruker = bruker.split(':').next().unwrap_or("");
            format!("{}{bruker}:***{}", &url[..skjema + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

async fn stoppsignal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("stopper");
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_hidden_in_logged_urls() {
        assert_eq!(super::uten_passord("postgres://u:hemmelig@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::uten_passord("sqlite://varde.db"), "sqlite://varde.db");
    }
}
