//! Demo green library: the rule-based entries refreshed from the demo enterprises and their
//! environmental ratings, then a few declarations and projects by the enterprises that have
//! logins, in each review state (待审核, 已认定, 未通过).

use crate::error::{ServiceError, ServiceResult};
use crate::finance::green::{self, ProjectInput};
use crate::identity::Principal;
use crate::platform::Platform;
use xinrong_core::money::Fen;
use xinrong_store::repo::users;

/// The principal of a demo login, if the demo has it.
pub(super) async fn demo_principal(
    platform: &Platform,
    username: &str,
) -> ServiceResult<Option<Principal>> {
    match users::by_username(&platform.db.conn, username).await? {
        Some(u) => Ok(Some(Principal::load(&platform.db, &u.id).await?)),
        None => Ok(None),
    }
}

/// Skips a step the demo data happen to refuse (e.g. a declaration by an enterprise with a
/// 不良 rating), keeping every other error.
fn tolerated<T>(r: ServiceResult<T>) -> ServiceResult<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(ServiceError::Invalid { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

pub(super) async fn seed(platform: &Platform, seed: u64) -> ServiceResult<()> {
    green::refresh(platform).await?;
    let Some(operator) = demo_principal(platform, "operator").await? else {
        return Ok(());
    };
    let categories = [
        "energy_saving",
        "clean_energy",
        "ecological",
        "infrastructure",
        "green_services",
        "clean_production",
    ];
    let pick = |i: u64| categories[((seed + i) % categories.len() as u64) as usize];
    // ent-1: a declaration awaiting review and an approved project.
    if let Some(p) = demo_principal(platform, "ent-1").await? {
        tolerated(
            green::declare(
                platform,
                &p,
                pick(0),
                "企业主营光伏组件回收与再利用，已取得环境管理体系认证（ISO 14001）。",
            )
            .await,
        )?;
        if let Some(project) = tolerated(
            green::declare_project(
                platform,
                &p,
                ProjectInput {
                    name: "厂房屋顶分布式光伏发电项目".into(),
                    category: "clean_energy".into(),
                    investment_fen: Fen::from_wan_yuan(320).0
                        + (seed % 7) as i64 * Fen::from_wan_yuan(1).0,
                    co2_reduction_t: 860,
                    description:
                        "利用 1.2 万平方米厂房屋顶建设 1.5 兆瓦分布式光伏，自发自用、余电上网。"
                            .into(),
                },
            )
            .await,
        )? {
            tolerated(green::review(platform, &operator, &project.id, true, "").await)?;
        }
        tolerated(
            green::declare_project(
                platform,
                &p,
                ProjectInput {
                    name: "生产线余热回收节能改造".into(),
                    category: "energy_saving".into(),
                    investment_fen: Fen::from_wan_yuan(85).0,
                    co2_reduction_t: 240,
                    description: "回收空压机和烘干线余热用于车间供暖，预计年节约标准煤约 90 吨。"
                        .into(),
                },
            )
            .await,
        )?;
    }
    // ent-2: an approved declaration.
    if let Some(p) = demo_principal(platform, "ent-2").await?
        && let Some(d) = tolerated(
            green::declare(
                platform,
                &p,
                pick(1),
                "企业提供合同能源管理服务，近三年完成节能改造项目 12 个，附第三方节能量审核报告。",
            )
            .await,
        )?
    {
        tolerated(
            green::review(
                platform,
                &operator,
                &d.id,
                true,
                "材料齐全，节能量经第三方审核",
            )
            .await,
        )?;
    }
    // ent-3: a rejected declaration and a rejected project.
    if let Some(p) = demo_principal(platform, "ent-3").await? {
        if let Some(d) =
            tolerated(green::declare(platform, &p, pick(2), "企业计划开展绿色转型。").await)?
        {
            tolerated(
                green::review(
                    platform,
                    &operator,
                    &d.id,
                    false,
                    "申报依据仅为计划，未提供已开展绿色业务的证明材料",
                )
                .await,
            )?;
        }
        if let Some(project) = tolerated(
            green::declare_project(
                platform,
                &p,
                ProjectInput {
                    name: "办公楼照明更换".into(),
                    category: "energy_saving".into(),
                    investment_fen: Fen::from_wan_yuan(1).0 + 200_000,
                    co2_reduction_t: 3,
                    description: "将办公楼荧光灯更换为 LED 灯具。".into(),
                },
            )
            .await,
        )? {
            tolerated(
                green::review(
                    platform,
                    &operator,
                    &project.id,
                    false,
                    "项目规模过小，属日常维护，不符合绿色项目认定标准",
                )
                .await,
            )?;
        }
    }
    Ok(())
}
