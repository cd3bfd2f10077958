//! The HTTP server: routes, middleware and shared state.

mod dev;
mod graphql;
pub mod grenser;
mod helse;
mod korrelasjon;
mod maaling;
mod operatoer;
mod status;
mod tidsavbrudd;
mod tjener;

pub use grenser::{Frekvens, Grenser};
/// The audit export, which the console runs with the operator's login cookie.
pub(crate) use operatoer::eksport_revisjon;
pub use tjener::tjen;

use crate::auth::Autentisering;
use crate::bruker_api::{self, BrukerSchema};
use crate::produsent_api::{self, ProdusentSchema};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use metrics_exporter_prometheus::PrometheusHandle;
use std::sync::Arc;
use tower_http::trace::TraceLayer;
use varde_application::App;

/// Which environment the instance runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Miljoe {
    Dev,
    Prod,
}

/// What every handler shares.
#[derive(Clone)]
pub struct Tilstand {
    pub app: App,
    pub miljoe: Miljoe,
    pub auth: Arc<Autentisering>,
    pub produsent_schema: ProdusentSchema,
    pub bruker_schema: BrukerSchema,
    pub metrikker: PrometheusHandle,
    /// The people one may log in as on the pages in `dev`.
    pub testpersoner: Arc<Vec<crate::sider::Testperson>>,
    /// The limits on size, time and rate.
    pub grenser: Grenser,
    /// The producers' token buckets, shared by every handler.
    produsentgrense: Arc<grenser::Frekvensgrense>,
}

impl Tilstand {
    pub fn new(app: App, miljoe: Miljoe, auth: Autentisering) -> Self {
        Tilstand {
            produsent_schema: produsent_api::schema(app.clone()),
            bruker_schema: bruker_api::schema(app.clone()),
            app,
            miljoe,
            auth: Arc::new(auth),
            metrikker: crate::metrikker::handle(),
            testpersoner: Arc::default(),
            grenser: Grenser::default(),
            produsentgrense: Arc::new(grenser::Frekvensgrense::new(Grenser::default().produsent)),
        }
    }

    pub fn med_grenser(mut self, grenser: Grenser) -> Self {
        self.produsentgrense = Arc::new(grenser::Frekvensgrense::new(grenser.produsent));
        self.grenser = grenser;
        self
    }

    pub fn med_testpersoner(mut self, personer: Vec<crate::sider::Testperson>) -> Self {
        self.testpersoner = Arc::new(personer);
        self
    }
}

/// The largest request body we read; a GraphQL mutation is a few kilobytes.
const MAKS_KROPP: usize = 2 * 1024 * 1024;

pub fn ruter(tilstand: Tilstand) -> Router {
    let Grenser { kropp, foresporsel, .. } = tilstand.grenser;
    Router::new()
        .route("/api/graphql", post(graphql::produsent))
        .route("/bruker/api/graphql", post(graphql::bruker))
        .route("/internal/alive", get(helse::alive))
        .route("/internal/ready", get(helse::ready))
        .route("/internal/metrics", get(helse::metrics))
        .route("/dev/token/produsent/{id}", get(dev::produsenttoken))
        .route("/dev/token/bruker/{fnr}", get(dev::brukertoken))
        .route("/dev/token/operatoer/{navn}", get(dev::operatoertoken))
        .route(
            "/admin/api/naermeste-leder/{id}",
            axum::routing::put(operatoer::lagre_naermeste_leder).delete(operatoer::avslutt_naermeste_leder),
        )
        .route("/admin/api/varsling/brems", get(operatoer::varslingsbrems).put(operatoer::sett_varslingsbrems))
        .route("/admin/api/varsling/utboks", get(operatoer::utboks))
        .route("/admin/api/eksport/virksomhet/{virksomhetsnummer}", get(operatoer::eksport_virksomhet))
        .route("/admin/api/eksport/person/{fnr}", get(operatoer::eksport_person))
        .route("/admin/api/revisjon", get(operatoer::sok_revisjon))
        .route("/admin/api/revisjon/eksport", get(operatoer::eksport_revisjon))
        .route("/admin/api/vedlikehold", get(operatoer::vedlikehold).post(operatoer::kunngjoer_vedlikehold))
        .route("/admin/api/vedlikehold/{id}/avlys", post(operatoer::avlys_vedlikehold))
        .route("/admin/api/kontaktpunkter", get(operatoer::kontaktpunkter).post(operatoer::opprett_kontaktpunkt))
        .route(
            "/admin/api/kontaktpunkter/{id}",
            axum::routing::put(operatoer::endre_kontaktpunkt).delete(operatoer::slett_kontaktpunkt),
        )
        .route("/admin/api/styringsmeldinger", get(operatoer::styringsmeldinger))
        .route("/admin/api/vilkaar", get(operatoer::vilkaar).post(operatoer::publiser_vilkaar))
        .route("/admin/api/vilkaar/godkjenninger", get(operatoer::godkjenninger))
        .route("/admin/api/vilkaar/godta", post(operatoer::godta_vilkaar))
        .route("/admin/api/vilkaar/mangler", get(operatoer::vilkaar_mangler))
        .route("/admin/api/delegeringer", get(operatoer::delegeringer).post(operatoer::registrer_delegering))
        .route("/admin/api/delegeringer/{kunde}/{leverandoer}", axum::routing::delete(operatoer::fjern_delegering))
        .route("/admin/api/frakoblinger", get(operatoer::frakoblinger).post(operatoer::frakoble))
        .route("/admin/api/frakoblinger/{id}/tilkoble", post(operatoer::tilkoble))
        .route("/admin/api/oppsigelser", get(operatoer::oppsigelser).post(operatoer::si_opp))
        .route("/admin/api/oppsigelser/{orgnr}", axum::routing::delete(operatoer::trekk_oppsigelse))
        .route("/status/vedlikehold", get(status::vedlikehold))
        .merge(crate::sider::ruter())
        // After routing, so the metrics name the route, not the raw path.
        .route_layer(axum::middleware::from_fn(maaling::maal))
        // The whole request within its deadline; the body within its own, and
        // no larger than MAKS_KROPP (the GraphQL handlers read it themselves,
        // after the caller is known; the extractors of the other routes by
        // axum's limit).
        .layer(axum::middleware::from_fn_with_state(foresporsel, tidsavbrudd::hele_foresporselen))
        .layer(axum::middleware::from_fn_with_state(kropp, tidsavbrudd::kroppsfrist))
        .layer(DefaultBodyLimit::max(MAKS_KROPP))
        .layer(axum::middleware::from_fn(korrelasjon::korrelasjons_id))
        .layer(TraceLayer::new_for_http())
        .with_state(tilstand)
}
