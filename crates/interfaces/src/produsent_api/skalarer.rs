//! The producer API's scalars, all carried as JSON strings.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use varde_domain::tid::{Dato, LokalTid, Tidspunkt, Varighet};

macro_rules! tekstskalar {
    ($navn:ident, $graphql:literal, $domene:ty, $beskrivelse:literal) => {
        #[doc = $beskrivelse]
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $navn(pub $domene);

        #[Scalar(name = $graphql)]
        impl ScalarType for $navn {
            fn parse(value: Value) -> InputValueResult<Self> {
                match &value {
                    Value::String(s) => {
                        <$domene>::parse(s).map($navn).map_err(|e| InputValueError::custom(e.to_string()))
                    }
                    _ => Err(InputValueError::expected_type(value)),
                }
            }

            fn to_value(&self) -> Value {
                Value::String(self.0.to_string())
            }
        }
    };
}

tekstskalar!(
    Iso8601DateTime,
    "ISO8601DateTime",
    Tidspunkt,
    "An instant; without an offset it is read as Oslo wall time. Written in UTC."
);
tekstskalar!(
    Iso8601LocalDateTime,
    "ISO8601LocalDateTime",
    LokalTid,
    "Oslo wall time without an offset. Extended years are accepted and clamped."
);
tekstskalar!(Iso8601Date, "ISO8601Date", Dato, "A date, YYYY-MM-DD.");
tekstskalar!(
    Iso8601Duration,
    "ISO8601Duration",
    Varighet,
    "A period and a time part, `P<date>[T<time>]`, e.g. P2YT1M."
);
