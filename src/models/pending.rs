//! TEMPORARY (i14-loop): the signatures the models part provides, so the loop compiles before
//! that branch is merged. Deleted at the merge.

use super::{Backends, Chosen, ModelError, ModelSettings};

impl ModelSettings {
    pub fn from_resolved(_r: &crate::config::Resolved) -> Result<ModelSettings, ModelError> {
        Err(ModelError::NoBackend)
    }
}

impl Backends {
    pub fn from_settings(_s: &ModelSettings) -> Result<Backends, ModelError> {
        Err(ModelError::NoBackend)
    }

    pub async fn choose(&self, _wanted: Option<&str>) -> Result<Chosen, ModelError> {
        Err(ModelError::NoBackend)
    }
}
