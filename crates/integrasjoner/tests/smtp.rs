//! The SMTP channel against the fake SMTP server of `falsk::smtp` on
//! 127.0.0.1: what arrives, and how the server's refusals and silences map
//! to the channel's results.

use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use varde_application::varsling::{Gjelder, Innhold, Kanal, Kanalfeil, Levert, Utsending};
use varde_domain::ids::{NotifikasjonId, VarselId};
use varde_domain::kontaktinfo::{Epostadresse, Mobilnummer};
use varde_domain::varsel::Utfall;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_integrasjoner::falsk::smtp::FalskSmtp;
use varde_integrasjoner::smtp::{SmtpKonfig, SmtpTls, SmtpVarsling};

fn kanal(port: u16) -> SmtpVarsling {
    varde_integrasjoner::installer_kryptoleverandoer();
    let konfig = SmtpKonfig {
        tidsavbrudd: Duration::from_secs(5),
        ..SmtpKonfig::new("127.0.0.1", port, "Varde <varde@example.no>")
    };
    assert_eq!(konfig.tls_i_bruk(), SmtpTls::Ingen);
    SmtpVarsling::new(konfig).unwrap()
}

fn epost(til: &str) -> Utsending {
    Utsending {
        varsel_id: VarselId::ny(),
        gjelder: Gjelder::Notifikasjon(NotifikasjonId::ny()),
        virksomhetsnummer: Virksomhetsnummer::parse("910825496").unwrap(),
        innhold: Innhold::Epost {
            mottaker: Epostadresse::parse(til).unwrap(),
            tittel: "Ny oppgave".to_owned(),
            html: "<p>Du har en <b>ny oppgave</b> fra Varde.</p>".to_owned(),
        },
    }
}

/// The value of header `navn` in a message (the first such header).
fn hode<'a>(data: &'a str, navn: &str) -> Option<&'a str> {
    let hoder = data.split("\r\n\r\n").next()?;
    hoder.lines().find_map(|linje| {
        let (n, v) = linje.split_once(':')?;
        n.eq_ignore_ascii_case(navn).then(|| v.trim())
    })
}

#[tokio::test]
async fn an_email_arrives_with_its_headers_and_html_body() {
    let tjener = FalskSmtp::start().await;
    let kanal = kanal(tjener.port());
    assert_eq!(kanal.navn(), "smtp");
    let utsending = epost("ola.nordmann@example.no");
    assert_eq!(kanal.send(&utsending).await, Ok(Levert::Kvittert(Utfall::Ok)));

    let mottatt = tjener.meldinger();
    assert_eq!(mottatt.len(), 1);
    let m = &mottatt[0];
    assert_eq!(m.fra, "<varde@example.no>");
    assert_eq!(m.til, ["<ola.nordmann@example.no>"]);
    let fra = hode(&m.data, "From").unwrap();
    assert!(fra.contains("Varde") && fra.contains("<varde@example.no>"), "{fra}");
    assert_eq!(hode(&m.data, "To"), Some("ola.nordmann@example.no"));
    assert_eq!(hode(&m.data, "Subject"), Some("Ny oppgave"));
    assert_eq!(hode(&m.data, "Content-Type"), Some("text/html; charset=utf-8"));
    assert_eq!(hode(&m.data, "Message-ID"), Some(format!("<{}@varde>", utsending.varsel_id).as_str()));
    let (_, kropp) = m.data.split_once("\r\n\r\n").unwrap();
    assert_eq!(kropp.trim_end(), "<p>Du har en <b>ny oppgave</b> fra Varde.</p>");
}

#[tokio::test]
async fn the_same_alert_sent_twice_carries_the_same_message_id() {
    let tjener = FalskSmtp::start().await;
    let kanal = kanal(tjener.port());
    let utsending = epost("kari@example.no");
    kanal.send(&utsending).await.unwrap();
    kanal.send(&utsending).await.unwrap();
    let ider: Vec<String> =
        tjener.meldinger().iter().map(|m| hode(&m.data, "Message-ID").unwrap().to_owned()).collect();
    assert_eq!(ider.len(), 2);
    assert_eq!(ider[0], ider[1]);
}

