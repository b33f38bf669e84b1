//! Pages: `azure/` is the mock Azure portal.

pub mod azure;
pub mod form;
