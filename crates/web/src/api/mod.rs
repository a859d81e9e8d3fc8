//! The JSON API. Routes are declared with `utoipa` so the OpenAPI 3.1 document at
//! `/api/openapi.json` is generated from the same code that serves them.

mod agreements;
mod applications;
pub(crate) mod authorizations;
pub(crate) mod batches;
mod catalog;
mod connectors;
mod enterprises;
pub(crate) mod evaluations;
mod funds;
mod green;
mod health;
mod ledger;
mod loans;
mod me;
mod notifications;
pub(crate) mod objections;
pub(crate) mod organizations;
mod payables;
mod policies;
mod products;
mod pull;
mod quality;
pub(crate) mod registrations;
mod repairs;
pub(crate) mod reports;
mod self_reports;
pub(crate) mod subjects;
mod tokens;
mod whitelist;
pub(crate) mod workflow;

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
        (name = "subjects", description = "信息主体数据：访问控制、脱敏与查询记录"),
        (name = "evaluations", description = "公共信用综合评价：评价结果、画像标签与等级分布"),
        (name = "pull", description = "接口调用：实时查询数据提供单位接口"),
        (name = "registrations", description = "企业注册与实名核验"),
        (name = "notifications", description = "站内通知"),
        (name = "self_reports", description = "企业自愿填报（信用承诺）"),
        (name = "agreements", description = "数据共享协议"),
        (name = "authorizations", description = "授权：信息主体的授权凭证"),
        (name = "objections", description = "异议：企业对本企业记录提出异议，数据提供单位核实或更正，平台复核"),
        (name = "repairs", description = "信用修复：公示期满后申请，数据提供单位或平台审核"),
        (name = "reports", description = "标准化信用信息报告：生成、下载与核验"),
        (name = "products", description = "金融产品与产品超市：机构发布、平台审核、公开检索；融资需求匹配"),
        (name = "applications", description = "一键式融资：一次填报、多产品申请并同步授权，受理审批与进度跟踪"),
        (name = "loans", description = "获贷明细：放款登记、批量上传、还款与贷款状态"),
        (name = "whitelist", description = "融资白名单：企业申报、政府推荐、平台审定，名单及变动"),
        (name = "funds", description = "风险补偿基金：资金池、注资、贷款入池、代偿申请与拨付"),
        (name = "payables", description = "供应链金融：核心企业确认应付账款，供应商附于融资申请"),
        (name = "policies", description = "政策找人：政策发布、企业匹配与通知"),
        (name = "green", description = "绿色金融：绿色企业与项目库、申报审核、绿色金融概览")
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

/// Who may see authorizations: the subject (enterprise), the grantee (institution), the operator.
const AUTHZ_PARTIES: &[Role] = &[Role::Operator, Role::Institution, Role::Enterprise];
const ENTERPRISE: &[Role] = &[Role::Enterprise];
/// Who reads the access log: the subject its own, the operator all.
const ACCESS_LOG_READERS: &[Role] = &[Role::Operator, Role::Enterprise];
const INSTITUTION: &[Role] = &[Role::Institution];
/// Who may read agreements: the operator all, an institution its own.
const AGREEMENT_READERS: &[Role] = &[Role::Operator, Role::Institution];

