//! Integration tests: each starts the real server on a random port and talks
//! GraphQL over HTTP, on SQLite and on PostgreSQL.

mod helpers;

mod adressebeskyttelse;
mod auth_og_helse;
mod bruker_kalenderavtaler;
mod bruker_klikk_og_sist_lest;
mod bruker_notifikasjoner;
mod bruker_sak;
mod bruker_saker;
mod bruker_tilgang;
mod eksport;
mod eksterne_varsler;
mod frakobling;
mod frist_og_paaminnelse;
mod grenser;
mod hent_sak;
mod identitetsnummer;
mod jobber;
mod kalenderavtale;
mod konsoll;
mod kontaktpunkt;
mod maskinporten;
mod mine_notifikasjoner;
mod ny_beskjed;
mod ny_oppgave;
mod ny_sak;
mod ny_status_sak;
mod oppbevaring;
mod oppgave_utfoert;
mod oppgave_utgaatt;
mod rebuild;
mod registrer_mange;
mod revisjon;
mod revisjonskjede;
mod sak_oppdatering;
mod samtidighet;
mod sider;
mod sletting;
mod sporloes_sletting;
mod varsel_innhold;
mod varsling_feiltoleranse;
mod vedlikehold;
mod vilkaar;
