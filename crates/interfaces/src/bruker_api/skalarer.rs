//! The recipient API's scalars. Instants are written in UTC, except an
//! appointment's start and end, written in Oslo time with the offset, as the
//! reference does.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use varde_domain::tid::{Dato, Tidspunkt};

/// An instant; input without an offset is Oslo wall time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Iso8601DateTime {
    pub tidspunkt: Tidspunkt,
    /// Written with Oslo's offset instead of `Z`.
    pub oslo: bool,
}

impl Iso8601DateTime {
    pub fn utc(tidspunkt: Tidspunkt) -> Self {
        Iso8601DateTime { tidspunkt, oslo: false }
    }

    pub fn oslo(tidspunkt: Tidspunkt) -> Self {
        Iso8601DateTime { tidspunkt, oslo: true }
    }
}

#[Scalar(name = "ISO8601DateTime")]
impl ScalarType for Iso8601DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => Tidspunkt::parse(s).map(Self::utc).map_err(|e| InputValueError::custom(e.to_string())),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        if self.oslo {
            let i_oslo = self.tidspunkt.i_oslo();
            Value::String(i_oslo.timestamp().display_with_offset(i_oslo.offset()).to_string())
        } else {
            Value::String(self.tidspunkt.to_string())
        }
    }
}

/// A date, YYYY-MM-DD.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Iso8601Date(pub Dato);

#[Scalar(name = "ISO8601Date")]
impl ScalarType for Iso8601Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => Dato::parse(s).map(Iso8601Date).map_err(|e| InputValueError::custom(e.to_string())),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appointments_are_written_in_oslo_time_and_the_rest_in_utc() {
        let t = Tidspunkt::parse("2024-07-01T10:00:00Z").unwrap();
        assert_eq!(Iso8601DateTime::utc(t).to_value(), Value::String("2024-07-01T10:00:00Z".into()));
        assert_eq!(Iso8601DateTime::oslo(t).to_value(), Value::String("2024-07-01T12:00:00+02:00".into()));
        let vinter = Tidspunkt::parse("2024-01-01T10:00:00Z").unwrap();
        assert_eq!(Iso8601DateTime::oslo(vinter).to_value(), Value::String("2024-01-01T11:00:00+01:00".into()));
    }
}
