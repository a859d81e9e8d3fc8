//! `xinrong admin create-user`: the first operator, for a platform without the demo.

use crate::config::{AdminCommand, CreateUserArgs};
use crate::failure::{CliResult, Failure};
use xinrong_services::Platform;
use xinrong_services::identity::create_first_operator;

pub async fn run(platform: &Platform, cmd: AdminCommand) -> CliResult {
    match cmd {
        AdminCommand::CreateUser(args) => create_user(platform, args).await,
    }
}

async fn create_user(platform: &Platform, args: CreateUserArgs) -> CliResult {
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
    let user =
        create_first_operator(platform, &args.username, &args.display_name, &password).await?;
    println!("已创建运营方用户 {}（{}）", user.username, user.id);
    Ok(())
}
