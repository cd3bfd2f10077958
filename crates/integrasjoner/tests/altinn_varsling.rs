//! The Altinn 3 notifications channel and its Maskinporten client against
//! the fake Maskinporten and Altinn of `falsk::altinn` on 127.0.0.1: the
//! grant Maskinporten gets (verified with the public key), how tokens are
//! cached and renewed, the orders' bodies, how answers map to the channel's
//! results, and how a shipment's statuses map to an outcome.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use metrics::{Counter, Gauge, Histogram, Key, KeyName, Metadata, Recorder, SharedString, Unit};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;
use varde_application::varsling::{Gjelder, Innhold, Kanal, Kanalfeil, Levert, Utsending};
use varde_domain::identifikator::RessursId;
use varde_domain::ids::{NotifikasjonId, VarselId};
use varde_domain::kontaktinfo::{Epostadresse, Mobilnummer};
use varde_domain::varsel::Utfall;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_integrasjoner::altinn_varsling::{AltinnVarsling, AltinnVarslingKonfig, MAALING_KALL};
use varde_integrasjoner::falsk::altinn::{
    AltinnInnstillinger, FalskAltinn, Feilinnstillinger, Hengemaate, Maskinportenkrav,
};
use varde_integrasjoner::falsk::{pem, testnoekkel};
use varde_integrasjoner::maskinporten::{MaskinportenFeil, MaskinportenKlient, MaskinportenKonfig};

const CLIENT_ID: &str = "varde-test-klient";
const SCOPE: &str = "altinn:serviceowner/notifications.create";
const KID: &str = "varde-test-noekkel";
const ORGNR: &str = "910825496";
const MOBIL: &str = "41234567";
const EPOST: &str = "ola.nordmann@example.no";
const FORSENDELSE: &str = "6f1a2b3c-0000-4000-8000-000000000001";

/// A test key, made once per test run: PKCS#8 private key and public key,
/// both as PEM.
static NOEKKEL: LazyLock<(String, String)> = LazyLock::new(testnoekkel);

/// Starts the fakes on a free port with `innstillinger`, checking grants as
/// Maskinporten would against the test's key, client, scope and `kid`.
async fn start_med(innstillinger: AltinnInnstillinger) -> FalskAltinn {
    // The constructors do this too; done here so no test depends on that.
    varde_integrasjoner::installer_kryptoleverandoer();
    let krav = Maskinportenkrav {
        client_id: CLIENT_ID.to_owned(),
        scope: SCOPE.to_owned(),
        noekkel_id: Some(KID.to_owned()),
        ..Maskinportenkrav::new(NOEKKEL.1.clone())
    };
    FalskAltinn::start(AltinnInnstillinger { maskinporten: Some(krav), ..innstillinger }).await
}

/// The fakes as they come: every order is created and delivered.
async fn start() -> FalskAltinn {
    start_med(AltinnInnstillinger::default()).await
}

/// The fakes, answering their `n`th order call (from 0) with `svar(n)` when
/// that is `Some`.
async fn start_med_ordresvar(svar: impl Fn(usize) -> Option<(u16, String)> + Send + Sync + 'static) -> FalskAltinn {
    start_med(AltinnInnstillinger { overstyr_ordre: Some(Arc::new(svar)), ..AltinnInnstillinger::default() }).await
}

fn maskinporten_konfig(base: &str) -> MaskinportenKonfig {
    MaskinportenKonfig {
        token_url: format!("{base}/token"),
        client_id: CLIENT_ID.to_owned(),
        privat_noekkel_pem: NOEKKEL.0.clone(),
        noekkel_id: Some(KID.to_owned()),
        scope: SCOPE.to_owned(),
        audience: None,
    }
}

fn kanal(base: &str) -> AltinnVarsling {
    let konfig = AltinnVarslingKonfig {
        tidsavbrudd: Duration::from_secs(5),
        ..AltinnVarslingKonfig::new(base, maskinporten_konfig(base))
    };
    AltinnVarsling::new(konfig).unwrap()
}

/// What the channel answers for an order the fake created for `utsending`.
fn bestilt(falsk: &FalskAltinn, utsending: &Utsending) -> Result<Levert, Kanalfeil> {
    let referanse = falsk.forsendelse_id(&utsending.varsel_id.to_string()).expect("ingen ordre for varselet");
    Ok(Levert::Bestilt { referanse })
}