#[tokio::test]
async fn a_refused_recipient_is_final_with_the_smtp_code_and_without_the_address() {
    let tjener = FalskSmtp::start().await;
    let svar = kanal(tjener.port()).send(&epost("avvis.meg@example.no")).await;
    let Err(Kanalfeil::Avvist { kode, melding }) = svar else { panic!("{svar:?}") };
    assert_eq!(kode, "550");
    assert!(!melding.contains("avvis.meg@example.no"), "{melding}");
    assert!(melding.contains("ukjent mottaker"), "{melding}");
    assert!(tjener.meldinger().is_empty());
}

#[tokio::test]
async fn a_deferred_recipient_is_temporary() {
    let tjener = FalskSmtp::start().await;
    let svar = kanal(tjener.port()).send(&epost("vent.litt@example.no")).await;
    assert!(matches!(&svar, Err(Kanalfeil::Midlertidig(m)) if !m.contains("vent.litt@")), "{svar:?}");
}

#[tokio::test]
async fn a_closed_port_is_temporary() {
    let lytter = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = lytter.local_addr().unwrap().port();
    drop(lytter);
    let svar = kanal(port).send(&epost("ola@example.no")).await;
    assert!(matches!(svar, Err(Kanalfeil::Midlertidig(_))), "{svar:?}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_as_temporary() {
    let lytter = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = lytter.local_addr().unwrap().port();
    // Accepts and holds the connection without a greeting, for a bounded time.
    tokio::spawn(async move {
        if let Ok((strom, _)) = lytter.accept().await {
            tokio::time::sleep(Duration::from_secs(10)).await;
            drop(strom);
        }
    });
    let konfig = SmtpKonfig {
        tidsavbrudd: Duration::from_millis(300),
        ..SmtpKonfig::new("127.0.0.1", port, "varde@example.no")
    };
    let start = Instant::now();
    let svar = SmtpVarsling::new(konfig).unwrap().send(&epost("ola@example.no")).await;
    assert!(matches!(svar, Err(Kanalfeil::Midlertidig(_))), "{svar:?}");
    assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
}

#[tokio::test]
async fn only_email_goes_by_smtp() {
    let tjener = FalskSmtp::start().await;
    let sms = Utsending {
        innhold: Innhold::Sms { mottaker: Mobilnummer::parse("41234567").unwrap(), tekst: "hei".to_owned() },
        ..epost("ola@example.no")
    };
    assert_eq!(
        kanal(tjener.port()).send(&sms).await,
        Err(Kanalfeil::Avvist { kode: "kanal".to_owned(), melding: "smtp sender bare e-post".to_owned() })
    );
    assert!(tjener.meldinger().is_empty());
}

#[tokio::test]
async fn the_status_of_a_sent_email_is_delivered() {
    let tjener = FalskSmtp::start().await;
    assert_eq!(kanal(tjener.port()).status("hva-som-helst").await, Ok(Some(Utfall::Ok)));
}

#[tokio::test]
async fn concurrent_alerts_all_arrive() {
    let tjener = FalskSmtp::start().await;
    let kanal = std::sync::Arc::new(kanal(tjener.port()));
    let oppgaver: Vec<_> = (0..5)
        .map(|i| {
            let kanal = kanal.clone();
            tokio::spawn(async move { kanal.send(&epost(&format!("mottaker{i}@example.no"))).await })
        })
        .collect();
    for oppgave in oppgaver {
        assert_eq!(oppgave.await.unwrap(), Ok(Levert::Kvittert(Utfall::Ok)));
    }
    let mut til: Vec<String> =
        tjener.vent_paa(5, Duration::from_secs(5)).await.into_iter().flat_map(|m| m.til).collect();
    til.sort();
    let forventet: Vec<String> = (0..5).map(|i| format!("<mottaker{i}@example.no>")).collect();
    assert_eq!(til, forventet);
}
