//! `varde`: the notification and case platform for employers, in one binary.

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use varde::konfig::Konfig;
use varde::server::{self, Innstillinger};
use varde_interfaces::Miljoe;

#[derive(Parser, Debug)]
#[command(name = "varde", version, about = "Varsler og saker for arbeidsgivere")]
struct Cli {
    #[command(subcommand)]
    kommando: Kommando,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Env {
    Dev,
    Prod,
}

#[derive(clap::Args, Debug)]
struct Database {
    /// sqlite://FILE (created if missing) or postgres://…
    #[arg(long = "database", env = "VARDE_DATABASE_URL", default_value = "sqlite://varde.db")]
    url: String,
}

#[derive(Subcommand, Debug)]
enum Kommando {
    /// Start the APIs, the pages and the workers.
    Serve {
        /// Configuration file (TOML). Without one, `dev` uses a built-in demo configuration.
        #[arg(long, env = "VARDE_CONFIG")]
        config: Option<PathBuf>,
        #[command(flatten)]
        database: Database,
        /// Address to listen on.
        #[arg(long, env = "VARDE_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        #[arg(long, env = "VARDE_ENV", value_enum, default_value = "dev")]
        env: Env,
        /// Fill an EMPTY database with a Norwegian sample (saker, oppgaver, beskjeder,
        /// kalenderavtaler) so the recipient pages have something to show. Only with `--env dev`.
        #[arg(long, env = "VARDE_DEMO", value_parser = clap::builder::BoolishValueParser::new())]
        demo: bool,
    },
    /// Rebuild every projection from the event log.
    Rebuild {
        #[command(flatten)]
        database: Database,
    },
    /// Operator actions on the service's database: terms, delegations, disconnections,
    /// terminations, maintenance, contact points, the alert brake.
    Admin(varde::admin::AdminArgs),
    /// The audit trail: check its hash chain.
    Audit {
        #[command(subcommand)]
        kommando: varde::revisjon::AuditKommando,
    },
    /// Print a GraphQL schema as SDL.
    Schema {
        #[arg(value_enum)]
        api: Api,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Api {
    Produsent,
    Bruker,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    varde::logging::init();
    varde_integrasjoner::installer_kryptoleverandoer();
    match Cli::parse().kommando {
        Kommando::Serve { config, database, listen, env, demo } => {
            let miljoe = match env {
                Env::Dev => Miljoe::Dev,
                Env::Prod => Miljoe::Prod,
            };
            if demo && miljoe == Miljoe::Prod {
                anyhow::bail!("--demo (VARDE_DEMO) er bare tillatt med --env dev: demodata skal aldri inn i prod");
            }
            let konfig = match (&config, miljoe) {
                (Some(fil), _) => Konfig::les(fil)?,
                (None, Miljoe::Dev) => {
                    tracing::info!("ingen konfigurasjonsfil: bruker den innebygde demo-konfigurasjonen");
                    Konfig::tolk(varde::konfig::DEMO)?
                }
                (None, Miljoe::Prod) => {
                    anyhow::bail!("prod krever en konfigurasjonsfil: --config FIL eller VARDE_CONFIG")
                }
            };
            let innstillinger = Innstillinger { database_url: database.url, lytt: listen, miljoe, konfig, demo };
            server::kjoer(innstillinger).await
        }
        Kommando::Rebuild { database } => {
            let store = server::aapne_database(&database.url, None).await?;
            let rapport = store
                .gjenoppbygg(|r| tracing::info!(aggregater = r.aggregater, hendelser = r.hendelser, "gjenoppbygger"))
                .await
                .context("gjenoppbyggingen feilet; ingenting er endret")?;
            println!("gjenoppbygd: {} aggregater fra {} hendelser", rapport.aggregater, rapport.hendelser);
            Ok(())
        }
        Kommando::Admin(args) => varde::admin::kjoer(args).await,
        Kommando::Audit { kommando } => match varde::revisjon::kjoer(kommando).await? {
            0 => Ok(()),
            status => std::process::exit(status),
        },
        Kommando::Schema { api: Api::Produsent } => {
            print!("{}", varde_interfaces::produsent_api::sdl());
            Ok(())
        }
        Kommando::Schema { api: Api::Bruker } => {
            print!("{}", varde_interfaces::bruker_api::sdl());
            Ok(())
        }
    }
}
