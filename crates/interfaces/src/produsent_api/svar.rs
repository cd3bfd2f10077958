//! Turning command outcomes into GraphQL answers: a success or error member
//! of the result union, or a top-level error with the reference's message form.

use super::inndata::Ugyldig;
use super::utdata::{Feil, FraFeil};
use async_graphql::{Context, Error, ID, QueryPathSegment};
use uuid::Uuid;
use varde_application::{App, Kaller, KommandoFeil};
use varde_store::StoreError;

/// The response key (alias or field name) of the field being resolved.
fn svarnoekkel(ctx: &Context<'_>) -> String {
    match ctx.path_node.map(|p| p.segment) {
        Some(QueryPathSegment::Name(navn)) => navn.to_owned(),
        Some(QueryPathSegment::Index(i)) => i.to_string(),
        None => String::new(),
    }
}

/// A top-level error in the reference's form, so clients that match on it keep working.
pub fn toppnivaafeil(ctx: &Context<'_>, melding: impl std::fmt::Display) -> Error {
    Error::new(format!("Exception while fetching data (/{}) : {melding}", svarnoekkel(ctx)))
}

pub fn valideringsfeil<'a>(ctx: &'a Context<'_>) -> impl Fn(Ugyldig) -> Error + 'a {
    move |u| toppnivaafeil(ctx, u.0)
}

/// The application and the authenticated caller of this request.
pub fn kontekst<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<(&'a App, &'a Kaller)> {
    let app = ctx.data::<App>().map_err(|_| Error::new("intern feil: applikasjonen mangler"))?;
    let kaller = ctx.data::<Kaller>().map_err(|_| Error::new("ikke autentisert"))?;
    Ok((app, kaller))
}

/// Parses an `id: ID!` argument that must be a UUID.
pub fn uuid(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Uuid> {
    Uuid::parse_str(id).map_err(|_| toppnivaafeil(ctx, format!("id: «{}» er ikke en gyldig UUID", id.as_str())))
}

/// Maps a command outcome onto the union `U`.
pub fn svar<U, T>(ctx: &Context<'_>, utfall: Result<T, KommandoFeil>) -> async_graphql::Result<U>
where
    U: FraFeil + From<U::Vellykket>,
    T: Into<U::Vellykket>,
{
    match utfall {
        Ok(verdi) => Ok(U::from(verdi.into())),
        Err(KommandoFeil::Avvist(avvisning)) => U::fra_feil(Feil::from(avvisning)).map_err(|feil| {
            tracing::error!(feilmelding = feil.melding(), "avvisning uten plass i resultattypen");
            toppnivaafeil(ctx, feil.melding())
        }),
        Err(KommandoFeil::Ugyldig(melding)) => Err(toppnivaafeil(ctx, melding)),
        Err(KommandoFeil::Lagring(feil)) => {
            tracing::error!(%feil, "lagring feilet");
            Err(toppnivaafeil(ctx, lagringsfeil(&feil)))
        }
        // No producer command calls a channel; should one, the caller sees a clear error.
        Err(feil @ KommandoFeil::Kanal(_)) => Err(toppnivaafeil(ctx, feil.to_string())),
        Err(KommandoFeil::Utilgjengelig(melding)) => Err(toppnivaafeil(ctx, melding)),
        Err(KommandoFeil::Sperret(sperre)) => Err(sperrefeil(&sperre)),
    }
}

/// A refusal by the governance gate: a top-level error with its code (`FRAKOBLET`,
/// `BRUKSVILKAAR_IKKE_GODTATT`, `DELEGERING_MANGLER`) and details in `extensions`.
pub fn sperrefeil(sperre: &varde_domain::adgang::Sperre) -> Error {
    use async_graphql::ErrorExtensions;
    Error::new(sperre.to_string()).extend_with(|_, e| sperreutvidelser(sperre, e))
}

/// The `extensions` of a refusal: `code` and what the caller needs to act on it.
pub fn sperreutvidelser(sperre: &varde_domain::adgang::Sperre, e: &mut async_graphql::ErrorExtensionValues) {
    use varde_domain::adgang::Sperre;
    e.set("code", sperre.kode());
    match sperre {
        Sperre::Frakoblet { grunn, til, .. } => {
            e.set("grunn", grunn.as_str());
            if let Some(til) = til {
                e.set("til", til.to_string());
            }
        }
        Sperre::VilkaarIkkeGodtatt { virksomhetsnummer, dokument, versjon, .. } => {
            e.set("dokument", dokument.to_string());
            e.set("versjon", versjon.as_str());
            if let Some(v) = virksomhetsnummer {
                e.set("virksomhetsnummer", v.as_str());
            }
        }
        Sperre::DelegeringMangler { kunde, leverandoer, .. } => {
            e.set("leverandoer", leverandoer.as_str());
            if let Some(kunde) = kunde {
                e.set("kunde", kunde.as_str());
            }
        }
    }
}

/// What a producer is told of a storage failure: its kind, and that trying again is right,
/// but not the driver's text (addresses, OS errors, TLS details), which goes to the log.
pub(crate) fn lagringsfeil(feil: &StoreError) -> &'static str {
    match feil {
        StoreError::Konflikt => "lagringsfeil: en samtidig skriving kom først; prøv igjen",
        StoreError::Database(_) => "lagringsfeil: databasen svarte ikke som ventet; prøv igjen senere",
        _ => "lagringsfeil: intern feil; prøv igjen senere",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_storage_failure_is_told_without_the_drivers_text() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "Connection reset by peer (os error 104)");
        let melding = lagringsfeil(&StoreError::Database(sqlx::Error::Io(io)));
        assert!(melding.starts_with("lagringsfeil: databasen") && !melding.contains("os error"), "{melding}");
        assert!(lagringsfeil(&StoreError::Konflikt).contains("prøv igjen"));
    }
}