/// Guards a group of routes with one access rule and records it.
pub(super) fn group(
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
    // Every role may ask; the one access decision answers per item and field.
    let subject_readers = OpenApiRouter::new()
        .routes(routes!(subjects::view))
        .routes(routes!(subjects::export));
    let access_log = OpenApiRouter::new().routes(routes!(subjects::access_log));
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

    let agreement_readers = OpenApiRouter::new()
        .routes(routes!(agreements::list))
        .routes(routes!(agreements::show));
    let agreement_admin = OpenApiRouter::new()
        .routes(routes!(agreements::create))
        .routes(routes!(agreements::suspend))
        .routes(routes!(agreements::reinstate))
        .routes(routes!(agreements::terminate));
    let authz_parties = OpenApiRouter::new()
        .routes(routes!(authorizations::list))
        .routes(routes!(authorizations::show))
        .routes(routes!(authorizations::evidence))
        .routes(routes!(authorizations::revoke));
    let authz_subject = OpenApiRouter::new()
        .routes(routes!(authorizations::grant))
        .routes(routes!(authorizations::pause))
        .routes(routes!(authorizations::resume))
        .routes(routes!(authorizations::dispute));
    let authz_grantee = OpenApiRouter::new()
        .routes(routes!(authorizations::grant_written))
        .layer(axum::extract::DefaultBodyLimit::max(
            authorizations::MAX_WRITTEN_BYTES,
        ));
    let authz_operator = OpenApiRouter::new()
        .routes(routes!(authorizations::uphold))
        .routes(routes!(authorizations::dismiss));

    // 企业注册: public (a licence scan rides in the JSON), the review queue for the operator.
    let registration_public = OpenApiRouter::new()
        .routes(routes!(registrations::submit))
        .routes(routes!(registrations::status))
        .layer(axum::extract::DefaultBodyLimit::max(16 * 1024 * 1024));
    let registration_review = OpenApiRouter::new()
        .routes(routes!(registrations::list))
        .routes(routes!(registrations::get))
        .routes(routes!(registrations::approve))
        .routes(routes!(registrations::reject))
        .routes(routes!(registrations::licence));
    let inbox = OpenApiRouter::new()
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::read))
        .routes(routes!(notifications::read_all))
        .routes(routes!(notifications::contact, notifications::set_contact));
    let self_reports = OpenApiRouter::new()
        .routes(routes!(self_reports::items))
        .routes(routes!(self_reports::list, self_reports::submit));

    let api = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(group(registry, Access::Public, registration_public))
        .merge(group(
            registry,
            Access::Roles(OPERATOR),
            registration_review,
        ))
        .merge(group(registry, Access::Roles(ALL_ROLES), inbox))
        .merge(group(
            registry,
            Access::Roles(&[Role::Enterprise]),
            self_reports,
        ))
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
        .merge(group(registry, Access::Roles(ALL_ROLES), subject_readers))
        .merge(group(
            registry,
            Access::Roles(ALL_ROLES),
            evaluations::subject_routes(),
        ))
        .merge(group(
            registry,
            Access::Roles(OPERATOR_AND_GOVERNMENT),
            evaluations::distribution_routes(),
        ))
        .merge(group(
            registry,
            Access::Roles(ACCESS_LOG_READERS),
            access_log,
        ))
        .merge(group(registry, Access::Roles(PROVIDER), provider))
        .merge(group(
            registry,
            Access::Roles(objections::ROLES),
            objections::routes()
                .merge(repairs::routes())
                .layer(axum::extract::DefaultBodyLimit::max(objections::BODY_LIMIT)),
        ))
        .merge(group(
            registry,
            Access::Roles(AGREEMENT_READERS),
            agreement_readers,
        ))
        .merge(group(registry, Access::Roles(OPERATOR), agreement_admin))
        .merge(group(registry, Access::Roles(AUTHZ_PARTIES), authz_parties))
        .merge(group(registry, Access::Roles(ENTERPRISE), authz_subject))
        .merge(group(registry, Access::Roles(INSTITUTION), authz_grantee))
        .merge(group(registry, Access::Roles(OPERATOR), authz_operator))
        .merge(group(registry, Access::Roles(ALL_ROLES), reports::routes()))
        .merge(group(registry, Access::Public, reports::public_routes()));
    // 融资服务 (financing services): each resource mounts its own guarded groups.
    let api = applications::mount(registry, api);
    let api = funds::mount(registry, api);
    let api = green::mount(registry, api);
    let api = loans::mount(registry, api);
    let api = payables::mount(registry, api);
    let api = policies::mount(registry, api);
    let api = products::mount(registry, api);
    let api = whitelist::mount(registry, api);
    let (router, mut doc) = api.split_for_parts();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    (router, doc)
}