fn utsending(innhold: Innhold) -> Utsending {
    Utsending {
        varsel_id: VarselId::ny(),
        gjelder: Gjelder::Notifikasjon(NotifikasjonId::ny()),
        virksomhetsnummer: Virksomhetsnummer::parse(ORGNR).unwrap(),
        innhold,
    }
}

fn sms() -> Innhold {
    Innhold::Sms { mottaker: Mobilnummer::parse(MOBIL).unwrap(), tekst: "Du har en ny oppgave".to_owned() }
}

fn epost() -> Innhold {
    Innhold::Epost {
        mottaker: Epostadresse::parse(EPOST).unwrap(),
        tittel: "Ny oppgave".to_owned(),
        html: "<p>Du har en ny oppgave</p>".to_owned(),
    }
}

fn altinnressurs() -> Innhold {
    Innhold::Altinnressurs {
        ressurs_id: RessursId::parse("nav_test-ressurs").unwrap(),
        epost_tittel: "Ny oppgave".to_owned(),
        epost_html: "<p>Logg inn</p>".to_owned(),
        sms_tekst: "Ny oppgave i Altinn".to_owned(),
    }
}

/// Asserts that every grant Maskinporten got passed its checks (signature,
/// `kid`, `iss`, `aud`, `scope`, times) and had a fresh, uuid-long `jti`.
fn ingen_grantfeil(falsk: &FalskAltinn) {
    assert!(falsk.grantfeil().is_empty(), "{:?}", falsk.grantfeil());
    let jtier: Vec<String> = falsk.grants().iter().map(|g| g["jti"].as_str().unwrap_or_default().to_owned()).collect();
    assert!(jtier.iter().all(|jti| jti.len() >= 32), "{jtier:?}");
    assert_eq!(jtier.iter().collect::<HashSet<_>>().len(), jtier.len(), "{jtier:?}");
}

#[tokio::test]
async fn orders_of_each_kind_have_altinns_fields_and_the_varsel_id_as_idempotency_key() {
    let falsk = start().await;
    let base = falsk.base_url();
    let konfig = AltinnVarslingKonfig {
        sms_avsender: "Varde".to_owned(),
        epost_avsender: Some("ikke-svar@example.no".to_owned()),
        ..AltinnVarslingKonfig::new(format!("{base}/"), maskinporten_konfig(base))
    };
    let kanal = AltinnVarsling::new(konfig).unwrap();
    assert_eq!(kanal.navn(), "altinn");

    let utsendinger = [utsending(sms()), utsending(epost()), utsending(altinnressurs())];
    for u in &utsendinger {
        assert_eq!(kanal.send(u).await, bestilt(&falsk, u));
    }
    ingen_grantfeil(&falsk);
    assert_eq!(falsk.antall_ordrekall(), 3);
    let mottakere = [
        json!({"recipientSms": {
            "phoneNumber": "+4741234567",
            "smsSettings": {"sender": "Varde", "body": "Du har en ny oppgave"}
        }}),
        json!({"recipientEmail": {
            "emailAddress": EPOST,
            "emailSettings": {
                "subject": "Ny oppgave", "body": "<p>Du har en ny oppgave</p>", "contentType": "Html",
                "senderEmailAddress": "ikke-svar@example.no"
            }
        }}),
        json!({"recipientOrganization": {
            "orgNumber": ORGNR,
            "channelSchema": "EmailPreferred",
            "resourceId": "urn:altinn:resource:nav_test-ressurs",
            "resourceAction": "access",
            "emailSettings": {
                "subject": "Ny oppgave", "body": "<p>Logg inn</p>", "contentType": "Html",
                "senderEmailAddress": "ikke-svar@example.no"
            },
            "smsSettings": {"sender": "Varde", "body": "Ny oppgave i Altinn"}
        }}),
    ];
    for (u, mottaker) in utsendinger.iter().zip(mottakere) {
        let id = u.varsel_id.to_string();
        let kropp = falsk.ordre(&id).unwrap();
        assert_eq!(kropp, json!({"idempotencyId": id, "sendersReference": id, "recipient": mottaker}));
    }
}

#[tokio::test]
async fn without_a_sender_address_altinns_own_is_used() {
    let falsk = start().await;
    let u = utsending(epost());
    kanal(falsk.base_url()).send(&u).await.unwrap();
    let kropp = falsk.ordre(&u.varsel_id.to_string()).unwrap();
    assert!(kropp["recipient"]["recipientEmail"]["emailSettings"].get("senderEmailAddress").is_none(), "{kropp}");
}

