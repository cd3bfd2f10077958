//! Robustness of the real binary (issue 8): a crash under load, and the database going
//! away under load. Each test runs `varde serve` as a child process on a database of its
//! own; see "Crash and fault tests" in docs/architecture.md.
//!
//! The PostgreSQL variants need `VARDE_TEST_POSTGRES`; without it they are reported as
//! ignored, never as passed.

#[path = "robusthet/databasefeil.rs"]
mod databasefeil;
#[path = "robusthet/felles.rs"]
mod felles;
#[path = "robusthet/krasj.rs"]
mod krasj;
#[path = "robusthet/proxy.rs"]
mod proxy;

use felles::Db;
use std::time::Duration;

/// No test here may run longer than this, whatever happens inside it.
const HELE_TESTEN: Duration = Duration::from_secs(120);

async fn begrenset(test: impl Future<Output = ()>) {
    varde_integrasjoner::installer_kryptoleverandoer();
    tokio::time::timeout(HELE_TESTEN, test).await.expect("testen brukte for lang tid");
}

mod krasj_under_last {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        begrenset(krasj::krasj_under_last(Db::Sqlite)).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    #[cfg_attr(not(postgres_tests), ignore = "VARDE_TEST_POSTGRES er ikke satt")]
    async fn postgres() {
        begrenset(krasj::krasj_under_last(Db::Postgres)).await
    }
}

mod databasen_forsvinner_under_last {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    #[cfg_attr(not(postgres_tests), ignore = "VARDE_TEST_POSTGRES er ikke satt")]
    async fn postgres() {
        begrenset(databasefeil::postgres_stopper_under_last()).await
    }
}
