//! Scheduled hard deletion: when an aggregate is to be deleted, and how an
//! update moves that time.

use crate::tid::Tidspunkt;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NyTidStrategi {
    /// Keep whichever time is furthest in the future.
    Forleng,
    /// Always use the new time.
    Overskriv,
}

/// A resolved change of the deletion time, as carried by an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlettetidOppdatering {
    pub tidspunkt: Tidspunkt,
    pub strategi: NyTidStrategi,
}

impl SlettetidOppdatering {
    pub fn anvend(self, eksisterende: Option<Tidspunkt>) -> Option<Tidspunkt> {
        match (self.strategi, eksisterende) {
            (NyTidStrategi::Forleng, Some(gammel)) if gammel > self.tidspunkt => Some(gammel),
            _ => Some(self.tidspunkt),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Tidspunkt {
        Tidspunkt::parse(s).unwrap()
    }

    #[test]
    fn forleng_keeps_the_later_time() {
        let tidlig = t("2030-01-01T00:00:00Z");
        let sen = t("2031-01-01T00:00:00Z");
        let forleng = |tidspunkt| SlettetidOppdatering { tidspunkt, strategi: NyTidStrategi::Forleng };
        assert_eq!(forleng(tidlig).anvend(Some(sen)), Some(sen));
        assert_eq!(forleng(sen).anvend(Some(tidlig)), Some(sen));
        assert_eq!(forleng(tidlig).anvend(None), Some(tidlig));
    }

    #[test]
    fn overskriv_always_replaces() {
        let tidlig = t("2030-01-01T00:00:00Z");
        let sen = t("2031-01-01T00:00:00Z");
        let ny = SlettetidOppdatering { tidspunkt: tidlig, strategi: NyTidStrategi::Overskriv };
        assert_eq!(ny.anvend(Some(sen)), Some(tidlig));
    }
}