#[tokio::test]
async fn tokens_are_fetched_once_and_reused_across_orders() {
    let falsk = start().await;
    let kanal = kanal(falsk.base_url());
    for _ in 0..4 {
        kanal.send(&utsending(sms())).await.unwrap();
    }
    assert_eq!(
        kanal.status(FORSENDELSE).await.unwrap_err(),
        Kanalfeil::Midlertidig("statusoppslag svarte 404 Not Found".to_owned())
    );
    ingen_grantfeil(&falsk);
    assert_eq!(falsk.antall_tokenkall(), 1);
    // The exchange got Maskinporten token 1 (`Bearer mp-1`), and every call
    // Altinn token 1.
    assert_eq!(falsk.tokener_i_vekslinger(), [Some(1)]);
    assert_eq!(falsk.tokener_i_ordrekall(), [Some(1); 4]);
    assert_eq!(falsk.tokener_i_statuskall(), [Some(1)]);
}

#[tokio::test]
async fn concurrent_orders_share_one_token() {
    let falsk = start().await;
    let kanal = Arc::new(kanal(falsk.base_url()));
    let oppgaver: Vec<_> = (0..6)
        .map(|_| {
            let kanal = kanal.clone();
            tokio::spawn(async move { kanal.send(&utsending(sms())).await })
        })
        .collect();
    for oppgave in oppgaver {
        oppgave.await.unwrap().unwrap();
    }
    assert_eq!(falsk.antall_tokenkall(), 1);
    assert_eq!(falsk.tokener_i_vekslinger().len(), 1);
}

#[tokio::test]
async fn a_401_renews_both_tokens_and_retries_once() {
    let falsk = start_med_ordresvar(|n| (n == 0).then(|| (401, String::new()))).await;
    let kanal = kanal(falsk.base_url());
    let u = utsending(sms());
    assert_eq!(kanal.send(&u).await, bestilt(&falsk, &u));
    ingen_grantfeil(&falsk);
    assert_eq!(falsk.antall_tokenkall(), 2);
    assert_eq!(falsk.tokener_i_vekslinger(), [Some(1), Some(2)]);
    assert_eq!(falsk.tokener_i_ordrekall(), [Some(1), Some(2)]);
}

#[tokio::test]
async fn a_401_that_persists_is_temporary_and_retried_only_once() {
    let falsk = start_med_ordresvar(|_| Some((401, String::new()))).await;
    let svar = kanal(falsk.base_url()).send(&utsending(sms())).await;
    assert!(matches!(svar, Err(Kanalfeil::Midlertidig(_))), "{svar:?}");
    assert_eq!(falsk.antall_ordrekall(), 2);
}

#[tokio::test]
async fn a_200_for_a_known_idempotency_id_is_ordered_too() {
    let falsk = start().await;
    let kanal = kanal(falsk.base_url());
    let u = utsending(sms());
    // The first answer is a 201, the second a 200 with the same receipt.
    assert_eq!(kanal.send(&u).await, bestilt(&falsk, &u));
    assert_eq!(kanal.send(&u).await, bestilt(&falsk, &u));
    let id = u.varsel_id.to_string();
    assert_eq!(falsk.ordrekall_per_idempotency_id(), HashMap::from([(id.clone(), 2)]));
    assert_eq!(falsk.ordre_per_idempotency_id(), HashMap::from([(id, 1)]));
}

