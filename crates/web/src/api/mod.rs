//! The JSON API. Routes are declared with `utoipa` so the OpenAPI 3.1 document at
//! `/api/openapi.json` is generated from the same code that serves them.

pub(crate) mod batches;
mod catalog;
mod connectors;
mod enterprises;
mod health;
mod ledger;
mod me;
pub(crate) mod objections;
pub(crate) mod organizations;
mod pull;
mod quality;
mod repairs;
mod tokens;

use crate::access::{ALL_ROLES, Access, Registry};
use crate::guard;
use crate::state::AppState;
use axum::Router;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xinrong_core::role::Role;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "xinrong 信融 API",
        description = "融资信用服务平台接口。Errors are `{\"code\", \"message\"}` with a stable code. Authenticate with `Authorization: Bearer <token>` (API tokens) or the browser session cookie.",
        license(name = "Apache-2.0")
    ),
    modifiers(&SecuritySchemes),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "quality", description = "数据质量与使用反馈"),
        (name = "identity", description = "身份：当前用户与 API 令牌"),
        (name = "catalog", description = "信用信息目录"),
        (name = "collect", description = "归集：批量报送"),
        (name = "ledger", description = "防篡改账本：树头与证明"),
        (name = "enterprises", description = "企业名录"),
        (name = "organizations", description = "机构"),
        (name = "pull", description = "接口调用：实时查询数据提供单位接口"),
        (name = "objections", description = "异议：企业对本企业记录提出异议，数据提供单位核实或更正，平台复核"),
        (name = "repairs", description = "信用修复：公示期满后申请，数据提供单位或平台审核")
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
    }
}

const OPERATOR: &[Role] = &[Role::Operator];
const PROVIDER: &[Role] = &[Role::Provider];
const OPERATOR_AND_GOVERNMENT: &[Role] = &[Role::Operator, Role::Government];
/// A provider reads its own data quality; operator and government read every provider's.
const QUALITY_READERS: &[Role] = &[Role::Provider, Role::Operator, Role::Government];
/// Who may read pull items (the access decision then checks each item).
const PULL_READERS: &[Role] = &[Role::Operator, Role::Institution];

/// Guards a group of routes with one access rule and records it.
fn group(
    registry: &mut Registry,
    access: Access,
    router: OpenApiRouter<AppState>,
) -> OpenApiRouter<AppState> {
    registry.record_openapi(router.get_openapi(), access);
    match access {
        Access::Public => router,
        Access::Roles(roles) => router.route_layer(guard!(roles)),
    }
}

pub fn router(registry: &mut Registry) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let public = OpenApiRouter::new()
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz));
    let everyone = OpenApiRouter::new()
        .routes(routes!(me::me))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke))
        .routes(routes!(catalog::show))
        .routes(routes!(catalog::item))
        .routes(routes!(catalog::template))
        .routes(routes!(ledger::head))
        .routes(routes!(ledger::inclusion))
        .routes(routes!(ledger::consistency))
        .routes(routes!(ledger::latest_head))
        .routes(routes!(ledger::heads))
        .routes(routes!(ledger::public_key));
    let directory = OpenApiRouter::new().routes(routes!(enterprises::list));
    let quality_own = OpenApiRouter::new().routes(routes!(quality::show));
    let quality_all = OpenApiRouter::new().routes(routes!(quality::providers));
    let pull_readers = OpenApiRouter::new().routes(routes!(pull::read));
    let connectors = OpenApiRouter::new()
        .routes(routes!(connectors::list))
        .routes(routes!(connectors::set));
    let operator = OpenApiRouter::new()
        .routes(routes!(organizations::list, organizations::create))
        .routes(routes!(organizations::users, organizations::add_user))
        .routes(routes!(organizations::reset_password));

    let provider = OpenApiRouter::new()
        .routes(routes!(batches::push))
        .routes(routes!(batches::job))
        .routes(routes!(batches::job_errors))
        // Bodies stream to disk under their own limit (`spool::MAX_UPLOAD_BYTES`).
        .layer(axum::extract::DefaultBodyLimit::disable());

    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(group(registry, Access::Public, public))
        .merge(group(registry, Access::Roles(ALL_ROLES), everyone))
        .merge(group(
            registry,
            Access::Roles(OPERATOR_AND_GOVERNMENT),
            directory,
        ))
        .merge(group(registry, Access::Roles(OPERATOR), operator))
        .merge(group(registry, Access::Roles(QUALITY_READERS), quality_own))
        .merge(group(
            registry,
            Access::Roles(OPERATOR_AND_GOVERNMENT),
            quality_all,
        ))
        .merge(group(registry, Access::Roles(OPERATOR), connectors))
        .merge(group(registry, Access::Roles(PULL_READERS), pull_readers))
        .merge(group(registry, Access::Roles(PROVIDER), provider))
        .merge(group(
            registry,
            Access::Roles(objections::ROLES),
            objections::routes()
                .merge(repairs::routes())
                .layer(axum::extract::DefaultBodyLimit::max(objections::BODY_LIMIT)),
        ))
        .split_for_parts();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    (router, doc)
}
