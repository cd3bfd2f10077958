//! A TCP proxy between varde and PostgreSQL that can play an outage without touching the
//! shared server other tests use: `Lukket` closes every connection and drops new ones at
//! once (a stopped server), `Henger` closes every connection and holds new ones open
//! without a word (a server or network that does not answer); `Oppe` forwards again.

use std::path::PathBuf;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream, UnixStream};
use tokio::sync::watch;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tilstand {
    Oppe,
    Lukket,
    Henger,
}

/// Where PostgreSQL is: host and port, or the Unix socket of `?host=/dir`.
#[derive(Clone, Debug)]
enum Oppstroem {
    Tcp(String),
    Unix(PathBuf),
}

pub struct Proxy {
    tilstand: watch::Sender<Tilstand>,
    lytter: tokio::task::JoinHandle<()>,
    /// `url` with its host and port pointed at the proxy.
    pub url: String,
}

impl Proxy {
    /// A proxy in front of the server of the PostgreSQL `url`.
    pub async fn foran(url: &str) -> Proxy {
        let lytter = TcpListener::bind("127.0.0.1:0").await.expect("proxyport");
        let port = lytter.local_addr().expect("proxyadresse").port();
        let (oppstroem, url) = gjennom(url, port);
        let (tilstand, rx) = watch::channel(Tilstand::Oppe);
        let lytter = tokio::spawn(async move {
            loop {
                let Ok((klient, _)) = lytter.accept().await else {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = klient.set_nodelay(true);
                tokio::spawn(forbindelse(klient, oppstroem.clone(), rx.clone()));
            }
        });
        Proxy { tilstand, lytter, url }
    }

    pub fn sett(&self, tilstand: Tilstand) {
        self.tilstand.send_replace(tilstand);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        // The connections end when the sender goes (their `changed()` fails).
        self.lytter.abort();
    }
}

trait Stroem: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stroem for T {}

async fn forbindelse(mut klient: TcpStream, oppstroem: Oppstroem, mut rx: watch::Receiver<Tilstand>) {
    let tilstand = *rx.borrow_and_update();
    match tilstand {
        Tilstand::Lukket => {}
        // Held without a byte until the state changes, then closed.
        Tilstand::Henger => {
            let _ = rx.changed().await;
        }
        Tilstand::Oppe => {
            let server: std::io::Result<Box<dyn Stroem>> = tokio::select! {
                s = koble_til(&oppstroem) => s,
                _ = ikke_lenger_oppe(&mut rx) => return,
            };
            let Ok(mut server) = server else { return };
            tokio::select! {
                _ = tokio::io::copy_bidirectional(&mut klient, &mut server) => {}
                _ = ikke_lenger_oppe(&mut rx) => {}
            }
        }
    }
    // Dropping both ends closes them: to varde it is as if the server went away.
}

async fn koble_til(oppstroem: &Oppstroem) -> std::io::Result<Box<dyn Stroem>> {
    Ok(match oppstroem {
        Oppstroem::Tcp(adresse) => {
            let s = TcpStream::connect(adresse).await?;
            let _ = s.set_nodelay(true);
            Box::new(s)
        }
        Oppstroem::Unix(sti) => Box::new(UnixStream::connect(sti).await?),
    })
}

/// Returns once the proxy is no longer up (or is gone).
async fn ikke_lenger_oppe(rx: &mut watch::Receiver<Tilstand>) {
    loop {
        if rx.changed().await.is_err() || *rx.borrow_and_update() != Tilstand::Oppe {
            return;
        }
    }
}

/// The server behind `url`, and `url` pointed at 127.0.0.1:`port` instead.
fn gjennom(url: &str, port: u16) -> (Oppstroem, String) {
    let mut ny = reqwest::Url::parse(url).expect("VARDE_TEST_POSTGRES er ingen URL");
    let serverport = ny.port().unwrap_or(5432);
    let sokkelmappe = ny.query_pairs().find(|(k, v)| k == "host" && v.starts_with('/')).map(|(_, v)| v.into_owned());
    let oppstroem = match sokkelmappe {
        Some(mappe) => {
            let resten: Vec<(String, String)> =
                ny.query_pairs().filter(|(k, _)| k != "host").map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            ny.query_pairs_mut().clear().extend_pairs(resten);
            Oppstroem::Unix(PathBuf::from(mappe).join(format!(".s.PGSQL.{serverport}")))
        }
        None => Oppstroem::Tcp(format!("{}:{serverport}", ny.host_str().unwrap_or("localhost"))),
    };
    ny.set_host(Some("127.0.0.1")).expect("vert");
    ny.set_port(Some(port)).expect("port");
    let mut url = ny.to_string();
    if url.ends_with('?') {
        url.pop();
    }
    (oppstroem, url)
}
