//! Business rejections: the outcomes a producer gets as an error member of a
//! result union (`UgyldigMerkelapp`, `Konflikt`, …), never as a transport error.

use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Avvisning {
    #[error("{0}")]
    UkjentProdusent(String),
    #[error("{0}")]
    UgyldigMerkelapp(String),
    #[error("{0}")]
    UgyldigMottaker(String),
    #[error("{0}")]
    NotifikasjonFinnesIkke(String),
    #[error("{0}")]
    SakFinnesIkke(String),
    #[error("{0}")]
    Konflikt(String),
    #[error("{feilmelding}")]
    DuplikatEksternIdOgMerkelapp { feilmelding: String, id_til_eksisterende: Uuid },
    #[error("{feilmelding}")]
    DuplikatGrupperingsid { feilmelding: String, id_til_eksisterende: Uuid },
    #[error("{0}")]
    DuplikatGrupperingsidEtterDelete(String),
    #[error("{0}")]
    OppgavenErAlleredeUtfoert(String),
    #[error("{0}")]
    UgyldigPaaminnelseTidspunkt(String),
    #[error("{0}")]
    UgyldigKalenderavtale(String),
}

impl Avvisning {
    pub fn feilmelding(&self) -> String {
        self.to_string()
    }
}