#[tokio::test]
async fn a_400_or_422_is_final_with_the_reason_and_without_the_receiver() {
    for (status, kode, grunn) in [(400, "400", "Bad Request"), (422, "422", "Unprocessable Entity")] {
        let kropp = format!(r#"{{"title":"feil","detail":"ugyldig mottaker +47{MOBIL}"}}"#);
        let falsk = start_med_ordresvar(move |_| Some((status, kropp.clone()))).await;
        let svar = kanal(falsk.base_url()).send(&utsending(sms())).await;
        let Err(Kanalfeil::Avvist { kode: k, melding }) = svar else { panic!("{status}: {svar:?}") };
        assert_eq!(k, kode);
        assert!(melding.starts_with(&format!("{grunn}: {{\"title\"")), "{melding}");
        assert!(!melding.contains(MOBIL), "{melding}");
    }
}

#[tokio::test]
async fn a_long_error_body_is_cut() {
    let falsk = start_med_ordresvar(|_| Some((400, "x".repeat(5000)))).await;
    let Err(Kanalfeil::Avvist { melding, .. }) = kanal(falsk.base_url()).send(&utsending(epost())).await else {
        panic!()
    };
    assert!(melding.chars().count() < 600, "{}", melding.len());
}

#[tokio::test]
async fn server_errors_and_odd_answers_are_temporary() {
    let svar: [(u16, &str); 4] = [(500, ""), (503, ""), (403, ""), (201, "ikke json")];
    for (status, kropp) in svar {
        let falsk = start_med_ordresvar(move |_| Some((status, kropp.to_owned()))).await;
        let resultat = kanal(falsk.base_url()).send(&utsending(sms())).await;
        assert!(matches!(resultat, Err(Kanalfeil::Midlertidig(_))), "{status}: {resultat:?}");
        // Not retried here: the caller's jobs do that, with backoff.
        assert_eq!(falsk.antall_ordrekall(), 1, "{status}");
    }
}

#[tokio::test]
async fn a_slow_altinn_times_out_as_temporary() {
    let feil = Feilinnstillinger {
        andel_heng: 1.0,
        heng: Duration::from_secs(3),
        hengemaate: Hengemaate::ArbeidFoerst,
        ..Feilinnstillinger::default()
    };
    let falsk = start_med(AltinnInnstillinger { feil, ..AltinnInnstillinger::default() }).await;
    let base = falsk.base_url();
    let konfig = AltinnVarslingKonfig {
        tidsavbrudd: Duration::from_millis(300),
        ..AltinnVarslingKonfig::new(base, maskinporten_konfig(base))
    };
    let start = std::time::Instant::now();
    let svar = AltinnVarsling::new(konfig).unwrap().send(&utsending(sms())).await;
    assert!(matches!(&svar, Err(Kanalfeil::Midlertidig(m)) if m.starts_with("tidsavbrudd")), "{svar:?}");
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
    assert_eq!(falsk.antall_ordrekall(), 1);
}

#[tokio::test]
async fn an_altinn_that_cannot_be_reached_is_temporary() {
    let lytter = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", lytter.local_addr().unwrap());
    drop(lytter);
    let svar = kanal(&base).send(&utsending(sms())).await;
    assert!(matches!(svar, Err(Kanalfeil::Midlertidig(_))), "{svar:?}");
}

#[tokio::test]
async fn a_refused_grant_is_temporary_for_the_channel() {
    let falsk = start().await;
    let base = falsk.base_url();
    let konfig = AltinnVarslingKonfig::new(
        base,
        MaskinportenKonfig { scope: "feil:scope".to_owned(), ..maskinporten_konfig(base) },
    );
    let svar = AltinnVarsling::new(konfig).unwrap().send(&utsending(sms())).await;
    // A configuration error is fixed by an operator; the alert must wait, not fail.
    assert!(matches!(svar, Err(Kanalfeil::Midlertidig(_))), "{svar:?}");
    assert_eq!(falsk.grantfeil().len(), 1);
    assert_eq!(falsk.antall_ordrekall(), 0);
}

/// The outcome the channel reads from a shipment with `status` and recipients
/// with `mottakere`.
async fn utfall(status: &str, mottakere: &[&str]) -> Result<Option<Utfall>, Kanalfeil> {
    let manifest = json!({
        "shipmentId": FORSENDELSE,
        "sendersReference": "ref",
        "type": "Notification",
        "status": status,
        "lastUpdate": "2026-01-05T10:00:00Z",
        "recipients": mottakere.iter().enumerate().map(|(i, s)| json!({
            "destination": if i % 2 == 0 { format!("+47{MOBIL}") } else { EPOST.to_owned() },
            "status": s,
            "lastUpdate": "2026-01-05T10:00:00Z",
        })).collect::<Vec<_>>(),
    })
    .to_string();
    // Other shipments get the fake's own answer: 404, since none was ordered.
    let svar = move |id: &str| (id == FORSENDELSE).then(|| (200, manifest.clone()));
    let falsk =
        start_med(AltinnInnstillinger { overstyr_status: Some(Arc::new(svar)), ..AltinnInnstillinger::default() })
            .await;
    kanal(falsk.base_url()).status(FORSENDELSE).await
}

#[tokio::test]
async fn shipments_in_progress_are_not_final() {
    for status in ["Order_Registered", "Order_Processing", "Order_Processed"] {
        assert_eq!(utfall(status, &["SMS_New"]).await, Ok(None), "{status}");
    }
    // Accepted by the e-mail provider is not yet delivered.
    assert_eq!(utfall("Order_Completed", &["Email_Succeeded"]).await, Ok(None));
    assert_eq!(utfall("Order_Completed", &["SMS_Delivered", "SMS_Accepted"]).await, Ok(None));
}

#[tokio::test]
async fn a_completed_shipment_is_delivered_when_anyone_got_it() {
    assert_eq!(utfall("Order_Completed", &["SMS_Delivered"]).await, Ok(Some(Utfall::Ok)));
    assert_eq!(utfall("Order_Completed", &["Email_Failed_Bounced", "Email_Delivered"]).await, Ok(Some(Utfall::Ok)));
    assert_eq!(utfall("Order_Completed", &[]).await, Ok(Some(Utfall::Ok)));
}

#[tokio::test]
async fn a_completed_shipment_where_all_failed_gives_sorted_codes_and_no_destinations() {
    let svar = utfall("Order_Completed", &["SMS_Failed_Expired", "Email_Failed_Bounced", "SMS_Failed_Expired"]).await;
    let Ok(Some(Utfall::Feil { feilkode, feilmelding })) = svar else { panic!("{svar:?}") };
    assert_eq!(feilkode, "Email_Failed_Bounced,SMS_Failed_Expired");
    assert_eq!(feilmelding, "Status: SMS_Failed_Expired, Status: Email_Failed_Bounced, Status: SMS_Failed_Expired");
    assert!(!feilmelding.contains(MOBIL) && !feilmelding.contains(EPOST));
}

#[tokio::test]
async fn cancelled_and_unmet_conditions_are_failures_not_deliveries() {
    for status in ["Order_Cancelled", "Order_SendConditionNotMet"] {
        let svar = utfall(status, &[]).await;
        assert!(matches!(&svar, Ok(Some(Utfall::Feil { feilkode, .. })) if feilkode == status), "{svar:?}");
    }
}

#[tokio::test]
async fn unknown_statuses_and_missing_shipments_are_asked_again() {
    let svar = utfall("Order_Ukjent", &[]).await;
    assert!(matches!(svar, Err(Kanalfeil::Midlertidig(_))), "{svar:?}");
    let falsk = start().await;
    let svar = kanal(falsk.base_url()).status("finnes-ikke").await;
    assert!(matches!(svar, Err(Kanalfeil::Midlertidig(_))), "{svar:?}");
    let feil = Feilinnstillinger { andel_500: 1.0, ..Feilinnstillinger::default() };
    let falsk = start_med(AltinnInnstillinger { feil, ..AltinnInnstillinger::default() }).await;
    let svar = kanal(falsk.base_url()).status(FORSENDELSE).await;
    assert!(matches!(svar, Err(Kanalfeil::Midlertidig(_))), "{svar:?}");
    assert_eq!(falsk.antall_statuskall(), 1);
}

#[tokio::test]
async fn a_shipment_ordered_through_the_fake_is_followed_to_its_outcome() {
    let falsk = start_med(AltinnInnstillinger { statuskall_foer_fullfoert: 2, ..AltinnInnstillinger::default() }).await;
    let kanal = kanal(falsk.base_url());
    let levert = utsending(sms());
    let feilet = utsending(epost());
    falsk.merk_feilende(feilet.varsel_id.to_string());
    let mut referanser = Vec::new();
    for u in [&levert, &feilet] {
        let Ok(Levert::Bestilt { referanse }) = kanal.send(u).await else { panic!("ikke bestilt") };
        referanser.push(referanse);
    }
    for referanse in &referanser {
        assert_eq!(kanal.status(referanse).await, Ok(None));
        assert_eq!(kanal.status(referanse).await, Ok(None));
    }
    assert_eq!(kanal.status(&referanser[0]).await, Ok(Some(Utfall::Ok)));
    assert_eq!(
        kanal.status(&referanser[1]).await,
        Ok(Some(Utfall::Feil {
            feilkode: "Email_Failed_Bounced".to_owned(),
            feilmelding: "Status: Email_Failed_Bounced".to_owned()
        }))
    );
}

#[tokio::test]
async fn the_maskinporten_client_caches_its_token_and_tells_refusal_from_unavailability() {
    let falsk = start().await;
    let base = falsk.base_url();
    let klient = MaskinportenKlient::new(maskinporten_konfig(base), Duration::from_secs(5)).unwrap();
    assert_eq!(klient.audience(), format!("{base}/"));
    assert_eq!(klient.token().await.unwrap(), "mp-1");
    assert_eq!(klient.token().await.unwrap(), "mp-1");
    assert_eq!(falsk.antall_tokenkall(), 1);
    klient.glem_token().await;
    assert_eq!(klient.token().await.unwrap(), "mp-2");
    ingen_grantfeil(&falsk);

    let feil_aud =
        MaskinportenKonfig { audience: Some("https://maskinporten.no/".to_owned()), ..maskinporten_konfig(base) };
    let feil = MaskinportenKlient::new(feil_aud, Duration::from_secs(5)).unwrap().token().await.unwrap_err();
    assert!(matches!(feil, MaskinportenFeil::Avvist { status: 400, .. }), "{feil}");
    assert!(!feil.midlertidig());

    let lytter = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let borte = format!("http://{}", lytter.local_addr().unwrap());
    drop(lytter);
    let feil = MaskinportenKlient::new(maskinporten_konfig(&borte), Duration::from_secs(5))
        .unwrap()
        .token()
        .await
        .unwrap_err();
    assert!(feil.midlertidig(), "{feil}");
}

#[test]
fn the_default_audience_is_the_issuer_with_a_slash() {
    let konfig =
        MaskinportenKonfig { token_url: "https://maskinporten.no/token".to_owned(), ..maskinporten_konfig("") };
    let klient = MaskinportenKlient::new(konfig, Duration::from_secs(1)).unwrap();
    assert_eq!(klient.audience(), "https://maskinporten.no/");
}

#[test]
fn a_pkcs1_key_is_accepted_too() {
    // PKCS#8 wraps the PKCS#1 key in a fixed header for rsaEncryption; for a
    // 2048-bit key the PKCS#1 DER starts 26 bytes in.
    let der = STANDARD.decode(NOEKKEL.0.lines().filter(|l| !l.starts_with("-----")).collect::<String>()).unwrap();
    let pkcs1 = pem("RSA PRIVATE KEY", &der[26..]);
    let konfig = MaskinportenKonfig { privat_noekkel_pem: pkcs1, ..maskinporten_konfig("http://127.0.0.1:1") };
    MaskinportenKlient::new(konfig, Duration::from_secs(1)).unwrap();
}

/// Counts [`MAALING_KALL`] per `kall/utfall`.
#[derive(Default)]
struct Teller(Mutex<BTreeMap<String, Arc<AtomicU64>>>);

impl Recorder for Teller {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        if key.name() != MAALING_KALL {
            return Counter::noop();
        }
        let etikett = |navn| key.labels().find(|l| l.key() == navn).map(|l| l.value().to_owned()).unwrap_or_default();
        let navn = format!("{}/{}", etikett("kall"), etikett("utfall"));
        Counter::from_arc(self.0.lock().unwrap().entry(navn).or_default().clone())
    }
    fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::noop()
    }
    fn register_histogram(&self, _: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::noop()
    }
}

// The local recorder is per thread; #[tokio::test] runs everything on this one.
#[tokio::test]
async fn calls_are_counted_by_kind_and_outcome() {
    let teller = Teller::default();
    let _vakt = metrics::set_default_local_recorder(&teller);
    let falsk = start_med_ordresvar(|n| (n == 0).then(|| (400, String::new()))).await;
    let kanal = kanal(falsk.base_url());
    for _ in 0..3 {
        let _ = kanal.send(&utsending(sms())).await;
    }
    let _ = kanal.status(FORSENDELSE).await;
    let verdier: BTreeMap<String, u64> =
        teller.0.lock().unwrap().iter().map(|(k, v)| (k.clone(), v.load(Ordering::SeqCst))).collect();
    let forventet: BTreeMap<String, u64> = [("token/ok", 1), ("ordre/feil", 1), ("ordre/ok", 2), ("status/feil", 1)]
        .map(|(k, v)| (k.to_owned(), v))
        .into();
    assert_eq!(verdier, forventet);
}
