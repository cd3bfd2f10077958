//! Log output: human-readable lines, level from `RUST_LOG` (default info).
//! Every line goes through [`varde_domain::maskering::masker`] before it is
//! written, so identity numbers, phone numbers, e-mail addresses and bearer
//! tokens never reach a log, whoever logged them.

use std::io::{self, Write};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // A second init (tests) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(Maskert(io::stdout))
        .try_init();
}

/// Makes writers that mask what passes through them.
pub struct Maskert<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Maskert<M> {
    type Writer = MaskertSkriver<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        MaskertSkriver { indre: self.0.make_writer(), buffer: Vec::new() }
    }
}

/// Collects one log event and writes it masked when dropped: the formatter
/// writes an event in pieces, and a number split across two pieces must
/// still be found.
pub struct MaskertSkriver<W: Write> {
    indre: W,
    buffer: Vec<u8>,
}

impl<W: Write> Write for MaskertSkriver<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Drop for MaskertSkriver<W> {
    fn drop(&mut self) {
        let tekst = String::from_utf8_lossy(&self.buffer);
        // A log line that cannot be written is lost; there is nowhere to report it.
        let _ = self.indre.write_all(varde_domain::maskering::masker(&tekst).as_bytes());
        let _ = self.indre.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Delt(Arc<Mutex<Vec<u8>>>);

    impl Write for Delt {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(data);
            Ok(data.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_kind_of_personal_data_and_secret_is_masked_in_the_output() {
        let delt = Delt::default();
        let kopi = delt.clone();
        let subscriber = tracing_subscriber::fmt().with_writer(Maskert(move || kopi.clone())).with_ansi(false).finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(fnr = "31129956715", "oppslag for 311299 56715");
            tracing::warn!(tlf = "+47 412 34 567", epost = "kari@eksempel.no", "varsel feilet");
            tracing::error!(header = "Bearer eyJhbGciOi.eyJzdWIi.c2ln", "avvist");
            tracing::info!(virksomhetsnummer = "910825496", "dette står");
        });
        let ut = String::from_utf8(delt.0.lock().unwrap().clone()).unwrap();
        for hemmelig in ["31129956715", "311299 56715", "412 34 567", "kari@eksempel.no", "eyJhbGciOi"] {
            assert!(!ut.contains(hemmelig), "{hemmelig} reached the log:\n{ut}");
        }
        assert_eq!(ut.lines().count(), 4, "{ut}");
        assert!(ut.contains("virksomhetsnummer=\"910825496\"") || ut.contains("virksomhetsnummer=910825496"), "{ut}");
        assert!(ut.contains("oppslag for ***"), "{ut}");
    }
}
