//! API of whitelist.

use crate::access::Registry;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

/// Merges this resource's route groups, each guarded by [`super::group`].
pub(super) fn mount(
    _registry: &mut Registry,
    api: OpenApiRouter<AppState>,
) -> OpenApiRouter<AppState> {
    api
}
