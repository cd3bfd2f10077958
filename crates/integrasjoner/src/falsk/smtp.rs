//! A small SMTP server on 127.0.0.1 that keeps the messages it is sent.
//!
//! It speaks as much of RFC 5321 as a client sending a message needs:
//! `EHLO`/`HELO`, `MAIL FROM`, `RCPT TO`, `DATA` (with dot-stuffing
//! undone), `RSET`, `NOOP` and `QUIT`; anything else gets a 502. No TLS and
//! no `AUTH`. Recipients whose address contains `avvis` are refused (550,
//! echoing the address as real servers do), and those containing `vent`
//! deferred (451), so that a test can choose the server's answer by the
//! address it sends to.

use super::laas;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// The most lines the server reads on one connection, so that a confused
/// client cannot keep a test running.
const MAKS_LINJER: usize = 10_000;

/// One message the server accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mottatt {
    /// The `MAIL FROM` argument as sent, e.g. `<varde@example.no>`.
    pub fra: String,
    /// The accepted `RCPT TO` arguments as sent, e.g. `<ola@example.no>`.
    pub til: Vec<String>,
    /// The message (headers and body) with CRLF line ends, dot-stuffing
    /// undone and without the final `.` line.
    pub data: String,
}

#[derive(Default)]
struct Innboks {
    meldinger: Mutex<Vec<Mottatt>>,
    /// Woken when a message arrives.
    ny: Notify,
}

/// The running server. Stops taking connections when dropped; sessions
/// under way run to their end.
#[must_use = "the fake stops when it is dropped"]
#[derive(Debug)]
pub struct FalskSmtp {
    adresse: SocketAddr,
    innboks: Arc<Innboks>,
    mottak: JoinHandle<()>,
}

impl std::fmt::Debug for Innboks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Innboks").field("meldinger", &laas(&self.meldinger).len()).finish()
    }
}

impl FalskSmtp {
    /// Starts the server on a free port of 127.0.0.1, on the current tokio
    /// runtime.
    ///
    /// # Panics
    ///
    /// If no port can be had: the test cannot be run.
    pub async fn start() -> FalskSmtp {
        let lytter = TcpListener::bind("127.0.0.1:0").await.expect("falsk smtp: fikk ikke en port på 127.0.0.1");
        let adresse = lytter.local_addr().expect("falsk smtp: lytteren har ingen adresse");
        let innboks = Arc::new(Innboks::default());
        let i = innboks.clone();
        let mottak = tokio::spawn(async move {
            while let Ok((strom, _)) = lytter.accept().await {
                let i = i.clone();
                tokio::spawn(async move {
                    // A broken connection ends the session; the client
                    // reports it, the server has nothing to add.
                    let _ = samtale(strom, &i).await;
                });
            }
        });
        FalskSmtp { adresse, innboks, mottak }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.adresse.port()
    }

    /// Where it listens.
    pub fn adresse(&self) -> SocketAddr {
        self.adresse
    }

    /// The messages accepted so far, in order.
    pub fn meldinger(&self) -> Vec<Mottatt> {
        laas(&self.innboks.meldinger).clone()
    }

    /// The messages once there are at least `antall`, or those there are
    /// when `frist` has passed; the caller checks the count.
    pub async fn vent_paa(&self, antall: usize, frist: Duration) -> Vec<Mottatt> {
        let slutt = tokio::time::Instant::now() + frist;
        loop {
            // Registered before the count is read, so a message arriving in
            // between still wakes us.
            let ny = self.innboks.ny.notified();
            tokio::pin!(ny);
            ny.as_mut().enable();
            let meldinger = self.meldinger();
            if meldinger.len() >= antall {
                return meldinger;
            }
            if tokio::time::timeout_at(slutt, ny).await.is_err() {
                return self.meldinger();
            }
        }
    }
}

impl Drop for FalskSmtp {
    fn drop(&mut self) {
        self.mottak.abort();
    }
}

/// One SMTP session.
async fn samtale(strom: TcpStream, innboks: &Innboks) -> std::io::Result<()> {
    let (les, mut skriv) = strom.into_split();
    let mut les = BufReader::new(les);
    skriv.write_all(b"220 test.local ESMTP klar\r\n").await?;
    let (mut fra, mut til) = (String::new(), Vec::new());
    let mut linje = String::new();
    for _ in 0..MAKS_LINJER {
        linje.clear();
        if les.read_line(&mut linje).await? == 0 {
            break;
        }
        let kommando = linje.trim_end().to_owned();
        let stor = kommando.to_ascii_uppercase();
        let svar: &[u8] = if stor.starts_with("EHLO") {
            b"250-test.local hei\r\n250 8BITMIME\r\n"
        } else if stor.starts_with("HELO") {
            b"250 test.local hei\r\n"
        } else if let Some(avsender) = argument(&kommando, &stor, "MAIL FROM:") {
            fra = avsender.to_owned();
            til.clear();
            b"250 2.1.0 ok\r\n"
        } else if let Some(adresse) = argument(&kommando, &stor, "RCPT TO:") {
            if adresse.contains("avvis") {
                skriv.write_all(format!("550 5.1.1 {adresse}: ukjent mottaker\r\n").as_bytes()).await?;
                continue;
            }
            if adresse.contains("vent") {
                b"451 4.3.0 proev igjen senere\r\n"
            } else {
                til.push(adresse.to_owned());
                b"250 2.1.5 ok\r\n"
            }
        } else if stor == "DATA" {
            skriv.write_all(b"354 skriv, avslutt med .\r\n").await?;
            let Some(data) = les_data(&mut les, &mut linje).await? else { break };
            laas(&innboks.meldinger).push(Mottatt { fra: fra.clone(), til: til.clone(), data });
            innboks.ny.notify_waiters();
            b"250 2.0.0 mottatt\r\n"
        } else if stor == "RSET" {
            fra.clear();
            til.clear();
            b"250 2.0.0 ok\r\n"
        } else if stor == "NOOP" {
            b"250 2.0.0 ok\r\n"
        } else if stor == "QUIT" {
            skriv.write_all(b"221 2.0.0 ha det\r\n").await?;
            break;
        } else {
            b"502 5.5.2 ukjent kommando\r\n"
        };
        skriv.write_all(svar).await?;
    }
    Ok(())
}

/// What follows `verb` in `kommando`, if it starts with it (`stor` is
/// `kommando` in capitals, since verbs are case-insensitive).
fn argument<'a>(kommando: &'a str, stor: &str, verb: &str) -> Option<&'a str> {
    // The verb is ASCII, so its length in `stor` is its length in `kommando`.
    stor.starts_with(verb).then(|| &kommando[verb.len()..])
}

/// The message after `DATA`, up to the line with a lone `.`; `None` if the
/// connection ends first.
async fn les_data<R: AsyncBufReadExt + Unpin>(les: &mut R, linje: &mut String) -> std::io::Result<Option<String>> {
    let mut data = String::new();
    for _ in 0..MAKS_LINJER {
        linje.clear();
        if les.read_line(linje).await? == 0 {
            return Ok(None);
        }
        if linje == ".\r\n" {
            return Ok(Some(data));
        }
        // Undo dot-stuffing (RFC 5321 §4.5.2).
        data.push_str(linje.strip_prefix('.').unwrap_or(linje));
    }
    Ok(None)
}
