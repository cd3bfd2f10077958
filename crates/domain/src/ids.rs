//! Identifiers of aggregates, status updates, alerts and events.
//!
//! New ids are UUIDv7: time-ordered, so B-tree indexes on them stay compact.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            pub fn ny() -> Self {
                Self(Uuid::now_v7())
            }
            pub fn fra_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }
            pub fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

uuid_id!(
    /// A notification (beskjed, oppgave or kalenderavtale).
    NotifikasjonId
);
uuid_id!(
    /// A case (sak).
    SakId
);
uuid_id!(
    /// One status update on a sak; `nyStatusSak` returns it, not the sak id.
    StatusId
);
uuid_id!(
    /// One external alert (SMS, e-mail or Altinn).
    VarselId
);
uuid_id!(
    /// One event in the log.
    HendelseId
);
