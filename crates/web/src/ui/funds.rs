//! Pages of funds.

use crate::access::Registry;
use crate::state::AppState;
use axum::Router;

/// Adds this resource's pages, each guarded through [`super::page`].
pub(super) fn routes(_registry: &mut Registry, r: Router<AppState>) -> Router<AppState> {
    r
}
