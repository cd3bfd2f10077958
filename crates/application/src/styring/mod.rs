//! Governance: the terms of use and the production gate, suppliers acting for
//! customers, maintenance windows, disconnections and notices of termination,
//! and the organisations' contact points. The operator's commands live here;
//! the rules they follow are the domain's.

pub mod adgang;
pub mod delegering;
pub mod kontaktpunkt;
pub mod melding;
pub mod sanksjon;
pub mod vedlikehold;
pub mod vilkaar;
