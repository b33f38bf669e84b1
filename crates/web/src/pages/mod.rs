//! Pages: `azure/` is the mock Azure portal, `ppac/` the mock Power Platform admin center.

pub mod azure;
pub mod form;
pub mod ppac;
pub mod scenarios;
