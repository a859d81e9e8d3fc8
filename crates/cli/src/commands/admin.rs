//! `xinrong admin …`: organisations and users from the shell — the first operator of a new
//! platform, and scripted onboarding of institutions and providers.

use crate::config::{
    AdminCommand, CreateOrgArgs, CreateUserArgs, GrantItemsArgs, ListOrgsArgs, OutputFormat,
};
use crate::failure::{CliResult, Failure};
use serde_json::json;
use xinrong_core::role::{InstitutionKind, Role};
use xinrong_services::collect::grants;
use xinrong_services::identity::{
    NewOrganization, NewUser, Organization, create_first_operator, create_organization,
    create_user, list_organizations,
};
use xinrong_services::{Platform, ServiceError};

pub async fn run(platform: &Platform, cmd: AdminCommand) -> CliResult {
    match cmd {
        AdminCommand::CreateUser(args) => create_user_cmd(platform, args).await,
        AdminCommand::CreateOrg(args) => create_org(platform, args).await,
        AdminCommand::GrantItems(args) => grant_items(platform, args).await,
    }
}

fn org_json(o: &Organization) -> serde_json::Value {
    json!({
        "id": o.id,
        "role": o.kind,
        "name": o.name,
        "uscc": o.uscc,
        "region_code": o.region_code,
        "institution_kind": o.institution_kind,
    })
}

fn role_of(text: &str) -> CliResult<Role> {
    text.parse::<Role>()
        .map_err(|e| Failure::new("role.unknown", e.to_string()))
}

async fn create_org(platform: &Platform, args: CreateOrgArgs) -> CliResult {
    let institution_kind = match args.institution_kind.as_deref() {
        None => None,
        Some(k) => Some(InstitutionKind::parse(k).ok_or_else(|| {
            Failure::new(
                "organization.institution_kind",
                format!("未知机构类别：{k}"),
            )
        })?),
    };
    let org = create_organization(
        platform,
        NewOrganization {
            id: None,
            role: role_of(&args.role)?,
            name: args.name,
            uscc: args.uscc,
            region_code: args.region,
            institution_kind,
        },
    )
    .await
    .map_err(|e| match e {
        ServiceError::Store(xinrong_store::StoreError::Conflict(_)) => {
            Failure::new("conflict", "该统一社会信用代码的机构已存在")
        }
        other => other.into(),
    })?;
    println!("{}", org_json(&org));
    Ok(())
}

/// `xinrong orgs list`: providers carry the items they may push.
pub async fn list_orgs(platform: &Platform, args: ListOrgsArgs) -> CliResult {
    let role = args.kind.as_deref().map(role_of).transpose()?;
    let orgs = list_organizations(platform, role).await?;
    let mut list = Vec::with_capacity(orgs.len());
    for org in &orgs {
        let mut value = org_json(org);
        if org.kind == Role::Provider.code() {
            value["items"] = json!(grants::items_of(platform, &org.id).await?);
        }
        list.push(value);
    }
    match args.format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&list).expect("JSON")),
        OutputFormat::Text => {
            for (org, value) in orgs.iter().zip(&list) {
                let items = value["items"].as_array().map(|a| a.len()).unwrap_or(0);
                println!(
                    "{:<36} {:<12} {:<40} {}",
                    org.id,
                    org.kind,
                    org.name,
                    if items > 0 {
                        format!("{items} 个信息项")
                    } else {
                        String::new()
                    }
                );
            }
        }
    }
    Ok(())
}

async fn grant_items(platform: &Platform, args: GrantItemsArgs) -> CliResult {
    grants::grant_items(platform, &args.org, &args.items).await?;
    println!(
        "{}",
        json!({"org_id": args.org, "items": grants::items_of(platform, &args.org).await?})
    );
    Ok(())
}

async fn create_user_cmd(platform: &Platform, args: CreateUserArgs) -> CliResult {
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| Failure::new("admin.stdin", format!("无法读取密码：{e}")))?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        args.password.ok_or_else(|| {
            Failure::new(
                "admin.password_missing",
                "请通过 --password-stdin 或 XINRONG_ADMIN_PASSWORD 提供密码",
            )
        })?
    };
    let user = match args.org {
        Some(org_id) => {
            create_user(
                platform,
                NewUser {
                    org_id,
                    username: args.username,
                    display_name: args.display_name,
                    password,
                },
            )
            .await?
        }
        None => {
            create_first_operator(platform, &args.username, &args.display_name, &password).await?
        }
    };
    println!(
        "{}",
        json!({"id": user.id, "username": user.username, "org_id": user.org_id})
    );
    Ok(())
}
