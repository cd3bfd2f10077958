//! The process-wide Prometheus recorder behind `/internal/metrics`.

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The recorder is global to the process; it is installed once, however many
/// servers a process starts (tests start many).
pub fn handle() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            // Latency buckets from 1 ms to 10 s; histograms, not summaries, so
            // several nodes' figures can be added up.
            let buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("sekunder".to_owned()), &buckets)
                .map_or_else(|_| PrometheusBuilder::new().build_recorder(), |b| b.build_recorder());
            let handle = recorder.handle();
            // Fails only if another recorder was set first; then ours stays unused.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}
