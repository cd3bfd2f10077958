//! The fakes of `falsk` themselves, where their behaviour is more than
//! plumbing: Altinn's idempotency, the checks of tokens and grants, the
//! shipment's life, the injected faults, and stopping.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::task::JoinSet;
use varde_application::varsling::{Gjelder, Innhold, Kanal, Levert, Utsending};
use varde_domain::ids::{NotifikasjonId, VarselId};
use varde_domain::kontaktinfo::Mobilnummer;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_integrasjoner::altinn_varsling::{AltinnVarsling, AltinnVarslingKonfig};
use varde_integrasjoner::falsk::altinn::{
    AltinnInnstillinger, FalskAltinn, Feilinnstillinger, Hengemaate, Maskinportenkrav, STANDARD_CLIENT_ID,
    STANDARD_SCOPE,
};
use varde_integrasjoner::falsk::testnoekkel;

const ORDRER: &str = "notifications/api/v1/future/orders";
const VEKSLING: &str = "authentication/api/v1/exchange/maskinporten";
const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

static NOEKKEL: LazyLock<(String, String)> = LazyLock::new(testnoekkel);

/// A bare HTTP client with an Altinn token from the fake, to see its
/// answers as they are rather than through the channel.
struct Klient {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Klient {
    /// Fetches the tokens as the channel would, with a grant the fake does
    /// not check (it was started without [`Maskinportenkrav`]).
    async fn ny(falsk: &FalskAltinn, tidsavbrudd: Duration) -> Klient {
        varde_integrasjoner::installer_kryptoleverandoer();
        let http = reqwest::Client::builder().timeout(tidsavbrudd).build().unwrap();
        let svar: Value = http
            .post(falsk.token_url())
            .form(&[("grant_type", GRANT_TYPE), ("assertion", "ukontrollert")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(svar["token_type"], "Bearer");
        assert_eq!(svar["expires_in"], 120);
        let base = falsk.base_url().to_owned();
        let mp = svar["access_token"].as_str().unwrap();
        let veksling = http.get(format!("{base}/{VEKSLING}")).bearer_auth(mp).send().await.unwrap();
        assert_eq!(veksling.status(), 200);
        let token = veksling.text().await.unwrap().trim_matches('"').to_owned();
        Klient { http, base, token }
    }

    async fn bestill(&self, kropp: &Value) -> Result<(u16, Value), reqwest::Error> {
        let svar =
            self.http.post(format!("{}/{ORDRER}", self.base)).bearer_auth(&self.token).json(kropp).send().await?;
        let status = svar.status().as_u16();
        Ok((status, svar.json().await.unwrap_or(Value::Null)))
    }

    async fn forsendelse(&self, id: &str) -> (u16, Value) {
        let url = format!("{}/notifications/api/v1/future/shipment/{id}", self.base);
        let svar = self.http.get(url).bearer_auth(&self.token).send().await.unwrap();
        let status = svar.status().as_u16();
        (status, svar.json().await.unwrap_or(Value::Null))
    }
}

fn sms_ordre(id: &str) -> Value {
    json!({
        "idempotencyId": id,
        "sendersReference": format!("ref-{id}"),
        "recipient": {"recipientSms": {"phoneNumber": "+4741234567", "smsSettings": {"body": "hei"}}},
    })
}

fn epost_ordre(id: &str) -> Value {
    json!({
        "idempotencyId": id,
        "recipient": {"recipientEmail": {
            "emailAddress": "ola@example.no",
            "emailSettings": {"subject": "hei", "body": "hei"},
        }},
    })
}

#[tokio::test]
async fn the_first_order_for_an_idempotency_id_is_created_and_later_ones_get_its_receipt() {
    let falsk = FalskAltinn::start(AltinnInnstillinger::default()).await;
    let klient = Klient::ny(&falsk, Duration::from_secs(5)).await;
    let (status, foerste) = klient.bestill(&sms_ordre("a")).await.unwrap();
    assert_eq!(status, 201, "{foerste}");
    let forsendelse = foerste["notification"]["shipmentId"].as_str().unwrap().to_owned();
    assert_eq!(foerste["notification"]["sendersReference"], "ref-a");
    assert_eq!(foerste["notification"]["reminders"], json!([]));
    // A changed body under the same id still gets the first receipt.
    let mut endret = sms_ordre("a");
    endret["sendersReference"] = json!("annen");
    for kropp in [sms_ordre("a"), endret] {
        assert_eq!(klient.bestill(&kropp).await.unwrap(), (200, foerste.clone()));
    }
    let (status, andre) = klient.bestill(&sms_ordre("b")).await.unwrap();
    assert_eq!(status, 201);
    assert_ne!(andre["notification"]["shipmentId"], forsendelse.as_str());
    assert_ne!(andre["notificationOrderId"], foerste["notificationOrderId"]);

    assert_eq!(falsk.antall_ordrekall(), 4);
    assert_eq!(falsk.antall_ordrer(), 2);
    let en = |id: &str, n| (id.to_owned(), n);
    assert_eq!(falsk.ordre_per_idempotency_id(), HashMap::from([en("a", 1), en("b", 1)]));
    assert_eq!(falsk.ordrekall_per_idempotency_id(), HashMap::from([en("a", 3), en("b", 1)]));
    assert_eq!(falsk.ordre("a"), Some(sms_ordre("a")));
    assert_eq!(falsk.forsendelse_id("a"), Some(forsendelse));
    assert_eq!(falsk.ordre("c"), None);
    assert_eq!(falsk.tokener_i_ordrekall(), [Some(1); 4]);
}

#[tokio::test]
async fn calls_without_a_token_from_the_fake_are_refused() {
    let falsk = FalskAltinn::start(AltinnInnstillinger::default()).await;
    let http = reqwest::Client::new();
    let base = falsk.base_url();
    let svar = http.post(format!("{base}/{ORDRER}")).json(&sms_ordre("a")).send().await.unwrap();
    assert_eq!(svar.status(), 401);
    let svar = http.post(format!("{base}/{ORDRER}")).bearer_auth("oppdiktet").json(&sms_ordre("a")).send().await;
    assert_eq!(svar.unwrap().status(), 401);
    let svar = http.get(format!("{base}/notifications/api/v1/future/shipment/x")).send().await.unwrap();
    assert_eq!(svar.status(), 401);
    // The exchange takes only a Maskinporten token this fake handed out.
    for token in ["mp-1", "annet"] {
        let svar = http.get(format!("{base}/{VEKSLING}")).bearer_auth(token).send().await.unwrap();
        assert_eq!(svar.status(), 401, "{token}");
    }
    assert_eq!(falsk.antall_ordrekall(), 2);
    assert_eq!(falsk.antall_statuskall(), 1);
    assert_eq!(falsk.tokener_i_ordrekall(), [None, None]);
    assert_eq!(falsk.tokener_i_statuskall(), [None]);
    assert_eq!(falsk.tokener_i_vekslinger(), [None, None]);
    assert_eq!(falsk.antall_ordrer(), 0);
}

#[tokio::test]
async fn orders_altinn_would_not_take_get_a_400() {
    let falsk = FalskAltinn::start(AltinnInnstillinger::default()).await;
    let klient = Klient::ny(&falsk, Duration::from_secs(5)).await;
    let uten_id = json!({"recipient": {"recipientSms": {"phoneNumber": "+4741234567"}}});
    let tom_id = json!({"idempotencyId": "", "recipient": {"recipientSms": {"phoneNumber": "+4741234567"}}});
    let to_mottakere = json!({"idempotencyId": "a", "recipient": {
        "recipientSms": {"phoneNumber": "+4741234567"}, "recipientEmail": {"emailAddress": "ola@example.no"}
    }});
    let uten_nummer = json!({"idempotencyId": "a", "recipient": {"recipientSms": {}}});
    for kropp in [uten_id, tom_id, to_mottakere, uten_nummer, json!("ikke en ordre")] {
        let (status, svar) = klient.bestill(&kropp).await.unwrap();
        assert_eq!(status, 400, "{kropp}");
        assert_eq!(svar["status"], 400, "{svar}");
    }
    assert_eq!(falsk.antall_ordrer(), 0);
}

#[tokio::test]
async fn a_shipment_is_processing_for_the_configured_polls_then_completed() {
    let innstillinger = AltinnInnstillinger {
        statuskall_foer_fullfoert: 2,
        feilende_ordrer: ["feil".to_owned()].into(),
        ..AltinnInnstillinger::default()
    };
    let falsk = FalskAltinn::start(innstillinger).await;
    let klient = Klient::ny(&falsk, Duration::from_secs(5)).await;
    let mut forsendelser = HashMap::new();
    for (id, kropp) in [("sms", sms_ordre("sms")), ("epost", epost_ordre("epost")), ("feil", sms_ordre("feil"))] {
        let (status, svar) = klient.bestill(&kropp).await.unwrap();
        assert_eq!(status, 201);
        forsendelser.insert(id, svar["notification"]["shipmentId"].as_str().unwrap().to_owned());
    }
    for (id, forsendelse) in &forsendelser {
        for _ in 0..2 {
            let (status, manifest) = klient.forsendelse(forsendelse).await;
            assert_eq!(status, 200);
            assert_eq!(manifest["status"], "Order_Processing", "{id}: {manifest}");
            assert_eq!(manifest["recipients"], json!([]));
        }
    }
    let forventet = [
        ("sms", "+4741234567", "SMS_Delivered"),
        ("epost", "ola@example.no", "Email_Delivered"),
        ("feil", "+4741234567", "SMS_Failed_InvalidRecipient"),
    ];
    for (id, destinasjon, mottakerstatus) in forventet {
        let (status, manifest) = klient.forsendelse(&forsendelser[id]).await;
        assert_eq!(status, 200);
        assert_eq!(manifest["shipmentId"], forsendelser[id].as_str());
        assert_eq!(manifest["type"], "Notification");
        assert_eq!(manifest["status"], "Order_Completed", "{id}: {manifest}");
        assert_eq!(manifest["recipients"][0]["destination"], destinasjon, "{manifest}");
        assert_eq!(manifest["recipients"][0]["status"], mottakerstatus, "{manifest}");
        let tidspunkt = manifest["lastUpdate"].as_str().unwrap();
        assert!(tidspunkt.parse::<jiff::Timestamp>().is_ok(), "{tidspunkt}");
    }
    assert_eq!(klient.forsendelse(&forsendelser["sms"]).await.1["sendersReference"], "ref-sms");
    assert_eq!(klient.forsendelse("finnes-ikke").await.0, 404);
    assert_eq!(falsk.antall_statuskall(), 3 * 2 + 3 + 2);

    // Statuses chosen by the settings, and an order marked at run time.
    let innstillinger = AltinnInnstillinger {
        mottakerstatus: Some("SMS_Accepted".to_owned()),
        feilstatus: Some("SMS_Failed_Expired".to_owned()),
        ..AltinnInnstillinger::default()
    };
    let falsk = FalskAltinn::start(innstillinger).await;
    let klient = Klient::ny(&falsk, Duration::from_secs(5)).await;
    for (id, mottakerstatus) in [("a", "SMS_Accepted"), ("b", "SMS_Failed_Expired")] {
        falsk.merk_feilende("b");
        let forsendelse = klient.bestill(&sms_ordre(id)).await.unwrap().1["notification"]["shipmentId"].clone();
        let manifest = klient.forsendelse(forsendelse.as_str().unwrap()).await.1;
        assert_eq!(manifest["recipients"][0]["status"], mottakerstatus, "{manifest}");
    }
}

/// How each of `n` orders at once fared: 500, no answer in time, or 201.
#[derive(Debug, Default, PartialEq, Eq)]
struct Opptelling {
    feil500: usize,
    tidsavbrudd: usize,
    opprettet: usize,
}

async fn bestill_samtidig(klient: Arc<Klient>, n: usize) -> Opptelling {
    let mut oppgaver = JoinSet::new();
    for i in 0..n {
        let klient = klient.clone();
        oppgaver.spawn(async move { klient.bestill(&sms_ordre(&format!("ordre-{i}"))).await });
    }
    let mut opptelling = Opptelling::default();
    while let Some(svar) = oppgaver.join_next().await {
        match svar.unwrap() {
            Ok((500, _)) => opptelling.feil500 += 1,
            Ok((201, _)) => opptelling.opprettet += 1,
            Ok((status, svar)) => panic!("{status}: {svar}"),
            Err(e) if e.is_timeout() => opptelling.tidsavbrudd += 1,
            Err(e) => panic!("{e}"),
        }
    }
    opptelling
}

#[tokio::test]
async fn faults_come_in_the_configured_shares_and_the_same_seed_gives_the_same_counts() {
    let feil = Feilinnstillinger {
        andel_500: 0.3,
        andel_heng: 0.1,
        heng: Duration::from_secs(3),
        hengemaate: Hengemaate::ArbeidFoerst,
        ogsaa_token: false,
    };
    let mut opptellinger = Vec::new();
    for _ in 0..2 {
        let falsk = FalskAltinn::start(AltinnInnstillinger { feil, froe: 42, ..AltinnInnstillinger::default() }).await;
        // Tokens are not faulted unless asked; this would fail otherwise.
        let klient = Arc::new(Klient::ny(&falsk, Duration::from_millis(1500)).await);
        let opptelling = bestill_samtidig(klient, 300).await;
        // Expected 90 and 30; the bounds are over four standard deviations.
        assert!((60..=120).contains(&opptelling.feil500), "{opptelling:?}");
        assert!((12..=50).contains(&opptelling.tidsavbrudd), "{opptelling:?}");
        assert_eq!(falsk.antall_ordrekall(), 300);
        // A hang after the work leaves an order the client never heard of.
        assert_eq!(falsk.antall_ordrer(), opptelling.opprettet + opptelling.tidsavbrudd);
        opptellinger.push(opptelling);
    }
    // The draws are one sequence per seed, whichever call takes which draw.
    assert_eq!(opptellinger[0], opptellinger[1]);
}

#[tokio::test]
async fn a_hang_does_the_work_first_afterwards_or_not_at_all() {
    let falsk = FalskAltinn::start(AltinnInnstillinger::default()).await;
    let klient = Klient::ny(&falsk, Duration::from_millis(200)).await;
    let heng = |hengemaate| Feilinnstillinger {
        andel_heng: 1.0,
        heng: Duration::from_millis(800),
        hengemaate,
        ..Feilinnstillinger::default()
    };
    let tidsavbrudd = |svar: Result<(u16, Value), reqwest::Error>| matches!(svar, Err(e) if e.is_timeout());

    falsk.sett_feil(heng(Hengemaate::ArbeidFoerst));
    assert_eq!(falsk.feil(), heng(Hengemaate::ArbeidFoerst));
    assert!(tidsavbrudd(klient.bestill(&sms_ordre("foerst")).await));
    assert!(falsk.ordre("foerst").is_some(), "made before the hang");

    falsk.sett_feil(heng(Hengemaate::ArbeidEtterpaa));
    assert!(tidsavbrudd(klient.bestill(&sms_ordre("etterpaa")).await));
    assert!(falsk.ordre("etterpaa").is_none(), "not before the hang is over");

    falsk.sett_feil(heng(Hengemaate::UtenArbeid));
    assert!(tidsavbrudd(klient.bestill(&sms_ordre("aldri")).await));

    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(falsk.ordre("etterpaa").is_some(), "made after the hang, though the client had gone");
    assert!(falsk.ordre("aldri").is_none());

    falsk.sett_feil(Feilinnstillinger::default());
    assert_eq!(klient.bestill(&sms_ordre("foerst")).await.unwrap().0, 200);
    assert_eq!(klient.bestill(&sms_ordre("etterpaa")).await.unwrap().0, 200);
    assert_eq!(klient.bestill(&sms_ordre("aldri")).await.unwrap().0, 201);
}

#[tokio::test]
async fn token_calls_get_faults_only_when_asked() {
    let feil = Feilinnstillinger { andel_500: 1.0, ..Feilinnstillinger::default() };
    let falsk = FalskAltinn::start(AltinnInnstillinger { feil, ..AltinnInnstillinger::default() }).await;
    let klient = Klient::ny(&falsk, Duration::from_secs(5)).await;
    assert_eq!(klient.bestill(&sms_ordre("a")).await.unwrap().0, 500);
    falsk.sett_feil(Feilinnstillinger { ogsaa_token: true, ..feil });
    let svar = klient
        .http
        .post(falsk.token_url())
        .form(&[("grant_type", GRANT_TYPE), ("assertion", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(svar.status(), 500);
    assert_eq!(falsk.antall_tokenkall(), 2);
}

fn naa() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

#[tokio::test]
async fn grants_are_checked_against_the_key_and_a_jti_is_taken_once() {
    let falsk = FalskAltinn::start(AltinnInnstillinger {
        maskinporten: Some(Maskinportenkrav::new(NOEKKEL.1.clone())),
        ..AltinnInnstillinger::default()
    })
    .await;
    let aud = format!("{}/", falsk.base_url());
    let grant = |krav: Value, pem: &str| {
        let noekkel = EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &krav, &noekkel).unwrap()
    };
    let krav = |jti: &str, levetid: u64| {
        json!({"aud": aud, "iss": STANDARD_CLIENT_ID, "scope": STANDARD_SCOPE,
               "iat": naa(), "exp": naa() + levetid, "jti": jti})
    };
    let http = reqwest::Client::new();
    let send = |grant: String| {
        let forespoersel = http.post(falsk.token_url()).form(&[("grant_type", GRANT_TYPE), ("assertion", &grant)]);
        async move { forespoersel.send().await.unwrap().status().as_u16() }
    };
    let annen_noekkel = testnoekkel().0;
    assert_eq!(send(grant(krav("en", 120), &NOEKKEL.0)).await, 200);
    assert_eq!(send(grant(krav("en", 120), &NOEKKEL.0)).await, 400, "the same jti again");
    assert_eq!(send(grant(krav("to", 121), &NOEKKEL.0)).await, 400, "lives too long");
    assert_eq!(send(grant(krav("tre", 120), &annen_noekkel)).await, 400, "another key");
    let mut feil_scope = krav("fire", 120);
    feil_scope["scope"] = json!("annet:scope");
    assert_eq!(send(grant(feil_scope, &NOEKKEL.0)).await, 400);
    assert_eq!(falsk.grantfeil().len(), 4, "{:?}", falsk.grantfeil());
    assert_eq!(falsk.grants().len(), 1);
    assert_eq!(falsk.grants()[0]["jti"], "en");

    // The configs the fake hands out make grants it takes.
    let kanal = AltinnVarsling::new(falsk.varslingskonfig(&NOEKKEL.0)).unwrap();
    let utsending = Utsending {
        varsel_id: VarselId::ny(),
        gjelder: Gjelder::Notifikasjon(NotifikasjonId::ny()),
        virksomhetsnummer: Virksomhetsnummer::parse("910825496").unwrap(),
        innhold: Innhold::Sms { mottaker: Mobilnummer::parse("41234567").unwrap(), tekst: "hei".to_owned() },
    };
    assert!(matches!(kanal.send(&utsending).await, Ok(Levert::Bestilt { .. })));
    assert_eq!(falsk.grantfeil().len(), 4);
}

#[tokio::test]
async fn the_channel_gets_every_alert_through_faults_with_one_order_each() {
    let feil = Feilinnstillinger {
        andel_500: 0.25,
        andel_heng: 0.1,
        heng: Duration::from_secs(2),
        hengemaate: Hengemaate::ArbeidFoerst,
        ogsaa_token: true,
    };
    let falsk = FalskAltinn::start(AltinnInnstillinger { feil, ..AltinnInnstillinger::default() }).await;
    let konfig = AltinnVarslingKonfig { tidsavbrudd: Duration::from_millis(500), ..falsk.varslingskonfig(&NOEKKEL.0) };
    let kanal = Arc::new(AltinnVarsling::new(konfig).unwrap());
    let mut oppgaver = JoinSet::new();
    for _ in 0..100 {
        let kanal = kanal.clone();
        oppgaver.spawn(async move {
            let utsending = Utsending {
                varsel_id: VarselId::ny(),
                gjelder: Gjelder::Notifikasjon(NotifikasjonId::ny()),
                virksomhetsnummer: Virksomhetsnummer::parse("910825496").unwrap(),
                innhold: Innhold::Sms { mottaker: Mobilnummer::parse("41234567").unwrap(), tekst: "hei".to_owned() },
            };
            // As the caller's jobs would, without their backoff.
            for _ in 0..50 {
                if let Ok(Levert::Bestilt { referanse }) = kanal.send(&utsending).await {
                    return (utsending.varsel_id.to_string(), referanse);
                }
            }
            panic!("kom ikke gjennom på 50 forsøk");
        });
    }
    let mut referanser = HashMap::new();
    while let Some(svar) = oppgaver.join_next().await {
        let (id, referanse) = svar.unwrap();
        referanser.insert(id, referanse);
    }
    let ordrer = falsk.ordre_per_idempotency_id();
    assert_eq!(ordrer.len(), 100);
    assert!(ordrer.values().all(|&n| n == 1));
    for (id, referanse) in &referanser {
        assert_eq!(falsk.forsendelse_id(id).as_ref(), Some(referanse));
    }
    // Some answers were lost after the order was made, and sent again.
    assert!(falsk.ordrekall_per_idempotency_id().values().any(|&n| n > 1));
    assert!(falsk.antall_ordrekall() > 100);
}

#[tokio::test]
async fn a_stopped_fake_takes_no_more_connections() {
    let falsk = FalskAltinn::start(AltinnInnstillinger::default()).await;
    let url = falsk.token_url();
    let http = reqwest::Client::builder().timeout(Duration::from_secs(2)).build().unwrap();
    let skjema = [("grant_type", GRANT_TYPE), ("assertion", "x")];
    assert_eq!(http.post(&url).form(&skjema).send().await.unwrap().status(), 200);
    falsk.stopp();
    // The shutdown is a signal to the server's task; give it a moment.
    let mut svar = Ok(());
    for _ in 0..50 {
        let ny = reqwest::Client::new();
        svar = ny.post(&url).form(&skjema).send().await.map(|_| ());
        if svar.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(svar.is_err_and(|e| e.is_connect()), "still answering");
}
